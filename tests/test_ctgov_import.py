"""ClinicalTrials.gov import: reading API v2 records, splitting the criteria text, writing trial files.

The NCT07493668 fixture is the seed record (shared/seeds/000_*) converted to JSON; importing it
must reproduce the hand-encoded catalogue entry's identification, status, contacts, sites and
verbatim criteria. The other fixtures are written by hand in the API v2 shape.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from matcher.importing import check_parts, convert_study, import_files
from matcher.profile import read_profile
from matcher.verdicts import Matcher, explain
from trials.criteria_text import fold, split_criteria, unescape
from trials.ctgov import parse_studies, read_study_file
from trials.loader import BUNDLED_CATALOGUE, load_catalogue, load_trial_file
from trials.schema import Check
from trials.yaml_text import load_yaml
from trials.yaml_writer import dump_yaml
from tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
SEED = FIXTURES / "NCT07493668.json"
TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture imported once into one folder."""
    folder = tmp_path_factory.mktemp("imported")
    import_files(sorted(FIXTURES.glob("*.json")), folder, TODAY)
    return folder


# --- the seed record reproduces the hand-encoded entry ---------------------------------------------------


def test_the_seed_fixture_is_the_seed_record_as_json() -> None:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    assert data["protocolSection"]["identificationModule"]["nctId"] == "NCT07493668"
    assert data["hasResults"] is False


def test_importing_the_seed_reproduces_identification_and_status(imported: Path) -> None:
    mine = load_trial_file(imported / "NCT07493668.yaml")
    hand = load_trial_file(BUNDLED_CATALOGUE / "NCT07493668.yaml")
    for field in ("nct_id", "acronym", "brief_title", "official_title", "conditions", "status"):
        assert getattr(mine, field) == getattr(hand, field), field
    assert mine.design.study_type == hand.design.study_type and mine.design.phases == hand.design.phases
    assert mine.design.masking == hand.design.masking and mine.design.description == hand.design.description
    assert mine.enrollment == hand.enrollment and mine.sponsor == hand.sponsor


def test_importing_the_seed_reproduces_contacts_and_sites(imported: Path) -> None:
    mine = load_trial_file(imported / "NCT07493668.yaml")
    hand = load_trial_file(BUNDLED_CATALOGUE / "NCT07493668.yaml")
    assert mine.contacts == hand.contacts
    assert mine.sites == hand.sites
    assert mine.sites[0].geo is not None and mine.sites[0].geo.lat == 37.43861


def test_importing_the_seed_reproduces_the_verbatim_criteria_list(imported: Path) -> None:
    mine = load_trial_file(imported / "NCT07493668.yaml")
    hand = load_trial_file(BUNDLED_CATALOGUE / "NCT07493668.yaml")
    for section in ("inclusion", "exclusion"):
        ours = [(c.number, fold(c.text)) for c in getattr(mine.eligibility, section)]
        theirs = [(c.number, fold(c.text)) for c in getattr(hand.eligibility, section)]
        assert ours == theirs, section
    assert (len(mine.eligibility.inclusion), len(mine.eligibility.exclusion)) == (16, 27)
    assert [fold(c.text) for c in mine.eligibility.registry] == [fold(c.text) for c in hand.eligibility.registry]
    assert mine.eligibility.minimum_age == "19 Years" and mine.eligibility.sex == "ALL"


def test_importing_the_seed_reproduces_arms_and_interventions_with_registry_words_to_review(imported: Path) -> None:
    mine = load_trial_file(imported / "NCT07493668.yaml")
    hand = load_trial_file(BUNDLED_CATALOGUE / "NCT07493668.yaml")
    assert [(a.label, a.type, a.description, a.interventions) for a in mine.arms] == [
        (a.label, a.type, a.description, a.interventions) for a in hand.arms
    ]
    assert [(i.name, i.type, i.description) for i in mine.interventions] == [
        (i.name, i.type, i.description) for i in hand.interventions
    ]
    assert all(a.plain == a.description for a in mine.arms)  # the registry's words, not a placeholder
    text = (imported / "NCT07493668.yaml").read_text(encoding="utf-8")
    plain_lines = [line for line in text.splitlines() if line.lstrip().startswith("plain: ") and "arms" not in line]
    assert sum("# to review" in line for line in plain_lines) == 4  # 2 arms + 2 interventions
    assert "participation: []  # to write" in text


