"""NCT06762782 (adjuvant lenvatinib after curative surgery, Nanjing): every threshold at its edges,
the surgery window, the risk-factor composite, each exclusion, the weight-based doses and
three whole profiles. The assessment date is 2026-11-22 (see conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import check_status, result_for

NCT = "NCT06762782"

# A profile that meets every rule-based check: a man of 60, 6 weeks after a resection with
# microvascular invasion, normal labs, nothing that excludes.
ELIGIBLE: dict[str, Any] = {
    "age": 60,
    "sex": "male",
    "weight": 70,
    "willing_contraception": True,
    "curative_treatment_date": "2026-10-11",
    "resection_margin_negative": True,
    "operation_tumour_thrombus": False,
    "portal_vein_invasion": "none",
    "major_vessel_invasion": False,
    "operation_spread": False,
    "recurrence_after_surgery": False,
    "tumour_markers_normalised": True,
    "afp_persistently_abnormal": False,
    "hcc_diagnosis_basis": ["histology"],
    "hcc_subtype": "conventional",
    "hbv_infection": True,
    "hbv_dna": "500 IU/mL",
    "willing_continue_hbv_antiviral": True,
    "tumour_diameter": "4 cm",
    "tumour_count": 1,
    "microvascular_invasion": True,
    "edmondson_grade": "ii",
    "other_cancer_date": "never",
    "locoregional_therapy_date": "never",
    "ecog": 0,
    "transfusion_recent": False,
    "hemoglobin": "130 g/L",
    "anc": "3.0 x10^9/L",
    "platelets": "180 x10^9/L",
    "albumin": "40 g/L",
    "bilirubin": {"xuln": 0.8},
    "ast": {"xuln": 1.2},
    "alt": {"xuln": 1.5},
    "creatinine": {"xuln": 0.9},
    "inr": 1.1,
    "aptt": {"xuln": 1.0},
    "tumour_rupture": False,
    "surgery_for_recurrence": False,
    "immunodeficiency": False,
    "hiv_positive": False,
    "allogeneic_stem_cell_transplant": False,
    "solid_organ_transplant": False,
    "blood_thinners": "none",
    "significant_bleeding_date": "never",
    "variceal_bleeding_date": "never",
    "gi_bleeding_date": "never",
    "myocardial_infarction_date": "never",
    "unstable_angina": False,
    "coronary_bypass_date": "never",
    "nyha_class": "none",
    "arrhythmia_uncontrolled": False,
    "pacemaker_needed": False,
    "systolic_bp": "125 mmHg",
    "diastolic_bp": "80 mmHg",
    "drug_allergies": [],
    "stroke_date": "never",
    "thromboembolism_date": "never",
    "gi_perforation_date": "never",
    "recovered_from_surgery": True,
    "substance_abuse_date": "never",
    "in_other_interventional_trial": False,
}
NO_TREATMENTS: list[Any] = []

# None of the five high-recurrence-risk factors of inclusion 7.
NO_RISK_FACTOR: dict[str, Any] = {
    "tumour_diameter": "3 cm",
    "tumour_count": 1,
    "microvascular_invasion": False,
    "edmondson_grade": "ii",
    "afp_persistently_abnormal": False,
}


def inclusion(check: str, facts: dict[str, Any], treatments: Any = None) -> str:
    return check_status(NCT, check, facts, treatments, section="inclusion")


def exclusion(check: str, facts: dict[str, Any], treatments: Any = None) -> str:
    return check_status(NCT, check, facts, treatments, section="exclusion")


# --- age (registry limits and inclusion 1) ----------------------------------------------------

AGE_EDGES = [
    pytest.param(19, "met", id="19-just-above-minimum"),
    pytest.param(18, "met", id="18-exactly-minimum"),
    pytest.param(17, "failed", id="17-below-minimum"),
    pytest.param(79, "met", id="79-just-below-maximum"),
    pytest.param(80, "met", id="80-exactly-maximum"),
    pytest.param(81, "failed", id="81-above-maximum"),
]


@pytest.mark.parametrize(("age", "expected"), AGE_EDGES)
def test_age_18_to_80_decides_registry_age_limit(age: int, expected: str) -> None:
    assert check_status(NCT, "age", {"age": age}, section="registry") == expected


@pytest.mark.parametrize(("age", "expected"), AGE_EDGES)
def test_age_18_to_80_decides_inclusion_1(age: int, expected: str) -> None:
    assert inclusion("1", {"age": age}) == expected


def test_age_from_date_of_birth_80th_birthday_today_meets_inclusion_1() -> None:
    assert inclusion("1", {"date_of_birth": "1946-11-22"}) == "met"


# --- inclusion 2.1: surgery 4 to 8 weeks ago --------------------------------------------------


@pytest.mark.parametrize(
    ("surgery", "expected"),
    [
        pytest.param("2026-10-26", "met from 2026-11-23 until 2026-12-21", id="27-days-opens-tomorrow"),
        pytest.param("2026-10-25", "met until 2026-12-20", id="exactly-4-weeks"),
        pytest.param("2026-10-24", "met until 2026-12-19", id="29-days"),
        pytest.param("2026-09-28", "met until 2026-11-23", id="55-days"),
        pytest.param("2026-09-27", "met until 2026-11-22", id="exactly-8-weeks"),
        pytest.param("2026-09-26", "failed", id="57-days-too-late"),
    ],
)
def test_surgery_window_4_to_8_weeks_decides_inclusion_2_1(surgery: str, expected: str) -> None:
    assert inclusion("2.1", {"curative_treatment_date": surgery}) == expected


def test_no_curative_surgery_ever_fails_inclusion_2_1() -> None:
    assert inclusion("2.1", {"curative_treatment_date": "never"}) == "failed"


def test_unknown_surgery_date_leaves_inclusion_2_1_unknown() -> None:
    assert inclusion("2.1", {}) == "unknown"


# --- inclusion yes/no facts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "fact", "value", "expected"),
    [
        pytest.param("2.4", "resection_margin_negative", True, "met", id="2.4-clear-margin"),
        pytest.param("2.4", "resection_margin_negative", False, "failed", id="2.4-positive-margin"),
        pytest.param("2.6", "recurrence_after_surgery", False, "met", id="2.6-no-lesion-after-surgery"),
        pytest.param("2.6", "recurrence_after_surgery", True, "failed", id="2.6-lesion-after-surgery"),
        pytest.param("2.7", "tumour_markers_normalised", True, "met", id="2.7-markers-normal"),
        pytest.param("2.7", "tumour_markers_raised_before_surgery", False, "met", id="2.7-no-marker-raised"),
        pytest.param("2.8", "afp_persistently_abnormal", False, "met", id="2.8-afp-normal"),
        pytest.param("2.8", "afp_persistently_abnormal", True, "failed", id="2.8-afp-still-high"),
        pytest.param("3.2", "resection_margin_negative", True, "met", id="3.2-all-removed"),
        pytest.param("3.2", "resection_margin_negative", False, "failed", id="3.2-not-all-removed"),
        pytest.param("4", "recurrence_after_surgery", False, "met", id="4-no-recurrence"),
        pytest.param("4", "recurrence_after_surgery", True, "failed", id="4-recurrence"),
        pytest.param("10.0a", "transfusion_recent", False, "met", id="10.0a-no-transfusion"),
        pytest.param("10.0a", "transfusion_recent", True, "failed", id="10.0a-recent-transfusion"),
    ],
)
def test_yes_no_inclusion_checks_follow_the_answer(check: str, fact: str, value: bool, expected: str) -> None:
    assert inclusion(check, {fact: value}) == expected


def test_raised_markers_still_high_after_surgery_fail_inclusion_2_7() -> None:
    facts = {"tumour_markers_raised_before_surgery": True, "tumour_markers_normalised": False}
    assert inclusion("2.7", facts) == "failed"


def test_markers_not_normalised_without_knowing_they_were_raised_leave_inclusion_2_7_unknown() -> None:
    assert inclusion("2.7", {"tumour_markers_normalised": False}) == "unknown"


@pytest.mark.parametrize("check", ["2.4", "2.6", "2.7", "2.8", "3.1", "3.2", "4", "10.0a"])
def test_inclusion_check_without_its_fact_is_unknown(check: str) -> None:
    assert inclusion(check, {}) == "unknown"


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        pytest.param(["histology"], "met", id="pathology"),
        pytest.param(["imaging", "histology"], "met", id="imaging-and-pathology"),
        pytest.param(["imaging"], "failed", id="imaging-only"),
    ],
)
def test_pathology_confirmed_hcc_decides_inclusion_3_1(basis: list[str], expected: str) -> None:
    assert inclusion("3.1", {"hcc_diagnosis_basis": basis}) == expected


# --- inclusion 6.1: HBV DNA < 10^4 copies/mL (2000 IU/mL) ---------------------------------------


@pytest.mark.parametrize(
    ("dna", "expected"),
    [
        pytest.param("9999 copies/mL", "met", id="9999-copies-just-below"),
        pytest.param("10000 copies/mL", "failed", id="10000-copies-exactly"),
        pytest.param("10001 copies/mL", "failed", id="10001-copies-above"),
    ],
)
def test_hbv_dna_below_10_4_copies_per_ml_decides_inclusion_6_1(dna: str, expected: str) -> None:
    assert inclusion("6.1", {"hbv_infection": True, "hbv_dna": dna}) == expected


@pytest.mark.parametrize(
    ("dna", "expected"),
    [
        pytest.param("1999 IU/mL", "met", id="1999-iu-just-below"),
        pytest.param("2000 IU/mL", "failed", id="2000-iu-equals-10-4-copies"),
    ],
)
def test_hbv_dna_in_iu_per_ml_is_compared_as_2000_iu_per_ml_for_inclusion_6_1(dna: str, expected: str) -> None:
    assert inclusion("6.1", {"hbv_infection": True, "hbv_dna": dna}) == expected


def test_no_hepatitis_b_meets_inclusion_6_1_without_a_viral_load() -> None:
    assert inclusion("6.1", {"hbv_infection": False}) == "met"


def test_hepatitis_b_with_unknown_viral_load_leaves_inclusion_6_1_unknown() -> None:
    assert inclusion("6.1", {"hbv_infection": True}) == "unknown"


# --- inclusion 7: at least one high-recurrence-risk factor ---------------------------------------


def test_no_risk_factor_fails_inclusion_7() -> None:
    assert inclusion("7", NO_RISK_FACTOR) == "failed"


@pytest.mark.parametrize(
    ("fact", "value"),
    [
        pytest.param("tumour_diameter", "6 cm", id="diameter-over-5cm"),
        pytest.param("tumour_count", 4, id="more-than-3-lesions"),
        pytest.param("microvascular_invasion", True, id="mvi-positive"),
        pytest.param("edmondson_grade", "iii", id="edmondson-iii"),
        pytest.param("afp_persistently_abnormal", True, id="afp-persistently-abnormal"),
    ],
)
def test_any_single_risk_factor_meets_inclusion_7(fact: str, value: Any) -> None:
    assert inclusion("7", {**NO_RISK_FACTOR, fact: value}) == "met"


@pytest.mark.parametrize(
    ("diameter", "expected"),
    [
        pytest.param("5.1 cm", "met", id="5.1cm-just-over"),
        pytest.param("5 cm", "failed", id="5cm-exactly"),
        pytest.param("4.9 cm", "failed", id="4.9cm-below"),
        pytest.param("51 mm", "met", id="51mm-unit-variant"),
    ],
)
def test_tumour_diameter_over_5_cm_decides_inclusion_7(diameter: str, expected: str) -> None:
    assert inclusion("7", {**NO_RISK_FACTOR, "tumour_diameter": diameter}) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        pytest.param(4, "met", id="4-lesions"),
        pytest.param(3, "failed", id="3-lesions-exactly"),
        pytest.param(2, "failed", id="2-lesions"),
    ],
)
def test_more_than_3_lesions_decides_inclusion_7(count: int, expected: str) -> None:
    assert inclusion("7", {**NO_RISK_FACTOR, "tumour_count": count}) == expected


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        pytest.param("iv", "met", id="grade-iv"),
        pytest.param("iii", "met", id="grade-iii-exactly"),
        pytest.param("ii", "failed", id="grade-ii"),
    ],
)
def test_edmondson_grade_iii_iv_decides_inclusion_7(grade: str, expected: str) -> None:
    assert inclusion("7", {**NO_RISK_FACTOR, "edmondson_grade": grade}) == expected


def test_one_unknown_risk_factor_and_four_absent_leaves_inclusion_7_unknown() -> None:
    facts = {k: v for k, v in NO_RISK_FACTOR.items() if k != "microvascular_invasion"}
    assert inclusion("7", facts) == "unknown"


def test_one_known_risk_factor_meets_inclusion_7_even_with_the_others_unknown() -> None:
    assert inclusion("7", {"microvascular_invasion": True}) == "met"


# --- inclusion 8: no other tumour, no anticancer treatment before surgery ------------------------


def test_other_tumour_history_of_inclusion_8_1_is_left_to_the_study_team_as_it_conflicts_with_exclusion_4() -> None:
    assert inclusion("8.1", {"other_cancer_date": "2010-03-01"}) == "study_team"


SURGERY = {"curative_treatment_date": "2026-10-11"}


def test_no_prior_treatment_meets_inclusion_8_2() -> None:
    assert inclusion("8.2", {**SURGERY, "locoregional_therapy_date": "never"}, NO_TREATMENTS) == "met"


def test_prior_systemic_therapy_fails_inclusion_8_2() -> None:
    facts = {**SURGERY, "locoregional_therapy_date": "never"}
    assert (
        inclusion("8.2", facts, [{"drugs": "sorafenib", "started": "2026-05-01", "stopped": "2026-08-01"}]) == "failed"
    )


def test_tace_before_surgery_fails_inclusion_8_2() -> None:
    assert inclusion("8.2", {**SURGERY, "locoregional_therapy_date": "2026-08-01"}, NO_TREATMENTS) == "failed"


@pytest.mark.parametrize(
    ("last_liver_treatment", "before_operation", "expected"),
    [
        pytest.param("2026-10-11", False, "met", id="curative-ablation-on-the-day-nothing-before"),
        pytest.param("2026-10-11", True, "failed", id="curative-ablation-on-the-day-tace-before"),
        pytest.param("2026-11-10", False, "met", id="adjuvant-tace-after-nothing-before"),
        pytest.param("2026-11-10", True, "failed", id="adjuvant-tace-after-tace-before"),
        pytest.param("2026-11-10", None, "unknown", id="adjuvant-tace-after-earlier-not-known"),
    ],
)
def test_liver_treatment_on_or_after_the_operation_asks_about_one_before_for_inclusion_8_2(
    last_liver_treatment: str, before_operation: bool | None, expected: str
) -> None:
    facts: dict[str, Any] = {**SURGERY, "locoregional_therapy_date": last_liver_treatment}
    if before_operation is not None:
        facts["liver_treatment_before_operation"] = before_operation
    assert inclusion("8.2", facts, NO_TREATMENTS) == expected


def test_unknown_treatment_history_leaves_inclusion_8_2_unknown() -> None:
    assert inclusion("8.2", {**SURGERY, "locoregional_therapy_date": "never"}) == "unknown"


# --- inclusion 9: ECOG 0-1 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ecog", "expected"),
    [
        pytest.param(0, "met", id="ecog-0"),
        pytest.param(1, "met", id="ecog-1-exactly"),
        pytest.param(2, "failed", id="ecog-2"),
    ],
)
def test_ecog_0_or_1_decides_inclusion_9(ecog: int, expected: str) -> None:
    assert inclusion("9", {"ecog": ecog}) == expected


# --- inclusion 10: labs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "facts", "expected"),
    [
        # 10.1 haemoglobin ≥ 90 g/L
        pytest.param("10.1", {"hemoglobin": "91 g/L"}, "met", id="10.1-hb-91-g-per-l"),
        pytest.param("10.1", {"hemoglobin": "90 g/L"}, "met", id="10.1-hb-exactly-90-g-per-l"),
        pytest.param("10.1", {"hemoglobin": "89 g/L"}, "failed", id="10.1-hb-89-g-per-l"),
        # 10.2 ANC ≥ 1.5 ×10^9/L
        pytest.param("10.2", {"anc": "1.6 x10^9/L"}, "met", id="10.2-anc-1.6"),
        pytest.param("10.2", {"anc": "1.5 x10^9/L"}, "met", id="10.2-anc-exactly-1.5"),
        pytest.param("10.2", {"anc": "1.4 x10^9/L"}, "failed", id="10.2-anc-1.4"),
        # 10.3 platelets ≥ 75 ×10^9/L
        pytest.param("10.3", {"platelets": "76 x10^9/L"}, "met", id="10.3-plt-76"),
        pytest.param("10.3", {"platelets": "75 x10^9/L"}, "met", id="10.3-plt-exactly-75"),
        pytest.param("10.3", {"platelets": "74 x10^9/L"}, "failed", id="10.3-plt-74"),
        # 10.4 albumin ≥ 28 g/L
        pytest.param("10.4", {"albumin": "29 g/L"}, "met", id="10.4-alb-29-g-per-l"),
        pytest.param("10.4", {"albumin": "28 g/L"}, "met", id="10.4-alb-exactly-28-g-per-l"),
        pytest.param("10.4", {"albumin": "27 g/L"}, "failed", id="10.4-alb-27-g-per-l"),
        # 10.5 bilirubin ≤ 1.5 ×ULN
        pytest.param("10.5", {"bilirubin": {"xuln": 1.4}}, "met", id="10.5-bili-1.4-uln"),
        pytest.param("10.5", {"bilirubin": {"xuln": 1.5}}, "met", id="10.5-bili-exactly-1.5-uln"),
        pytest.param("10.5", {"bilirubin": {"xuln": 1.6}}, "failed", id="10.5-bili-1.6-uln"),
        # 10.6 AST and ALT ≤ 3 ×ULN
        pytest.param("10.6", {"ast": {"xuln": 2.9}, "alt": {"xuln": 1}}, "met", id="10.6-ast-2.9-uln"),
        pytest.param("10.6", {"ast": {"xuln": 3.0}, "alt": {"xuln": 1}}, "met", id="10.6-ast-exactly-3-uln"),
        pytest.param("10.6", {"ast": {"xuln": 3.1}, "alt": {"xuln": 1}}, "failed", id="10.6-ast-3.1-uln"),
        pytest.param("10.6", {"ast": {"xuln": 1}, "alt": {"xuln": 2.9}}, "met", id="10.6-alt-2.9-uln"),
        pytest.param("10.6", {"ast": {"xuln": 1}, "alt": {"xuln": 3.0}}, "met", id="10.6-alt-exactly-3-uln"),
        pytest.param("10.6", {"ast": {"xuln": 1}, "alt": {"xuln": 3.1}}, "failed", id="10.6-alt-3.1-uln"),
        # 10.7 creatinine ≤ 1.5 ×ULN
        pytest.param("10.7", {"creatinine": {"xuln": 1.4}}, "met", id="10.7-creat-1.4-uln"),
        pytest.param("10.7", {"creatinine": {"xuln": 1.5}}, "met", id="10.7-creat-exactly-1.5-uln"),
        pytest.param("10.7", {"creatinine": {"xuln": 1.6}}, "failed", id="10.7-creat-1.6-uln"),
        # 10.8 INR ≤ 1.5 (prothrombin time above its limit, so the INR decides)
        pytest.param("10.8", {"inr": 1.4, "prothrombin_time": {"xuln": 1.6}}, "met", id="10.8-inr-1.4"),
        pytest.param("10.8", {"inr": 1.5, "prothrombin_time": {"xuln": 1.6}}, "met", id="10.8-inr-exactly-1.5"),
        pytest.param("10.8", {"inr": 1.6, "prothrombin_time": {"xuln": 1.6}}, "failed", id="10.8-inr-1.6"),
        # 10.8 PT ≤ 1.5 ×ULN (INR above its limit, so the PT decides)
        pytest.param("10.8", {"inr": 1.6, "prothrombin_time": {"xuln": 1.4}}, "met", id="10.8-pt-1.4-uln"),
        pytest.param("10.8", {"inr": 1.6, "prothrombin_time": {"xuln": 1.5}}, "met", id="10.8-pt-exactly-1.5-uln"),
        pytest.param("10.8", {"inr": 1.6, "prothrombin_time": {"xuln": 1.6}}, "failed", id="10.8-pt-1.6-uln"),
        # 10.9 APTT ≤ 1.5 ×ULN
        pytest.param("10.9", {"aptt": {"xuln": 1.4}}, "met", id="10.9-aptt-1.4-uln"),
        pytest.param("10.9", {"aptt": {"xuln": 1.5}}, "met", id="10.9-aptt-exactly-1.5-uln"),
        pytest.param("10.9", {"aptt": {"xuln": 1.6}}, "failed", id="10.9-aptt-1.6-uln"),
    ],
)
def test_lab_thresholds_of_inclusion_10_at_their_edges(check: str, facts: dict[str, Any], expected: str) -> None:
    assert inclusion(check, facts) == expected


@pytest.mark.parametrize(
    ("check", "facts"),
    [
        pytest.param("10.1", {"hemoglobin": "9.0 g/dL"}, id="10.1-hb-9.0-g-per-dl-equals-90-g-per-l"),
        pytest.param("10.2", {"anc": "1500/µL"}, id="10.2-anc-1500-per-ul"),
        pytest.param("10.3", {"platelets": "75,000/µL"}, id="10.3-plt-75000-per-ul"),
        pytest.param("10.4", {"albumin": "2.8 g/dL"}, id="10.4-alb-2.8-g-per-dl-equals-28-g-per-l"),
        pytest.param("10.5", {"bilirubin": {"value": 30, "unit": "µmol/L", "uln": 20}}, id="10.5-bili-30-umol-uln-20"),
        pytest.param(
            "10.6",
            {"ast": {"value": 120, "unit": "U/L", "uln": 40}, "alt": {"value": 2, "unit": "µkat/L", "uln": 0.7}},
            id="10.6-ast-120-uln-40-alt-in-ukat",
        ),
        pytest.param(
            "10.7", {"creatinine": {"value": 132.6, "unit": "µmol/L", "uln": 88.4}}, id="10.7-creat-132.6-umol-uln-88.4"
        ),
        pytest.param(
            "10.8", {"inr": 1.6, "prothrombin_time": {"value": 18, "unit": "s", "uln": 12}}, id="10.8-pt-18-s-uln-12"
        ),
        pytest.param("10.9", {"aptt": {"value": 60, "unit": "sec", "uln": 40}}, id="10.9-aptt-60-sec-uln-40"),
    ],
)
def test_lab_given_in_another_unit_exactly_at_the_limit_meets_inclusion_10(check: str, facts: dict[str, Any]) -> None:
    assert inclusion(check, facts) == "met"


def test_alt_just_over_3_uln_in_ukat_per_l_fails_inclusion_10_6() -> None:
    facts = {"ast": {"xuln": 1}, "alt": {"value": 2.2, "unit": "µkat/L", "uln": 0.7}}
    assert inclusion("10.6", facts) == "failed"


def test_inr_or_pt_with_only_a_high_inr_known_leaves_inclusion_10_8_unknown() -> None:
    assert inclusion("10.8", {"inr": 1.6}) == "unknown"


# --- inclusion 11: contraception ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "facts", "expected"),
    [
        pytest.param(
            "11.1",
            {"sex": "female", "childbearing_potential": True, "willing_contraception": True},
            "met",
            id="11.1-woman-willing",
        ),
        pytest.param(
            "11.1",
            {"sex": "female", "childbearing_potential": True, "postmenopausal": False, "willing_contraception": False},
            "failed",
            id="11.1-woman-unwilling",
        ),
        pytest.param(
            "11.1",
            {"sex": "female", "postmenopausal": True, "childbearing_potential": False, "willing_contraception": False},
            "met",
            id="11.1-postmenopausal-woman",
        ),
        pytest.param(
            "11.1",
            {"sex": "female", "childbearing_potential": True, "willing_contraception": False},
            "failed",
            id="11.1-could-conceive-unwilling-menopause-not-asked",
        ),
        pytest.param("11.1", {"sex": "female", "childbearing_potential": True}, "unknown", id="11.1-woman-not-asked"),
        pytest.param("11.1", {"sex": "male", "willing_contraception": False}, "met", id="11.1-does-not-apply-to-men"),
        pytest.param("11.2", {"sex": "male", "willing_contraception": True}, "met", id="11.2-man-willing"),
        pytest.param(
            "11.2",
            {"sex": "male", "willing_contraception": False, "vasectomy": False},
            "failed",
            id="11.2-man-unwilling",
        ),
        pytest.param(
            "11.2", {"sex": "male", "willing_contraception": False, "vasectomy": True}, "met", id="11.2-man-vasectomy"
        ),
        pytest.param(
            "11.2", {"sex": "female", "willing_contraception": False}, "met", id="11.2-does-not-apply-to-women"
        ),
    ],
)
def test_reliable_contraception_for_people_who_could_conceive_decides_inclusion_11(
    check: str, facts: dict[str, Any], expected: str
) -> None:
    assert inclusion(check, facts) == expected


# --- exclusions: excluding / not excluding / unknown ---------------------------------------------


@pytest.mark.parametrize(
    ("check", "excluding", "not_excluding"),
    [
        pytest.param(
            "1", {"hcc_subtype": "combined_hcc_cholangiocarcinoma"}, {"hcc_subtype": "conventional"}, id="1-hcc-icc"
        ),
        pytest.param(
            "2.1",
            {"resection_margin_negative": False, "resection_margin_positive": True},
            {"resection_margin_negative": True},
            id="2.1-positive-margin",
        ),
        pytest.param("2.2", {"tumour_rupture": True}, {"tumour_rupture": False}, id="2.2-rupture"),
        pytest.param("3", {"surgery_for_recurrence": True}, {"surgery_for_recurrence": False}, id="3-reoperation"),
        pytest.param(
            "4",
            {"other_cancer_date": "2024-01-10", "other_cancer_minor": False},
            {"other_cancer_date": "never"},
            id="4-other-cancer",
        ),
        pytest.param(
            "5", {"immunodeficiency": True}, {"immunodeficiency": False, "hiv_positive": False}, id="5-immunodeficiency"
        ),
        pytest.param("5", {"hiv_positive": True}, {"immunodeficiency": False, "hiv_positive": False}, id="5-hiv"),
        pytest.param(
            "6",
            {"solid_organ_transplant": True},
            {"solid_organ_transplant": False, "allogeneic_stem_cell_transplant": False},
            id="6-transplant",
        ),
        pytest.param(
            "8.1", {"sex": "female", "pregnant": True}, {"sex": "female", "pregnant": False}, id="8.1-pregnant"
        ),
        pytest.param(
            "8.2",
            {"sex": "female", "breastfeeding": True},
            {"sex": "female", "breastfeeding": False},
            id="8.2-breastfeeding",
        ),
        pytest.param(
            "9", {"prior_drug_classes": ["tyrosine_kinase_inhibitor"]}, {"prior_drug_classes": "none"}, id="9-prior-tki"
        ),
        pytest.param("11.2", {"blood_thinners": ["doac"]}, {"blood_thinners": "none"}, id="11.2-anticoagulant"),
        pytest.param(
            "12.1",
            {
                "significant_bleeding_date": "2026-11-01",
                "gi_bleeding_date": "2026-11-01",
                "variceal_bleeding_date": "never",
            },
            {"gi_bleeding_date": "never", "variceal_bleeding_date": "never"},
            id="12.1-gi-bleeding",
        ),
        pytest.param(
            "13.1",
            {"myocardial_infarction_date": "2026-09-01"},
            {"myocardial_infarction_date": "never"},
            id="13.1-heart-attack",
        ),
        pytest.param("13.2", {"unstable_angina": True}, {"unstable_angina": False}, id="13.2-unstable-angina"),
        pytest.param(
            "13.3", {"coronary_bypass_date": "2026-09-01"}, {"coronary_bypass_date": "never"}, id="13.3-bypass"
        ),
        pytest.param("13.4", {"nyha_class": "iv"}, {"nyha_class": "none"}, id="13.4-heart-failure"),
        pytest.param(
            "13.5",
            {"pacemaker_needed": True},
            {"arrhythmia_uncontrolled": False, "pacemaker_needed": False},
            id="13.5-arrhythmia",
        ),
        pytest.param(
            "13.6",
            {"systolic_bp": "160 mmHg", "diastolic_bp": "85 mmHg"},
            {"systolic_bp": "120 mmHg", "diastolic_bp": "75 mmHg"},
            id="13.6-hypertension",
        ),
        pytest.param("14.1", {"drug_allergies": ["oxaliplatin"]}, {"drug_allergies": []}, id="14.1-chemo-allergy"),
        pytest.param(
            "15.1",
            {"thromboembolism_date": "2026-08-01", "stroke_date": "never"},
            {"thromboembolism_date": "never", "stroke_date": "never"},
            id="15.1-thrombosis",
        ),
        pytest.param(
            "16", {"gi_perforation_date": "2026-08-01"}, {"gi_perforation_date": "never"}, id="16-perforation"
        ),
        pytest.param("17", {"recovered_from_surgery": False}, {"recovered_from_surgery": True}, id="17-not-recovered"),
        pytest.param(
            "18", {"substance_abuse_date": "2026-08-01"}, {"substance_abuse_date": "never"}, id="18-substance-abuse"
        ),
        pytest.param(
            "20", {"in_other_interventional_trial": True}, {"in_other_interventional_trial": False}, id="20-other-trial"
        ),
    ],
)
class TestEachRuleExclusion:
    def test_present_excludes(self, check: str, excluding: dict[str, Any], not_excluding: dict[str, Any]) -> None:
        assert exclusion(check, excluding) == "failed"

    def test_absent_does_not_exclude(
        self, check: str, excluding: dict[str, Any], not_excluding: dict[str, Any]
    ) -> None:
        assert exclusion(check, not_excluding) == "met"

    def test_unknown_stays_unknown(self, check: str, excluding: dict[str, Any], not_excluding: dict[str, Any]) -> None:
        assert exclusion(check, {}) == "unknown"


@pytest.mark.parametrize(
    ("drugs", "expected"),
    [
        pytest.param("lenvatinib", "failed", id="lenvatinib"),
        pytest.param("Nexavar", "failed", id="sorafenib-by-brand"),
        pytest.param("nivolumab", "failed", id="anti-pd-1"),
        pytest.param("atezolizumab", "failed", id="anti-pd-l1"),
        pytest.param("ipilimumab", "failed", id="anti-ctla-4"),
        pytest.param("oxaliplatin", "met", id="chemotherapy-is-not-named-here"),
    ],
)
def test_prior_targeted_or_checkpoint_drug_in_history_decides_exclusion_9(drugs: str, expected: str) -> None:
    assert exclusion("9", {}, [{"drugs": drugs}]) == expected


def test_no_treatment_history_does_not_exclude_under_exclusion_9() -> None:
    assert exclusion("9", {}, NO_TREATMENTS) == "met"


def test_low_dose_aspirin_excludes_under_exclusion_11_2() -> None:
    assert exclusion("11.2", {"blood_thinners": ["aspirin_low_dose"]}) == "failed"


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        pytest.param(["non_melanoma_skin"], "met", id="skin-cancer-is-an-exception"),
        pytest.param(["superficial_bladder"], "met", id="superficial-bladder-is-an-exception"),
        pytest.param(["cervical_in_situ", "other_in_situ"], "met", id="in-situ-cancers-are-exceptions"),
        pytest.param(["low_risk_prostate"], "failed", id="low-risk-prostate-is-not-named-so-excludes"),
        pytest.param(None, "unknown", id="minor-cancer-of-unknown-kind-stays-unknown"),
    ],
)
def test_only_the_minor_cancers_named_do_not_exclude_under_exclusion_4(kinds: list[str] | None, expected: str) -> None:
    facts: dict[str, Any] = {"other_cancer_date": "2024-01-10", "other_cancer_minor": True}
    if kinds is not None:
        facts["other_cancer_minor_kinds"] = kinds
    assert exclusion("4", facts) == expected


def test_pregnancy_exclusion_does_not_apply_to_men() -> None:
    assert exclusion("8.1", {"sex": "male"}) == "met"


def test_recent_variceal_bleeding_excludes_under_exclusion_12_1() -> None:
    facts = {"significant_bleeding_date": "never", "variceal_bleeding_date": "2026-11-10"}
    assert exclusion("12.1", facts) == "failed"


# --- exclusion time windows at their edges ------------------------------------------------------


@pytest.mark.parametrize(
    ("other_cancer", "expected"),
    [
        pytest.param("2021-11-23", "failed", id="just-under-5-years"),
        pytest.param("2021-11-22", "failed", id="exactly-5-years"),
        pytest.param("2021-11-21", "met", id="just-over-5-years"),
    ],
)
def test_other_cancer_within_5_years_decides_exclusion_4(other_cancer: str, expected: str) -> None:
    assert exclusion("4", {"other_cancer_date": other_cancer, "other_cancer_minor": False}) == expected


@pytest.mark.parametrize(
    ("bleeding", "expected"),
    [
        pytest.param("2026-10-26", "failed", id="27-days-ago"),
        pytest.param("2026-10-25", "failed", id="exactly-4-weeks-ago"),
        pytest.param("2026-10-24", "met", id="29-days-ago"),
    ],
)
def test_gi_bleeding_within_4_weeks_decides_exclusion_12_1(bleeding: str, expected: str) -> None:
    facts = {"significant_bleeding_date": bleeding, "gi_bleeding_date": bleeding, "variceal_bleeding_date": "never"}
    assert exclusion("12.1", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            {"significant_bleeding_date": "2026-11-10", "gi_bleeding_date": "never"},
            "met",
            id="blood-in-urine-or-coughed-up-is-not-gut-bleeding",
        ),
        pytest.param(
            {"significant_bleeding_date": "2026-11-10", "gi_bleeding_date": "2026-08-01"},
            "met",
            id="recent-bleed-elsewhere-old-gut-bleed",
        ),
        pytest.param({"significant_bleeding_date": "2026-11-10"}, "unknown", id="recent-bleed-source-not-known"),
        pytest.param(
            {"significant_bleeding_date": "never", "gi_bleeding_date": "2026-11-08"},
            "failed",
            id="gut-bleed-not-called-serious-still-counts",
        ),
        pytest.param({"significant_bleeding_date": "never"}, "unknown", id="no-serious-bleeding-gut-not-asked"),
    ],
)
def test_only_gut_bleeding_counts_for_exclusion_12_1(facts: dict[str, Any], expected: str) -> None:
    assert exclusion("12.1", {**facts, "variceal_bleeding_date": "never"}) == expected


SIX_MONTH_EDGES = [
    pytest.param("2026-05-23", "failed", id="just-under-6-months"),
    pytest.param("2026-05-22", "failed", id="exactly-6-months"),
    pytest.param("2026-05-21", "met", id="just-over-6-months"),
]


@pytest.mark.parametrize(
    ("check", "fact", "other"),
    [
        pytest.param("13.1", "myocardial_infarction_date", {}, id="13.1-heart-attack"),
        pytest.param("13.3", "coronary_bypass_date", {}, id="13.3-bypass"),
        pytest.param("15.1", "stroke_date", {"thromboembolism_date": "never"}, id="15.1-stroke"),
        pytest.param("15.1", "thromboembolism_date", {"stroke_date": "never"}, id="15.1-clot"),
        pytest.param("16", "gi_perforation_date", {}, id="16-perforation"),
        pytest.param("18", "substance_abuse_date", {}, id="18-substance-abuse"),
    ],
)
@pytest.mark.parametrize(("when", "expected"), SIX_MONTH_EDGES)
def test_event_within_6_months_decides_exclusion(
    check: str, fact: str, other: dict[str, Any], when: str, expected: str
) -> None:
    assert exclusion(check, {**other, fact: when}) == expected


@pytest.mark.parametrize(
    ("nyha", "expected"),
    [
        pytest.param("i", "met", id="class-i"),
        pytest.param("ii", "met", id="class-ii-exactly-2"),
        pytest.param("iii", "failed", id="class-iii"),
    ],
)
def test_nyha_class_above_2_decides_exclusion_13_4(nyha: str, expected: str) -> None:
    assert exclusion("13.4", {"nyha_class": nyha}) == expected


@pytest.mark.parametrize(
    ("systolic", "diastolic", "expected"),
    [
        pytest.param("139 mmHg", "80 mmHg", "met", id="systolic-139"),
        pytest.param("140 mmHg", "80 mmHg", "failed", id="systolic-exactly-140"),
        pytest.param("141 mmHg", "80 mmHg", "failed", id="systolic-141"),
        pytest.param("120 mmHg", "89 mmHg", "met", id="diastolic-89"),
        pytest.param("120 mmHg", "90 mmHg", "failed", id="diastolic-exactly-90"),
        pytest.param("120 mmHg", "91 mmHg", "failed", id="diastolic-91"),
        pytest.param("18.7 kPa", "80 mmHg", "failed", id="systolic-18.7-kpa-is-140.3-mmhg"),
        pytest.param("18.5 kPa", "80 mmHg", "met", id="systolic-18.5-kpa-is-138.8-mmhg"),
    ],
)
def test_blood_pressure_140_over_90_decides_exclusion_13_6(systolic: str, diastolic: str, expected: str) -> None:
    assert exclusion("13.6", {"systolic_bp": systolic, "diastolic_bp": diastolic}) == expected


# --- judged by the study team --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "check"),
    [
        pytest.param("inclusion", "8.1", id="inclusion-8.1-other-tumours-vs-exclusion-4"),
        pytest.param("inclusion", "2.5", id="inclusion-2.5-imaging"),
        pytest.param("inclusion", "5", id="inclusion-5-life-expectancy"),
        pytest.param("inclusion", "6.2", id="inclusion-6.2-antiviral-first"),
        pytest.param("inclusion", "10.0b", id="inclusion-10.0b-no-albumin"),
        pytest.param("exclusion", "7", id="exclusion-7-samples"),
        pytest.param("exclusion", "10", id="exclusion-10-consent"),
        pytest.param("exclusion", "11.1", id="exclusion-11.1-bleeding-tendency"),
        pytest.param("exclusion", "12.2", id="exclusion-12.2-gi-bleeding-tendency"),
        pytest.param("exclusion", "12.3", id="exclusion-12.3-investigator"),
        pytest.param("exclusion", "13.7", id="exclusion-13.7-other-heart-disease"),
        pytest.param("exclusion", "14.2", id="exclusion-14.2-surgery-contraindication"),
        pytest.param("exclusion", "15.2", id="exclusion-15.2-liver-vein-or-arterial-thrombosis"),
        pytest.param("exclusion", "19", id="exclusion-19-investigator"),
    ],
)
def test_judgement_items_are_left_to_the_study_team(section: str, check: str) -> None:
    assert check_status(NCT, check, ELIGIBLE, NO_TREATMENTS, section=section) == "study_team"


# --- weight-based lenvatinib dose ----------------------------------------------------------------


def applying_doses(weight: Any) -> list[str]:
    result = result_for(NCT, {"weight": weight})
    return [line.dose for line in result.doses if line.applies == "yes"]


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        pytest.param(59, ["8 mg once daily (body weight 60 kg or less)"], id="59kg-8mg"),
        pytest.param(
            60,
            ["8 mg once daily (body weight 60 kg or less)", "12 mg once daily (body weight 60 kg or more)"],
            id="exactly-60kg-both-as-written",
        ),
        pytest.param(61, ["12 mg once daily (body weight 60 kg or more)"], id="61kg-12mg"),
        pytest.param("130 lb", ["8 mg once daily (body weight 60 kg or less)"], id="130lb-is-59kg-8mg"),
    ],
)
def test_lenvatinib_dose_follows_weight_60_kg(weight: Any, expected: list[str]) -> None:
    assert applying_doses(weight) == expected


# --- whole profiles ------------------------------------------------------------------------------


def test_complete_fitting_profile_is_eligible() -> None:
    result = result_for(NCT, ELIGIBLE, NO_TREATMENTS)
    assert (result.verdict, [o.check for o in result.failed], [o.check for o in result.unknown]) == ("eligible", [], [])


def test_low_haemoglobin_and_tumour_rupture_make_not_eligible_listing_both() -> None:
    result = result_for(NCT, {**ELIGIBLE, "hemoglobin": "85 g/L", "tumour_rupture": True}, NO_TREATMENTS)
    failed = {(o.section, o.check) for o in result.failed}
    assert result.verdict == "not_eligible" and failed == {("inclusion", "10.1"), ("exclusion", "2.2")}


def test_unknown_ecog_makes_possibly_eligible_and_is_listed_as_unknown() -> None:
    facts = {k: v for k, v in ELIGIBLE.items() if k != "ecog"}
    result = result_for(NCT, facts, NO_TREATMENTS)
    assert result.verdict == "possibly_eligible" and [(o.section, o.check) for o in result.unknown] == [
        ("inclusion", "9")
    ]
