"""The interaction table (matcher/data/interactions.yaml) and the facts it derives from current medicines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import check_status

from matcher.derived import derive_all
from matcher.drugs import load_drug_vocabulary
from matcher.facts import load_vocabulary
from matcher.interactions import MEDICATIONS, category_state, load_interactions, medication_facts
from matcher.profile import read_profile
from matcher.values import Members

TABLE = load_interactions()
VOCABULARY = load_vocabulary()
DRUGS = load_drug_vocabulary()
CATEGORIES = {c.id: c for c in TABLE.categories}


def derived(facts: dict[str, Any]) -> dict[str, Any]:
    return derive_all(read_profile({"as_of": "2026-11-22", "facts": facts}))


# --- the table itself ---------------------------------------------------------------------------------


def test_every_entry_names_a_known_drug() -> None:
    assert TABLE.problems(DRUGS) == []


def test_every_entry_names_a_listed_public_source_and_a_date_taken() -> None:
    for category in TABLE.categories:
        for entry in category.drugs:
            assert entry.source in TABLE.sources, (category.id, entry.drug)
            assert dt.date(2026, 1, 1) <= entry.taken <= dt.date(2026, 12, 31), (category.id, entry.drug)


def test_the_sources_are_the_fda_table_crediblemeds_and_the_who_atc_index() -> None:
    titles = " ".join(source.title for source in TABLE.sources.values())
    assert all(
        name in titles for name in ("FDA", "Table of Substrates, Inhibitors and Inducers", "CredibleMeds", "ATC")
    )


def test_the_table_covers_every_kind_of_interaction_the_trials_exclude() -> None:
    assert set(CATEGORIES) == {
        "strong_cyp3a4_inhibitor",
        "strong_cyp3a4_inducer",
        "cyp3a4_nti_substrate",
        "strong_pgp_or_bcrp_inhibitor",
        "torsades_known_risk",
        "vitamin_k_antagonist",
        "anticoagulant",
        "antiplatelet",
        "thrombolytic",
        "systemic_corticosteroid",
        "immunosuppressant",
    }


def test_every_category_gives_a_yes_no_fact_derived_from_the_current_medicines() -> None:
    for category in TABLE.categories:
        fact = VOCABULARY[category.fact]
        assert fact.type == "boolean" and fact.derived is not None, category.id
        assert MEDICATIONS in fact.derived.from_, category.id


def test_an_uncertain_entry_says_why() -> None:
    uncertain = [e for c in TABLE.categories for e in c.drugs if not e.certain]
    assert uncertain and all(e.why for e in uncertain)


# --- one category, one list of medicines -------------------------------------------------------------


def members(*drug_ids: str, unrecognised: int = 0) -> Members:
    return Members(
        items=frozenset(drug_ids),
        complete=unrecognised == 0,
        unnamed=tuple(frozenset() for _ in range(unrecognised)),
    )


@pytest.mark.parametrize(
    ("medicines", "expected"),
    [
        pytest.param(members("clarithromycin", "entecavir"), True, id="a-listed-medicine-is-taken"),
        pytest.param(members("entecavir", "propranolol"), False, id="every-medicine-recognised-none-listed"),
        pytest.param(members(), False, id="no-medicines"),
        pytest.param(members("entecavir", unrecognised=1), None, id="an-unrecognised-name-leaves-it-unknown"),
        pytest.param(members("clarithromycin", unrecognised=1), True, id="a-listed-one-decides-despite-an-unknown"),
    ],
)
def test_a_strong_cyp3a4_inhibitor_is_true_false_or_unknown(medicines: Members, expected: bool | None) -> None:
    assert category_state(CATEGORIES["strong_cyp3a4_inhibitor"], medicines) is expected


def test_a_p_gp_inhibitor_the_fda_does_not_grade_as_strong_is_left_to_the_study_team() -> None:
    assert category_state(CATEGORIES["strong_pgp_or_bcrp_inhibitor"], members("verapamil")) is None


def test_the_blood_thinner_answer_settles_the_anticoagulant_facts_too() -> None:
    facts = medication_facts(None, Members(items=frozenset({"warfarin_low_dose"})))
    assert (facts["takes_vitamin_k_antagonist"], facts["takes_anticoagulant"], facts["takes_antiplatelet"]) == (
        True,
        True,
        False,
    )


def test_a_yes_from_either_answer_wins() -> None:
    facts = medication_facts(members("entecavir"), Members(items=frozenset({"doac"})))
    assert facts["takes_anticoagulant"] is True


# --- from a profile --------------------------------------------------------------------------------------


def test_brands_local_names_and_close_misspellings_are_read_as_for_treatments() -> None:
    values = derived({"current_medications": ["Biaxin", "와파린", "clopidogrell", "Lasix 40 mg"]})
    assert values[MEDICATIONS].items == {"clarithromycin", "warfarin", "clopidogrel", "furosemide"}


def test_current_medicines_give_the_interaction_facts() -> None:
    values = derived({"current_medications": "Biaxin, Eliquis, entecavir"})
    assert {
        k: values.get(k) for k in ("takes_strong_cyp3a4_inhibitor", "takes_anticoagulant", "takes_antiplatelet")
    } == {
        "takes_strong_cyp3a4_inhibitor": True,
        "takes_anticoagulant": True,
        "takes_antiplatelet": False,
    }


def test_none_answers_every_interaction_fact_with_no() -> None:
    values = derived({"current_medications": "none"})
    assert all(values[c.fact] is False for c in TABLE.categories)


def test_an_unrecognised_medicine_is_listed_and_leaves_the_facts_unknown() -> None:
    profile = read_profile({"facts": {"current_medications": ["entecavir", "Zorbanex"]}})
    values = derive_all(profile)
    assert ("takes_strong_cyp3a4_inhibitor" not in values, any("Zorbanex" in note for note in profile.notes)) == (
        True,
        True,
    )


def test_systemic_steroids_are_read_from_the_current_medicines() -> None:
    assert (
        derived({"current_medications": "prednisolone"})["systemic_steroids"],
        derived({"current_medications": "entecavir"})["systemic_steroids"],
    ) == (True, False)


def test_a_systemic_steroid_answer_given_directly_wins() -> None:
    assert derived({"current_medications": "prednisolone", "systemic_steroids": False})["systemic_steroids"] is False


def test_a_narrow_index_cyp3a4_substrate_is_never_a_no_only_a_question_for_the_study_team() -> None:
    taking = derived({"current_medications": "tacrolimus"})
    not_taking = derived({"current_medications": "entecavir"})
    assert ("cyp3a4_nti_substrate_at_first_dose" in taking, not_taking["cyp3a4_nti_substrate_at_first_dose"]) == (
        False,
        False,
    )


# --- the re-encoded criteria ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nct", "section", "check", "facts", "expected"),
    [
        # NCT07493668 Exclusion 19: narrow-index CYP3A4 substrates, to be stopped 5 half-lives before the first dose
        ("NCT07493668", "exclusion", "19", {"current_medications": "entecavir"}, "met"),
        ("NCT07493668", "exclusion", "19", {"current_medications": "Prograf"}, "unknown"),
        ("NCT07493668", "exclusion", "19", {}, "unknown"),
        # NCT07493668 Exclusion 20: strong P-gp or BCRP inhibitors
        ("NCT07493668", "exclusion", "20", {"current_medications": "none"}, "met"),
        ("NCT07493668", "exclusion", "20", {"current_medications": "verapamil"}, "unknown"),
        ("NCT07493668", "exclusion", "20", {"current_medications": ["entecavir", "Zorbanex"]}, "unknown"),
        # NCT07493668 Exclusion 15.2: anticoagulants needing INR monitoring
        ("NCT07493668", "exclusion", "15.2", {"current_medications": "Coumadin"}, "failed"),
        ("NCT07493668", "exclusion", "15.2", {"blood_thinners": ["warfarin_low_dose"]}, "failed"),
        ("NCT07493668", "exclusion", "15.2", {"current_medications": "Xarelto"}, "met"),
        ("NCT07493668", "exclusion", "15.2", {}, "unknown"),
        # NCT06762782 Exclusion 11.2: thrombolytic, anticoagulant or antiplatelet therapy, any dose
        ("NCT06762782", "exclusion", "11.2", {"current_medications": "aspirin 100 mg"}, "failed"),
        ("NCT06762782", "exclusion", "11.2", {"current_medications": "entecavir, propranolol"}, "met"),
        ("NCT06762782", "exclusion", "11.2", {"current_medications": "entecavir, Zorbanex"}, "unknown"),
        # NCT07151326 Exclusion 10: anticoagulation at therapeutic doses (the dose from the blood-thinner answer)
        ("NCT07151326", "exclusion", "10", {"current_medications": "aspirin"}, "met"),
        ("NCT07151326", "exclusion", "10", {"current_medications": "Eliquis"}, "unknown"),
        ("NCT07151326", "exclusion", "10", {"current_medications": "Eliquis", "blood_thinners": ["doac"]}, "failed"),
        (
            "NCT07151326",
            "exclusion",
            "10",
            {"current_medications": "Clexane", "blood_thinners": ["heparin_preventive"]},
            "met",
        ),
        # NCT05831969 Exclusion 5.3: systemic steroids or immunosuppressants
        ("NCT05831969", "exclusion", "5.3", {"current_medications": "prednisone"}, "failed"),
        ("NCT05831969", "exclusion", "5.3", {"current_medications": "entecavir"}, "met"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_interaction_criteria_are_met_failed_or_unknown_from_the_current_medicines(
    nct: str, section: str, check: str, facts: dict[str, Any], expected: str
) -> None:
    assert check_status(nct, check, facts, section=section) == expected