def test_every_check_of_an_import_is_a_draft_or_to_encode_and_drafts_compile(imported: Path) -> None:
    trial = load_trial_file(imported / "NCT07493668.yaml")
    checks = [
        c for s in ("registry", "inclusion", "exclusion") for cr in getattr(trial.eligibility, s) for c in cr.checks
    ]
    assert {c.status for c in checks} == {"draft", "to_encode"}
    assert all(c.rule is not None and c.plain for c in checks if c.status == "draft")
    lab = next(c for c in trial.eligibility.inclusion[8].checks if c.id == "9.2")
    assert lab.text == "Absolute neutrophil count (ANC) ≥1,500/μl" and lab.rule is not None
    assert lab.rule.model_dump(exclude_defaults=True) == {"op": "ge", "fact": "anc", "value": 1500, "unit": "/µL"}


def test_every_imported_file_loads_and_compiles(imported: Path) -> None:
    catalogue = load_catalogue(imported)
    assert catalogue.errors == []
    matcher = Matcher(catalogue)
    assert matcher.errors == [] and len(matcher.trials) == 8


def test_drafts_of_an_imported_trial_are_never_evaluated(imported: Path) -> None:
    """A patient every draft would rule out is not ruled out: drafts are only for the study team to check."""
    matcher = Matcher(load_catalogue(imported))
    compiled = next(c for c in matcher.trials if c.trial.nct_id == "NCT07493668")
    profile = read_profile(
        {
            "as_of": TODAY,
            "facts": {"age": 12, "ecog": 4, "hiv_positive": True, "anc": "200 /µL", "brain_metastases": True},
        }
    )
    result = explain(compiled, matcher.values_for(profile), profile, matcher.vocabulary, matcher.drugs)
    # never "eligible": a criterion not yet reviewed may be one the patient fails
    assert result.failed == [] and result.unknown == [] and result.verdict == "possibly_eligible"
    reasons = [o.reason for o in result.study_team]
    assert any("(draft rule, not yet reviewed)" in r and "Inclusion 5:" in r for r in reasons)
    assert any("(not yet encoded)" in r for r in reasons)


# --- list styles, missing modules, pages, broken files ---------------------------------------------------


def test_bulleted_criteria_with_nesting_escapes_and_bold_headings(imported: Path) -> None:
    trial = load_trial_file(imported / "NCT09000001.yaml")
    inclusion = {c.number: c for c in trial.eligibility.inclusion}
    assert list(inclusion) == ["1", "2", "3", "4"]
    organ = inclusion["2"]
    assert organ.text.startswith("Adequate organ function:\n* Hemoglobin ≥ 9 g/dL\n* Platelets ≥ 75 x 10^9/L")
    assert [c.id for c in organ.checks] == ["2.1", "2.2", "2.3"]  # the lead-in is not a check
    assert "without transfusion" in organ.checks[1].text  # a nested sub-item stays with its parent
    assert inclusion["4"].text == "Body weight >= 40 kg and < 150 kg [measured at screening]"  # escapes shown plain
    assert "This paragraph belongs to the item above." in inclusion["3"].text
    exclusion = {c.number: c for c in trial.eligibility.exclusion}
    assert exclusion["1"].text == "Known brain metastases\n- unless treated and stable"
    assert [c.status for c in exclusion["1"].checks] == ["draft", "to_encode"]
    assert trial.eligibility.registry[0].text == "Minimum age: 18 Years / Maximum age: 80 Years"
    assert trial.contacts[0].phone == "+1-555-0100 ext. 12"
    assert trial.status.start_date == dt.date(2026, 1, 1)
    assert trial.design.masking == "DOUBLE (PARTICIPANT, INVESTIGATOR)"
    assert trial.sponsor.collaborators == ["Example Pharma"]
    assert [s.facility for s in trial.sites] == ["Example Hospital", "Second Site"] and trial.sites[1].geo is None
    assert "the registry gives 2026-01 only" in (imported / "NCT09000001.yaml").read_text(encoding="utf-8")


