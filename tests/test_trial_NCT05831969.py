"""NCT05831969 (lenalidomide after lenvatinib + a PD-1 inhibitor): the catalogue entry, check by check.

The source page renders ≥ and ≤ as '='; these tests pin the thresholds as encoded (≥ for
counts, haemoglobin, albumin and clearance; ≤ for bilirubin, enzymes, creatinine, INR, APTT).
Assessment date: 2026-11-22 (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import check_status, result_for

NCT = "NCT05831969"

FIRST_LINE_LENVATINIB_SINTILIMAB = [
    {"drugs": "lenvatinib + sintilimab", "started": "2025-01-01", "progression_date": "2025-09-01", "cycles": 8}
]

# A man who meets every rule-based check: every fact a rule reads is known.
ELIGIBLE: dict[str, Any] = {
    "age": 60,
    "sex": "male",
    "advanced_hcc": True,
    "hcc_diagnosis_basis": ["imaging"],
    "ecog": 0,
    "child_pugh_score": 5,
    "hbv_infection": False,
    "hcv_infection": False,
    "anc": "2.0 x10^9/L",
    "platelets": "120 x10^9/L",
    "hemoglobin": "125 g/L",
    "bilirubin": {"xuln": 1.0},
    "ast": {"value": 40, "unit": "U/L", "uln": 40},
    "alt": {"value": 30, "unit": "U/L", "uln": 40},
    "albumin": "36 g/L",
    "creatinine": {"xuln": 0.9},
    "inr": 1.1,
    "aptt": {"xuln": 1.0},
    "other_cancer_date": "never",
    "willing_contraception": True,
    "investigational_drug_date": "never",
    "drug_allergies": [],
    "hcc_subtype": "conventional",
    "in_other_interventional_trial": False,
    "solid_organ_transplant": False,
    "immunodeficiency": False,
    "systemic_steroids": False,
    "variceal_bleeding_date": "never",
    "hepatic_encephalopathy_date": "never",
    "hepatic_encephalopathy": "none",
    "ascites": "none",
    "tuberculosis_history": False,
    "autoimmune_disease": False,
    "pneumonitis_history": False,
    "active_infection": False,
    "mental_illness": False,
    "substance_use_disorder": False,
    "pregnant": False,
    "breastfeeding": False,
    "hiv_positive": False,
    "live_vaccine_date": "never",
    "systolic_bp": "125 mmHg",
    "diastolic_bp": "80 mmHg",
    "arrhythmia_uncontrolled": False,
    "nyha_class": "none",
}


def inclusion(check_id: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check_id, facts, treatments, section="inclusion")


def exclusion(check_id: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check_id, facts, treatments, section="exclusion")


# --- age: registry range 18-75 and inclusion 2 ("Age = 18 and = 75" on the page) -------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(19, "met", id="19_just_inside_meets"),
        pytest.param(18, "met", id="exactly_18_meets"),
        pytest.param(17, "failed", id="17_just_outside_fails"),
        pytest.param(74, "met", id="74_just_inside_meets"),
        pytest.param(75, "met", id="exactly_75_meets"),
        pytest.param(76, "failed", id="76_just_outside_fails"),
    ],
)
def test_registry_age_range_18_to_75(age: int, expected: str) -> None:
    assert check_status(NCT, "age", {"age": age}, section="registry") == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(19, "met", id="19_just_inside_meets"),
        pytest.param(18, "met", id="exactly_18_meets"),
        pytest.param(17, "failed", id="17_just_outside_fails"),
    ],
)
def test_age_equals_sign_read_as_at_least_18_for_inclusion_2_1(age: int, expected: str) -> None:
    assert inclusion("2.1", {"age": age}) == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(74, "met", id="74_just_inside_meets"),
        pytest.param(75, "met", id="exactly_75_meets"),
        pytest.param(76, "failed", id="76_just_outside_fails"),
    ],
)
def test_age_equals_sign_read_as_at_most_75_for_inclusion_2_2(age: int, expected: str) -> None:
    assert inclusion("2.2", {"age": age}) == expected


def test_eighteenth_birthday_on_the_assessment_day_meets_inclusion_2_1() -> None:
    assert inclusion("2.1", {"date_of_birth": "2008-11-22"}) == "met"


def test_unknown_age_stays_unknown_for_inclusion_2_1() -> None:
    assert inclusion("2.1", {}) == "unknown"


# --- diagnosis and disease ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("advanced", "expected"),
    [pytest.param(True, "met", id="advanced_meets"), pytest.param(False, "failed", id="resectable_fails")],
)
def test_locally_advanced_hcc_for_inclusion_3_1(advanced: bool, expected: str) -> None:
    assert inclusion("3.1", {"advanced_hcc": advanced}) == expected


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        pytest.param(["imaging"], "met", id="imaging_meets"),
        pytest.param(["histology"], "met", id="histology_meets"),
        pytest.param(["cytology"], "met", id="cytology_meets"),
        pytest.param([], "failed", id="no_diagnosis_fails"),
    ],
)
def test_diagnosis_by_histology_cytology_or_imaging_for_inclusion_3_2(basis: list[str], expected: str) -> None:
    assert inclusion("3.2", {"hcc_diagnosis_basis": basis}) == expected


# --- inclusion 4: progression after lenvatinib + a PD-1 inhibitor ------------------------------


@pytest.mark.parametrize(
    ("drugs", "expected"),
    [
        pytest.param("lenvatinib + sintilimab", "met", id="lenvatinib_sintilimab_meets"),
        pytest.param("Lenvima + Keytruda", "met", id="brands_lenvima_keytruda_meet"),
        pytest.param("lenvatinib + camrelizumab", "met", id="lenvatinib_camrelizumab_meets"),
        pytest.param("Lenvima + Opdivo", "met", id="brands_lenvima_opdivo_meet"),
        pytest.param("Lenvima", "failed", id="lenvatinib_alone_fails"),
        pytest.param("Keytruda", "failed", id="pd1_alone_fails"),
        pytest.param("lenvatinib + atezolizumab", "failed", id="pdl1_is_not_pd1_fails"),
        pytest.param("Tecentriq + Avastin", "failed", id="atezolizumab_bevacizumab_fails"),
        pytest.param("sorafenib", "failed", id="sorafenib_fails"),
    ],
)
def test_first_line_lenvatinib_with_pd1_inhibitor_for_inclusion_4_2(drugs: str, expected: str) -> None:
    treatments = [{"drugs": drugs, "started": "2025-01-01", "progression_date": "2025-09-01"}]
    assert inclusion("4.2", treatments=treatments) == expected


def test_no_treatment_history_fails_inclusion_4_2() -> None:
    assert inclusion("4.2", treatments=[]) == "failed"


def test_unknown_treatment_history_leaves_inclusion_4_2_unknown() -> None:
    assert inclusion("4.2") == "unknown"


def test_lenvatinib_with_unrecognised_partner_drug_stays_unknown_for_inclusion_4_2() -> None:
    treatments = [{"drugs": "lenvatinib + zorplimab-xq", "started": "2025-01-01"}]
    assert inclusion("4.2", treatments=treatments) == "unknown"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param({"progression_date": "2025-09-01"}, "met", id="progression_date_meets"),
        pytest.param({"progressed": True}, "met", id="progressed_meets"),
        pytest.param({"progressed": False}, "failed", id="no_progression_fails"),
        pytest.param({}, "unknown", id="not_said_unknown"),
    ],
)
def test_progression_on_first_line_for_inclusion_4_3(entry: dict[str, Any], expected: str) -> None:
    treatments = [{"drugs": "Lenvima + Keytruda", "started": "2025-01-01", **entry}]
    assert inclusion("4.3", treatments=treatments) == expected


def test_domestic_approval_of_the_pd1_inhibitor_is_left_to_the_study_team() -> None:
    assert inclusion("4.4", treatments=FIRST_LINE_LENVATINIB_SINTILIMAB) == "study_team"


# --- ECOG and Child-Pugh ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ecog", "expected"),
    [
        pytest.param(0, "met", id="ecog_0_meets"),
        pytest.param(1, "met", id="ecog_1_meets"),
        pytest.param(2, "failed", id="ecog_2_fails"),
    ],
)
def test_ecog_0_or_1_for_inclusion_5(ecog: int, expected: str) -> None:
    assert inclusion("5", {"ecog": ecog}) == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        pytest.param(5, "met", id="score_5_inside_meets"),
        pytest.param(6, "met", id="exactly_6_meets"),
        pytest.param(7, "failed", id="score_7_class_b_fails"),
    ],
)
def test_child_pugh_a_score_5_to_6_for_inclusion_6(score: int, expected: str) -> None:
    assert inclusion("6", {"child_pugh_score": score}) == expected


CHILD_PUGH_5_PARTS = {
    "bilirubin": "1.0 mg/dL",
    "albumin": "3.6 g/dL",
    "inr": 1.0,
    "ascites": "none",
    "hepatic_encephalopathy": "none",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, "met", id="all_parts_1_point_score_5_meets"),
        pytest.param({"albumin": "3.0 g/dL"}, "met", id="albumin_2_points_score_6_meets"),
        pytest.param({"albumin": "3.0 g/dL", "inr": 1.8}, "failed", id="albumin_and_inr_2_points_score_7_fails"),
    ],
)
def test_child_pugh_a_from_its_parts_for_inclusion_6(changes: dict[str, Any], expected: str) -> None:
    assert inclusion("6", {**CHILD_PUGH_5_PARTS, **changes}) == expected


def test_child_pugh_with_only_bilirubin_known_stays_unknown_for_inclusion_6() -> None:
    assert inclusion("6", {"bilirubin": "1.0 mg/dL"}) == "unknown"


# --- hepatitis B and C ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "started",
    ["2026-11-14", "2026-11-19", "never"],
    ids=["8_days_ago", "3_days_ago", "not_started_yet"],
)
def test_hepatitis_b_antivirals_before_treatment_are_for_the_study_team_under_inclusion_7_2(started: str) -> None:
    # "should be started 1 week before treatment" prepares the study treatment; it never turns anyone away
    assert inclusion("7.2", {"hbv_infection": True, "hbv_antiviral_start_date": started}) == "study_team"


@pytest.mark.parametrize(
    ("ended", "expected"),
    [
        pytest.param("2026-10-24", "met", id="29_days_ago_meets"),
        pytest.param("2026-10-25", "met from 2026-11-23", id="exactly_4_weeks_ago_fails"),
        pytest.param("2026-10-26", "met from 2026-11-24", id="27_days_ago_fails"),
    ],
)
def test_hepatitis_c_treatment_finished_more_than_4_weeks_ago_for_inclusion_8_2(ended: str, expected: str) -> None:
    cured = {"hcv_infection": True, "hcv_treatment_end_date": ended, "hcv_rna_detectable": False}
    assert inclusion("8.2", cured) == expected


def test_hepatitis_c_treatment_that_did_not_clear_the_virus_fails_inclusion_8_2() -> None:
    # neither untreated nor cured: the two groups the text allows
    failed = {"hcv_infection": True, "hcv_treatment_end_date": "2025-01-01", "hcv_rna_detectable": True}
    assert inclusion("8.2", failed) == "failed"


def test_untreated_chronic_hepatitis_c_meets_inclusion_8_2() -> None:
    assert inclusion("8.2", {"hcv_infection": True, "hcv_treatment_end_date": "never"}) == "met"


def test_no_hepatitis_c_meets_inclusion_8_2() -> None:
    assert inclusion("8.2", {"hcv_infection": False}) == "met"


# --- inclusion 9: organ function (the page's '=' read as ≥ / ≤) ------------------------------------


@pytest.mark.parametrize(
    ("anc", "expected"),
    [
        pytest.param("1.51 x10^9/L", "met", id="1.51_just_inside_meets"),
        pytest.param("1.5 x10^9/L", "met", id="exactly_1.5_meets"),
        pytest.param("1.49 x10^9/L", "failed", id="1.49_just_outside_fails"),
        pytest.param("1500/µL", "met", id="per_ul_exactly_1500_meets"),
        pytest.param("1490 /uL", "failed", id="per_ul_1490_fails"),
    ],
)
def test_neutrophils_at_least_1_5_x10e9_per_l_for_inclusion_9_1(anc: str, expected: str) -> None:
    assert inclusion("9.1", {"anc": anc}) == expected


@pytest.mark.parametrize(
    ("platelets", "expected"),
    [
        pytest.param("51 x10^9/L", "met", id="51_just_inside_meets"),
        pytest.param("50 x10^9/L", "met", id="exactly_50_meets"),
        pytest.param("49 x10^9/L", "failed", id="49_just_outside_fails"),
        pytest.param("50,000/µL", "met", id="per_ul_exactly_50_000_meets"),
        pytest.param("49,000/µL", "failed", id="per_ul_49_000_fails"),
    ],
)
def test_platelets_at_least_50_x10e9_per_l_for_inclusion_9_2(platelets: str, expected: str) -> None:
    assert inclusion("9.2", {"platelets": platelets}) == expected


@pytest.mark.parametrize(
    ("hemoglobin", "expected"),
    [
        pytest.param("91 g/L", "met", id="91_just_inside_meets"),
        pytest.param("90 g/L", "met", id="exactly_90_meets"),
        pytest.param("89 g/L", "failed", id="89_just_outside_fails"),
        pytest.param("9.0 g/dL", "met", id="g_dl_exactly_9_0_meets"),
        pytest.param("8.9 g/dL", "failed", id="g_dl_8_9_fails"),
    ],
)
def test_haemoglobin_at_least_90_g_per_l_for_inclusion_9_3(hemoglobin: str, expected: str) -> None:
    assert inclusion("9.3", {"hemoglobin": hemoglobin}) == expected


@pytest.mark.parametrize(
    ("bilirubin", "expected"),
    [
        pytest.param({"xuln": 1.9}, "met", id="1.9_xuln_just_inside_meets"),
        pytest.param({"xuln": 2.0}, "met", id="exactly_2_xuln_meets"),
        pytest.param({"xuln": 2.1}, "failed", id="2.1_xuln_just_outside_fails"),
        pytest.param({"value": 34.2, "unit": "µmol/L", "uln": 17.1}, "met", id="umol_l_exactly_2_xuln_meets"),
        pytest.param({"value": 2.2, "unit": "mg/dL", "uln": 1.0}, "failed", id="mg_dl_2_2_xuln_fails"),
    ],
)
def test_bilirubin_at_most_2_xuln_for_inclusion_9_4(bilirubin: dict[str, Any], expected: str) -> None:
    assert inclusion("9.4", {"bilirubin": bilirubin}) == expected


@pytest.mark.parametrize(
    ("ast", "alt", "expected"),
    [
        pytest.param(4.9, 4.9, "met", id="both_4.9_xuln_just_inside_meet"),
        pytest.param(5.0, 5.0, "met", id="both_exactly_5_xuln_meet"),
        pytest.param(5.1, 1.0, "failed", id="ast_5.1_xuln_just_outside_fails"),
        pytest.param(1.0, 5.1, "failed", id="alt_5.1_xuln_just_outside_fails"),
    ],
)
def test_ast_and_alt_at_most_5_xuln_for_inclusion_9_5(ast: float, alt: float, expected: str) -> None:
    assert inclusion("9.5", {"ast": {"xuln": ast}, "alt": {"xuln": alt}}) == expected


@pytest.mark.parametrize(
    ("alt_value", "expected"),
    [
        pytest.param(200, "met", id="alt_200_of_uln_40_exactly_5_xuln_meets"),
        pytest.param(201, "failed", id="alt_201_of_uln_40_just_above_5_xuln_fails"),
    ],
)
def test_enzymes_in_u_per_l_with_upper_limit_for_inclusion_9_5(alt_value: int, expected: str) -> None:
    facts = {"ast": {"value": 200, "unit": "U/L", "uln": 40}, "alt": {"value": alt_value, "unit": "U/L", "uln": 40}}
    assert inclusion("9.5", facts) == expected


@pytest.mark.parametrize(
    ("albumin", "expected"),
    [
        pytest.param("30 g/L", "met", id="30_just_inside_meets"),
        pytest.param("29 g/L", "met", id="exactly_29_meets"),
        pytest.param("28 g/L", "failed", id="28_just_outside_fails"),
        pytest.param("2.9 g/dL", "met", id="g_dl_exactly_2_9_meets"),
        pytest.param("2.8 g/dL", "failed", id="g_dl_2_8_fails"),
    ],
)
def test_albumin_at_least_29_g_per_l_for_inclusion_9_6(albumin: str, expected: str) -> None:
    assert inclusion("9.6", {"albumin": albumin}) == expected


@pytest.mark.parametrize(
    ("creatinine", "expected"),
    [
        pytest.param({"xuln": 1.4}, "met", id="1.4_xuln_just_inside_meets"),
        pytest.param({"xuln": 1.5}, "met", id="exactly_1.5_xuln_meets"),
        pytest.param({"xuln": 1.6}, "failed", id="1.6_xuln_just_outside_fails"),
        pytest.param({"value": 132.6, "unit": "µmol/L", "uln": 88.4}, "met", id="umol_l_exactly_1.5_xuln_meets"),
    ],
)
def test_creatinine_at_most_1_5_xuln_when_clearance_is_low_for_inclusion_9_7(
    creatinine: dict[str, Any], expected: str
) -> None:
    assert inclusion("9.7", {"creatinine": creatinine, "creatinine_clearance": "40 mL/min"}) == expected


@pytest.mark.parametrize(
    ("clearance", "expected"),
    [
        pytest.param("51 mL/min", "met", id="51_just_inside_meets"),
        pytest.param("50 mL/min", "met", id="exactly_50_meets"),
        pytest.param("49 mL/min", "failed", id="49_just_outside_fails"),
    ],
)
def test_clearance_at_least_50_ml_min_when_creatinine_is_high_for_inclusion_9_7(clearance: str, expected: str) -> None:
    assert inclusion("9.7", {"creatinine": {"xuln": 2.0}, "creatinine_clearance": clearance}) == expected


def test_high_creatinine_with_unknown_clearance_stays_unknown_for_inclusion_9_7() -> None:
    assert inclusion("9.7", {"creatinine": {"xuln": 2.0}}) == "unknown"


@pytest.mark.parametrize(
    ("inr", "expected"),
    [
        pytest.param(1.9, "met", id="1.9_just_inside_meets"),
        pytest.param(2.0, "met", id="exactly_2_meets"),
        pytest.param(2.1, "failed", id="2.1_just_outside_fails"),
    ],
)
def test_inr_at_most_2_for_inclusion_9_8(inr: float, expected: str) -> None:
    assert inclusion("9.8", {"inr": inr}) == expected


@pytest.mark.parametrize(
    ("aptt", "expected"),
    [
        pytest.param({"xuln": 1.4}, "met", id="1.4_xuln_just_inside_meets"),
        pytest.param({"xuln": 1.5}, "met", id="exactly_1.5_xuln_meets"),
        pytest.param({"xuln": 1.6}, "failed", id="1.6_xuln_just_outside_fails"),
        pytest.param({"value": 60, "unit": "s", "uln": 40}, "met", id="seconds_exactly_1.5_xuln_meets"),
    ],
)
def test_aptt_at_most_1_5_xuln_for_inclusion_9_9(aptt: dict[str, Any], expected: str) -> None:
    assert inclusion("9.9", {"aptt": aptt}) == expected


def test_aptt_in_seconds_without_upper_limit_stays_unknown_for_inclusion_9_9() -> None:
    assert inclusion("9.9", {"aptt": "35 s"}) == "unknown"


# --- other cancers, contraception, other trials --------------------------------------------------


@pytest.mark.parametrize(
    ("last_active", "expected"),
    [
        pytest.param("2024-11-21", "met", id="2_years_and_1_day_ago_meets"),
        pytest.param("2024-11-22", "failed", id="exactly_2_years_ago_fails"),
        pytest.param("2024-11-23", "failed", id="just_under_2_years_ago_fails"),
    ],
)
def test_other_cancer_disease_free_more_than_2_years_for_inclusion_11(last_active: str, expected: str) -> None:
    other = {"other_cancer_date": last_active, "other_cancer_minor": False, "other_cancer_adjuvant_only": False}
    assert inclusion("11", other) == expected


def test_recent_minor_skin_cancer_meets_inclusion_11() -> None:
    skin = {
        "other_cancer_date": "2026-06-01",
        "other_cancer_minor": True,
        "other_cancer_minor_kinds": ["non_melanoma_skin"],
    }
    assert inclusion("11", skin) == "met"


def test_recent_intramucosal_carcinoma_is_not_an_exception_to_inclusion_11() -> None:
    other = {
        "other_cancer_date": "2026-06-01",
        "other_cancer_minor": True,
        "other_cancer_minor_kinds": ["intramucosal"],
        "other_cancer_adjuvant_only": False,
    }
    assert inclusion("11", other) == "failed"


def test_adjuvant_tamoxifen_after_a_cancer_diagnosed_over_2_years_ago_meets_inclusion_11() -> None:
    breast = {
        "other_cancer_date": "2026-11-20",
        "other_cancer_minor": False,
        "other_cancer_adjuvant_only": True,
        "other_cancer_diagnosis_date": "2021-03-01",
    }
    assert inclusion("11", breast) == "met"


def test_no_other_cancer_meets_inclusion_11() -> None:
    assert inclusion("11", {"other_cancer_date": "never"}) == "met"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            {"sex": "female", "childbearing_potential": True, "willing_contraception": True},
            "met",
            id="willing_woman_meets",
        ),
        pytest.param(
            {"sex": "female", "childbearing_potential": True, "postmenopausal": False, "willing_contraception": False},
            "failed",
            id="unwilling_woman_fails",
        ),
        pytest.param(
            {"sex": "female", "postmenopausal": True, "willing_contraception": False},
            "met",
            id="postmenopausal_woman_meets",
        ),
        pytest.param({"sex": "male", "willing_contraception": False}, "met", id="man_not_concerned_meets"),
        pytest.param({"sex": "female"}, "unknown", id="woman_nothing_else_known_unknown"),
    ],
)
def test_contraception_for_women_of_childbearing_potential_for_inclusion_12_1(
    facts: dict[str, Any], expected: str
) -> None:
    assert inclusion("12.1", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param({"sex": "male", "willing_contraception": True}, "met", id="willing_man_meets"),
        pytest.param({"sex": "male", "willing_contraception": False}, "failed", id="unwilling_man_fails"),
        pytest.param({"sex": "female", "willing_contraception": False}, "met", id="woman_not_concerned_meets"),
    ],
)
def test_contraception_for_men_for_inclusion_12_3(facts: dict[str, Any], expected: str) -> None:
    assert inclusion("12.3", facts) == expected


@pytest.mark.parametrize(
    ("last_agent", "expected"),
    [
        pytest.param("2026-10-24", "met", id="29_days_ago_meets"),
        pytest.param("2026-10-25", "failed", id="exactly_4_weeks_ago_is_within_4_weeks_fails"),
        pytest.param("2026-10-26", "failed", id="27_days_ago_fails"),
        pytest.param("never", "met", id="never_meets"),
    ],
)
def test_no_other_trial_treatment_in_the_last_4_weeks_for_inclusion_13(last_agent: str, expected: str) -> None:
    assert inclusion("13", {"investigational_drug_date": last_agent}) == expected


@pytest.mark.parametrize(
    "check_id",
    ["1", "4.4", "4.5", "7.1", "7.2", "8.1", "10", "12.2", "12.4"],
)
def test_inclusion_items_judged_by_the_study_team(check_id: str) -> None:
    assert inclusion(check_id, ELIGIBLE, FIRST_LINE_LENVATINIB_SINTILIMAB) == "study_team"


# --- exclusions: each one excludes, clears, or stays unknown -----------------------------------------

EXCLUSIONS = [
    # (check id, facts that exclude, facts that clear)
    ("1", {"drug_allergies": "Revlimid"}, {"drug_allergies": []}),
    ("2", {"hcc_subtype": "fibrolamellar"}, {"hcc_subtype": "conventional"}),
    ("3", {"hcc_subtype": "combined_hcc_cholangiocarcinoma"}, {"hcc_subtype": "conventional"}),
    ("4", {"in_other_interventional_trial": True}, {"in_other_interventional_trial": False}),
    ("5.1", {"solid_organ_transplant": True}, {"solid_organ_transplant": False}),
    ("5.2", {"immunodeficiency": True}, {"immunodeficiency": False}),
    ("5.3", {"systemic_steroids": True}, {"systemic_steroids": False}),
    ("6", {"variceal_bleeding_date": "2026-10-01"}, {"variceal_bleeding_date": "never"}),
    (
        "7.1",
        {"hepatic_encephalopathy_date": "2026-10-01"},
        {"hepatic_encephalopathy_date": "never", "hepatic_encephalopathy": "none"},
    ),
    ("7.2", {"ascites": "moderate"}, {"ascites": "none"}),
    ("8", {"tuberculosis_history": True}, {"tuberculosis_history": False}),
    ("9", {"drug_allergies": "Keytruda"}, {"drug_allergies": []}),
    (
        "10",
        {"other_cancer_date": "2026-01-01", "other_cancer_minor": False, "other_cancer_adjuvant_only": False},
        {"other_cancer_date": "never"},
    ),
    ("11", {"autoimmune_disease": True}, {"autoimmune_disease": False}),
    ("12", {"pneumonitis_history": True}, {"pneumonitis_history": False}),
    ("13", {"active_infection": True}, {"active_infection": False}),
    ("14.1", {"mental_illness": True}, {"mental_illness": False}),
    ("14.2", {"substance_use_disorder": True}, {"substance_use_disorder": False}),
    ("15.1", {"sex": "female", "pregnant": True}, {"sex": "female", "pregnant": False}),
    ("15.1", {"sex": "female", "pregnant": True}, {"sex": "male"}),
    ("15.2", {"sex": "female", "breastfeeding": True}, {"sex": "female", "breastfeeding": False}),
    ("16", {"hiv_positive": True}, {"hiv_positive": False}),
    ("17", {"live_vaccine_date": "2026-11-01"}, {"live_vaccine_date": "never"}),
    (
        "18.1",
        {"systolic_bp": "150 mmHg", "diastolic_bp": "90 mmHg"},
        {"systolic_bp": "130 mmHg", "diastolic_bp": "85 mmHg"},
    ),
    ("18.3", {"arrhythmia_uncontrolled": True}, {"arrhythmia_uncontrolled": False}),
    ("18.4", {"nyha_class": "iii"}, {"nyha_class": "ii"}),
]
EXCLUSION_IDS = [row[0] for row in EXCLUSIONS]
# Windows counted to enrolment or the first treatment close by themselves: a date, never a "no".
WINDOW_OPENS = {"6": "met from 2027-01-02", "17": "met from 2026-12-02"}


@pytest.mark.parametrize(("check_id", "excluding", "clear"), EXCLUSIONS, ids=EXCLUSION_IDS)
def test_exclusion_applies_when_true(check_id: str, excluding: dict[str, Any], clear: dict[str, Any]) -> None:
    assert exclusion(check_id, excluding) == WINDOW_OPENS.get(check_id, "failed")


@pytest.mark.parametrize(("check_id", "excluding", "clear"), EXCLUSIONS, ids=EXCLUSION_IDS)
def test_exclusion_is_cleared_when_false(check_id: str, excluding: dict[str, Any], clear: dict[str, Any]) -> None:
    assert exclusion(check_id, clear) == "met"


@pytest.mark.parametrize(("check_id", "excluding", "clear"), EXCLUSIONS, ids=EXCLUSION_IDS)
def test_exclusion_stays_unknown_when_nothing_is_known(
    check_id: str, excluding: dict[str, Any], clear: dict[str, Any]
) -> None:
    assert exclusion(check_id, {}) == "unknown"


@pytest.mark.parametrize(
    ("allergy", "expected"),
    [
        pytest.param("lenalidomide", "failed", id="lenalidomide_excludes"),
        pytest.param("thalidomide", "failed", id="thalidomide_excludes"),
        pytest.param("sorafenib", "met", id="sorafenib_does_not_exclude"),
    ],
)
def test_imide_drug_allergy_for_exclusion_1(allergy: str, expected: str) -> None:
    assert exclusion("1", {"drug_allergies": allergy}) == expected


@pytest.mark.parametrize(
    ("allergy", "expected"),
    [
        pytest.param("sintilimab", "failed", id="sintilimab_excludes"),
        pytest.param("Tecentriq", "met", id="pdl1_atezolizumab_does_not_exclude"),
    ],
)
def test_pd1_inhibitor_allergy_for_exclusion_9(allergy: str, expected: str) -> None:
    assert exclusion("9", {"drug_allergies": allergy}) == expected


@pytest.mark.parametrize(
    ("bleeding", "expected"),
    [
        pytest.param("2026-08-23", "met from 2026-11-24", id="just_under_3_months_ago_excludes"),
        pytest.param("2026-08-22", "met from 2026-11-23", id="exactly_3_months_ago_excludes"),
        pytest.param("2026-08-21", "met", id="3_months_and_1_day_ago_clears"),
    ],
)
def test_variceal_bleeding_within_3_months_for_exclusion_6(bleeding: str, expected: str) -> None:
    assert exclusion("6", {"variceal_bleeding_date": bleeding}) == expected


@pytest.mark.parametrize(
    ("episode", "expected"),
    [
        pytest.param("2026-05-23", "failed", id="just_under_6_months_ago_excludes"),
        pytest.param("2026-05-22", "failed", id="exactly_6_months_ago_excludes"),
        pytest.param("2026-05-21", "met", id="6_months_and_1_day_ago_clears"),
    ],
)
def test_hepatic_encephalopathy_within_6_months_for_exclusion_7_1(episode: str, expected: str) -> None:
    assert exclusion("7.1", {"hepatic_encephalopathy_date": episode, "hepatic_encephalopathy": "none"}) == expected


def test_current_hepatic_encephalopathy_excludes_by_7_1() -> None:
    assert exclusion("7.1", {"hepatic_encephalopathy_date": "never", "hepatic_encephalopathy": "grade_1_2"}) == "failed"


@pytest.mark.parametrize(
    ("ascites", "expected"),
    [
        pytest.param("mild", "failed", id="mild_clinical_excludes"),
        pytest.param("radiological", "met", id="seen_only_on_scans_clears"),
    ],
)
def test_obvious_ascites_for_exclusion_7_2(ascites: str, expected: str) -> None:
    assert exclusion("7.2", {"ascites": ascites}) == expected


@pytest.mark.parametrize(
    ("last_active", "expected"),
    [
        pytest.param("2024-11-23", "failed", id="just_under_2_years_ago_excludes"),
        pytest.param("2024-11-22", "failed", id="exactly_2_years_ago_excludes"),
        pytest.param("2024-11-21", "met", id="2_years_and_1_day_ago_clears"),
    ],
)
def test_other_active_cancer_within_2_years_for_exclusion_10(last_active: str, expected: str) -> None:
    other = {"other_cancer_date": last_active, "other_cancer_minor": False, "other_cancer_adjuvant_only": False}
    assert exclusion("10", other) == expected


def test_recent_basal_cell_carcinoma_is_an_exception_to_exclusion_10() -> None:
    skin = {
        "other_cancer_date": "2026-06-01",
        "other_cancer_minor": True,
        "other_cancer_minor_kinds": ["non_melanoma_skin"],
    }
    assert exclusion("10", skin) == "met"


@pytest.mark.parametrize(
    ("vaccine", "expected"),
    [
        pytest.param("2026-10-24", "met from 2026-11-24", id="29_days_ago_excludes"),
        pytest.param("2026-10-23", "met from 2026-11-23", id="exactly_30_days_ago_excludes"),
        pytest.param("2026-10-22", "met", id="31_days_ago_clears"),
    ],
)
def test_live_vaccine_within_30_days_for_exclusion_17(vaccine: str, expected: str) -> None:
    assert exclusion("17", {"live_vaccine_date": vaccine}) == expected


@pytest.mark.parametrize(
    ("systolic", "expected"),
    [
        pytest.param("139 mmHg", "met", id="139_just_inside_clears"),
        pytest.param("140 mmHg", "met", id="exactly_140_clears"),
        pytest.param("141 mmHg", "failed", id="141_just_outside_excludes"),
    ],
)
def test_systolic_above_140_for_exclusion_18_1(systolic: str, expected: str) -> None:
    assert exclusion("18.1", {"systolic_bp": systolic, "diastolic_bp": "80 mmHg"}) == expected


@pytest.mark.parametrize(
    ("diastolic", "expected"),
    [
        pytest.param("99 mmHg", "met", id="99_just_inside_clears"),
        pytest.param("100 mmHg", "met", id="exactly_100_clears"),
        pytest.param("101 mmHg", "failed", id="101_just_outside_excludes"),
    ],
)
def test_diastolic_above_100_for_exclusion_18_1(diastolic: str, expected: str) -> None:
    assert exclusion("18.1", {"systolic_bp": "120 mmHg", "diastolic_bp": diastolic}) == expected


def test_systolic_140_with_unknown_diastolic_stays_unknown_for_exclusion_18_1() -> None:
    assert exclusion("18.1", {"systolic_bp": "140 mmHg"}) == "unknown"


@pytest.mark.parametrize("check_id", ["18.2", "19"])
def test_exclusion_items_judged_by_the_study_team(check_id: str) -> None:
    assert exclusion(check_id, ELIGIBLE) == "study_team"


# --- whole profiles --------------------------------------------------------------------------------


def test_profile_meeting_every_rule_is_eligible() -> None:
    result = result_for(NCT, ELIGIBLE, FIRST_LINE_LENVATINIB_SINTILIMAB)
    assert (result.verdict, result.failed, result.unknown) == ("eligible", [], [])


def test_low_platelets_and_ecog_2_make_the_profile_not_eligible_with_both_reasons() -> None:
    facts = {**ELIGIBLE, "platelets": "40 x10^9/L", "ecog": 2}
    result = result_for(NCT, facts, FIRST_LINE_LENVATINIB_SINTILIMAB)
    assert result.verdict == "not_eligible"
    assert {(o.section, o.check) for o in result.failed} == {("inclusion", "9.2"), ("inclusion", "5")}


def test_unknown_hiv_status_makes_the_profile_possibly_eligible() -> None:
    facts = {k: v for k, v in ELIGIBLE.items() if k != "hiv_positive"}
    result = result_for(NCT, facts, FIRST_LINE_LENVATINIB_SINTILIMAB)
    assert result.verdict == "possibly_eligible"
    assert [(o.section, o.check) for o in result.unknown] == [("exclusion", "16")]


def test_first_line_sorafenib_makes_the_profile_not_eligible() -> None:
    treatments = [{"drugs": "sorafenib", "started": "2025-01-01", "progression_date": "2025-09-01"}]
    result = result_for(NCT, ELIGIBLE, treatments)
    assert [(o.section, o.check) for o in result.failed] == [("inclusion", "4.2")]


def test_lenalidomide_dose_line_applies_to_everyone() -> None:
    result = result_for(NCT, ELIGIBLE, FIRST_LINE_LENVATINIB_SINTILIMAB)
    assert [(d.intervention, d.applies) for d in result.doses] == [("Lenalidomide", "yes")]
