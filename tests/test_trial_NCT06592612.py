"""NCT06592612 (SBRT with second-line therapy for oligoprogressive HCC): the catalogue entry, check by check.

Assessment date: 2026-11-22 (see conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import check_status, result_for

NCT = "NCT06592612"


def first_line(drugs: str, **entry: Any) -> list[dict[str, Any]]:
    """A one-regimen history that progressed 8 months after starting, unless told otherwise."""
    return [{"drugs": drugs, "started": "2025-01-01", "progression_date": "2025-09-01", "cycles": 10, **entry}]


ATEZO_BEV = first_line("Tecentriq + Avastin")

# A man who meets every rule-based check: every fact a rule reads is known.
ELIGIBLE: dict[str, Any] = {
    "age": 60,
    "sex": "male",
    "karnofsky": 90,
    "hcc_diagnosis_basis": ["histology"],
    "progressive_lesion_count": 2,
    "progressive_organ_count": 1,
    "largest_progressive_lesion": "3 cm",
    "measurable_disease": True,
    "child_pugh_score": 6,
    "wbc": "4.5 x10^9/L",
    "anc": "2.5 x10^9/L",
    "platelets": "110 x10^9/L",
    "hemoglobin": "120 g/L",
    "albumin": "3.6 g/dL",
    "bilirubin": {"value": 15, "unit": "µmol/L", "uln": 17.1},
    "alt": {"xuln": 1.2},
    "ast": {"xuln": 1.5},
    "alp": {"value": 120, "unit": "U/L", "uln": 120},
    "creatinine": {"xuln": 0.8},
    "first_line_grade3_adverse_event": False,
    "brain_metastases": False,
    "prior_radiotherapy_to_progressing_site": False,
    "progressing_lesions_radiotherapy_suitable": True,
    "significant_bleeding_date": "never",
    "variceal_bleeding_date": "never",
    "gi_bleeding_date": "never",
    "locoregional_therapy_date": "never",
    "extrahepatic_local_therapy_date": "never",
    "active_infection": False,
    "other_cancer_date": "never",
    "autoimmune_disease": False,
    "long_term_steroids_needed": False,
    "drug_allergies": [],
    "solid_organ_transplant": False,
    "pregnant": False,
    "breastfeeding": False,
}


def inclusion(check_id: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check_id, facts, treatments, section="inclusion")


def exclusion(check_id: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check_id, facts, treatments, section="exclusion")


# --- registry age 18-75 (the criteria text has none) ------------------------------------------------


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


def test_age_from_date_of_birth_one_day_before_76th_birthday_meets_registry_age() -> None:
    assert check_status(NCT, "age", {"date_of_birth": "1950-11-23"}, section="registry") == "met"


# --- inclusion 1: KPS ≥ 80 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kps", "expected"),
    [
        pytest.param(90, "met", id="90_just_inside_meets"),
        pytest.param(80, "met", id="exactly_80_meets"),
        pytest.param(70, "failed", id="70_just_outside_fails"),
    ],
)
def test_karnofsky_at_least_80_for_inclusion_1(kps: int, expected: str) -> None:
    assert inclusion("1", {"karnofsky": kps}) == expected


@pytest.mark.parametrize(
    ("ecog", "expected"),
    [
        pytest.param(0, "met", id="ecog_0_is_kps_90_100_meets"),
        pytest.param(1, "unknown", id="ecog_1_is_kps_70_80_unknown"),
        pytest.param(2, "failed", id="ecog_2_is_kps_50_60_fails"),
    ],
)
def test_karnofsky_read_from_ecog_for_inclusion_1(ecog: int, expected: str) -> None:
    assert inclusion("1", {"ecog": ecog}) == expected


def test_karnofsky_given_directly_wins_over_ecog_for_inclusion_1() -> None:
    assert inclusion("1", {"ecog": 1, "karnofsky": 80}) == "met"


# --- inclusion 2: diagnosis --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        pytest.param(["histology"], "met", id="pathology_meets"),
        pytest.param(["imaging"], "met", id="clinical_on_imaging_meets"),
        pytest.param([], "failed", id="no_diagnosis_fails"),
    ],
)
def test_pathological_or_clinical_diagnosis_for_inclusion_2(basis: list[str], expected: str) -> None:
    assert inclusion("2", {"hcc_diagnosis_basis": basis}) == expected


# --- inclusion 3 / exclusion 1: the first-line regimen ---------------------------------------------------

ALLOWED_FIRST_LINES = [
    pytest.param("Tecentriq + Avastin", id="brands_tecentriq_avastin"),
    pytest.param("atezolizumab + bevacizumab", id="atezolizumab_bevacizumab"),
    pytest.param("A+T", id="abbreviation_a_plus_t"),
    pytest.param("bevacizumab + sintilimab", id="bevacizumab_sintilimab"),
    pytest.param("Avastin + Tyvyt", id="brands_avastin_tyvyt"),
    pytest.param("Lenvima", id="lenvatinib_alone"),
    pytest.param("Lenvima + Keytruda", id="brands_lenvima_keytruda"),
    pytest.param("lenvatinib + camrelizumab", id="lenvatinib_camrelizumab"),
]
OTHER_FIRST_LINES = [
    pytest.param("sorafenib", id="sorafenib"),
    pytest.param("Nexavar", id="brand_nexavar"),
    pytest.param("durvalumab + tremelimumab", id="durvalumab_tremelimumab"),
    pytest.param("bevacizumab + camrelizumab", id="bevacizumab_with_unlisted_pd1"),
    pytest.param("lenvatinib + atezolizumab", id="lenvatinib_with_pdl1_not_pd1"),
    pytest.param("atezolizumab + bevacizumab + lenvatinib", id="triple_combination"),
    pytest.param("Keytruda", id="pd1_alone"),
]


@pytest.mark.parametrize("drugs", ALLOWED_FIRST_LINES)
def test_standard_first_line_regimen_meets_inclusion_3_1(drugs: str) -> None:
    assert inclusion("3.1", treatments=first_line(drugs)) == "met"


@pytest.mark.parametrize("drugs", OTHER_FIRST_LINES)
def test_other_first_line_regimen_fails_inclusion_3_1(drugs: str) -> None:
    assert inclusion("3.1", treatments=first_line(drugs)) == "failed"


@pytest.mark.parametrize("drugs", ALLOWED_FIRST_LINES)
def test_standard_first_line_regimen_clears_exclusion_1(drugs: str) -> None:
    assert exclusion("1", treatments=first_line(drugs)) == "met"


@pytest.mark.parametrize("drugs", OTHER_FIRST_LINES)
def test_other_first_line_regimen_is_excluded_by_exclusion_1(drugs: str) -> None:
    assert exclusion("1", treatments=first_line(drugs)) == "failed"


def test_lenvatinib_with_unrecognised_partner_stays_unknown_for_inclusion_3_1() -> None:
    assert inclusion("3.1", treatments=first_line("lenvatinib + zorplimab-xq")) == "unknown"


def test_unknown_treatment_history_leaves_exclusion_1_unknown() -> None:
    assert exclusion("1") == "unknown"


def test_no_systemic_treatment_clears_exclusion_1_but_fails_inclusion_3_1() -> None:
    assert (exclusion("1", treatments=[]), inclusion("3.1", treatments=[])) == ("met", "failed")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param({}, "met", id="progression_date_meets"),
        pytest.param({"progression_date": None, "progressed": False}, "failed", id="no_progression_fails"),
        pytest.param({"progression_date": None}, "unknown", id="not_said_unknown"),
    ],
)
def test_progression_after_first_line_for_inclusion_3_2(entry: dict[str, Any], expected: str) -> None:
    assert inclusion("3.2", treatments=first_line("Tecentriq + Avastin", **entry)) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        pytest.param(0, "failed", id="0_just_outside_fails"),
        pytest.param(1, "met", id="exactly_1_meets"),
        pytest.param(2, "met", id="2_just_inside_meets"),
        pytest.param(4, "met", id="4_just_inside_meets"),
        pytest.param(5, "met", id="exactly_5_meets"),
        pytest.param(6, "failed", id="6_just_outside_fails"),
    ],
)
def test_one_to_five_progressing_lesions_for_inclusion_3_3(count: int, expected: str) -> None:
    assert inclusion("3.3", {"progressive_lesion_count": count}) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        pytest.param(0, "failed", id="0_just_outside_fails"),
        pytest.param(1, "met", id="exactly_1_meets"),
        pytest.param(2, "met", id="2_just_inside_meets"),
        pytest.param(3, "met", id="exactly_3_meets"),
        pytest.param(4, "failed", id="4_just_outside_fails"),
    ],
)
def test_one_to_three_organs_for_inclusion_3_4(count: int, expected: str) -> None:
    assert inclusion("3.4", {"progressive_organ_count": count}) == expected


def test_progression_definition_is_left_to_the_study_team() -> None:
    assert inclusion("3.5", ELIGIBLE, ATEZO_BEV) == "study_team"


# --- inclusion 4: lesions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param("4.9 cm", "met", id="4.9_cm_just_inside_meets"),
        pytest.param("5 cm", "met", id="exactly_5_cm_meets"),
        pytest.param("5.1 cm", "failed", id="5.1_cm_just_outside_fails"),
        pytest.param("50 mm", "met", id="mm_exactly_50_meets"),
        pytest.param("51 mm", "failed", id="mm_51_fails"),
    ],
)
def test_largest_progressing_lesion_at_most_5_cm_for_inclusion_4_2(size: str, expected: str) -> None:
    assert inclusion("4.2", {"largest_progressive_lesion": size}) == expected


@pytest.mark.parametrize(
    ("measurable", "expected"),
    [pytest.param(True, "met", id="measurable_meets"), pytest.param(False, "failed", id="none_measurable_fails")],
)
def test_at_least_one_measurable_lesion_for_inclusion_4_3(measurable: bool, expected: str) -> None:
    assert inclusion("4.3", {"measurable_disease": measurable}) == expected


# --- inclusion 5: Child-Pugh score ≤ 7 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        pytest.param(6, "met", id="6_just_inside_meets"),
        pytest.param(7, "met", id="exactly_7_meets"),
        pytest.param(8, "failed", id="8_just_outside_fails"),
    ],
)
def test_child_pugh_score_at_most_7_for_inclusion_5(score: int, expected: str) -> None:
    assert inclusion("5", {"child_pugh_score": score}) == expected


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
        pytest.param({"albumin": "3.0 g/dL"}, "met", id="score_6_from_parts_meets"),
        pytest.param({"albumin": "3.0 g/dL", "inr": 1.8}, "met", id="score_7_from_parts_meets"),
        pytest.param({"albumin": "3.0 g/dL", "inr": 1.8, "ascites": "mild"}, "failed", id="score_8_from_parts_fails"),
        pytest.param(
            {"bilirubin": "35 µmol/L", "albumin": "30 g/L"},
            "met",
            id="si_units_bilirubin_2_points_albumin_2_points_score_7_meets",
        ),
    ],
)
def test_child_pugh_score_from_its_parts_for_inclusion_5(changes: dict[str, Any], expected: str) -> None:
    assert inclusion("5", {**CHILD_PUGH_5_PARTS, **changes}) == expected


def test_child_pugh_score_with_parts_missing_stays_unknown_for_inclusion_5() -> None:
    assert inclusion("5", {"bilirubin": "1.0 mg/dL", "albumin": "3.6 g/dL"}) == "unknown"


def test_child_pugh_score_with_parts_missing_but_already_above_7_fails_inclusion_5() -> None:
    # bilirubin 3 + albumin 3 points, and at least 1 point each for the three unknown parts: at least 9
    assert inclusion("5", {"bilirubin": "4 mg/dL", "albumin": "2.5 g/dL"}) == "failed"


# --- inclusion 7: organ function -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wbc", "expected"),
    [
        pytest.param("3.1 x10^9/L", "met", id="3.1_just_inside_meets"),
        pytest.param("3.0 x10^9/L", "met", id="exactly_3.0_meets"),
        pytest.param("2.9 x10^9/L", "failed", id="2.9_just_outside_fails"),
        pytest.param("3000/µL", "met", id="per_ul_exactly_3000_meets"),
        pytest.param("2,900 /uL", "failed", id="per_ul_2900_fails"),
    ],
)
def test_white_cells_at_least_3_x10e9_per_l_for_inclusion_7_1(wbc: str, expected: str) -> None:
    assert inclusion("7.1", {"wbc": wbc}) == expected


@pytest.mark.parametrize(
    ("anc", "expected"),
    [
        pytest.param("1.51 x10^9/L", "met", id="1.51_just_inside_meets"),
        pytest.param("1.5 x10^9/L", "met", id="exactly_1.5_meets"),
        pytest.param("1.49 x10^9/L", "failed", id="1.49_just_outside_fails"),
        pytest.param("1500/µL", "met", id="per_ul_exactly_1500_meets"),
        pytest.param("1.4 x10^3/uL", "failed", id="x10e3_per_ul_1.4_fails"),
    ],
)
def test_neutrophils_at_least_1_5_x10e9_per_l_for_inclusion_7_2(anc: str, expected: str) -> None:
    assert inclusion("7.2", {"anc": anc}) == expected


@pytest.mark.parametrize(
    ("platelets", "expected"),
    [
        pytest.param("50.1 x10^9/L", "met", id="50.1_just_inside_meets"),
        pytest.param("50.0 x10^9/L", "met", id="exactly_50_meets"),
        pytest.param("49.9 x10^9/L", "failed", id="49.9_just_outside_fails"),
        pytest.param("50,000/µL", "met", id="per_ul_exactly_50_000_meets"),
        pytest.param("49,900/µL", "failed", id="per_ul_49_900_fails"),
    ],
)
def test_platelets_at_least_50_x10e9_per_l_for_inclusion_7_3(platelets: str, expected: str) -> None:
    assert inclusion("7.3", {"platelets": platelets}) == expected


@pytest.mark.parametrize(
    ("hemoglobin", "expected"),
    [
        pytest.param("91 g/L", "met", id="91_just_inside_meets"),
        pytest.param("90 g/L", "met", id="exactly_90_meets"),
        pytest.param("89 g/L", "failed", id="89_just_outside_fails"),
        pytest.param("9.0 g/dL", "met", id="g_dl_exactly_9.0_meets"),
        pytest.param("8.9 g/dL", "failed", id="g_dl_8.9_fails"),
    ],
)
def test_haemoglobin_at_least_90_g_per_l_for_inclusion_7_4(hemoglobin: str, expected: str) -> None:
    assert inclusion("7.4", {"hemoglobin": hemoglobin}) == expected


@pytest.mark.parametrize(
    ("albumin", "expected"),
    [
        pytest.param("2.9 g/dL", "met", id="2.9_just_inside_meets"),
        pytest.param("2.8 g/dL", "met", id="exactly_2.8_meets"),
        pytest.param("2.7 g/dL", "failed", id="2.7_just_outside_fails"),
        pytest.param("28 g/L", "met", id="g_l_exactly_28_meets"),
        pytest.param("27 g/L", "failed", id="g_l_27_fails"),
    ],
)
def test_albumin_at_least_2_8_g_per_dl_for_inclusion_7_5(albumin: str, expected: str) -> None:
    assert inclusion("7.5", {"albumin": albumin}) == expected


@pytest.mark.parametrize(
    ("bilirubin", "expected"),
    [
        pytest.param({"xuln": 1.4}, "met", id="1.4_xuln_just_inside_meets"),
        pytest.param({"xuln": 1.5}, "met", id="exactly_1.5_xuln_meets"),
        pytest.param({"xuln": 1.6}, "failed", id="1.6_xuln_just_outside_fails"),
        pytest.param({"value": 25.65, "unit": "µmol/L", "uln": 17.1}, "met", id="umol_l_exactly_1.5_xuln_meets"),
        pytest.param({"value": 1.9, "unit": "mg/dL", "uln": 1.2}, "failed", id="mg_dl_1.58_xuln_fails"),
    ],
)
def test_bilirubin_at_most_1_5_xuln_for_inclusion_7_6(bilirubin: dict[str, Any], expected: str) -> None:
    assert inclusion("7.6", {"bilirubin": bilirubin}) == expected


def test_bilirubin_without_upper_limit_stays_unknown_for_inclusion_7_6() -> None:
    assert inclusion("7.6", {"bilirubin": "1.0 mg/dL"}) == "unknown"


NORMAL_ENZYMES = {"alt": {"xuln": 1.0}, "ast": {"xuln": 1.0}, "alp": {"xuln": 1.0}}


@pytest.mark.parametrize("enzyme", ["alt", "ast", "alp"])
@pytest.mark.parametrize(
    ("xuln", "expected"),
    [
        pytest.param(2.4, "met", id="2.4_xuln_just_inside_meets"),
        pytest.param(2.5, "met", id="exactly_2.5_xuln_meets"),
        pytest.param(2.6, "failed", id="2.6_xuln_just_outside_fails"),
    ],
)
def test_each_liver_enzyme_at_most_2_5_xuln_for_inclusion_7_7(enzyme: str, xuln: float, expected: str) -> None:
    assert inclusion("7.7", {**NORMAL_ENZYMES, enzyme: {"xuln": xuln}}) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(100, "met", id="100_of_uln_40_exactly_2.5_xuln_meets"),
        pytest.param(101, "failed", id="101_of_uln_40_just_above_fails"),
    ],
)
def test_alt_in_u_per_l_with_upper_limit_for_inclusion_7_7(value: int, expected: str) -> None:
    facts = {**NORMAL_ENZYMES, "alt": {"value": value, "unit": "U/L", "uln": 40}}
    assert inclusion("7.7", facts) == expected


def test_unknown_alp_leaves_inclusion_7_7_unknown() -> None:
    assert inclusion("7.7", {"alt": {"xuln": 1.0}, "ast": {"xuln": 1.0}}) == "unknown"


@pytest.mark.parametrize(
    ("creatinine", "expected"),
    [
        pytest.param({"xuln": 1.4}, "met", id="1.4_xuln_just_inside_meets"),
        pytest.param({"xuln": 1.5}, "met", id="exactly_1.5_xuln_meets"),
        pytest.param({"xuln": 1.6}, "failed", id="1.6_xuln_just_outside_fails"),
        pytest.param({"value": 132.6, "unit": "µmol/L", "uln": 88.4}, "met", id="umol_l_exactly_1.5_xuln_meets"),
    ],
)
def test_creatinine_at_most_1_5_xuln_when_clearance_is_low_for_inclusion_7_8(
    creatinine: dict[str, Any], expected: str
) -> None:
    assert inclusion("7.8", {"creatinine": creatinine, "creatinine_clearance": "45 mL/min"}) == expected


@pytest.mark.parametrize(
    ("clearance", "expected"),
    [
        pytest.param("61 mL/min", "met", id="61_just_inside_meets"),
        pytest.param("60 mL/min", "failed", id="exactly_60_fails"),
        pytest.param("59 mL/min", "failed", id="59_just_outside_fails"),
    ],
)
def test_clearance_above_60_ml_min_when_creatinine_is_high_for_inclusion_7_8(clearance: str, expected: str) -> None:
    assert inclusion("7.8", {"creatinine": {"xuln": 2.0}, "creatinine_clearance": clearance}) == expected


@pytest.mark.parametrize(
    "check_id",
    ["3.5", "4.4", "6", "7.9", "8.1", "8.2"],
)
def test_inclusion_items_judged_by_the_study_team(check_id: str) -> None:
    assert inclusion(check_id, ELIGIBLE, ATEZO_BEV) == "study_team"


# --- exclusion 2: progression within 3 months of starting first-line therapy -------------------------------


@pytest.mark.parametrize(
    ("progression", "expected"),
    [
        pytest.param("2025-03-31", "failed", id="one_day_before_3_months_excludes"),
        pytest.param("2025-04-01", "failed", id="exactly_3_months_is_within_3_months_excludes"),
        pytest.param("2025-04-02", "met", id="one_day_after_3_months_clears"),
    ],
)
def test_progression_within_3_months_of_starting_first_line_for_exclusion_2(progression: str, expected: str) -> None:
    treatments = first_line("Tecentriq + Avastin", started="2025-01-01", progression_date=progression)
    assert exclusion("2", treatments=treatments) == expected


def test_never_progressing_on_first_line_clears_exclusion_2() -> None:
    treatments = first_line("Tecentriq + Avastin", progression_date=None, progressed=False)
    assert exclusion("2", treatments=treatments) == "met"


def test_progression_without_a_date_stays_unknown_for_exclusion_2() -> None:
    treatments = first_line("Tecentriq + Avastin", progression_date=None, progressed=True)
    assert exclusion("2", treatments=treatments) == "unknown"


def test_unknown_treatment_history_leaves_exclusion_2_unknown() -> None:
    assert exclusion("2") == "unknown"


# --- exclusion 7.1: other anticancer drugs within 3 months -----------------------------------------------


def two_lines(second_stopped: str) -> list[dict[str, Any]]:
    return [
        {
            "drugs": "Tecentriq + Avastin",
            "line": 1,
            "started": "2025-01-01",
            "stopped": "2025-09-01",
            "progression_date": "2025-08-20",
        },
        {"drugs": "regorafenib", "line": 2, "started": "2025-09-15", "stopped": second_stopped},
    ]


@pytest.mark.parametrize(
    ("stopped", "expected"),
    [
        pytest.param("2026-08-23", "met from 2026-11-24", id="just_under_3_months_ago_excludes"),
        pytest.param("2026-08-22", "met from 2026-11-23", id="exactly_3_months_ago_excludes"),
        pytest.param("2026-08-21", "met", id="3_months_and_1_day_ago_clears"),
    ],
)
def test_another_drug_line_within_3_months_for_exclusion_7_1(stopped: str, expected: str) -> None:
    assert exclusion("7.1", treatments=two_lines(stopped)) == expected


def test_ongoing_first_line_alone_clears_exclusion_7_1() -> None:
    assert exclusion("7.1", treatments=first_line("Tecentriq + Avastin")) == "met"


def test_unknown_treatment_history_leaves_exclusion_7_1_unknown() -> None:
    assert exclusion("7.1") == "unknown"


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        pytest.param("2026-08-23", "met from 2026-11-24", id="just_under_3_months_ago_excludes"),
        pytest.param("2026-08-22", "met from 2026-11-23", id="exactly_3_months_ago_excludes"),
        pytest.param("2026-08-21", "met", id="3_months_and_1_day_ago_clears"),
    ],
)
def test_local_treatment_within_3_months_for_exclusion_7_2(local: str, expected: str) -> None:
    assert (
        exclusion("7.2", {"locoregional_therapy_date": local, "extrahepatic_local_therapy_date": "never"}) == expected
    )


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        pytest.param("2026-08-22", "met from 2026-11-23", id="exactly_3_months_ago_waits_a_day"),
        pytest.param("2026-08-21", "met", id="3_months_and_1_day_ago_clears"),
    ],
)
def test_local_treatment_outside_the_liver_within_3_months_for_exclusion_7_2(local: str, expected: str) -> None:
    assert (
        exclusion("7.2", {"locoregional_therapy_date": "never", "extrahepatic_local_therapy_date": local}) == expected
    )


@pytest.mark.parametrize(
    ("bleeding", "expected"),
    [
        pytest.param("2026-09-23", "met from 2026-11-24", id="just_under_2_months_ago_excludes"),
        pytest.param("2026-09-22", "met from 2026-11-23", id="exactly_2_months_ago_excludes"),
        pytest.param("2026-09-21", "met", id="2_months_and_1_day_ago_clears"),
    ],
)
def test_active_bleeding_within_2_months_for_exclusion_6(bleeding: str, expected: str) -> None:
    facts = {"significant_bleeding_date": bleeding, "variceal_bleeding_date": "never", "gi_bleeding_date": "never"}
    assert exclusion("6", facts) == expected


@pytest.mark.parametrize(
    ("bleeding", "expected"),
    [
        pytest.param("2026-09-22", "met from 2026-11-23", id="variceal_exactly_2_months_ago_excludes"),
        pytest.param("2026-09-21", "met", id="variceal_2_months_and_1_day_ago_clears"),
    ],
)
def test_variceal_bleeding_within_2_months_for_exclusion_6(bleeding: str, expected: str) -> None:
    # vomiting blood from varices is haematemesis: it counts even when no other serious bleeding is recorded
    facts = {"significant_bleeding_date": "never", "variceal_bleeding_date": bleeding, "gi_bleeding_date": "never"}
    assert exclusion("6", facts) == expected


def test_gut_bleeding_not_called_serious_within_2_months_counts_under_exclusion_6() -> None:
    # counted to enrolment: the trial opens 2 months after the bleed, not before
    facts = {"significant_bleeding_date": "never", "variceal_bleeding_date": "never", "gi_bleeding_date": "2026-10-25"}
    assert exclusion("6", facts) == "met from 2026-12-26"


def test_variceal_bleeding_not_known_leaves_exclusion_6_unknown() -> None:
    assert exclusion("6", {"significant_bleeding_date": "never"}) == "unknown"


# --- the other exclusions: true / false / unknown -------------------------------------------------------

EXCLUSIONS = [
    # (check id, facts that exclude, facts that clear)
    ("3", {"first_line_grade3_adverse_event": True}, {"first_line_grade3_adverse_event": False}),
    ("4", {"brain_metastases": True, "brain_metastases_bleeding": True}, {"brain_metastases_bleeding": False}),
    ("4", {"brain_metastases": True, "brain_metastases_bleeding": True}, {"brain_metastases": False}),
    ("5", {"prior_radiotherapy_to_progressing_site": True}, {"prior_radiotherapy_to_progressing_site": False}),
    (
        "6",
        {"significant_bleeding_date": "2026-11-01"},
        {"significant_bleeding_date": "never", "variceal_bleeding_date": "never", "gi_bleeding_date": "never"},
    ),
    (
        "7.2",
        {"locoregional_therapy_date": "2026-10-01"},
        {"locoregional_therapy_date": "never", "extrahepatic_local_therapy_date": "never"},
    ),
    ("8.2", {"active_infection": True}, {"active_infection": False}),
    ("9", {"other_cancer_date": "2015-01-01", "other_cancer_minor": False}, {"other_cancer_date": "never"}),
    ("10.1", {"autoimmune_disease": True}, {"autoimmune_disease": False}),
    ("10.2", {"long_term_steroids_needed": True}, {"long_term_steroids_needed": False}),
    ("11.1", {"drug_allergies": "Stivarga"}, {"drug_allergies": []}),
    ("12", {"solid_organ_transplant": True}, {"solid_organ_transplant": False}),
    ("13.1", {"sex": "female", "pregnant": True}, {"sex": "female", "pregnant": False}),
    ("13.1", {"sex": "female", "pregnant": True}, {"sex": "male"}),
    ("13.2", {"sex": "female", "breastfeeding": True}, {"sex": "female", "breastfeeding": False}),
]
EXCLUSION_IDS = [row[0] for row in EXCLUSIONS]
# Windows counted to enrolment close by themselves: a date, never a "no".
WINDOW_OPENS = {"6": "unknown from 2027-01-02", "7.2": "unknown from 2027-01-02"}


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
    ("kinds", "expected"),
    [
        pytest.param(["low_risk_prostate"], "met", id="early_prostate_cancer_is_an_exception"),
        pytest.param(["non_melanoma_skin"], "met", id="non_melanoma_skin_cancer_is_an_exception"),
        pytest.param(["cervical_in_situ"], "met", id="cervical_carcinoma_in_situ_is_an_exception"),
        pytest.param(["superficial_bladder"], "failed", id="superficial_bladder_cancer_is_not_named_so_excludes"),
        pytest.param(["other_in_situ"], "failed", id="in_situ_cancer_outside_the_cervix_excludes"),
        pytest.param(["non_melanoma_skin", "superficial_bladder"], "failed", id="one_kind_not_named_excludes"),
        pytest.param(None, "unknown", id="minor_cancer_of_unknown_kind_stays_unknown"),
    ],
)
def test_only_the_minor_cancers_named_are_exceptions_to_exclusion_9(kinds: list[str] | None, expected: str) -> None:
    facts: dict[str, Any] = {"other_cancer_date": "2015-01-01", "other_cancer_minor": True}
    if kinds is not None:
        facts["other_cancer_minor_kinds"] = kinds
    assert exclusion("9", facts) == expected


@pytest.mark.parametrize(
    ("allergy", "expected"),
    [
        pytest.param("lenvatinib", "failed", id="lenvatinib_excludes"),
        pytest.param("Opdivo", "failed", id="pd1_nivolumab_excludes"),
        pytest.param("sorafenib", "met", id="sorafenib_does_not_exclude"),
    ],
)
def test_allergy_to_second_line_study_drugs_for_exclusion_11_1(allergy: str, expected: str) -> None:
    assert exclusion("11.1", {"drug_allergies": allergy}) == expected


@pytest.mark.parametrize("check_id", ["8.1", "8.3", "11.2", "14", "15"])
def test_exclusion_items_judged_by_the_study_team(check_id: str) -> None:
    assert exclusion(check_id, ELIGIBLE, ATEZO_BEV) == "study_team"


# --- doses: the second-line drugs follow the first-line regimen ---------------------------------------------


@pytest.mark.parametrize(
    ("drugs", "expected"),
    [
        pytest.param(
            "Tecentriq + Avastin", ["yes", "no"], id="after_atezolizumab_bevacizumab_lenvatinib_or_regorafenib"
        ),
        pytest.param("Lenvima + Keytruda", ["no", "yes"], id="after_lenvatinib_pd1_regorafenib_with_another_pd1"),
    ],
)
def test_second_line_drugs_depend_on_the_first_line_regimen(drugs: str, expected: list[str]) -> None:
    result = result_for(NCT, ELIGIBLE, first_line(drugs))
    assert [d.applies for d in result.doses if d.intervention == "Second-line systemic therapy"] == expected


# --- whole profiles ---------------------------------------------------------------------------------------


def test_profile_meeting_every_rule_is_eligible() -> None:
    result = result_for(NCT, ELIGIBLE, ATEZO_BEV)
    assert (result.verdict, result.failed, result.unknown) == ("eligible", [], [])


def test_six_progressing_lesions_and_low_albumin_make_the_profile_not_eligible_with_both_reasons() -> None:
    facts = {**ELIGIBLE, "progressive_lesion_count": 6, "albumin": "2.5 g/dL"}
    result = result_for(NCT, facts, ATEZO_BEV)
    assert result.verdict == "not_eligible"
    assert {(o.section, o.check) for o in result.failed} == {("inclusion", "3.3"), ("inclusion", "7.5")}


def test_ecog_1_instead_of_karnofsky_makes_the_profile_possibly_eligible() -> None:
    facts = {k: v for k, v in ELIGIBLE.items() if k != "karnofsky"} | {"ecog": 1}
    result = result_for(NCT, facts, ATEZO_BEV)
    assert result.verdict == "possibly_eligible"
    assert [(o.section, o.check) for o in result.unknown] == [("inclusion", "1")]


def test_first_line_sorafenib_fails_both_the_regimen_inclusion_and_exclusion_1() -> None:
    result = result_for(NCT, ELIGIBLE, first_line("sorafenib"))
    assert {(o.section, o.check) for o in result.failed} == {("inclusion", "3.1"), ("exclusion", "1")}


def test_progression_two_months_into_first_line_makes_the_profile_not_eligible() -> None:
    treatments = first_line("Lenvima + Keytruda", progression_date="2025-03-01")
    result = result_for(NCT, ELIGIBLE, treatments)
    assert [(o.section, o.check) for o in result.failed] == [("exclusion", "2")]
