"""An interview session driven the way a person types: answers, mistakes, "I don't know",
going back, changing an answer, confirming a drug name, starting over."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
import yaml
from conftest import AS_OF, bundled_matcher

from matcher.derived import CHECKPOINT_COMBINATION
from questionnaires.bank import Mode, load_bank
from questionnaires.session import DONT_KNOW_SHOWN, Session
from questionnaires.treatment import ONGOING, SLOTS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED: dict[str, dict[str, str]] = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
FLEX_HCC = "NCT07493668"

# examples/second_line_after_atezo_bev.yaml, typed the way a nurse reads it off the record.
COMPLETE: dict[str, str] = {
    "treatment_any": "yes",
    "line1_drugs": "Tecentriq + Avastin",
    "line1_started": "2025-10-06",
    "line1_stopped": "2026-09-29",
    "line1_cycles": "15",
    "line1_progressed": "yes",
    "line1_progression_date": "2026-09-22",
    "line2_any": "no",
    "age": "65",
    "sex": "male",
    "weight": "71 kg",
    "vasectomy": "no",
    "willing_contraception": "yes",
    "can_swallow_tablets": "yes",
    "willing_tumour_biopsy": "yes",
    "ecog": "1",
    "karnofsky": "70",
    "advanced_hcc": "yes",
    "curative_treatment_possible": "no",
    "hcc_diagnosis_basis": "imaging, histology",
    "hcc_subtype": "conventional",
    "measurable_disease": "yes",
    "measurable_liver_lesion": "yes",
    "brain_metastases": "no",
    "portal_vein_invasion": "vp2",
    "major_vessel_invasion": "no",
    "progressive_lesion_count": "2",
    "progressive_organ_count": "1",
    "largest_progressive_lesion": "3.2 cm",
    "prior_radiotherapy_to_progressing_site": "no",
    "drug_allergies": "none",
    "current_medications": "Baraclude 0.5 mg, propranolol 40 mg, Aldactone",
    "locoregional_therapy_date": "2024-11-02",
    "locoregional_after_first_line_progression": "no",
    "investigational_drug_date": "never",
    "in_other_interventional_trial": "no",
    "prior_treatment_toxicity_resolved": "yes",
    "first_line_grade3_adverse_event": "no",
    "bilirubin": "1.1 mg/dL, upper limit 1.2",
    "albumin": "3.6 g/dL",
    "inr": "1.1",
    "prothrombin_time": "1.1 x ULN",
    "ascites": "none",
    "hepatic_encephalopathy": "none",
    "hepatic_encephalopathy_date": "never",
    "varices_needing_treatment": "no",
    "variceal_bleeding_date": "never",
    "hemoglobin": "12.1 g/dL",
    "wbc": "5,200/µL",
    "anc": "3,100/µL",
    "platelets": "142,000/µL",
    "creatinine": "0.9 mg/dL, upper limit 1.2",
    "ast": "58 U/L, upper limit 40",
    "alt": "44 U/L, upper limit 40",
    "alp": "180 U/L, upper limit 120",
    "aptt": "1.0 x ULN",
    "urine_protein_dipstick": "negative",
    "urine_protein_24h": "0.2 g/24h",
    "hiv_positive": "no",
    "hbv_infection": "yes",
    "hbv_dna": "35 IU/mL",
    "hbv_antiviral_start_date": "2019-03-01",
    "willing_continue_hbv_antiviral": "yes",
    "hcv_infection": "no",
    "hcv_rna_detectable": "no",
    "active_infection": "no",
    "tuberculosis_history": "no",
    "systolic_bp": "132 mmHg",
    "diastolic_bp": "84 mmHg",
    "qtcf": "428 ms",
    "nyha_class": "none",
    "unstable_angina": "no",
    "myocardial_infarction_date": "never",
    "arrhythmia_uncontrolled": "no",
    "stroke_date": "never",
    "thromboembolism_date": "never",
    "vascular_disease_date": "never",
    "bleeding_or_clotting_disorder": "no",
    "significant_bleeding_date": "never",
    "blood_thinners": "none",
    "gi_high_risk_disorder": "no",
    "gi_perforation_date": "never",
    "major_surgery_date": "never",
    "surgery_planned": "no",
    "recovered_from_surgery": "yes",
    "other_cancer_date": "never",
    "solid_organ_transplant": "no",
    "allogeneic_stem_cell_transplant": "no",
}


def new_session(mode: Mode = "patient") -> Session:
    return Session(bundled_matcher(), mode, load_bank(), as_of=AS_OF)


def reply(session: Session, typed: dict[str, str]) -> None:
    """Answer the current question from ``typed`` ("?" when it is not there), confirming any reading."""
    question = session.question
    assert question is not None
    outcome = session.answer(typed.get(question.linkId, "?"))
    if outcome.confirm:
        outcome = session.answer("yes")
    assert outcome.accepted, f"{question.linkId}: {outcome.message}"


def advance_to(session: Session, link_id: str, typed: dict[str, str] | None = None) -> Session:
    """Answer (from ``typed``, else "I don't know") until ``link_id`` is the question."""
    for _ in range(len(session.bank)):
        question = session.question
        assert question is not None, f"{link_id} was never asked"
        if question.linkId == link_id:
            return session
        reply(session, typed or {})
    raise AssertionError(f"{link_id} was never asked")


def status(session: Session, nct_id: str, check_id: str, section: str = "inclusion") -> str:
    result = next(r for r in session.results() if r.nct_id == nct_id)
    found = [
        o.status
        for group in (result.met, result.failed, result.unknown, result.study_team)
        for o in group
        if o.check == check_id and o.section == section
    ]
    assert len(found) == 1
    return found[0]


@cache
def complete_interview(mode: Mode) -> tuple[Session, tuple[str, ...], tuple[int, ...]]:
    """The complete example typed in: the finished session, the questions asked, the 'left' estimates."""
    session = new_session(mode)
    asked: list[str] = []
    remaining: list[int] = [session.progress()[1]]
    while session.question is not None and len(asked) <= len(session.bank):
        asked.append(session.question.linkId)
        reply(session, COMPLETE)
        remaining.append(session.progress()[1])
    return session, tuple(asked), tuple(remaining)


# --- a whole interview -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["patient", "nurse"])
def test_a_complete_typed_interview_finishes_with_the_documented_verdicts(mode: Mode) -> None:
    session, _, _ = complete_interview(mode)
    assert (session.finished, session.verdicts()) == (True, EXPECTED["second_line_after_atezo_bev.yaml"])


# --- bad answers -------------------------------------------------------------------------------

BAD_ANSWERS = [
    pytest.param("platelets", "lots", ["/µL", "×10⁹/L"], id="text-for-a-number"),
    pytest.param("weight", "500 kg", ["25 to 300", "kg"], id="implausible-weight"),
    pytest.param("hemoglobin", "12 mg/dL", ["g/dL", "g/L", "mmol/L"], id="unknown-unit"),
    pytest.param("age", "", ["I don't know"], id="empty"),
    pytest.param("major_surgery_date", "2027-01-01", ["future", "a date that has passed"], id="future-date"),
    pytest.param("sex", "other", ["1. Female", "2. Male"], id="choice-not-in-the-list"),
    pytest.param("line1_cycles", "many", ["whole number"], id="text-for-cycles"),
]
EARLIER = {"treatment_any": "yes", "age": "65", "sex": "male"}


def bad_answer_session(link_id: str) -> Session:
    """A nurse session with a few answers given, now at ``link_id`` (other questions: "I don't know")."""
    session = new_session("nurse")
    for earlier, raw in EARLIER.items():
        if earlier != link_id:
            session.change(earlier, raw)
    return advance_to(session, link_id)


@pytest.mark.parametrize(("link_id", "raw", "accepted"), BAD_ANSWERS)
def test_a_bad_answer_is_asked_again_with_what_is_accepted_and_earlier_answers_kept(
    link_id: str, raw: str, accepted: list[str]
) -> None:
    session = bad_answer_session(link_id)
    before = dict(session.answers)
    outcome = session.answer(raw)
    missing_words = [word for word in accepted if word not in (outcome.message or "")]
    question = session.question and session.question.linkId
    assert (outcome.accepted, missing_words, question, session.answers) == (False, [], link_id, before)


def test_a_karnofsky_score_that_is_not_one_of_the_options_is_refused() -> None:
    outcome = new_session("nurse").change("karnofsky", "75")
    assert outcome.accepted is False


def test_a_platelet_count_typed_without_its_unit_does_not_rule_a_trial_out() -> None:
    session = new_session("nurse")
    session.change("platelets", "142")
    assert status(session, FLEX_HCC, "9.3") != "failed"


@pytest.mark.parametrize("raw", ["none", "no"])
def test_no_drug_allergies_is_taken_without_a_confirmation(raw: str) -> None:
    outcome = new_session("patient").change("drug_allergies", raw)
    assert (outcome.accepted, outcome.confirm) == (True, None)


# --- "I don't know" ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["?", "don't know", "not sure", "Not sure", "I don't know", "dk", "unknown"])
def test_dont_know_spellings_store_unknown_and_move_on(raw: str) -> None:
    session = new_session("patient")
    session.answer(raw)
    answer = session.answers["treatment_any"]
    assert (answer.value, answer.shown, session.question and session.question.linkId != "treatment_any") == (
        None,
        DONT_KNOW_SHOWN,
        True,
    )


def test_dont_know_with_a_typographic_apostrophe_is_understood() -> None:
    session = new_session("patient")
    assert session.answer("I don’t know").accepted


# --- going back and changing answers -----------------------------------------------------------


def test_back_returns_to_the_previous_question() -> None:
    session = new_session("patient")
    session.answer("yes")
    second = session.question
    session.answer("65")
    assert second is not None and session.back() == second


def test_going_back_keeps_the_answer_until_it_is_changed() -> None:
    session = new_session("patient")
    session.answer("yes")
    session.back()
    assert session.answers["treatment_any"].value is True


def test_answering_again_after_going_back_replaces_the_answer_and_replans() -> None:
    session = new_session("patient")
    session.answer("yes")
    session.answer("65")
    session.back()
    session.back()
    session.answer("no")
    question = session.question
    assert (session.answers["treatment_any"].value, question is not None and question.fact in SLOTS) == (False, False)


def test_changing_platelets_from_70_to_90_turns_flex_hcc_inclusion_9_3_from_failed_to_met() -> None:
    session = new_session("nurse")
    session.change("platelets", "70 x10^9/L")
    before = status(session, FLEX_HCC, "9.3")
    session.change("platelets", "90 x10^9/L")
    assert (before, status(session, FLEX_HCC, "9.3")) == ("failed", "met")


def test_changing_an_answer_changes_the_verdict_at_once() -> None:
    session = new_session("nurse")
    session.change("age", "65")
    before = session.verdicts()[FLEX_HCC]
    session.change("age", "15")
    assert (before, session.verdicts()[FLEX_HCC]) == ("possibly_eligible", "not_eligible")


def pregnancy_answered_then_male() -> Session:
    session = new_session("patient")
    session.change("sex", "female")
    session.change("pregnant", "no")
    session.change("sex", "male")
    return session


def test_an_answer_that_no_longer_applies_is_kept_but_leaves_the_profile() -> None:
    session = pregnancy_answered_then_male()
    pregnant = session.bank["pregnant"]
    assert ("pregnant" in session.answers, session.applies(pregnant), "pregnant" in session.profile.values) == (
        True,
        False,
        False,
    )


def test_a_set_aside_answer_counts_again_when_it_applies_again() -> None:
    session = pregnancy_answered_then_male()
    session.change("sex", "female")
    assert (session.applies(session.bank["pregnant"]), session.profile.values.get("pregnant")) == (True, False)


def test_the_transcript_marks_a_set_aside_answer() -> None:
    session = pregnancy_answered_then_male()
    assert [t.applies for t in session.transcript() if t.link_id == "pregnant"] == [False]


# --- drug names --------------------------------------------------------------------------------


def at_first_regimen() -> Session:
    return advance_to(new_session("patient"), "line1_drugs", {"treatment_any": "yes"})


def test_a_close_drug_spelling_is_confirmed_naming_the_drug() -> None:
    outcome = at_first_regimen().answer("lenvatanib")
    assert (outcome.accepted, "lenvatinib" in (outcome.confirm or "")) == (False, True)


def test_confirming_a_close_spelling_stores_the_drug() -> None:
    session = at_first_regimen()
    session.answer("lenvatanib")
    session.answer("yes")
    assert session.answers["line1_drugs"].value.names == ("lenvatinib",)


def test_declining_a_close_spelling_asks_the_question_again() -> None:
    session = at_first_regimen()
    session.answer("lenvatanib")
    outcome = session.answer("no")
    question = session.question
    assert (outcome.accepted, question and question.linkId, "line1_drugs" in session.answers) == (
        False,
        "line1_drugs",
        False,
    )


def test_an_unrecognised_drug_name_is_confirmed_as_not_recognised() -> None:
    outcome = at_first_regimen().answer("Tecentriq + Avastin + Zorblatinib")
    assert "'Zorblatinib' is not a medicine name I know" in (outcome.confirm or "")


def test_a_confirmed_unrecognised_name_is_kept_as_typed_and_never_guessed() -> None:
    session = at_first_regimen()
    session.answer("Tecentriq + Avastin + Zorblatinib")
    session.answer("yes")
    value = session.answers["line1_drugs"].value
    assert (value.names, value.unrecognised) == (("atezolizumab", "bevacizumab"), ("Zorblatinib",))


def test_an_unrecognised_drug_leaves_flex_hcc_first_line_check_unknown_not_met() -> None:
    statuses = []
    for typed in ("Tecentriq + Avastin", "Tecentriq + Avastin + Zorblatinib"):
        session = at_first_regimen()
        session.answer(typed)
        if session.question and session.question.linkId == "line1_drugs":
            session.answer("yes")
        statuses.append(status(session, FLEX_HCC, "2.1"))
    assert statuses == ["met", "unknown"]


def test_choosing_pd_l1_and_blood_supply_kinds_by_number_gives_a_checkpoint_combination() -> None:
    session = at_first_regimen()
    options = session.bank["line1_drugs"].answerOption
    numbers = [str(i) for i, o in enumerate(options, 1) if "PD-L1 kind" in o.patient or "blood supply" in o.patient]
    session.answer(", ".join(numbers))
    classes = bundled_matcher().values_for(session.profile)["first_line_classes"]
    assert (len(numbers), CHECKPOINT_COMBINATION in classes.items) == (2, True)


def test_still_taking_it_for_a_stop_date_means_the_treatment_is_ongoing() -> None:
    session = new_session("patient")
    session.change("treatment_any", "yes")
    session.change("line1_drugs", "lenvatinib")
    session.change("line1_stopped", "still taking it")
    treatments = session.profile.treatments
    assert (session.answers["line1_stopped"].value, treatments and treatments[0].entry.ongoing) == (ONGOING, True)


def test_about_three_months_ago_is_counted_back_from_the_assessment_date() -> None:
    session = new_session("nurse")
    session.change("major_surgery_date", "about 3 months ago")
    assert session.answers["major_surgery_date"].value.isoformat() == "2026-08-23"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "none in the last 3 months"),
        ("ko", "최근 3개월 동안 없음"),
        ("zh-Hans", "近3个月没有"),
        ("zh-Hant", "近3個月沒有"),
    ],
)
def test_none_in_the_last_3_months_is_a_time_span_in_every_language(locale: str, typed: str) -> None:
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=AS_OF, locale=locale)
    session.change("major_surgery_date", typed)
    value = session.answers["major_surgery_date"].value
    assert (value.before, value.may_be_never) == (dt.date(2026, 8, 22), True)


def test_a_time_span_answer_clears_a_2_month_surgery_exclusion() -> None:
    session = new_session("nurse")
    session.change("major_surgery_date", "none in the last 3 months")
    assert status(session, "NCT07151326", "12.1", "exclusion") == "met"


def test_an_undetectable_viral_load_with_its_limit_is_taken() -> None:
    session = new_session("nurse")
    session.change("hbv_infection", "yes")
    session.change("hbv_dna", "undetectable (<20 IU/mL)")
    assert session.answers["hbv_dna"].value.hi == 20


# --- starting over, transcript, progress -------------------------------------------------------


def test_restart_wipes_every_answer() -> None:
    session = new_session("patient")
    session.answer("yes")
    session.change("sex", "female")
    session.restart()
    question = session.question
    assert (session.answers, session.transcript(), question and question.linkId) == ({}, [], "treatment_any")


def test_the_transcript_lists_the_questions_in_order_with_the_answers_as_shown() -> None:
    session = new_session("patient")
    session.answer("yes")
    second = session.question
    assert second is not None
    session.answer("?")
    expected = [
        ("treatment_any", session.text(session.bank["treatment_any"]), "yes"),
        (second.linkId, session.text(second), DONT_KNOW_SHOWN),
    ]
    assert [(t.link_id, t.question, t.answer) for t in session.transcript()] == expected


def test_progress_counts_the_answers_given() -> None:
    session = new_session("patient")
    session.answer("yes")
    session.answer("?")
    assert session.progress()[0] == 2


@pytest.mark.parametrize("mode", ["patient", "nurse"])
def test_progress_at_the_end_counts_every_answer_and_nothing_left(mode: Mode) -> None:
    session, asked, _ = complete_interview(mode)
    assert session.progress() == (len(asked), 0)


@pytest.mark.parametrize("mode", ["patient", "nurse"])
def test_the_questions_left_estimate_never_goes_up(mode: Mode) -> None:
    _, asked, remaining = complete_interview(mode)
    rises = [asked[i] for i in range(len(asked)) if remaining[i + 1] > remaining[i]]
    assert rises == []


def test_a_treatment_date_in_the_future_is_refused_and_nothing_is_lost() -> None:
    session = new_session("nurse")
    session.change("treatment_any", "yes")
    before = dict(session.answers)
    outcome = session.change("line1_started", "2027-01-01")
    assert (outcome.accepted, "future" in (outcome.message or ""), session.answers) == (False, True, before)


@pytest.mark.parametrize("link_id", ["systolic_bp", "diastolic_bp"])
def test_blood_pressure_typed_as_135_over_85_answers_both_readings(link_id: str) -> None:
    session = new_session("nurse")
    session.change(link_id, "135/85")
    assert (session.answers["systolic_bp"].value, session.answers["diastolic_bp"].value) == (135.0, 85.0)


def test_an_implausible_blood_pressure_pair_is_refused_and_nothing_is_stored() -> None:
    session = new_session("nurse")
    outcome = session.change("systolic_bp", "135/850")
    assert not outcome.accepted and "systolic_bp" not in session.answers and "diastolic_bp" not in session.answers