def test_numbered_criteria_with_parentheses_letters_decimals_and_a_repeated_number(imported: Path) -> None:
    trial = load_trial_file(imported / "NCT09000002.yaml")
    assert [c.number for c in trial.eligibility.inclusion] == ["1", "2", "3", "4", "5", "5b"]
    labs = trial.eligibility.inclusion[2]
    assert labs.text == "Adequate laboratory values:\na. ANC ≥ 1,500/μL\nb. AST and ALT ≤ 3 × ULN"
    assert [c.id for c in labs.checks] == ["3.1", "3.2"]
    assert [c.number for c in trial.eligibility.exclusion] == ["1.1", "1.2", "2"]
    assert trial.eligibility.exclusion[2].text == "QTcF > 470 ms"
    assert trial.eligibility.sex == "FEMALE" and trial.eligibility.registry[1].checks[0].rule is not None
    assert trial.arms[0].interventions == ["Drug X"]


def test_a_record_with_almost_no_modules_still_imports(imported: Path) -> None:
    trial = load_trial_file(imported / "NCT09000003.yaml")
    assert trial.brief_title == trial.official_title == "A Record With Almost Nothing In It"
    assert trial.status.overall == "UNKNOWN" and trial.status.last_update == TODAY
    assert trial.interventions[0].name == "Not named in the registry record"
    assert [c.checks[0].status for c in trial.eligibility.inclusion] == ["to_encode"]
    assert trial.contacts == [] and trial.sites == []
    text = (imported / "NCT09000003.yaml").read_text(encoding="utf-8")
    assert "the record gives no update date" in text and "the record names no intervention" in text


def test_criteria_without_headings_or_markers_are_one_item_a_line(imported: Path) -> None:
    trial = load_trial_file(imported / "NCT09000004.yaml")
    assert [(c.number, c.text) for c in trial.eligibility.inclusion] == [
        ("1", "Age 18 to 75 years"),
        ("2", "Child-Pugh A"),
        ("3", "No prior systemic therapy for HCC"),
    ]
    assert trial.eligibility.exclusion == []


def test_a_search_page_gives_one_file_per_study(imported: Path) -> None:
    first, second = load_trial_file(imported / "NCT09000005.yaml"), load_trial_file(imported / "NCT09000006.yaml")
    assert first.source.note is not None and "study 1 of a search page" in first.source.note
    assert second.status.overall == "COMPLETED"
    assert second.eligibility.inclusion[0].checks[0].rule is not None


def test_a_broken_file_and_a_non_study_are_reported_and_the_rest_still_imports(tmp_path: Path) -> None:
    report = import_files(
        [FIXTURES / "broken.json", FIXTURES / "not_a_study.json", FIXTURES / "search_page.json"], tmp_path, TODAY
    )
    assert [t.nct_id for t in report.trials] == ["NCT09000005", "NCT09000006"]
    assert len(report.errors) == 2
    assert report.errors[0].startswith(f"{FIXTURES / 'broken.json'}: is not valid JSON")
    assert "not_a_study.json: is not a ClinicalTrials.gov study" in report.errors[1]


def test_a_page_with_bad_entries_imports_its_good_study_and_names_the_bad_ones() -> None:
    records, errors = read_study_file(FIXTURES / "page_with_a_bad_entry.json")
    assert [r.study.nct_id for r in records] == ["NCT09000007"]
    assert [e.position for e in errors] == [2, 3]
    assert "nctId: is required but missing" in str(errors[1]) and "study 3" in str(errors[1])


def test_a_python_literal_dump_is_not_json_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text("{'protocolSection': {'identificationModule': {'nctId': 'NCT07493668'}}, 'hasResults': False}")
    records, errors = parse_studies(path.read_text(), path)
    assert records == [] and "Python literal" in errors[0].message


