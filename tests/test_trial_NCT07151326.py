"""NCT07151326 (cabozantinib after first-line atezolizumab-bevacizumab or tremelimumab-durvalumab, Taiwan):
every threshold at, just inside and just outside its limit, unit variants, each exclusion true / false /
unknown, the first-line rule with brand names, and three whole profiles. Assessment date: 2026-11-22.

For an exclusion, 'failed' means the person is excluded and 'met' that they are not.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import check_status, result_for

NCT = "NCT07151326"
EXCLUDED, NOT_EXCLUDED = "failed", "met"

ATEZO_BEV = [{"drugs": "Tecentriq + Avastin", "started": "2025-01-01", "progression_date": "2025-09-01", "cycles": 8}]


def inclusion(check: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check, facts, treatments, section="inclusion")


def exclusion(check: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check, facts, treatments, section="exclusion")


# --- inclusion 3: age ≥ 18 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [(19, "met"), (18, "met"), (17, "failed")],
    ids=["19_meets", "exactly_18_meets", "17_fails"],
)
def test_age_threshold_of_inclusion_3(age: int, expected: str) -> None:
    assert inclusion("3", {"age": age}) == expected


@pytest.mark.parametrize(
    ("born", "expected"),
    [("2008-11-22", "met"), ("2008-11-23", "failed")],
    ids=["18th_birthday_today_meets", "18th_birthday_tomorrow_fails"],
)
def test_age_from_date_of_birth_decides_inclusion_3(born: str, expected: str) -> None:
    assert inclusion("3", {"date_of_birth": born}) == expected


# --- inclusions 4, 6, 7, 8, 9 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "expected"),
    [(["histology"], "met"), (["imaging", "histology"], "met"), (["imaging"], "failed"), (["cytology"], "failed")],
    ids=["histology", "imaging_and_histology", "imaging_only_fails", "cytology_only_fails"],
)
def test_hcc_must_be_confirmed_by_histology_for_inclusion_4(basis: list[str], expected: str) -> None:
    assert inclusion("4", {"hcc_diagnosis_basis": basis}) == expected


@pytest.mark.parametrize(
    ("curable", "expected"), [(False, "met"), (True, "failed")], ids=["not_curable_meets", "curable_fails"]
)
def test_disease_not_amenable_to_curative_therapy_for_inclusion_6(curable: bool, expected: str) -> None:
    assert inclusion("6", {"curative_treatment_possible": curable}) == expected


def test_no_measurable_lesion_fails_inclusion_7_1() -> None:
    assert inclusion("7.1", {"measurable_disease": False}) == "failed"


@pytest.mark.parametrize(
    ("ecog", "expected"), [(0, "met"), (1, "met"), (2, "failed")], ids=["ecog_0_meets", "ecog_1_meets", "ecog_2_fails"]
)
def test_ecog_limit_of_inclusion_8(ecog: int, expected: str) -> None:
    assert inclusion("8", {"ecog": ecog}) == expected


def test_child_pugh_a_derived_from_labs_meets_inclusion_9() -> None:
    # bilirubin 1 mg/dL (1), albumin 3.6 g/dL (1), INR 1.1 (1), no ascites (1), no encephalopathy (1) = 5 = A
    facts = {
        "bilirubin": "1.0 mg/dL",
        "albumin": "3.6 g/dL",
        "inr": 1.1,
        "ascites": "none",
        "hepatic_encephalopathy": "none",
    }
    assert inclusion("9", facts) == "met"


def test_child_pugh_b_derived_from_labs_fails_inclusion_9() -> None:
    # bilirubin 2.5 mg/dL (2), albumin 3.0 g/dL (2), INR 1.1 (1), no ascites (1), none (1) = 7 = B
    facts = {
        "bilirubin": "2.5 mg/dL",
        "albumin": "3.0 g/dL",
        "inr": 1.1,
        "ascites": "none",
        "hepatic_encephalopathy": "none",
    }
    assert inclusion("9", facts) == "failed"


# --- inclusion 5: first-line atezolizumab + bevacizumab or tremelimumab + durvalumab, with progression ----


def first_line(drugs: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"drugs": drugs, "started": "2025-01-01", "progression_date": "2025-09-01", **extra}]


@pytest.mark.parametrize(
    ("drugs", "expected"),
    [
        ("Imfinzi and Imjudo", "met"),
        ("Tecentriq + Avastin", "met"),
        ("atezolizumab, bevacizumab", "met"),
        ("STRIDE", "met"),
        ("Opdivo/Yervoy", "failed"),
        ("lenvatinib", "failed"),
        ("Tecentriq", "failed"),
        ("Tecentriq + Avastin + Lenvima", "failed"),
        ("Imfinzi", "failed"),
        ("Imfinzi + Imjudo + Lenvima", "failed"),
        ("Keytruda + Lenvima", "failed"),
    ],
    ids=[
        "imfinzi_and_imjudo_meets",
        "tecentriq_plus_avastin_meets",
        "generic_names_meet",
        "stride_meets",
        "opdivo_yervoy_fails",
        "lenvatinib_fails",
        "atezolizumab_alone_fails",
        "atezo_bev_plus_lenvatinib_fails",
        "durvalumab_alone_fails",
        "durva_treme_plus_lenvatinib_fails",
        "pembrolizumab_lenvatinib_fails",
    ],
)
def test_first_line_regimen_of_inclusion_5_1(drugs: str, expected: str) -> None:
    assert inclusion("5.1", treatments=first_line(drugs)) == expected


def test_first_line_with_an_unrecognised_partner_drug_is_unknown_for_inclusion_5_1() -> None:
    assert inclusion("5.1", treatments=first_line("Tecentriq + Qwertyzumab")) == "unknown"


def test_no_systemic_treatment_at_all_fails_inclusion_5_1() -> None:
    assert inclusion("5.1", treatments="none") == "failed"


def test_first_line_is_the_earliest_regimen_for_inclusion_5_1() -> None:
    treatments = [
        {"drugs": "lenvatinib", "started": "2026-01-10"},
        {"drugs": "Tecentriq + Avastin", "started": "2025-01-01", "progression_date": "2025-12-01"},
    ]
    assert inclusion("5.1", treatments=treatments) == "met"


@pytest.mark.parametrize(
    ("treatments", "expected"),
    [
        (ATEZO_BEV, "met"),
        ([{"drugs": "Imfinzi + Imjudo", "started": "2025-01-01", "progressed": True}], "met"),
        ([{"drugs": "Imfinzi + Imjudo", "started": "2025-01-01", "progressed": False}], "failed"),
        ([{"drugs": "Imfinzi + Imjudo", "started": "2025-01-01"}], "unknown"),
    ],
    ids=["progression_date_meets", "progressed_yes_meets", "progressed_no_fails", "progression_not_said_unknown"],
)
def test_progression_on_first_line_for_inclusion_5_2(treatments: list[dict[str, Any]], expected: str) -> None:
    assert inclusion("5.2", treatments=treatments) == expected


# --- inclusion 10: blood counts and chemistry ----------------------------------------------------


@pytest.mark.parametrize(
    ("wbc", "expected"),
    [("3,100/µL", "met"), ("3,000/µL", "met"), ("2,900/µL", "failed"), ("3.0 ×10⁹/L", "met"), ("2.9 ×10⁹/L", "failed")],
    ids=[
        "3100_per_ul_meets",
        "exactly_3000_per_ul_meets",
        "2900_per_ul_fails",
        "3_0_x10e9_per_l_meets",
        "2_9_x10e9_per_l_fails",
    ],
)
def test_wbc_threshold_of_inclusion_10_1(wbc: str, expected: str) -> None:
    assert inclusion("10.1", {"wbc": wbc}) == expected


@pytest.mark.parametrize(
    ("anc", "expected"),
    [
        ("1,300/µL", "met"),
        ("1,200/µL", "met"),
        ("1,100/µL", "failed"),
        ("1.2 ×10⁹/L", "met"),
        ("1.19 10^3/µL", "failed"),
    ],
    ids=[
        "1300_per_ul_meets",
        "exactly_1200_per_ul_meets",
        "1100_per_ul_fails",
        "1_2_x10e9_per_l_meets",
        "1_19_x10e3_per_ul_fails",
    ],
)
def test_anc_threshold_of_inclusion_10_2(anc: str, expected: str) -> None:
    assert inclusion("10.2", {"anc": anc}) == expected


@pytest.mark.parametrize(
    ("platelets", "expected"),
    [
        ("61,000/µL", "met"),
        ("60,000/µL", "met"),
        ("59,000/µL", "failed"),
        ("60 ×10⁹/L", "met"),
        ("59 ×10⁹/L", "failed"),
    ],
    ids=[
        "61000_per_ul_meets",
        "exactly_60000_per_ul_meets",
        "59000_per_ul_fails",
        "60_x10e9_per_l_meets",
        "59_x10e9_per_l_fails",
    ],
)
def test_platelet_threshold_of_inclusion_10_3(platelets: str, expected: str) -> None:
    assert inclusion("10.3", {"platelets": platelets}) == expected


@pytest.mark.parametrize(
    ("hemoglobin", "expected"),
    [("8.1 g/dL", "met"), ("8 g/dL", "met"), ("7.9 g/dL", "failed"), ("80 g/L", "met"), ("79 g/L", "failed")],
    ids=[
        "8_1_g_per_dl_meets",
        "exactly_8_g_per_dl_meets",
        "7_9_g_per_dl_fails",
        "80_g_per_l_meets",
        "79_g_per_l_fails",
    ],
)
def test_hemoglobin_threshold_of_inclusion_10_4(hemoglobin: str, expected: str) -> None:
    assert inclusion("10.4", {"hemoglobin": hemoglobin}) == expected


@pytest.mark.parametrize(
    ("xuln", "expected"),
    [(1.4, "met"), (1.5, "met"), (1.6, "unknown")],
    ids=["1_4_xuln_meets", "exactly_1_5_xuln_meets", "1_6_xuln_without_clearance_unknown"],
)
def test_creatinine_threshold_of_inclusion_10_5(xuln: float, expected: str) -> None:
    assert inclusion("10.5", {"creatinine": {"xuln": xuln}}) == expected


def test_creatinine_above_1_5_xuln_and_clearance_below_40_fails_inclusion_10_5() -> None:
    assert inclusion("10.5", {"creatinine": {"xuln": 1.6}, "creatinine_clearance": "39 mL/min"}) == "failed"


def test_creatinine_given_as_value_and_uln_at_1_5_xuln_meets_inclusion_10_5() -> None:
    # 1.8 mg/dL with a ULN of 1.2 mg/dL = 1.5 × ULN
    assert inclusion("10.5", {"creatinine": {"value": 1.8, "unit": "mg/dL", "uln": 1.2}}) == "met"


@pytest.mark.parametrize(
    ("age", "sex", "expected"),
    [(59, "male", "met"), (60, "male", "met"), (61, "male", "failed"), (60, "female", "failed")],
    ids=["clearance_40_5_meets", "clearance_exactly_40_meets", "clearance_39_5_fails", "female_clearance_34_fails"],
)
def test_cockcroft_gault_clearance_alternative_of_inclusion_10_5(age: int, sex: str, expected: str) -> None:
    # Creatinine 2.0 mg/dL with ULN 1.2 (1.67 × ULN: the first alternative fails), weight 72 kg.
    # Cockcroft-Gault (140 - age) × 72 / (72 × 2.0): age 59 -> 81 × 72 / 144 = 40.5; age 60 -> 80 × 72 / 144
    # = 40.0; age 61 -> 79 × 72 / 144 = 39.5 mL/min; a woman of 60: 40.0 × 0.85 = 34.0 mL/min.
    facts = {"age": age, "sex": sex, "weight": "72 kg", "creatinine": {"value": 2.0, "unit": "mg/dL", "uln": 1.2}}
    assert inclusion("10.5", facts) == expected


def test_cockcroft_gault_from_creatinine_in_umol_per_l_meets_inclusion_10_5() -> None:
    # 176.8 µmol/L = 2.0 mg/dL (÷ 88.4); ULN 106.08 µmol/L = 1.2 mg/dL; man of 60, 72 kg -> 40.0 mL/min
    facts = {
        "age": 60,
        "sex": "male",
        "weight": "72 kg",
        "creatinine": {"value": 176.8, "unit": "µmol/L", "uln": 106.08},
    }
    assert inclusion("10.5", facts) == "met"


def test_clearance_with_sex_unknown_straddling_40_is_unknown_for_inclusion_10_5() -> None:
    # age 60, 72 kg, creatinine 2.0 mg/dL: between 34.0 (female) and 40.0 (male) mL/min
    facts = {"age": 60, "weight": "72 kg", "creatinine": {"value": 2.0, "unit": "mg/dL", "uln": 1.2}}
    assert inclusion("10.5", facts) == "unknown"


@pytest.mark.parametrize(
    ("ast", "alt", "alp", "expected"),
    [
        ({"xuln": 4.9}, {"xuln": 4.9}, {"xuln": 4.9}, "met"),
        ({"xuln": 5}, {"xuln": 5}, {"value": 600, "unit": "U/L", "uln": 120}, "met"),
        ({"xuln": 5.1}, {"xuln": 1}, {"xuln": 1}, "failed"),
        ({"xuln": 1}, {"xuln": 5.1}, {"xuln": 1}, "failed"),
        ({"xuln": 1}, {"xuln": 1}, {"value": 601, "unit": "U/L", "uln": 120}, "failed"),
    ],
    ids=[
        "all_4_9_xuln_meet",
        "all_exactly_5_xuln_meet",
        "ast_5_1_xuln_fails",
        "alt_5_1_xuln_fails",
        "alp_601_of_uln_120_fails",
    ],
)
def test_liver_enzyme_threshold_of_inclusion_10_6(ast: Any, alt: Any, alp: Any, expected: str) -> None:
    assert inclusion("10.6", {"ast": ast, "alt": alt, "alp": alp}) == expected


def test_liver_enzymes_with_alp_missing_are_unknown_for_inclusion_10_6() -> None:
    assert inclusion("10.6", {"ast": {"xuln": 1}, "alt": {"xuln": 1}}) == "unknown"


@pytest.mark.parametrize(
    ("bilirubin", "expected"),
    [
        ({"xuln": 1.9}, "met"),
        ({"xuln": 2}, "met"),
        ({"xuln": 2.1}, "failed"),
        ({"value": 2.4, "unit": "mg/dL", "uln": 1.2}, "met"),
        ({"value": 41.04, "unit": "µmol/L", "uln": 20.52}, "met"),
        ({"value": 42, "unit": "µmol/L", "uln": 20.52}, "failed"),
    ],
    ids=[
        "1_9_xuln_meets",
        "exactly_2_xuln_meets",
        "2_1_xuln_fails",
        "2_4_of_uln_1_2_mg_per_dl_meets",
        "41_04_of_uln_20_52_umol_per_l_meets",
        "42_of_uln_20_52_umol_per_l_fails",
    ],
)
def test_bilirubin_threshold_of_inclusion_10_7(bilirubin: Any, expected: str) -> None:
    assert inclusion("10.7", {"bilirubin": bilirubin}) == expected


@pytest.mark.parametrize(
    ("albumin", "expected"),
    [("28.1 g/L", "met"), ("28 g/L", "failed"), ("27.9 g/L", "failed"), ("2.81 g/dL", "met"), ("2.8 g/dL", "failed")],
    ids=[
        "28_1_g_per_l_meets",
        "exactly_28_g_per_l_fails",
        "27_9_g_per_l_fails",
        "2_81_g_per_dl_meets",
        "exactly_2_8_g_per_dl_fails",
    ],
)
def test_albumin_must_be_above_28_g_per_l_for_inclusion_10_8(albumin: str, expected: str) -> None:
    assert inclusion("10.8", {"albumin": albumin}) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"urine_protein_dipstick": "1+"}, "met"),
        ({"urine_protein_dipstick": "negative"}, "met"),
        ({"urine_protein_dipstick": "2+"}, "unknown"),
        ({"urine_protein_dipstick": "2+", "urine_protein_24h": "0.9 g/24h"}, "met"),
        ({"urine_protein_dipstick": "2+", "urine_protein_24h": "1 g/24h"}, "failed"),
        ({"urine_protein_dipstick": "3+", "urine_protein_24h": "1.1 g/24h"}, "failed"),
        ({"urine_protein_dipstick": "3+", "urine_protein_24h": "999 mg/24h"}, "met"),
    ],
    ids=[
        "dipstick_1plus_meets",
        "dipstick_negative_meets",
        "dipstick_exactly_2plus_without_24h_unknown",
        "2plus_with_0_9_g_meets",
        "2plus_with_exactly_1_g_fails",
        "3plus_with_1_1_g_fails",
        "3plus_with_999_mg_meets",
    ],
)
def test_proteinuria_rule_of_inclusion_10_9(facts: dict[str, Any], expected: str) -> None:
    assert inclusion("10.9", facts) == expected


# --- inclusions 11 and 13 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"prior_treatment_toxicity_resolved": True}, "met"),
        ({"prior_treatment_toxicity_resolved": False, "prior_toxicity_nonsignificant_or_stable": True}, "met"),
        ({"prior_treatment_toxicity_resolved": False, "prior_toxicity_nonsignificant_or_stable": False}, "failed"),
        ({"prior_treatment_toxicity_resolved": False}, "unknown"),
    ],
    ids=[
        "resolved_meets",
        "unresolved_but_stable_on_support_meets",
        "unresolved_and_significant_fails",
        "unresolved_exception_unknown",
    ],
)
def test_recovery_from_prior_side_effects_for_inclusion_11(facts: dict[str, Any], expected: str) -> None:
    assert inclusion("11", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"sex": "male", "willing_contraception": True}, "met"),
        ({"sex": "male", "willing_contraception": False, "vasectomy": True}, "met"),
        ({"sex": "male", "willing_contraception": False, "vasectomy": False, "sexually_active": True}, "failed"),
        ({"sex": "male", "willing_contraception": False, "vasectomy": False, "sexually_active": False}, "met"),
        ({"sex": "male", "willing_contraception": False, "vasectomy": False}, "unknown"),
        ({"sex": "female", "willing_contraception": False, "postmenopausal": True}, "met"),
        (
            {
                "sex": "female",
                "willing_contraception": False,
                "childbearing_potential": True,
                "postmenopausal": False,
                "sexually_active": True,
            },
            "failed",
        ),
        ({"sex": "female"}, "unknown"),
    ],
    ids=[
        "man_willing_meets",
        "man_with_vasectomy_meets",
        "sexually_active_man_unwilling_fails",
        "man_not_sexually_active_meets",
        "man_unwilling_sexual_activity_unknown",
        "postmenopausal_woman_meets",
        "fertile_woman_unwilling_fails",
        "woman_nothing_known_unknown",
    ],
)
def test_contraception_for_inclusion_13(facts: dict[str, Any], expected: str) -> None:
    assert inclusion("13", facts) == expected


# --- checks left to the study team -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "check"),
    [("inclusion", c) for c in ("1", "2", "7.2", "10.0", "14")]
    + [("exclusion", c) for c in ("11.0", "11.4", "11.8", "12.3", "13.2", "20")],
    ids=lambda v: str(v),
)
def test_judgement_items_are_left_to_the_study_team(section: str, check: str) -> None:
    assert check_status(NCT, check, {}, section=section) == "study_team"


# --- exclusions: each true / false / unknown --------------------------------------------------------

EXCLUSION_CASES: list[tuple[str, str, dict[str, Any], Any, str]] = [
    # (id, check, facts, treatments, expected)
    ("1_fibrolamellar_excluded", "1", {"hcc_subtype": "fibrolamellar"}, None, EXCLUDED),
    ("1_mixed_hcc_cca_excluded", "1", {"hcc_subtype": "combined_hcc_cholangiocarcinoma"}, None, EXCLUDED),
    ("1_sarcomatoid_not_excluded", "1", {"hcc_subtype": "sarcomatoid"}, None, NOT_EXCLUDED),
    ("1_conventional_not_excluded", "1", {"hcc_subtype": "conventional"}, None, NOT_EXCLUDED),
    ("1_subtype_unknown", "1", {}, None, "unknown"),
    ("2_prior_cabometyx_excluded", "2", {}, ATEZO_BEV + [{"drugs": "Cabometyx", "started": "2026-01-01"}], EXCLUDED),
    ("2_cabozantinib_given_as_prior_drugs_excluded", "2", {"prior_drugs": ["cabozantinib"]}, None, EXCLUDED),
    ("2_only_atezo_bev_not_excluded", "2", {}, ATEZO_BEV, NOT_EXCLUDED),
    ("2_history_unknown", "2", {}, None, "unknown"),
    ("3_second_regimen_excluded", "3", {}, ATEZO_BEV + [{"drugs": "sorafenib", "started": "2025-10-01"}], EXCLUDED),
    ("3_two_lines_given_directly_excluded", "3", {"prior_systemic_lines": 2}, None, EXCLUDED),
    ("3_exactly_one_line_not_excluded", "3", {"prior_systemic_lines": 1}, None, NOT_EXCLUDED),
    ("3_only_first_line_not_excluded", "3", {}, ATEZO_BEV, NOT_EXCLUDED),
    ("3_history_unknown", "3", {}, None, "unknown"),
    ("4_locoregional_27_days_ago_waits", "4", {"locoregional_therapy_date": "2026-10-26"}, None, "met from 2026-11-24"),
    (
        "4_locoregional_exactly_4_weeks_ago_waits",
        "4",
        {"locoregional_therapy_date": "2026-10-25"},
        None,
        "met from 2026-11-23",
    ),
    ("4_locoregional_29_days_ago_not_excluded", "4", {"locoregional_therapy_date": "2026-10-24"}, None, NOT_EXCLUDED),
    ("4_never_locoregional_not_excluded", "4", {"locoregional_therapy_date": "never"}, None, NOT_EXCLUDED),
    ("4_unknown", "4", {}, None, "unknown"),
    (
        "5_locoregional_after_progression_excluded",
        "5",
        {"locoregional_after_first_line_progression": True},
        None,
        EXCLUDED,
    ),
    (
        "5_none_after_progression_not_excluded",
        "5",
        {"locoregional_after_first_line_progression": False},
        None,
        NOT_EXCLUDED,
    ),
    ("5_unknown", "5", {}, None, "unknown"),
    (
        "6_untreated_brain_metastases_excluded",
        "6",
        {"brain_metastases": True, "brain_metastases_treated_stable": False},
        None,
        EXCLUDED,
    ),
    (
        "6_treated_stable_brain_metastases_not_excluded",
        "6",
        {"brain_metastases": True, "brain_metastases_treated_stable": True},
        None,
        NOT_EXCLUDED,
    ),
    ("6_no_brain_metastases_not_excluded", "6", {"brain_metastases": False}, None, NOT_EXCLUDED),
    ("6_brain_metastases_treatment_unknown", "6", {"brain_metastases": True}, None, "unknown"),
    ("6_unknown", "6", {}, None, "unknown"),
    ("7_ivc_or_heart_invasion_excluded", "7", {"major_vessel_invasion": True}, None, EXCLUDED),
    ("7_no_major_vessel_invasion_not_excluded", "7", {"major_vessel_invasion": False}, None, NOT_EXCLUDED),
    ("7_unknown", "7", {}, None, "unknown"),
    ("8_1_hbv_dna_2001_excluded", "8.1", {"hbv_infection": True, "hbv_dna": "2001 IU/mL"}, None, EXCLUDED),
    (
        "8_1_hbv_dna_exactly_2000_not_excluded",
        "8.1",
        {"hbv_infection": True, "hbv_dna": "2000 IU/mL"},
        None,
        NOT_EXCLUDED,
    ),
    ("8_1_hbv_dna_1999_not_excluded", "8.1", {"hbv_infection": True, "hbv_dna": "1999 IU/mL"}, None, NOT_EXCLUDED),
    (
        "8_1_10005_copies_is_2001_iu_excluded",
        "8.1",
        {"hbv_infection": True, "hbv_dna": "10005 copies/mL"},
        None,
        EXCLUDED,
    ),
    (
        "8_1_10000_copies_is_2000_iu_not_excluded",
        "8.1",
        {"hbv_infection": True, "hbv_dna": "10000 copies/mL"},
        None,
        NOT_EXCLUDED,
    ),
    ("8_1_no_hepatitis_b_not_excluded", "8.1", {"hbv_infection": False}, None, NOT_EXCLUDED),
    ("8_1_hepatitis_b_dna_unknown", "8.1", {"hbv_infection": True}, None, "unknown"),
    ("8_2_detectable_hcv_rna_excluded", "8.2", {"hcv_infection": True, "hcv_rna_detectable": True}, None, EXCLUDED),
    ("8_2_cured_hcv_not_excluded", "8.2", {"hcv_infection": True, "hcv_rna_detectable": False}, None, NOT_EXCLUDED),
    ("8_2_no_hepatitis_c_not_excluded", "8.2", {"hcv_infection": False}, None, NOT_EXCLUDED),
    ("8_2_hcv_rna_unknown", "8.2", {"hcv_infection": True}, None, "unknown"),
    ("10_warfarin_excluded", "10", {"blood_thinners": ["warfarin"]}, None, EXCLUDED),
    ("10_full_dose_heparin_excluded", "10", {"blood_thinners": ["heparin_full_dose"]}, None, EXCLUDED),
    ("10_doac_excluded", "10", {"blood_thinners": ["doac", "aspirin_low_dose"]}, None, EXCLUDED),
    ("10_low_dose_warfarin_not_excluded", "10", {"blood_thinners": ["warfarin_low_dose"]}, None, NOT_EXCLUDED),
    ("10_preventive_heparin_not_excluded", "10", {"blood_thinners": ["heparin_preventive"]}, None, NOT_EXCLUDED),
    ("10_low_dose_aspirin_not_excluded", "10", {"blood_thinners": ["aspirin_low_dose"]}, None, NOT_EXCLUDED),
    ("10_no_blood_thinners_not_excluded", "10", {"blood_thinners": "none"}, None, NOT_EXCLUDED),
    ("10_unknown", "10", {}, None, "unknown"),
    ("11_1_symptomatic_heart_failure_excluded", "11.1", {"nyha_class": "ii"}, None, EXCLUDED),
    ("11_1_unstable_angina_excluded", "11.1", {"nyha_class": "none", "unstable_angina": True}, None, EXCLUDED),
    ("11_1_uncontrolled_arrhythmia_excluded", "11.1", {"arrhythmia_uncontrolled": True}, None, EXCLUDED),
    (
        "11_1_no_heart_disease_not_excluded",
        "11.1",
        {"nyha_class": "none", "unstable_angina": False, "arrhythmia_uncontrolled": False},
        None,
        NOT_EXCLUDED,
    ),
    (
        "11_1_asymptomatic_nyha_i_not_excluded",
        "11.1",
        {"nyha_class": "i", "unstable_angina": False, "arrhythmia_uncontrolled": False},
        None,
        NOT_EXCLUDED,
    ),
    ("11_1_arrhythmia_unknown", "11.1", {"nyha_class": "none", "unstable_angina": False}, None, "unknown"),
    ("11_2_systolic_151_excluded", "11.2", {"systolic_bp": "151 mmHg", "diastolic_bp": "80 mmHg"}, None, EXCLUDED),
    (
        "11_2_systolic_exactly_150_not_excluded",
        "11.2",
        {"systolic_bp": "150 mmHg", "diastolic_bp": "80 mmHg"},
        None,
        NOT_EXCLUDED,
    ),
    (
        "11_2_systolic_149_not_excluded",
        "11.2",
        {"systolic_bp": "149 mmHg", "diastolic_bp": "80 mmHg"},
        None,
        NOT_EXCLUDED,
    ),
    ("11_2_diastolic_101_excluded", "11.2", {"systolic_bp": "130 mmHg", "diastolic_bp": "101 mmHg"}, None, EXCLUDED),
    (
        "11_2_diastolic_exactly_100_not_excluded",
        "11.2",
        {"systolic_bp": "130 mmHg", "diastolic_bp": "100 mmHg"},
        None,
        NOT_EXCLUDED,
    ),
    (
        "11_2_diastolic_99_not_excluded",
        "11.2",
        {"systolic_bp": "130 mmHg", "diastolic_bp": "99 mmHg"},
        None,
        NOT_EXCLUDED,
    ),
    (
        "11_2_systolic_20_kpa_is_150_01_mmhg_excluded",
        "11.2",
        {"systolic_bp": "20 kPa", "diastolic_bp": "80 mmHg"},
        None,
        EXCLUDED,
    ),
    ("11_2_diastolic_unknown", "11.2", {"systolic_bp": "130 mmHg"}, None, "unknown"),
    (
        "11_3_stroke_6_months_less_a_day_excluded",
        "11.3",
        {"stroke_date": "2026-05-23", "myocardial_infarction_date": "never"},
        None,
        EXCLUDED,
    ),
    (
        "11_3_stroke_exactly_6_months_excluded",
        "11.3",
        {"stroke_date": "2026-05-22", "myocardial_infarction_date": "never"},
        None,
        EXCLUDED,
    ),
    (
        "11_3_stroke_6_months_and_a_day_not_excluded",
        "11.3",
        {"stroke_date": "2026-05-21", "myocardial_infarction_date": "never"},
        None,
        NOT_EXCLUDED,
    ),
    (
        "11_3_heart_attack_exactly_6_months_excluded",
        "11.3",
        {"stroke_date": "never", "myocardial_infarction_date": "2026-05-22"},
        None,
        EXCLUDED,
    ),
    ("11_3_heart_attack_unknown", "11.3", {"stroke_date": "never"}, None, "unknown"),
    ("11_5_clot_3_months_less_a_day_excluded", "11.5", {"thromboembolism_date": "2026-08-23"}, None, EXCLUDED),
    ("11_5_clot_exactly_3_months_excluded", "11.5", {"thromboembolism_date": "2026-08-22"}, None, EXCLUDED),
    ("11_5_clot_3_months_and_a_day_not_excluded", "11.5", {"thromboembolism_date": "2026-08-21"}, None, NOT_EXCLUDED),
    ("11_5_unknown", "11.5", {}, None, "unknown"),
    ("11_6_gi_high_risk_disorder_excluded", "11.6", {"gi_high_risk_disorder": True}, None, EXCLUDED),
    ("11_6_no_gi_disorder_not_excluded", "11.6", {"gi_high_risk_disorder": False}, None, NOT_EXCLUDED),
    ("11_6_unknown", "11.6", {}, None, "unknown"),
    ("11_7_perforation_6_months_less_a_day_excluded", "11.7", {"gi_perforation_date": "2026-05-23"}, None, EXCLUDED),
    ("11_7_perforation_exactly_6_months_excluded", "11.7", {"gi_perforation_date": "2026-05-22"}, None, EXCLUDED),
    (
        "11_7_perforation_6_months_and_a_day_not_excluded",
        "11.7",
        {"gi_perforation_date": "2026-05-21"},
        None,
        NOT_EXCLUDED,
    ),
    ("11_7_unknown", "11.7", {}, None, "unknown"),
    (
        "12_1_surgery_2_months_less_a_day_waits",
        "12.1",
        {"major_surgery_date": "2026-09-23"},
        None,
        "met from 2026-11-24",
    ),
    ("12_1_surgery_exactly_2_months_waits", "12.1", {"major_surgery_date": "2026-09-22"}, None, "met from 2026-11-23"),
    ("12_1_surgery_2_months_and_a_day_not_excluded", "12.1", {"major_surgery_date": "2026-09-21"}, None, NOT_EXCLUDED),
    ("12_1_unknown", "12.1", {}, None, "unknown"),
    (
        "12_2_not_healed_from_surgery_excluded",
        "12.2",
        {"major_surgery_date": "2026-06-01", "recovered_from_surgery": False},
        None,
        EXCLUDED,
    ),
    (
        "12_2_healed_not_excluded",
        "12.2",
        {"major_surgery_date": "2026-06-01", "recovered_from_surgery": True},
        None,
        NOT_EXCLUDED,
    ),
    ("12_2_no_major_surgery_not_excluded", "12.2", {"major_surgery_date": "never"}, None, NOT_EXCLUDED),
    ("12_2_healing_unknown", "12.2", {"major_surgery_date": "2026-06-01"}, None, "unknown"),
    (
        "13_1_bleeding_3_months_less_a_day_waits",
        "13.1",
        {"significant_bleeding_date": "2026-08-23", "variceal_bleeding_date": "never"},
        None,
        "met from 2026-11-24",
    ),
    (
        "13_1_bleeding_exactly_3_months_waits",
        "13.1",
        {"significant_bleeding_date": "2026-08-22", "variceal_bleeding_date": "never"},
        None,
        "met from 2026-11-23",
    ),
    (
        "13_1_bleeding_3_months_and_a_day_not_excluded",
        "13.1",
        {"significant_bleeding_date": "2026-08-21", "variceal_bleeding_date": "never"},
        None,
        NOT_EXCLUDED,
    ),
    (
        "13_1_variceal_bleeding_exactly_3_months_waits",
        "13.1",
        {"significant_bleeding_date": "never", "variceal_bleeding_date": "2026-08-22"},
        None,
        "met from 2026-11-23",
    ),
    ("13_1_variceal_bleeding_unknown", "13.1", {"significant_bleeding_date": "never"}, None, "unknown"),
    ("14_moderate_ascites_excluded", "14", {"ascites": "moderate"}, None, EXCLUDED),
    ("14_severe_ascites_excluded", "14", {"ascites": "severe"}, None, EXCLUDED),
    (
        "14_mild_ascites_without_treatment_not_excluded",
        "14",
        {"ascites": "mild", "ascites_treated": False},
        None,
        NOT_EXCLUDED,
    ),
    (
        "14_radiological_ascites_without_treatment_not_excluded",
        "14",
        {"ascites": "radiological", "ascites_treated": False},
        None,
        NOT_EXCLUDED,
    ),
    (
        "14_radiological_ascites_on_diuretics_excluded",
        "14",
        {"ascites": "radiological", "ascites_treated": True},
        None,
        EXCLUDED,
    ),
    ("14_radiological_ascites_treatment_unknown", "14", {"ascites": "radiological"}, None, "unknown"),
    ("14_unknown", "14", {}, None, "unknown"),
    ("15_qtcf_501_alone_to_confirm", "15", {"qtcf": "501 ms"}, None, "unknown"),
    ("15_qtcf_501_mean_of_3_501_excluded", "15", {"qtcf": "501 ms", "qtcf_mean_of_three": "501 ms"}, None, EXCLUDED),
    (
        "15_qtcf_501_mean_of_3_500_not_excluded",
        "15",
        {"qtcf": "501 ms", "qtcf_mean_of_three": "500 ms"},
        None,
        NOT_EXCLUDED,
    ),
    ("15_qtcf_exactly_500_not_excluded", "15", {"qtcf": "500 ms"}, None, NOT_EXCLUDED),
    ("15_qtcf_499_not_excluded", "15", {"qtcf": "499 ms"}, None, NOT_EXCLUDED),
    ("15_unknown", "15", {}, None, "unknown"),
    ("16_cabometyx_allergy_excluded", "16", {"drug_allergies": ["Cabometyx"]}, None, EXCLUDED),
    ("16_other_allergy_not_excluded", "16", {"drug_allergies": ["sorafenib"]}, None, NOT_EXCLUDED),
    ("16_unknown", "16", {}, None, "unknown"),
    ("17_cannot_swallow_tablets_excluded", "17", {"can_swallow_tablets": False}, None, EXCLUDED),
    ("17_can_swallow_tablets_not_excluded", "17", {"can_swallow_tablets": True}, None, NOT_EXCLUDED),
    ("17_unknown", "17", {}, None, "unknown"),
    ("18_pregnant_excluded", "18", {"sex": "female", "pregnant": True}, None, EXCLUDED),
    ("18_breastfeeding_excluded", "18", {"sex": "female", "pregnant": False, "breastfeeding": True}, None, EXCLUDED),
    ("18_man_not_excluded", "18", {"sex": "male"}, None, NOT_EXCLUDED),
    (
        "18_woman_neither_not_excluded",
        "18",
        {"sex": "female", "pregnant": False, "breastfeeding": False},
        None,
        NOT_EXCLUDED,
    ),
    ("18_woman_unknown", "18", {"sex": "female"}, None, "unknown"),
    (
        "19_other_cancer_2_years_less_a_day_waits",
        "19",
        {
            "other_cancer_date": "2024-11-23",
            "other_cancer_diagnosis_date": "2024-11-23",
            "other_cancer_minor": False,
            "other_cancer_localized_cured": False,
        },
        None,
        "met from 2026-11-24",
    ),
    (
        "19_other_cancer_exactly_2_years_waits",
        "19",
        {
            "other_cancer_date": "2024-11-22",
            "other_cancer_diagnosis_date": "2024-11-22",
            "other_cancer_minor": False,
            "other_cancer_localized_cured": False,
        },
        None,
        "met from 2026-11-23",
    ),
    (
        "19_other_cancer_2_years_and_a_day_not_excluded",
        "19",
        {"other_cancer_date": "2024-11-21", "other_cancer_minor": False},
        None,
        NOT_EXCLUDED,
    ),
    (
        "19_recent_minor_skin_cancer_not_excluded",
        "19",
        {
            "other_cancer_date": "2026-01-01",
            "other_cancer_minor": True,
            "other_cancer_minor_kinds": ["non_melanoma_skin"],
        },
        None,
        NOT_EXCLUDED,
    ),
    ("19_no_other_cancer_not_excluded", "19", {"other_cancer_date": "never"}, None, NOT_EXCLUDED),
    ("19_recent_cancer_kind_unknown", "19", {"other_cancer_date": "2026-01-01"}, None, "unknown"),
    (
        "19_localised_cancer_cured_without_medicine_not_excluded",
        "19",
        {
            "other_cancer_date": "2025-09-20",
            "other_cancer_diagnosis_date": "2025-08-01",
            "other_cancer_minor": False,
            "other_cancer_localized_cured": True,
        },
        None,
        NOT_EXCLUDED,
    ),
    (
        "19_cancer_diagnosed_over_2_years_ago_still_treated_not_excluded",
        "19",
        {"other_cancer_date": "2026-11-20", "other_cancer_diagnosis_date": "2021-03-01", "other_cancer_minor": False},
        None,
        NOT_EXCLUDED,
    ),
    ("9_biopsy_refused_excluded", "9", {"willing_tumour_biopsy": False}, None, EXCLUDED),
    ("9_biopsy_accepted_not_excluded", "9", {"willing_tumour_biopsy": True}, None, NOT_EXCLUDED),
    ("9_unknown", "9", {}, None, "unknown"),
]


@pytest.mark.parametrize(
    ("check", "facts", "treatments", "expected"),
    [case[1:] for case in EXCLUSION_CASES],
    ids=[case[0] for case in EXCLUSION_CASES],
)
def test_exclusion(check: str, facts: dict[str, Any], treatments: Any, expected: str) -> None:
    assert exclusion(check, facts, treatments) == expected


# --- whole profiles -----------------------------------------------------------------------------------

ELIGIBLE_FACTS: dict[str, Any] = {
    # inclusion
    "age": 64,
    "sex": "male",
    "weight": "68 kg",
    "hcc_diagnosis_basis": ["histology"],
    "curative_treatment_possible": False,
    "measurable_disease": True,
    "ecog": 1,
    "bilirubin": {"value": 1.0, "unit": "mg/dL", "uln": 1.2},
    "albumin": "36 g/L",
    "inr": 1.1,
    "ascites": "none",
    "hepatic_encephalopathy": "none",
    "wbc": "4.5 ×10⁹/L",
    "anc": "2,400/µL",
    "platelets": "110,000/µL",
    "hemoglobin": "11.5 g/dL",
    "creatinine": {"value": 0.9, "unit": "mg/dL", "uln": 1.2},
    "ast": {"value": 80, "unit": "U/L", "uln": 40},
    "alt": {"value": 60, "unit": "U/L", "uln": 40},
    "alp": {"value": 180, "unit": "U/L", "uln": 120},
    "urine_protein_dipstick": "trace",
    "prior_treatment_toxicity_resolved": True,
    "willing_contraception": True,
    # exclusion
    "willing_tumour_biopsy": True,
    "hcc_subtype": "conventional",
    "locoregional_therapy_date": "2024-06-01",
    "locoregional_after_first_line_progression": False,
    "brain_metastases": False,
    "major_vessel_invasion": False,
    "hbv_infection": True,
    "hbv_dna": "20 IU/mL",
    "willing_continue_hbv_antiviral": True,
    "hcv_infection": False,
    "blood_thinners": ["aspirin_low_dose"],
    "nyha_class": "none",
    "unstable_angina": False,
    "arrhythmia_uncontrolled": False,
    "systolic_bp": "132 mmHg",
    "diastolic_bp": "84 mmHg",
    "stroke_date": "never",
    "myocardial_infarction_date": "never",
    "thromboembolism_date": "never",
    "gi_high_risk_disorder": False,
    "gi_perforation_date": "never",
    "major_surgery_date": "never",
    "significant_bleeding_date": "never",
    "variceal_bleeding_date": "2025-03-01",
    "qtcf": "432 ms",
    "drug_allergies": [],
    "can_swallow_tablets": True,
    "other_cancer_date": "never",
}


def test_complete_profile_after_atezo_bev_is_eligible() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ATEZO_BEV)
    assert (result.verdict, result.failed, result.unknown) == ("eligible", [], [])


def test_low_platelets_and_long_qtcf_make_the_profile_not_eligible_with_both_listed() -> None:
    facts = {**ELIGIBLE_FACTS, "platelets": "50,000/µL", "qtcf": "520 ms", "qtcf_mean_of_three": "515 ms"}
    result = result_for(NCT, facts, ATEZO_BEV)
    assert result.verdict == "not_eligible"
    assert sorted((o.section, o.check) for o in result.failed) == [("exclusion", "15"), ("inclusion", "10.3")]


def test_profile_without_qtcf_is_possibly_eligible_with_qtcf_to_confirm() -> None:
    facts = {k: v for k, v in ELIGIBLE_FACTS.items() if k != "qtcf"}
    result = result_for(NCT, facts, ATEZO_BEV)
    assert result.verdict == "possibly_eligible"
    assert [(o.section, o.check, o.missing) for o in result.unknown] == [
        ("exclusion", "15", ["qtcf", "qtcf_mean_of_three"])
    ]
