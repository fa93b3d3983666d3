"""FLEX-HCC (NCT07493668): every numeric threshold and time window on both sides and exactly at it,
the units labs really report, the first-line regimen, contraception, hepatitis, ascites, and whole profiles.

The assessment date is 2026-11-22 (``conftest.AS_OF``). Dates of the time windows are worked out by
hand from it (calendar months: 3 months before 2026-11-22 is 2026-08-22).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import check_status, result_for

NCT = "NCT07493668"


def status(section: str, check: str, facts: dict[str, Any] | None = None, treatments: Any = None) -> str:
    return check_status(NCT, check, facts, treatments, section=section)


def stopped_on(day: str) -> list[dict[str, Any]]:
    """A single first-line regimen that ended on ``day``."""
    return [{"drugs": "Tecentriq + Avastin", "line": 1, "started": "2025-06-02", "stopped": day}]


def first_line(drugs: str, **more: Any) -> list[dict[str, Any]]:
    return [{"drugs": drugs, "line": 1, **more}]


# --- numeric thresholds and time windows: just inside, exactly at, just outside --------------------
#
# Each row: (name, section, check, facts for a value, (inside, at, outside), (expected statuses)).
# "Inside" is inside the criterion's condition: for an inclusion the qualifying side, for an
# exclusion the excluding side.

INCL = ("met", "met", "failed")  # >= or <= inclusion: the limit itself qualifies
EXCL_STRICT = ("failed", "met", "met")  # > exclusion: the limit itself does not exclude
WAITS_FOR_THE_WINDOW = ("met from 2026-11-24", "met from 2026-11-23", "met")
EXCL_INCLUSIVE = ("failed", "failed", "met")  # >= exclusion or "within N": the limit excludes

THRESHOLDS: list[tuple[str, str, str, Any, tuple[Any, Any, Any], tuple[str, str, str]]] = [
    # Registry and inclusion 7: age >= 19 (from the date of birth, birthday today / tomorrow)
    (
        "registry-age>=19",
        "registry",
        "age",
        lambda v: {"date_of_birth": v},
        ("2006-11-22", "2007-11-22", "2007-11-23"),
        INCL,
    ),
    (
        "incl7-age>=19",
        "inclusion",
        "7",
        lambda v: {"date_of_birth": v},
        ("2006-11-22", "2007-11-22", "2007-11-23"),
        INCL,
    ),
    # Inclusion 9: blood counts and chemistry
    ("9.1-hb>=9.0g/dL", "inclusion", "9.1", lambda v: {"hemoglobin": f"{v} g/dL"}, (9.1, 9.0, 8.9), INCL),
    ("9.2-anc>=1500/uL", "inclusion", "9.2", lambda v: {"anc": f"{v}/µL"}, (1501, 1500, 1499), INCL),
    ("9.3-platelets>=75000/uL", "inclusion", "9.3", lambda v: {"platelets": f"{v}/µL"}, (75001, 75000, 74999), INCL),
    (
        "9.4-creatinine<=1.5xULN",
        "inclusion",
        "9.4",
        lambda v: {"creatinine": {"xuln": v}, "creatinine_clearance": 40},
        (1.49, 1.5, 1.51),
        INCL,
    ),
    (
        "9.4-crcl>=60",
        "inclusion",
        "9.4",
        lambda v: {"creatinine": {"xuln": 2.0}, "creatinine_clearance": v},
        (60.1, 60, 59.9),
        INCL,
    ),
    (
        "9.5-ast<=5xULN",
        "inclusion",
        "9.5",
        lambda v: {"ast": {"xuln": v}, "alt": {"xuln": 1.0}},
        (4.99, 5.0, 5.01),
        INCL,
    ),
    (
        "9.5-alt<=5xULN",
        "inclusion",
        "9.5",
        lambda v: {"ast": {"xuln": 1.0}, "alt": {"xuln": v}},
        (4.99, 5.0, 5.01),
        INCL,
    ),
    ("9.6-bilirubin<=3xULN", "inclusion", "9.6", lambda v: {"bilirubin": {"xuln": v}}, (2.99, 3.0, 3.01), INCL),
    (
        "9.7-inr<=1.5",
        "inclusion",
        "9.7",
        lambda v: {"inr": v, "prothrombin_time": {"xuln": 2.0}},
        (1.49, 1.5, 1.51),
        INCL,
    ),
    (
        "9.7-pt<=1.5xULN",
        "inclusion",
        "9.7",
        lambda v: {"inr": 2.0, "prothrombin_time": {"xuln": v}},
        (1.49, 1.5, 1.51),
        INCL,
    ),
    ("9.8-aptt<=1.5xULN", "inclusion", "9.8", lambda v: {"aptt": {"xuln": v}}, (1.49, 1.5, 1.51), INCL),
    # Inclusion 12: hepatitis B
    (
        "12.1-hbv-dna<500",
        "inclusion",
        "12.1",
        lambda v: {"hbv_infection": True, "hbv_dna": f"{v} IU/mL"},
        (499, 500, 501),
        ("met", "failed", "failed"),
    ),
    (
        "12.2-antiviral>=14days",
        "inclusion",
        "12.2",
        lambda v: {"hbv_infection": True, "hbv_antiviral_start_date": v},
        ("2026-11-07", "2026-11-08", "2026-11-09"),
        ("met", "met", "met from 2026-11-23"),  # started 13 days ago: met a day later, before randomisation
    ),
    # Inclusion 14.2: no variceal bleeding for at least 6 months
    (
        "14.2-variceal-bleed>=6months",
        "inclusion",
        "14.2",
        lambda v: {"variceal_bleeding_date": v},
        ("2026-05-21", "2026-05-22", "2026-05-23"),
        INCL,
    ),
    # Exclusions: numbers
    ("excl9-qtcf>470", "exclusion", "9", lambda v: {"qtcf": f"{v} ms"}, (471, 470, 469), EXCL_STRICT),
    (
        "excl16.1-systolic>160",
        "exclusion",
        "16.1",
        lambda v: {"systolic_bp": v, "diastolic_bp": 80},
        (161, 160, 159),
        EXCL_STRICT,
    ),
    (
        "excl16.1-diastolic>100",
        "exclusion",
        "16.1",
        lambda v: {"systolic_bp": 120, "diastolic_bp": v},
        (101, 100, 99),
        EXCL_STRICT,
    ),
    (
        "excl21.1-urine-protein>=1g/24h",
        "exclusion",
        "21.1",
        lambda v: {"urine_protein_24h": f"{v} g/24h"},
        (1.01, 1.0, 0.99),
        EXCL_INCLUSIVE,
    ),
    # Exclusions: "within N" time windows counted back from randomisation or the first dose: a recent
    # event gives the date the trial opens (the window closes by itself), never a "no"
    (
        "excl8.3-mi-within-3months",
        "exclusion",
        "8.3",
        lambda v: {"myocardial_infarction_date": v},
        ("2026-08-23", "2026-08-22", "2026-08-21"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl12.1-surgery-within-3weeks",
        "exclusion",
        "12.1",
        lambda v: {"major_surgery_date": v},
        ("2026-11-02", "2026-11-01", "2026-10-31"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl13-other-cancer-within-36months",
        "exclusion",
        "13",
        lambda v: {"other_cancer_date": v, "other_cancer_minor": False},
        ("2023-11-23", "2023-11-22", "2023-11-21"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl18.1-encephalopathy-within-6months",
        "exclusion",
        "18.1",
        lambda v: {"hepatic_encephalopathy_date": v},
        ("2026-05-23", "2026-05-22", "2026-05-21"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl22-vascular-within-6months",
        "exclusion",
        "22",
        lambda v: {"vascular_disease_date": v},
        ("2026-05-23", "2026-05-22", "2026-05-21"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl23-locoregional-within-4weeks",
        "exclusion",
        "23",
        lambda v: {"locoregional_therapy_date": v},
        ("2026-10-26", "2026-10-25", "2026-10-24"),
        WAITS_FOR_THE_WINDOW,
    ),
    (
        "excl24-investigational-within-4weeks",
        "exclusion",
        "24",
        lambda v: {"investigational_drug_date": v},
        ("2026-10-26", "2026-10-25", "2026-10-24"),
        EXCL_INCLUSIVE,
    ),
]

THRESHOLD_CASES = [
    pytest.param(section, check, make(value), expected, id=f"{name}-{where}")
    for name, section, check, make, values, statuses in THRESHOLDS
    for where, value, expected in zip(("inside", "at", "outside"), values, statuses, strict=False)
]


@pytest.mark.parametrize(("section", "check", "facts", "expected"), THRESHOLD_CASES)
def test_threshold_is_judged_on_the_right_side_of_the_limit(
    section: str, check: str, facts: dict[str, Any], expected: str
) -> None:
    treatments = "none" if check == "23" else None  # no systemic therapy: only the locoregional branch decides
    assert status(section, check, facts, treatments) == expected


@pytest.mark.parametrize(
    ("stopped", "expected"),
    [
        pytest.param("2026-10-26", "met from 2026-11-24", id="inside"),
        pytest.param("2026-10-25", "met from 2026-11-23", id="at"),
        pytest.param("2026-10-24", "met", id="outside"),
    ],
)
def test_exclusion_23_counts_four_weeks_from_the_last_systemic_dose(stopped: str, expected: str) -> None:
    assert status("exclusion", "23", {"locoregional_therapy_date": "never"}, stopped_on(stopped)) == expected


def test_exclusion_23_leaves_a_regimen_still_being_taken_to_confirm() -> None:
    """A treatment still being taken: its 4-week washout to the first dose starts when it stops (review U3,
    f3_ongoing): not known yet, never a "no"."""
    ongoing = [{"drugs": "Tecentriq + Avastin", "line": 1, "started": "2026-01-05", "ongoing": True}]
    assert status("exclusion", "23", {"locoregional_therapy_date": "never"}, ongoing) == "unknown"


def test_exclusion_23_stays_unknown_when_a_regimen_has_no_stop_date() -> None:
    started_only = [{"drugs": "Tecentriq + Avastin", "line": 1, "started": "2026-01-05"}]
    assert status("exclusion", "23", {"locoregional_therapy_date": "never"}, started_only) == "unknown"


@pytest.mark.parametrize(
    ("cycles", "expected"),
    [pytest.param(3, "met", id="inside"), pytest.param(2, "met", id="at"), pytest.param(1, "failed", id="outside")],
)
def test_inclusion_2_2_needs_at_least_two_first_line_cycles(cycles: int, expected: str) -> None:
    assert status("inclusion", "2.2", treatments=first_line("atezo/bev", cycles=cycles)) == expected


# --- the units labs report --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("90 g/L", "met", id="90g/L-is-9.0g/dL"),
        pytest.param({"value": 90, "unit": "g/L"}, "met", id="90g/L-mapping"),
        pytest.param("89 g/L", "failed", id="89g/L"),
        pytest.param("5.59 mmol/L", "met", id="5.59mmol/L-is-9.005g/dL"),  # 5.59 x 1.611 = 9.00549
        pytest.param("5.58 mmol/L", "failed", id="5.58mmol/L-is-8.989g/dL"),  # 5.58 x 1.611 = 8.98938
    ],
)
def test_haemoglobin_in_other_units_meets_9_g_per_dl_as_converted(given: Any, expected: str) -> None:
    assert status("inclusion", "9.1", {"hemoglobin": given}) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("1.5 x10^9/L", "met", id="1.5x10^9/L"),
        pytest.param("1.5 ×10⁹/L", "met", id="1.5×10⁹/L"),
        pytest.param("1.5 K/uL", "met", id="1.5K/uL"),
        pytest.param("1,500/µL", "met", id="1,500/µL"),
        pytest.param("1.4 x10^9/L", "failed", id="1.4x10^9/L"),
    ],
)
def test_neutrophils_in_other_units_meet_1500_per_microlitre_as_converted(given: str, expected: str) -> None:
    assert status("inclusion", "9.2", {"anc": given}) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("75 x10^3/µL", "met", id="75x10^3/µL"),
        pytest.param("75 ×10⁹/L", "met", id="75×10⁹/L"),
        pytest.param("75 K/uL", "met", id="75K/uL"),
        pytest.param("75,000/μl", "met", id="75,000/μl-greek-mu"),
        pytest.param("74 K/uL", "failed", id="74K/uL"),
    ],
)
def test_platelets_in_other_units_meet_75000_per_microlitre_as_converted(given: str, expected: str) -> None:
    assert status("inclusion", "9.3", {"platelets": given}) == expected


@pytest.mark.parametrize(
    ("creatinine", "expected"),
    [
        pytest.param({"value": 132.6, "unit": "µmol/L", "uln": 88.4}, "met", id="132.6µmol/L-is-1.5xULN"),
        pytest.param({"value": 1.5, "unit": "mg/dL", "uln": 1.0}, "met", id="1.5mg/dL-is-1.5xULN"),
        pytest.param({"value": 133.5, "unit": "µmol/L", "uln": 88.4}, "failed", id="133.5µmol/L-is-1.51xULN"),
    ],
)
def test_creatinine_in_micromoles_is_compared_to_its_upper_limit(creatinine: dict[str, Any], expected: str) -> None:
    assert status("inclusion", "9.4", {"creatinine": creatinine, "creatinine_clearance": 40}) == expected


def test_creatinine_132_6_micromol_is_1_5_mg_per_dl_in_cockcroft_gault() -> None:
    # (140 - 40) x 80 / (72 x 1.5) = 74.1 mL/min meets >= 60, while 132.6/80 = 1.66 x ULN does not meet <= 1.5
    facts = {"age": 40, "weight": 80, "sex": "male", "creatinine": {"value": 132.6, "unit": "µmol/L", "uln": 80}}
    assert status("inclusion", "9.4", facts) == "met"


def test_creatinine_clearance_from_cockcroft_gault_meets_inclusion_9_4() -> None:
    # (140 - 60) x 70 / (72 x 1.0) = 77.8 mL/min, creatinine above 1.5 x ULN
    facts = {"age": 60, "weight": 70, "sex": "male", "creatinine": {"value": 88.4, "unit": "µmol/L", "uln": 50}}
    assert status("inclusion", "9.4", facts) == "met"


@pytest.mark.parametrize(
    ("bilirubin", "expected"),
    [
        pytest.param({"value": 59, "unit": "µmol/L", "uln": 20}, "met", id="59/20µmol/L-inside"),
        pytest.param({"value": 61, "unit": "µmol/L", "uln": 20}, "failed", id="61/20µmol/L-outside"),
        pytest.param({"value": 51.3, "unit": "µmol/L", "uln": 17.1}, "met", id="51.3/17.1µmol/L-at"),
    ],
)
def test_bilirubin_in_micromoles_is_compared_to_its_upper_limit(bilirubin: dict[str, Any], expected: str) -> None:
    assert status("inclusion", "9.6", {"bilirubin": bilirubin}) == expected


def test_bilirubin_exactly_three_times_its_upper_limit_in_micromoles_meets_inclusion_9_6() -> None:
    assert status("inclusion", "9.6", {"bilirubin": {"value": 60, "unit": "µmol/L", "uln": 20}}) == "met"


@pytest.mark.parametrize(
    ("aptt", "expected"),
    [
        pytest.param({"value": 45, "unit": "s", "uln": 30}, "met", id="value-unit-uln-at"),
        pytest.param({"xuln": 1.5}, "met", id="xuln-mapping-at"),
        pytest.param("1.5 x ULN", "met", id="text-x-ULN-at"),
        pytest.param("1.5 × ULN", "met", id="text-times-ULN-at"),
        pytest.param({"value": 46, "unit": "s", "uln": 30}, "failed", id="value-unit-uln-outside"),
        pytest.param({"xuln": 1.6}, "failed", id="xuln-mapping-outside"),
        pytest.param("1.6 x ULN", "failed", id="text-x-ULN-outside"),
    ],
)
def test_times_upper_limit_of_normal_reads_the_same_in_every_form(aptt: Any, expected: str) -> None:
    assert status("inclusion", "9.8", {"aptt": aptt}) == expected


def test_a_value_without_its_upper_limit_leaves_a_times_uln_check_unknown() -> None:
    assert status("inclusion", "9.8", {"aptt": "40 s"}) == "unknown"


# --- inclusion 2.1: the first-line regimen -----------------------------------------------------------


@pytest.mark.parametrize("drugs", ["Tecentriq + Avastin", "atezo/bev", "Imfinzi and Imjudo", "Opdivo/Yervoy", "STRIDE"])
def test_a_first_line_io_combination_meets_inclusion_2_1(drugs: str) -> None:
    assert status("inclusion", "2.1", treatments=first_line(drugs)) == "met"


@pytest.mark.parametrize(
    "drugs", ["lenvatinib + pembrolizumab", "sorafenib", "pembrolizumab", "Tecentriq + Avastin + lenvatinib"]
)
def test_a_first_line_other_than_the_three_io_combinations_fails_inclusion_2_1(drugs: str) -> None:
    assert status("inclusion", "2.1", treatments=first_line(drugs)) == "failed"


@pytest.mark.parametrize("drugs", ["Zorblax", "Tecentriq + Zorblax"])
def test_an_unrecognised_first_line_drug_leaves_inclusion_2_1_unknown(drugs: str) -> None:
    assert status("inclusion", "2.1", treatments=first_line(drugs)) == "unknown"


def test_the_first_line_is_the_regimen_numbered_1_not_the_one_listed_first() -> None:
    history = [{"drugs": "lenvatinib", "line": 2}, {"drugs": "Tecentriq + Avastin", "line": 1}]
    assert status("inclusion", "2.1", treatments=history) == "met"


def test_no_systemic_treatment_fails_inclusion_2_1() -> None:
    assert status("inclusion", "2.1", treatments="none") == "failed"


def test_progression_date_on_first_line_meets_inclusion_2_3() -> None:
    assert status("inclusion", "2.3", treatments=first_line("atezo/bev", progression_date="2026-09-01")) == "met"


# --- exclusions 1-3: the treatment history -------------------------------------------------------------


def test_two_prior_lines_are_excluded_by_exclusion_1() -> None:
    history = [{"drugs": "Tecentriq + Avastin", "line": 1}, {"drugs": "lenvatinib", "line": 2}]
    assert status("exclusion", "1", treatments=history) == "failed"


def test_one_prior_line_passes_exclusion_1() -> None:
    assert status("exclusion", "1", treatments=first_line("Tecentriq + Avastin")) == "met"


def test_a_tki_in_the_first_line_combination_is_excluded_by_exclusion_3() -> None:
    assert status("exclusion", "3", treatments=first_line("lenvatinib + pembrolizumab")) == "failed"


def test_an_io_combination_without_tki_passes_exclusion_3() -> None:
    assert status("exclusion", "3", treatments=first_line("Tecentriq + Avastin")) == "met"


def test_a_first_line_tki_alone_is_excluded_by_exclusion_2() -> None:
    assert status("exclusion", "2", treatments=first_line("sorafenib")) == "failed"


def test_a_first_line_checkpoint_inhibitor_alone_is_excluded_by_exclusion_2() -> None:
    assert status("exclusion", "2", treatments=first_line("pembrolizumab")) == "failed"


def test_an_io_combination_passes_exclusion_2() -> None:
    assert status("exclusion", "2", treatments=first_line("Opdivo/Yervoy")) == "met"


def test_an_io_combination_known_only_by_classes_is_not_excluded_by_exclusion_2() -> None:
    history = [{"classes": ["pdl1_inhibitor", "vegf_antibody"], "line": 1}]
    assert status("exclusion", "2", treatments=history) != "failed"


# --- inclusion 15 and 16: contraception, pregnancy, breastfeeding ------------------------------------

MAN = {"sex": "male"}
POSTMENOPAUSAL = {"sex": "female", "postmenopausal": True, "childbearing_potential": False}
WOCBP_AGREES = {"sex": "female", "postmenopausal": False, "childbearing_potential": True, "willing_contraception": True}
WOCBP_REFUSES = {
    "sex": "female",
    "postmenopausal": False,
    "childbearing_potential": True,
    "willing_contraception": False,
}
WOCBP_UNKNOWN = {"sex": "female", "postmenopausal": False, "childbearing_potential": True}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(MAN, "met", id="man"),
        pytest.param(POSTMENOPAUSAL, "met", id="postmenopausal-woman"),
        pytest.param(WOCBP_AGREES, "met", id="wocbp-agrees"),
        pytest.param(WOCBP_REFUSES, "failed", id="wocbp-refuses"),
        pytest.param(WOCBP_UNKNOWN, "unknown", id="wocbp-not-asked"),
    ],
)
def test_inclusion_15_1_asks_contraception_only_of_women_who_could_become_pregnant(
    facts: dict[str, Any], expected: str
) -> None:
    assert status("inclusion", "15.1", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(MAN, "met", id="man"),
        pytest.param({"sex": "female", "pregnant": False}, "met", id="woman-not-pregnant"),
        pytest.param(
            {"sex": "female", "childbearing_potential": True, "postmenopausal": False, "pregnant": True},
            "failed",
            id="wocbp-pregnant",
        ),
        pytest.param({"sex": "female", "postmenopausal": True}, "met", id="postmenopausal-woman-not-asked"),
        pytest.param(
            {"sex": "female", "childbearing_potential": False}, "met", id="woman-not-of-childbearing-potential"
        ),
        pytest.param({"sex": "female"}, "unknown", id="woman-not-asked"),
    ],
)
def test_inclusion_15_2_excludes_pregnancy(facts: dict[str, Any], expected: str) -> None:
    assert status("inclusion", "15.2", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(MAN, "met", id="man"),
        pytest.param({**POSTMENOPAUSAL, "willing_no_breastfeeding": True}, "met", id="woman-agrees"),
        pytest.param({**WOCBP_AGREES, "willing_no_breastfeeding": False}, "failed", id="woman-refuses"),
        pytest.param(POSTMENOPAUSAL, "unknown", id="woman-not-asked"),
    ],
)
def test_inclusion_15_4_asks_women_not_to_breastfeed(facts: dict[str, Any], expected: str) -> None:
    assert status("inclusion", "15.4", facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param({**MAN, "willing_contraception": True}, "met", id="man-agrees"),
        pytest.param({**MAN, "vasectomy": True}, "met", id="man-vasectomy"),
        pytest.param({**MAN, "partner_uses_contraception": True}, "met", id="man-partner-protected"),
        pytest.param(
            {**MAN, "vasectomy": False, "willing_contraception": False, "partner_uses_contraception": False},
            "failed",
            id="man-refuses",
        ),
        pytest.param({**MAN, "vasectomy": False}, "unknown", id="man-not-asked"),
        pytest.param(POSTMENOPAUSAL, "met", id="postmenopausal-woman"),
        pytest.param(WOCBP_REFUSES, "met", id="woman-16-does-not-apply"),
    ],
)
def test_inclusion_16_1_asks_contraception_of_men(facts: dict[str, Any], expected: str) -> None:
    assert status("inclusion", "16.1", facts) == expected


# --- inclusion 12: hepatitis B and C ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "facts", "expected"),
    [
        pytest.param("12.1", {"hbv_infection": False}, "met", id="12.1-no-hbv"),
        pytest.param("12.1", {"hbv_infection": True}, "unknown", id="12.1-hbv-dna-not-given"),
        pytest.param(
            "12.1", {"hbv_infection": True, "hbv_dna": "10000 copies/mL"}, "failed", id="12.1-copies-converted-2000IU"
        ),
        pytest.param("12.2", {"hbv_infection": False}, "met", id="12.2-no-hbv"),
        pytest.param("12.2", {"hbv_infection": True}, "unknown", id="12.2-start-not-given"),
        pytest.param("12.4", {"hcv_infection": False}, "met", id="12.4-no-hcv"),
        pytest.param("12.4", {"hcv_infection": True, "hcv_rna_detectable": False}, "met", id="12.4-hcv-cured"),
        pytest.param("12.4", {"hcv_infection": True, "hcv_rna_detectable": True}, "failed", id="12.4-hcv-viraemic"),
        pytest.param("12.4", {"hcv_infection": True}, "unknown", id="12.4-pcr-not-given"),
        pytest.param(
            "12.5",
            {"hbv_infection": True, "hcv_infection": True, "hcv_rna_detectable": True},
            "failed",
            id="12.5-hbv-and-active-hcv",
        ),
        pytest.param(
            "12.5",
            {"hbv_infection": True, "hcv_infection": True, "hcv_rna_detectable": False},
            "met",
            id="12.5-hbv-and-cured-hcv",
        ),
        pytest.param("12.5", {"hbv_infection": True, "hcv_infection": False}, "met", id="12.5-hbv-only"),
        pytest.param("12.5", {"hbv_infection": False}, "met", id="12.5-no-hbv-hcv-unknown"),
        pytest.param("12.5", {"hbv_infection": True}, "unknown", id="12.5-hbv-hcv-unknown"),
    ],
)
def test_hepatitis_rules_apply_only_to_the_infection_they_name(
    check: str, facts: dict[str, Any], expected: str
) -> None:
    assert status("inclusion", check, facts) == expected


def test_hepatitis_b_without_antivirals_fails_inclusion_12_2() -> None:
    assert status("inclusion", "12.2", {"hbv_infection": True, "hbv_antiviral_start_date": "never"}) == "failed"


# --- exclusion 13: which minor cancers are exceptions -------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        pytest.param(["non_melanoma_skin"], "met", id="skin-cancer-is-an-exception"),
        pytest.param(["other_in_situ"], "met", id="carcinoma-in-situ-is-an-exception"),
        pytest.param(["superficial_bladder"], "met", id="superficial-bladder-is-an-exception"),
        pytest.param(["low_risk_prostate"], "met from 2028-06-02", id="low-risk-prostate-is-not-named-so-excludes"),
        pytest.param(
            ["non_melanoma_skin", "low_risk_prostate"], "met from 2028-06-02", id="one-kind-not-named-excludes"
        ),
        pytest.param(None, "unknown", id="minor-cancer-of-unknown-kind-stays-unknown"),
    ],
)
def test_only_the_minor_cancers_named_are_exceptions_to_exclusion_13(kinds: list[str] | None, expected: str) -> None:
    facts: dict[str, Any] = {"other_cancer_date": "2025-06-01", "other_cancer_minor": True}
    if kinds is not None:
        facts["other_cancer_minor_kinds"] = kinds
    assert status("exclusion", "13", facts) == expected


def test_a_minor_cancer_of_any_kind_over_36_months_ago_does_not_exclude() -> None:
    facts = {
        "other_cancer_date": "2023-11-21",
        "other_cancer_minor": True,
        "other_cancer_minor_kinds": ["low_risk_prostate"],
    }
    assert status("exclusion", "13", facts) == "met"


def test_the_liver_location_of_the_measurable_lesion_is_left_to_the_study_team() -> None:
    assert status("inclusion", "3.3", {"measurable_disease": True}) == "study_team"


# --- exclusion 17: ascites and Child-Pugh -------------------------------------------------------------

CHILD_PUGH_A_PARTS = {
    "bilirubin": 1.0,
    "albumin": 3.8,
    "inr": 1.0,
    "hepatic_encephalopathy": "none",
}  # + radiological ascites = 6
CHILD_PUGH_B_PARTS = {
    "bilirubin": 2.5,
    "albumin": 3.0,
    "inr": 1.0,
    "hepatic_encephalopathy": "none",
}  # + radiological ascites = 8


@pytest.mark.parametrize("ascites", ["mild", "moderate", "severe"])
def test_clinical_ascites_is_excluded_by_exclusion_17_1_even_with_child_pugh_a(ascites: str) -> None:
    assert status("exclusion", "17.1", {"ascites": ascites, "child_pugh_class": "A"}) == "failed"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param({"ascites": "radiological", **CHILD_PUGH_A_PARTS}, "met", id="radiological-child-pugh-A-computed"),
        pytest.param(
            {"ascites": "radiological", **CHILD_PUGH_B_PARTS}, "failed", id="radiological-child-pugh-B-computed"
        ),
        pytest.param({"ascites": "radiological", "child_pugh_class": "A"}, "met", id="radiological-child-pugh-A-given"),
        pytest.param(
            {"ascites": "radiological", "child_pugh_class": "B"}, "failed", id="radiological-child-pugh-B-given"
        ),
        pytest.param({"ascites": "radiological"}, "unknown", id="radiological-child-pugh-undecided"),
        pytest.param({"ascites": "none", "child_pugh_class": "B"}, "met", id="no-ascites-child-pugh-B"),
    ],
)
def test_radiological_ascites_is_accepted_only_with_child_pugh_a(facts: dict[str, Any], expected: str) -> None:
    assert status("exclusion", "17.2", facts) == expected


def test_radiological_ascites_passes_exclusion_17_1() -> None:
    assert status("exclusion", "17.1", {"ascites": "radiological"}) == "met"


def test_child_pugh_b_fails_inclusion_10() -> None:
    assert status("inclusion", "10", {"ascites": "radiological", **CHILD_PUGH_B_PARTS}) == "failed"


# --- whole profiles ---------------------------------------------------------------------------------------

# Every fact a rule of FLEX-HCC reads, known. Not given because they do not apply: other_cancer_minor
# (no other cancer), variceal_bleeding_treated (never bled), the women's facts (a man).
ELIGIBLE_FACTS: dict[str, Any] = {
    "date_of_birth": "1961-03-14",
    "sex": "male",
    "weight": "72 kg",
    "advanced_hcc": True,
    "hcc_diagnosis_basis": ["imaging", "histology"],
    "hcc_subtype": "conventional",
    "measurable_disease": True,
    "measurable_liver_lesion": True,
    "curative_treatment_possible": False,
    "ecog": 1,
    "hemoglobin": "12.4 g/dL",
    "anc": "2.8 x10^9/L",
    "platelets": "142 x10^3/µL",
    "creatinine": {"value": 80, "unit": "µmol/L", "uln": 106},
    "ast": {"value": 64, "unit": "U/L", "uln": 40},
    "alt": {"value": 52, "unit": "U/L", "uln": 40},
    "bilirubin": {"value": 15, "unit": "µmol/L", "uln": 21},
    "inr": 1.1,
    "prothrombin_time": {"value": 13, "unit": "s", "uln": 13.5},
    "aptt": {"value": 32, "unit": "s", "uln": 38},
    "albumin": "38 g/L",
    "ascites": "none",
    "hepatic_encephalopathy": "none",
    "hepatic_encephalopathy_date": "never",
    "hiv_positive": False,
    "hbv_infection": True,
    "hbv_dna": "120 IU/mL",
    "willing_continue_hbv_antiviral": True,
    "current_medications": ["entecavir", "propranolol"],
    "hbv_antiviral_start_date": "2019-06-01",
    "hcv_infection": False,
    "hcv_rna_detectable": False,
    "prior_treatment_toxicity_resolved": True,
    "variceal_bleeding_date": "never",
    "willing_contraception": True,
    "vasectomy": False,
    "partner_uses_contraception": False,
    "drug_allergies": [],
    "brain_metastases": False,
    "portal_vein_invasion": "vp2",
    "nyha_class": "none",
    "unstable_angina": False,
    "myocardial_infarction_date": "never",
    "arrhythmia_uncontrolled": False,
    "qtcf": "438 ms",
    "allogeneic_stem_cell_transplant": False,
    "solid_organ_transplant": False,
    "active_infection": False,
    "major_surgery_date": "2024-02-10",
    "surgery_planned": False,
    "other_cancer_date": "never",
    "varices_needing_treatment": False,
    "bleeding_or_clotting_disorder": False,
    "blood_thinners": [],
    "systolic_bp": "132 mmHg",
    "diastolic_bp": "84 mmHg",
    "urine_protein_24h": "0.3 g/24h",
    "vascular_disease_date": "never",
    "locoregional_therapy_date": "2025-03-02",
    "investigational_drug_date": "never",
    "in_other_interventional_trial": False,
    "can_swallow_tablets": True,
}
ELIGIBLE_TREATMENTS = [
    {
        "drugs": "Tecentriq + Avastin",
        "line": 1,
        "started": "2025-10-06",
        "stopped": "2026-09-28",
        "cycles": 16,
        "progression_date": "2026-09-21",
    }
]


def test_a_complete_qualifying_profile_is_eligible() -> None:
    assert result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS).verdict == "eligible"


def test_the_eligible_profile_still_lists_what_the_study_team_checks() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    assert {("inclusion", "6"), ("inclusion", "8"), ("exclusion", "27")} <= {
        (o.section, o.check) for o in result.study_team
    }


def test_every_reason_of_the_eligible_profile_names_its_criterion() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    unnamed = [o.reason for o in result.met if not o.reason.startswith(f"{o.criterion}: ")]
    assert unnamed == []


def test_the_criterion_label_is_section_and_number() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    labels = {(o.section, o.check): o.criterion for o in result.met}
    assert (labels[("inclusion", "9.1")], labels[("exclusion", "16.1")], labels[("registry", "age")]) == (
        "Inclusion 9",
        "Exclusion 16",
        "Registry age",
    )


def test_every_reason_of_the_eligible_profile_quotes_the_persons_values() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    unquoted = [o.reason for o in result.met if not o.yours or f"— yours: {'; '.join(o.yours)}" not in o.reason]
    assert unquoted == []


def test_a_reason_quotes_the_value_as_the_lab_reported_it() -> None:
    result = result_for(NCT, ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    reason = next(o.reason for o in result.met if o.check == "9.2")
    assert "2.8 x10^9/L (2800 /µL)" in reason


NOT_ELIGIBLE_FACTS = {**ELIGIBLE_FACTS, "hemoglobin": "8.2 g/dL", "qtcf": "482 ms"}


def test_a_profile_failing_two_checks_is_not_eligible() -> None:
    assert result_for(NCT, NOT_ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS).verdict == "not_eligible"


def test_a_not_eligible_result_lists_every_failing_check() -> None:
    result = result_for(NCT, NOT_ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    assert sorted((o.section, o.check) for o in result.failed) == [("exclusion", "9"), ("inclusion", "9.1")]


POSSIBLY_ELIGIBLE_FACTS = {k: v for k, v in ELIGIBLE_FACTS.items() if k != "aptt"}


def test_a_profile_missing_one_fact_is_possibly_eligible() -> None:
    assert result_for(NCT, POSSIBLY_ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS).verdict == "possibly_eligible"


def test_a_possibly_eligible_result_lists_what_is_still_unknown_and_asks_for_it() -> None:
    result = result_for(NCT, POSSIBLY_ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS)
    assert [(o.check, o.ask) for o in result.unknown] == [("9.8", ["aptt"])]


def test_a_possibly_eligible_result_has_no_failed_check() -> None:
    assert result_for(NCT, POSSIBLY_ELIGIBLE_FACTS, ELIGIBLE_TREATMENTS).failed == []


def test_lenvatinib_dose_follows_body_weight() -> None:
    light = result_for(NCT, {"weight": "59.9 kg"})
    assert [d.applies for d in light.doses if d.intervention == "Lenvatinib"] == ["no", "yes"]