def test_a_list_of_studies_is_read_too(tmp_path: Path) -> None:
    page = json.loads((FIXTURES / "search_page.json").read_text(encoding="utf-8"))
    records, errors = parse_studies(json.dumps(page["studies"]), tmp_path / "list.json")
    assert [r.position for r in records] == [1, 2] and errors == []


def test_an_expanded_access_record_is_not_imported(tmp_path: Path) -> None:
    study = {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09000009", "briefTitle": "Expanded access"},
            "designModule": {"studyType": "EXPANDED_ACCESS"},
        }
    }
    path = tmp_path / "ea.json"
    path.write_text(json.dumps(study))
    report = import_files([path], tmp_path / "out", TODAY)
    assert report.trials == [] and "EXPANDED_ACCESS" in report.errors[0]


# --- the command --------------------------------------------------------------------------------------------


def test_the_import_command_writes_files_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--no-cache", "import", str(SEED), str(FIXTURES / "search_page.json"), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == [
        "NCT07493668.yaml",
        "NCT09000005.yaml",
        "NCT09000006.yaml",
    ]
    assert "NCT07493668: created" in out and "drafts" in out and "3 studies imported." in out


def test_the_import_command_exits_2_when_a_file_fails_but_imports_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--no-cache", "import", str(FIXTURES / "broken.json"), str(SEED), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 2 and (tmp_path / "NCT07493668.yaml").exists()
    assert "broken.json: is not valid JSON" in out


def test_check_counts_reviewed_rules_drafts_to_encode_and_study_team(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--no-cache", "--catalogue", str(imported), "check", "--json"])
    rows = {r["nct_id"]: r for r in json.loads(capsys.readouterr().out)["trials"]}
    seed = rows["NCT07493668"]
    assert seed["rules"] == 0 and seed["study_team"] == 0 and seed["drafts"] > 30 and seed["to_encode"] > 20
    assert seed["rules"] + seed["drafts"] + seed["to_encode"] + seed["study_team"] == seed["checks"]


def test_check_text_names_the_four_kinds_of_check(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "check"])
    out = capsys.readouterr().out
    assert (
        "NCT07493668: 43 criteria (16 inclusion, 27 exclusion, +1 registry), 78 checks: 64 reviewed rules, 0 drafts, 0 to encode, 14 judged by the study team"
        in out
    )


# --- splitting criteria text --------------------------------------------------------------------------------


def test_no_criteria_text_gives_no_items() -> None:
    assert split_criteria(None).inclusion == [] and split_criteria("").exclusion == []


@pytest.mark.parametrize(
    "heading",
    ["Inclusion Criteria:", "INCLUSION CRITERIA", "Key Inclusion Criteria:", "**Inclusion Criteria:**", "Inclusion:"],
)
def test_inclusion_headings_in_their_usual_spellings(heading: str) -> None:
    text = f"{heading}\n\n1. Age ≥ 18\n\nExclusion Criteria:\n\n1. HIV"
    split = split_criteria(text)
    assert [c.text for c in split.inclusion] == ["Age ≥ 18"] and [c.text for c in split.exclusion] == ["HIV"]


def test_a_heading_with_text_after_its_colon_keeps_the_text() -> None:
    split = split_criteria("Inclusion Criteria: adults with HCC\nExclusion Criteria: none known")
    assert [c.text for c in split.inclusion] == ["adults with HCC"]
    assert [c.text for c in split.exclusion] == ["none known"]


def test_a_sentence_starting_with_inclusion_is_not_a_heading() -> None:
    split = split_criteria("1. Inclusion criteria include adults\n2. Age ≥ 18")
    assert [c.number for c in split.inclusion] == ["1", "2"]


def test_text_before_the_first_numbered_item_is_kept_as_an_intro() -> None:
    split = split_criteria("Inclusion Criteria:\nPatients must meet all of these.\n1. Age ≥ 18")
    assert [(c.number, c.text) for c in split.inclusion] == [
        ("intro", "Patients must meet all of these."),
        ("1", "Age ≥ 18"),
    ]


