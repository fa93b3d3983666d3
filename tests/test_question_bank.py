"""The question bank (questionnaires/data/questions.yaml): one question per askable fact and per
treatment-history slot, worded for patients and nurses, with options and conditions that fit the
fact vocabulary."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matcher.drugs import load_drug_vocabulary
from matcher.facts import load_vocabulary
from questionnaires.bank import Question, load_bank
from questionnaires.treatment import ONGOING, SLOTS
from trials.loader import BUNDLED_CATALOGUE, trial_files
from trials.yaml_text import load_yaml

# The facts the catalogue's rules read that a person can answer. Derived facts (Child-Pugh,
# creatinine clearance, the treatment-history facts) are not asked: they come from these answers.
ASKED_FACTS = set(
    """
    active_infection advanced_hcc afp_persistently_abnormal age albumin allogeneic_stem_cell_transplant alp alt
    anc aptt arrhythmia_uncontrolled ascites ast autoimmune_disease bilirubin bleeding_or_clotting_disorder
    blood_thinners brain_metastases brain_metastases_bleeding brain_metastases_treated_stable breastfeeding
    can_swallow_tablets childbearing_potential coronary_bypass_date creatinine curative_treatment_date
    curative_treatment_possible diastolic_bp drug_allergies ecog edmondson_grade first_line_grade3_adverse_event
    extrahepatic_local_therapy_date gi_bleeding_date gi_high_risk_disorder gi_perforation_date hbv_antiviral_start_date hbv_dna hbv_infection
    hcc_diagnosis_basis hcc_subtype hcv_infection hcv_rna_detectable hcv_treatment_end_date hemoglobin
    hepatic_encephalopathy hepatic_encephalopathy_date hiv_positive immunodeficiency in_other_interventional_trial
    inr investigational_drug_date karnofsky largest_progressive_lesion liver_treatment_before_operation
    live_vaccine_date
    locoregional_after_first_line_progression locoregional_therapy_date long_term_steroids_needed
    major_surgery_date major_vessel_invasion measurable_disease mental_illness microvascular_invasion
    myocardial_infarction_date nyha_class operation_spread operation_tumour_thrombus other_cancer_date other_cancer_minor other_cancer_minor_kinds
    pacemaker_needed partner_uses_contraception platelets pneumonitis_history portal_vein_invasion postmenopausal
    pregnant prior_radiotherapy_to_progressing_site prior_toxicity_nonsignificant_or_stable
    prior_treatment_toxicity_resolved progressive_lesion_count progressive_organ_count prothrombin_time qtcf
    recovered_from_surgery recurrence_after_surgery resection_margin_negative resection_margin_positive sex significant_bleeding_date
    solid_organ_transplant stroke_date substance_abuse_date substance_use_disorder surgery_for_recurrence
    surgery_planned systemic_steroids systolic_bp thromboembolism_date transfusion_recent tuberculosis_history
    tumour_count tumour_diameter tumour_markers_normalised tumour_markers_raised_before_surgery tumour_rupture
    unstable_angina urine_protein_24h urine_protein_dipstick variceal_bleeding_date variceal_bleeding_treated
    varices_needing_treatment vascular_disease_date vasectomy wbc weight willing_contraception
    willing_no_breastfeeding
    ascites_treated measurable_liver_lesion other_cancer_adjuvant_only other_cancer_diagnosis_date
    other_cancer_localized_cured qtcf_mean_of_three sexually_active willing_tumour_biopsy
    current_medications progressing_organs progressing_lesions_radiotherapy_suitable
    willing_continue_hbv_antiviral
    """.split()
)
# Asked to derive facts the rules read (current medicines -> the interaction facts; organs -> their count).
ASKED_AS_INPUTS = {"current_medications", "progressing_organs"}

# The kinds of medicine a person may choose for a regimen instead of naming the drugs.
REGIMEN_CLASSES = {
    "pd1_inhibitor",
    "pdl1_inhibitor",
    "ctla4_inhibitor",
    "vegf_antibody",
    "tyrosine_kinase_inhibitor",
    "chemotherapy",
    "immunomodulatory_drug",
    "investigational",
}

# When a question applies: (question, target, operator, answer).
EXPECTED_CONDITIONS = {
    ("line1_drugs", "treatment_any", "=", True),
    ("line1_started", "treatment_any", "=", True),
    ("line1_cycles", "treatment_any", "=", True),
    ("line1_stopped", "treatment_any", "=", True),
    ("line1_progressed", "treatment_any", "=", True),
    ("line1_progression_date", "line1_progressed", "=", True),
    ("line2_any", "treatment_any", "=", True),
    ("line2_drugs", "line2_any", "=", True),
    ("line2_stopped", "line2_any", "=", True),
    ("line3_any", "line2_any", "=", True),
    ("line3_drugs", "line3_any", "=", True),
    ("line3_stopped", "line3_any", "=", True),
    ("line4_any", "line3_any", "=", True),
    ("pregnant", "sex", "=", "female"),
    ("willing_continue_hbv_antiviral", "hbv_infection", "=", True),
    ("breastfeeding", "sex", "=", "female"),
    ("childbearing_potential", "sex", "=", "female"),
    ("postmenopausal", "sex", "=", "female"),
    ("willing_no_breastfeeding", "sex", "=", "female"),
    ("vasectomy", "sex", "=", "male"),
    ("resection_margin_positive", "resection_margin_negative", "=", False),
    ("liver_treatment_before_operation", "locoregional_therapy_date", "!=", "never"),
    ("partner_uses_contraception", "sex", "=", "male"),
    ("hbv_dna", "hbv_infection", "=", True),
    ("hbv_antiviral_start_date", "hbv_infection", "=", True),
    ("hcv_rna_detectable", "hcv_infection", "=", True),
    ("hcv_treatment_end_date", "hcv_infection", "=", True),
    ("brain_metastases_treated_stable", "brain_metastases", "=", True),
    ("brain_metastases_bleeding", "brain_metastases", "=", True),
    ("other_cancer_minor", "other_cancer_date", "!=", "never"),
    ("other_cancer_minor_kinds", "other_cancer_date", "!=", "never"),
    ("other_cancer_diagnosis_date", "other_cancer_date", "!=", "never"),
    ("other_cancer_adjuvant_only", "other_cancer_date", "!=", "never"),
    ("other_cancer_localized_cured", "other_cancer_date", "!=", "never"),
    ("ascites_treated", "ascites", "!=", "none"),
    ("qtcf_mean_of_three", "qtcf", "exists", True),
    ("variceal_bleeding_treated", "variceal_bleeding_date", "!=", "never"),
    ("tumour_markers_normalised", "tumour_markers_raised_before_surgery", "=", True),
}

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
FORBIDDEN_PATIENT_WORDS = ("ECOG", "Child-Pugh", "ULN", "NYHA")
MAX_WORDS_PER_SENTENCE = 20
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z0-9µ][\w'’/+.-]*")

BANK = load_bank()
VOCABULARY = load_vocabulary()


def fact_questions() -> list[Question]:
    return [q for q in BANK if q.fact not in SLOTS]


def ids(questions: list[Question]) -> list[str]:
    return [q.linkId for q in questions]


def grade_number(code: str) -> int | None:
    """The grade a code stands for ('ii' = 2, 'vp3' = 3, '2+' = 2), or None."""
    match = re.fullmatch(r"(?:vp)?(\d)\+?", code)
    return int(match.group(1)) if match else ROMAN.get(code)


def words_per_sentence(text: str) -> float:
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s)]
    return sum(len(_WORD.findall(s)) for s in sentences) / len(sentences)


def _rule_facts(node: Any) -> set[str]:
    """Every fact a rule reads (``fact`` and ``until``), anywhere in a trial file."""
    found: set[str] = set()
    if isinstance(node, dict):
        if "op" in node:
            found.update(str(node[k]) for k in ("fact", "until") if k in node)
        for value in node.values():
            found |= _rule_facts(value)
    elif isinstance(node, list):
        for value in node:
            found |= _rule_facts(value)
    return found


# --- coverage -----------------------------------------------------------------------------------


def test_the_bank_loads_with_one_question_per_fact_and_slot() -> None:
    assert len(BANK) == len(ASKED_FACTS) + len(SLOTS)
    assert set(BANK.by_fact) == ASKED_FACTS | set(SLOTS)
    for question in BANK:
        assert question.linkId == question.fact


def test_every_asked_fact_is_in_the_vocabulary() -> None:
    assert ASKED_FACTS <= set(VOCABULARY.facts)
    assert not ASKED_FACTS & set(SLOTS)


def test_every_answerable_fact_the_catalogue_reads_is_asked() -> None:
    used: set[str] = set()
    for path in trial_files(BUNDLED_CATALOGUE):
        used |= _rule_facts(load_yaml(path.read_text(encoding="utf-8")))
    assert used <= set(VOCABULARY.facts)
    answerable = {f for f in used if VOCABULARY[f].derived is None}
    assert answerable <= ASKED_FACTS, sorted(answerable - ASKED_FACTS)
    # age and karnofsky can be derived (from date of birth, from ECOG) but are asked too
    assert ASKED_FACTS - ASKED_AS_INPUTS <= used, sorted(ASKED_FACTS - ASKED_AS_INPUTS - used)


def test_derived_facts_asked_directly_too_are_the_expected_ones() -> None:
    derived = {f.id for f in VOCABULARY if f.derived is not None}
    # a chart may state them without their inputs (a KPS without ECOG, a count without the organs)
    assert derived & set(BANK.by_fact) == {"age", "karnofsky", "progressive_organ_count", "systemic_steroids"}


# --- wording ------------------------------------------------------------------------------------


def test_every_question_has_text_and_help_in_both_modes() -> None:
    for question in BANK:
        for mode in ("patient", "nurse"):
            wording = question.wording(mode)
            assert wording.text.strip(), (question.linkId, mode)
            assert wording.help.strip(), (question.linkId, mode)
        assert question.patient.help != question.patient.text, question.linkId


def test_patient_and_nurse_wording_differ_for_measurements() -> None:
    for question in fact_questions():
        if VOCABULARY[question.fact].type == "number":
            assert question.patient.text != question.nurse.text, question.linkId
            assert question.patient.help != question.nurse.help, question.linkId


def test_patient_texts_are_short_sentences() -> None:
    long = [
        (q.linkId, part)
        for q in BANK
        for part, text in (("text", q.patient.text), ("help", q.patient.help))
        if words_per_sentence(text) > MAX_WORDS_PER_SENTENCE
    ]
    assert long == []


@pytest.mark.parametrize("word", FORBIDDEN_PATIENT_WORDS)
def test_patient_texts_and_options_avoid_clinical_scores(word: str) -> None:
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
    for question in BANK:
        assert not pattern.search(question.patient.text), question.linkId
        for option in question.answerOption:
            assert not pattern.search(option.patient), (question.linkId, option.code)


def test_lab_help_says_how_to_type_the_result() -> None:
    for question in fact_questions():
        fact = VOCABULARY[question.fact]
        if fact.type != "number" or fact.group not in ("labs", "liver"):
            continue
        help_text = question.patient.help
        assert "unit" in help_text and "don't know" in help_text, question.linkId
        if fact.uln:
            assert "upper limit" in help_text and "ULN" in help_text, question.linkId


def test_event_questions_ask_when_and_accept_never() -> None:
    events = [q for q in fact_questions() if VOCABULARY[q.fact].type == "event"]
    assert [q.linkId for q in events if not q.patient.text.startswith("When ")] == []
    assert [q.linkId for q in events if "'never'" not in q.patient.help or " ago'" not in q.patient.help] == []
    assert [q.linkId for q in events if "never" not in q.nurse.help] == []


def test_option_labels_are_distinct_in_each_mode() -> None:
    for question in BANK:
        for mode in ("patient", "nurse"):
            labels = [question.option_label(o.code, mode).lower() for o in question.answerOption]
            assert len(labels) == len(set(labels)), (question.linkId, mode)
            assert all(label.strip() for label in labels), (question.linkId, mode)


# --- answer options -----------------------------------------------------------------------------


def test_choice_and_set_options_are_exactly_the_fact_choices() -> None:
    for question in fact_questions():
        fact = VOCABULARY[question.fact]
        if fact.type in ("choice", "set"):
            assert sorted(o.code for o in question.answerOption) == sorted(fact.choices), question.linkId


def test_a_graded_option_sits_at_its_grade_number() -> None:
    """An option may be chosen by its number in the list: typing 2 must pick grade 2 (NYHA II, Vp2, 2+)."""
    for question in BANK:
        codes = [o.code for o in question.answerOption]
        if all(c.isdigit() for c in codes):
            continue  # numeric codes (ECOG, Karnofsky) are chosen by value, not by position
        for position, code in enumerate(codes, 1):
            grade = grade_number(code)
            assert grade is None or grade == position, (question.linkId, code, position)


def test_performance_status_options_are_the_scale_points() -> None:
    assert [o.code for o in BANK["ecog"].answerOption] == ["0", "1", "2", "3", "4"]
    assert [o.code for o in BANK["karnofsky"].answerOption] == [str(n) for n in range(100, 0, -10)]
    for link_id in ("ecog", "karnofsky"):
        low, high = VOCABULARY[link_id].range or (0, 0)
        assert all(low <= int(o.code) <= high for o in BANK[link_id].answerOption)


def test_other_facts_have_no_options() -> None:
    for question in fact_questions():
        fact = VOCABULARY[question.fact]
        if fact.type not in ("choice", "set") and question.fact not in ("ecog", "karnofsky"):
            assert not question.answerOption, question.linkId


def test_slot_options() -> None:
    classes = set(load_drug_vocabulary().classes)
    for question in BANK:
        slot = SLOTS.get(question.fact)
        if slot is None:
            continue
        codes = [o.code for o in question.answerOption]
        if slot.type == "regimen":
            assert REGIMEN_CLASSES <= set(codes) <= classes, question.linkId
        elif slot.type == "stop":
            assert codes == [ONGOING], question.linkId
        else:
            assert codes == [], question.linkId


def test_slot_wording_as_people_remember_it() -> None:
    assert BANK["treatment_any"].patient.text.startswith("Have you had any cancer medicines for your liver cancer")
    assert "FIRST" in BANK["line1_drugs"].patient.text
    assert BANK["line1_stopped"].option_label(ONGOING, "patient") == "I am still taking it"
    assert BANK["line1_stopped"].option_label(ONGOING, "nurse") == "Ongoing"
    assert BANK["line4_any"].patient.text == "Did you have any more after that?"


# --- when questions apply -----------------------------------------------------------------------


def test_conditions_are_the_expected_ones() -> None:
    found = {(q.linkId, c.question, c.operator, c.answer) for q in BANK for c in q.enableWhen}
    assert found == EXPECTED_CONDITIONS


def test_conditions_name_an_earlier_question_and_an_answer_it_can_have() -> None:
    for question in BANK:
        for condition in question.enableWhen:
            assert condition.question in BANK.questions, question.linkId
            assert BANK.position(condition.question) < BANK.position(question.linkId), question.linkId
            target = BANK[condition.question]
            slot = SLOTS.get(target.fact)
            kind = slot.type if slot is not None else VOCABULARY[target.fact].type
            if condition.operator == "exists":
                assert isinstance(condition.answer, bool), question.linkId
            elif kind == "boolean":
                assert isinstance(condition.answer, bool), question.linkId
            elif kind == "choice":
                assert condition.answer in VOCABULARY[target.fact].choices, question.linkId
            elif kind == "event":
                assert condition.answer == "never", question.linkId
            else:
                pytest.fail(f"{question.linkId}: condition on a {kind} question")
