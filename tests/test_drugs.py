"""Drug-name recognition: what a person types -> canonical drug ids, or an honest 'not recognised'."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.drugs import (
    DRUGS_FILE,
    DrugRecognition,
    DrugVocabulary,
    load_drug_vocabulary,
    recognise_drugs,
)

CLASS_IDS = {
    "checkpoint_inhibitor",
    "other_medicine",
    "pd1_pdl1_inhibitor",
    "pd1_inhibitor",
    "pdl1_inhibitor",
    "ctla4_inhibitor",
    "vegf_antibody",
    "tyrosine_kinase_inhibitor",
    "chemotherapy",
    "immunomodulatory_drug",
    "investigational",
}


def ids(text: str) -> list[str]:
    return recognise_drugs(text).drug_ids


def write_vocabulary(tmp_path: Path, drugs: list[dict], regimens: list[dict] | None = None, **extra) -> Path:
    spec = {
        "score_cutoff": 85,
        "suggest_cutoff": 70,
        "ambiguity_margin": 10,
        "strip_patterns": [],
        "classes": {"chemotherapy": {"label": "chemotherapy", "plain": "chemo"}},
        "drugs": drugs,
        "regimens": regimens or [],
        **extra,
    }
    path = tmp_path / "drugs.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def chemo(drug_id: str, *aliases: str, classes: tuple[str, ...] = ("chemotherapy",)) -> dict:
    return {"id": drug_id, "name": drug_id, "brands": [], "aliases": list(aliases), "classes": list(classes)}


# --- brands, abbreviations and combinations -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tecentriq + Avastin", ["atezolizumab", "bevacizumab"]),
        ("atezo/bev", ["atezolizumab", "bevacizumab"]),
        ("Imfinzi and Imjudo", ["durvalumab", "tremelimumab"]),
        ("Opdivo/Yervoy", ["nivolumab", "ipilimumab"]),
        ("sorafenib, then regorafenib", ["sorafenib", "regorafenib"]),
        ("nivo/ipi", ["nivolumab", "ipilimumab"]),
        ("camrelizumab plus apatinib", ["camrelizumab", "apatinib"]),
        ("Keytruda with Lenvima", ["pembrolizumab", "lenvatinib"]),
        ("cisplatin; gemcitabine & doxorubicin", ["cisplatin", "gemcitabine", "doxorubicin"]),
    ],
)
def test_combinations_split_into_each_drug_in_typed_order(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FOLFOX", ["oxaliplatin", "fluorouracil"]),
        ("A+T", ["atezolizumab", "bevacizumab"]),
        ("T + A", ["atezolizumab", "bevacizumab"]),
        ("STRIDE", ["durvalumab", "tremelimumab"]),
        ("GEMOX", ["gemcitabine", "oxaliplatin"]),
    ],
)
def test_regimen_shorthand_expands_to_all_its_drugs(text: str, expected: list[str]) -> None:
    result = recognise_drugs(text)
    assert result.drug_ids == expected
    assert all(match.exact and match.score == 100 and match.typed == text for match in result.matches)


def test_regimen_shorthand_mixed_with_other_drugs_keeps_both() -> None:
    assert ids("A+T and then sorafenib") == ["atezolizumab", "bevacizumab", "sorafenib"]


@pytest.mark.parametrize("text", ["LENVIMA", "lenvima", "Lenvima", "  lenVIMA  "])
def test_brand_names_are_case_insensitive(text: str) -> None:
    result = recognise_drugs(text)
    assert result.drug_ids == ["lenvatinib"]
    assert result.matches[0].exact
    assert result.matches[0].typed == text.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("SHR-1210", "camrelizumab"), ("shr1210", "camrelizumab"), ("5-FU", "fluorouracil"), ("5FU", "fluorouracil")],
)
def test_code_names_match_with_or_without_hyphens(text: str, expected: str) -> None:
    assert ids(text) == [expected]


# --- doses and forms --------------------------------------------------------------------------


def test_dose_and_schedule_words_are_ignored_but_kept_in_typed() -> None:
    result = recognise_drugs("Lenvima 8 mg once daily")
    assert result.drug_ids == ["lenvatinib"]
    assert result.matches[0].exact
    assert result.matches[0].typed == "Lenvima 8 mg once daily"
    assert result.unrecognised == []


@pytest.mark.parametrize(
    "text",
    ["bevacizumab 15 mg/kg q3w iv", "Avastin 1,200 mg infusion", "12mg lenvatinib capsules po", "sorafenib 400mg BID"],
)
def test_slashes_and_commas_inside_doses_do_not_split_the_text(text: str) -> None:
    result = recognise_drugs(text)
    assert len(result.drug_ids) == 1
    assert result.unrecognised == []


def test_drug_name_among_other_words_is_found_exactly() -> None:
    assert ids("Tecentriq infusion (atezolizumab)") == ["atezolizumab"]
    assert ids("atezolizumab-bevacizumab") == ["atezolizumab", "bevacizumab"]


# --- misspellings and near misses ------------------------------------------------------------


def test_misspelled_generic_is_a_non_exact_match_above_the_cutoff() -> None:
    result = recognise_drugs("lenvatanib")
    assert [m.drug_id for m in result.matches] == ["lenvatinib"]
    assert not result.matches[0].exact
    assert 85 <= result.matches[0].score < 100


def test_lenalidomide_misspelling_does_not_become_lenvatinib() -> None:
    result = recognise_drugs("lenalidomid")
    assert result.drug_ids == ["lenalidomide"]
    assert "lenvatinib" not in result.drug_ids


@pytest.mark.parametrize("text", ["gabapentin", "zolpidem", "sertraline", "in", "met", "xyz", "melatonin"])
def test_drugs_outside_the_vocabulary_are_unrecognised_not_guessed(text: str) -> None:
    result = recognise_drugs(text)
    assert result.matches == []
    assert [u.typed for u in result.unrecognised] == [text]


@pytest.mark.parametrize("text", ["extreme fatigue", "bevel", "Brandon"])
def test_short_aliases_inside_ordinary_words_do_not_match(text: str) -> None:
    assert ids(text) == []


def test_very_short_pieces_get_no_fuzzy_suggestions() -> None:
    assert recognise_drugs("in").unrecognised[0].candidates == []


def test_near_miss_below_cutoff_offers_did_you_mean_candidates() -> None:
    result = recognise_drugs("carboplatin")
    assert result.matches == []
    assert "cisplatin" in result.unrecognised[0].candidates


def test_ambiguous_piece_returns_no_match_but_both_candidates() -> None:
    # "dorafenib" is one letter from both sorafenib and donafenib: never pick one.
    result = recognise_drugs("dorafenib")
    assert result.matches == []
    assert len(result.unrecognised) == 1
    assert {"sorafenib", "donafenib"} <= set(result.unrecognised[0].candidates)


@pytest.mark.parametrize("text", ["", "   ", "+", " / , and ; & then ", "8 mg once daily"])
def test_empty_or_separator_only_text_recognises_nothing(text: str) -> None:
    result = recognise_drugs(text)
    assert result.matches == [] and result.unrecognised == []


def test_drug_ids_are_unique_in_typed_order() -> None:
    result = recognise_drugs("Avastin, bevacizumab, Tecentriq")
    assert result.drug_ids == ["bevacizumab", "atezolizumab"]


# --- classes -----------------------------------------------------------------------------------


def test_atezolizumab_is_a_pdl1_checkpoint_inhibitor_not_ctla4() -> None:
    classes = load_drug_vocabulary().classes_of("atezolizumab")
    assert {"pdl1_inhibitor", "pd1_pdl1_inhibitor", "checkpoint_inhibitor"} <= classes
    assert "ctla4_inhibitor" not in classes


def test_checkpoint_class_hierarchy_is_consistent() -> None:
    vocabulary = load_drug_vocabulary()
    for drug_id in vocabulary.drugs:
        classes = vocabulary.classes_of(drug_id)
        if classes & {"pd1_inhibitor", "pdl1_inhibitor"}:
            assert {"checkpoint_inhibitor", "pd1_pdl1_inhibitor"} <= classes, drug_id
        if "ctla4_inhibitor" in classes:
            assert "checkpoint_inhibitor" in classes, drug_id
    assert "ctla4_inhibitor" in vocabulary.classes_of("tremelimumab")
    assert "pd1_inhibitor" in vocabulary.classes_of("nivolumab")
    assert vocabulary.classes_of("ramucirumab") == {"vegf_antibody"}


def test_classes_of_unknown_drug_raises_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_drug"):
        load_drug_vocabulary().classes_of("no_such_drug")


# --- the shipped vocabulary --------------------------------------------------------------------


def test_shipped_vocabulary_loads_with_the_agreed_classes() -> None:
    vocabulary = load_drug_vocabulary()
    assert set(vocabulary.classes) == CLASS_IDS
    for drug in vocabulary.drugs.values():
        assert set(drug.classes) <= set(vocabulary.classes), drug.id
    for required in ["atezolizumab", "bevacizumab", "lenvatinib", "fostroxacitabine_bralpamide", "fluorouracil"]:
        assert required in vocabulary.drugs


def test_default_vocabulary_is_loaded_once() -> None:
    assert load_drug_vocabulary() is load_drug_vocabulary()
    assert load_drug_vocabulary(DRUGS_FILE) is load_drug_vocabulary()


def test_every_name_in_the_shipped_vocabulary_recognises_its_own_drug() -> None:
    vocabulary = load_drug_vocabulary()
    for drug in vocabulary.drugs.values():
        for name in [drug.name, *drug.brands, *drug.aliases]:
            assert vocabulary.recognise(name).drug_ids == [drug.id], name


# --- loading errors ----------------------------------------------------------------------------


def test_duplicate_alias_across_two_drugs_is_a_load_error_naming_both(tmp_path: Path) -> None:
    path = write_vocabulary(tmp_path, [chemo("alphaplatin", "AP-1"), chemo("betaplatin", "ap1")])
    with pytest.raises(ValueError, match="alphaplatin") as error:
        load_drug_vocabulary(path)
    assert "betaplatin" in str(error.value)


def test_regimen_alias_clashing_with_a_drug_is_a_load_error(tmp_path: Path) -> None:
    regimen = {"id": "combo", "name": "combo", "aliases": ["alphaplatin"], "drugs": ["alphaplatin", "betaplatin"]}
    path = write_vocabulary(tmp_path, [chemo("alphaplatin"), chemo("betaplatin")], [regimen])
    with pytest.raises(ValueError, match="combo"):
        load_drug_vocabulary(path)


def test_unknown_class_is_a_load_error_naming_drug_and_class(tmp_path: Path) -> None:
    path = write_vocabulary(tmp_path, [chemo("alphaplatin", classes=("chemotherapy", "magic_bullet"))])
    with pytest.raises(ValueError, match="alphaplatin") as error:
        load_drug_vocabulary(path)
    assert "magic_bullet" in str(error.value)


def test_regimen_of_unknown_drug_is_a_load_error(tmp_path: Path) -> None:
    regimen = {"id": "combo", "name": "combo", "aliases": ["COMBO"], "drugs": ["alphaplatin", "gammaplatin"]}
    path = write_vocabulary(tmp_path, [chemo("alphaplatin")], [regimen])
    with pytest.raises(ValueError, match="gammaplatin"):
        load_drug_vocabulary(path)


def test_invalid_strip_pattern_is_a_load_error(tmp_path: Path) -> None:
    path = write_vocabulary(tmp_path, [chemo("alphaplatin")], strip_patterns=["(unclosed"])
    with pytest.raises(ValueError, match="unclosed"):
        load_drug_vocabulary(path)


def test_unknown_field_in_vocabulary_is_a_load_error(tmp_path: Path) -> None:
    drug = {**chemo("alphaplatin"), "colour": "blue"}
    with pytest.raises(ValueError, match="colour"):
        load_drug_vocabulary(write_vocabulary(tmp_path, [drug]))


def test_a_custom_vocabulary_file_is_used_as_given(tmp_path: Path) -> None:
    vocabulary = load_drug_vocabulary(write_vocabulary(tmp_path, [chemo("alphaplatin", "AP-1")]))
    assert isinstance(vocabulary, DrugVocabulary)
    assert vocabulary.recognise("ap 1").drug_ids == ["alphaplatin"]
    assert vocabulary.recognise("Tecentriq").drug_ids == []


# --- properties --------------------------------------------------------------------------------

_VOCABULARY = load_drug_vocabulary()
_NAMES = sorted({n for d in _VOCABULARY.drugs.values() for n in [d.name, *d.brands, *d.aliases]})
_NOISE = st.sampled_from([" + ", "/", ", ", " and ", " then ", " 8 mg ", " q3w", "(", ")", "-", " ", "\n", "A+T"])


def _check(result: DrugRecognition) -> None:
    assert all(match.drug_id in _VOCABULARY.drugs for match in result.matches)
    assert all(0 <= match.score <= 100 for match in result.matches)
    assert all(candidate in _VOCABULARY.drugs for u in result.unrecognised for candidate in u.candidates)
    assert len(result.drug_ids) == len(set(result.drug_ids))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises_and_only_yields_known_drugs(text: str) -> None:
    _check(recognise_drugs(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NAMES), _NOISE, st.text(max_size=6)), max_size=8).map("".join))
def test_vocabulary_like_text_never_raises_and_only_yields_known_drugs(text: str) -> None:
    _check(recognise_drugs(text))