def test_check_ids_follow_the_items_number() -> None:
    item = split_criteria("1. Adequate function, without transfusion\n   * Hb ≥ 9 g/dL\n   * ANC ≥ 1500/µL").inclusion[
        0
    ]
    assert check_parts(item) == [
        ("1.0", "Adequate function, without transfusion"),
        ("1.1", "Hb ≥ 9 g/dL"),
        ("1.2", "ANC ≥ 1500/µL"),
    ]


def test_markdown_escapes_are_shown_as_their_characters() -> None:
    assert unescape(r"\<60 kg, \>= 2, \[e.g.\], a\_b, 5\*3") == "<60 kg, >= 2, [e.g.], a_b, 5*3"
    assert unescape(r"C:\path") == r"C:\path"  # a backslash before a letter is not an escape


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters + " ≥≤<>*-.,:0123456789\\\n", max_size=40), max_size=8))
def test_splitting_never_loses_words(lines: list[str]) -> None:
    text = "\n".join(lines)
    split = split_criteria(text)
    # a letter that marks an item ("A. ...") is kept as the item's number, not in its text
    kept = " ".join(f"{c.number} {c.text}" for c in [*split.inclusion, *split.exclusion])
    for word in unescape(text).split():
        if word.strip("*-.)(:\\").isalpha() and word.lower() not in {"inclusion", "exclusion", "criteria", "criterion"}:
            assert word.strip("*-.)(:\\") in kept


# --- writing YAML ------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_written_reads_back_the_same(text: str) -> None:
    data = {"plain": text, "rule": {"op": "eq", "fact": "x", "value": text}, "items": [text, text]}
    assert load_yaml(dump_yaml(data)) == data


@pytest.mark.parametrize(
    "text", ["19 Years", "2026-03", "82-31-780-3928", "yes", "null", "1e3", "0x1F", "- x", "a: b", "a #b", ":x", "~"]
)
def test_texts_yaml_would_read_as_something_else_are_quoted(text: str) -> None:
    assert load_yaml(dump_yaml({"v": text}))["v"] == text


def test_dates_numbers_and_comments_are_written_as_yaml() -> None:
    data = {"day": dt.date(2026, 3, 25), "n": 9.0, "k": 1500, "ok": True, "none": None, "tiny": 1e-05}
    text = dump_yaml(data, header=["a header"], comments={("n",): "a comment"})
    assert text.startswith("# a header\n") and "n: 9.0  # a comment" in text
    assert load_yaml(text) == data


# --- the schema change -------------------------------------------------------------------------------------


def test_a_check_is_reviewed_unless_it_says_otherwise() -> None:
    check = Check.model_validate({"id": "1", "text": "t", "study_team": "x"})
    assert check.status == "reviewed"


def test_a_to_encode_check_has_neither_rule_nor_study_team() -> None:
    assert Check.model_validate({"id": "1", "text": "t", "status": "to_encode"}).rule is None
    with pytest.raises(ValidationError, match="neither"):
        Check.model_validate({"id": "1", "text": "t", "status": "to_encode", "study_team": "x"})


def test_a_draft_check_needs_a_proposal() -> None:
    with pytest.raises(ValidationError, match="exactly one of"):
        Check.model_validate({"id": "1", "text": "t", "status": "draft"})
    with pytest.raises(ValidationError, match="plain"):
        Check.model_validate({"id": "1", "text": "t", "status": "draft", "rule": {"op": "eq", "fact": "x", "value": 1}})
    draft = Check.model_validate({"id": "1", "text": "t", "status": "draft", "study_team": "x"})
    assert draft.status == "draft"


def test_convert_study_validates_as_a_trial() -> None:
    from matcher.drafting import default_drafter
    from trials.schema import Trial

    records, _ = read_study_file(SEED)
    converted = convert_study(records[0], default_drafter(), TODAY)
    trial = Trial.model_validate(converted.data)
    assert trial.nct_id == "NCT07493668" and converted.notes == []
