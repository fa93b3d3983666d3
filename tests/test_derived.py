"""Derived facts against hand-computed values: Child-Pugh, Cockcroft-Gault, age, ECOG to Karnofsky,
and the treatment-history facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import AS_OF

from matcher.derived import age_on, cockcroft_gault, derive_all, karnofsky_from_ecog
from matcher.profile import read_profile
from matcher.values import NEVER, STILL_GOING, Interval, Members, OneOf


def derived(facts: dict[str, Any] | None = None, treatments: Any = None, as_of: dt.date = AS_OF) -> dict[str, Any]:
    data: dict[str, Any] = {"as_of": as_of, "facts": facts or {}}
    if treatments is not None:
        data["treatments"] = treatments
    return derive_all(read_profile(data))


# --- Child-Pugh -----------------------------------------------------------------------------------------
# Points: bilirubin <2 / 2-3 / >3 mg/dL; albumin >3.5 / 2.8-3.5 / <2.8 g/dL; INR <1.7 / 1.7-2.3 / >2.3;
# ascites none / mild / moderate or severe (seen only on a scan: 1 or 2 points, conventions differ);
# encephalopathy none / grade 1-2 / grade 3-4.

CHILD_PUGH_CASES = [
    # bilirubin, albumin, INR, ascites, encephalopathy -> score, class
    pytest.param("1.0 mg/dL", "4.0 g/dL", 1.0, "none", "none", 5, "A", id="all-normal-5A"),
    pytest.param("1.99 mg/dL", "3.51 g/dL", 1.69, "none", "none", 5, "A", id="just-inside-1-point-each-5A"),
    pytest.param("2.0 mg/dL", "4.0 g/dL", 1.0, "none", "none", 6, "A", id="bilirubin-exactly-2.0-is-2-points-6A"),
    pytest.param("3.0 mg/dL", "4.0 g/dL", 1.0, "none", "none", 6, "A", id="bilirubin-exactly-3.0-is-2-points-6A"),
    pytest.param("3.01 mg/dL", "4.0 g/dL", 1.0, "none", "none", 7, "B", id="bilirubin-3.01-is-3-points-7B"),
    pytest.param("51.3 µmol/L", "4.0 g/dL", 1.0, "none", "none", 6, "A", id="bilirubin-51.3umol-is-3.0mg-6A"),
    pytest.param("1.0 mg/dL", "3.5 g/dL", 1.0, "none", "none", 6, "A", id="albumin-exactly-3.5-is-2-points-6A"),
    pytest.param("1.0 mg/dL", "2.8 g/dL", 1.0, "none", "none", 6, "A", id="albumin-exactly-2.8-is-2-points-6A"),
    pytest.param("1.0 mg/dL", "27 g/L", 1.0, "none", "none", 7, "B", id="albumin-27g/L-is-3-points-7B"),
    pytest.param("1.0 mg/dL", "4.0 g/dL", 1.7, "none", "none", 6, "A", id="inr-exactly-1.7-is-2-points-6A"),
    pytest.param("1.0 mg/dL", "4.0 g/dL", 2.3, "none", "none", 6, "A", id="inr-exactly-2.3-is-2-points-6A"),
    pytest.param("1.0 mg/dL", "4.0 g/dL", 2.31, "none", "none", 7, "B", id="inr-2.31-is-3-points-7B"),
    pytest.param("1.0 mg/dL", "4.0 g/dL", 1.0, "moderate", "grade_1_2", 8, "B", id="moderate-ascites-grade-1-2-8B"),
    pytest.param("2.0 mg/dL", "3.5 g/dL", 1.7, "mild", "grade_1_2", 10, "C", id="all-2-points-10C"),
    pytest.param("2.0 mg/dL", "3.5 g/dL", 1.7, "mild", "none", 9, "B", id="9B-upper-boundary"),
    pytest.param("3.1 mg/dL", "2.7 g/dL", 2.4, "severe", "grade_3_4", 15, "C", id="all-3-points-15C"),
]


@pytest.mark.parametrize(("bilirubin", "albumin", "inr", "ascites", "enceph", "score", "cls"), CHILD_PUGH_CASES)
def test_child_pugh_score_and_class_match_the_hand_count(
    bilirubin: str, albumin: str, inr: float, ascites: str, enceph: str, score: int, cls: str
) -> None:
    values = derived(
        {"bilirubin": bilirubin, "albumin": albumin, "inr": inr, "ascites": ascites, "hepatic_encephalopathy": enceph}
    )
    assert (values["child_pugh_score"], values["child_pugh_class"]) == (score, cls)


def test_child_pugh_with_encephalopathy_unknown_is_a_range_that_rules_out_class_a() -> None:
    # 2 + 2 + 2 + 2 known, encephalopathy 1-3: score 9-11, class B or C
    values = derived({"bilirubin": "2.5 mg/dL", "albumin": "3.0 g/dL", "inr": 2.0, "ascites": "mild"})
    assert (values["child_pugh_score"], values["child_pugh_class"]) == (Interval(9, 11), OneOf(frozenset({"B", "C"})))


def test_child_pugh_with_inr_unknown_and_normal_parts_is_a_or_b() -> None:
    values = derived(
        {"bilirubin": "1.0 mg/dL", "albumin": "4.0 g/dL", "ascites": "none", "hepatic_encephalopathy": "none"}
    )
    assert (values["child_pugh_score"], values["child_pugh_class"]) == (Interval(5, 7), OneOf(frozenset({"A", "B"})))


def test_child_pugh_with_three_parts_at_3_points_is_class_c_whatever_the_rest() -> None:
    # 3 + 3 + 3 known, ascites and encephalopathy 1-3 each: 11-15, always C
    values = derived({"bilirubin": "4 mg/dL", "albumin": "2.5 g/dL", "inr": 2.5})
    assert (values["child_pugh_score"], values["child_pugh_class"]) == (Interval(11, 15), "C")


def test_child_pugh_with_no_part_known_is_unknown() -> None:
    values = derived({"sex": "male"})
    assert ("child_pugh_score" in values, "child_pugh_class" in values) == (False, False)


def test_a_child_pugh_class_given_directly_wins_over_the_computed_one() -> None:
    values = derived(
        {
            "bilirubin": "1.0 mg/dL",
            "albumin": "4.0 g/dL",
            "inr": 1.0,
            "ascites": "none",
            "hepatic_encephalopathy": "none",
            "child_pugh_class": "B",
        }
    )
    assert values["child_pugh_class"] == "B"


# --- Cockcroft-Gault ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "expected"),
    [
        pytest.param("male", 77.8, id="male-(140-60)x70/72"),
        pytest.param("female", 66.1, id="female-x0.85"),
        pytest.param(None, Interval(66.1, 77.8), id="sex-unknown-range"),
    ],
)
def test_cockcroft_gault_matches_the_hand_computation(sex: str | None, expected: Any) -> None:
    facts: dict[str, Any] = {"age": 60, "weight": "70 kg", "creatinine": "1.0 mg/dL"}
    if sex:
        facts["sex"] = sex
    assert derived(facts)["creatinine_clearance"] == expected


def test_cockcroft_gault_uses_creatinine_in_micromoles_and_weight_in_pounds() -> None:
    # 88.4 µmol/L = 1.0 mg/dL; 154.32 lb = 70.0 kg -> (140 - 60) x 70 / 72 = 77.8
    values = derived({"age": 60, "weight": "154.3236 lb", "creatinine": "88.4 µmol/L", "sex": "male"})
    assert values["creatinine_clearance"] == 77.8


def test_cockcroft_gault_uses_the_age_from_the_date_of_birth() -> None:
    # born 1966-11-22: 60 on 2026-11-22
    values = derived({"date_of_birth": "1966-11-22", "weight": 70, "creatinine": 1.0, "sex": "male"})
    assert values["creatinine_clearance"] == 77.8


def test_cockcroft_gault_needs_age_weight_and_creatinine() -> None:
    assert cockcroft_gault({"age": 60, "weight": 70.0}) is None


def test_cockcroft_gault_from_a_times_uln_creatinine_alone_is_unknown() -> None:
    assert "creatinine_clearance" not in derived({"age": 60, "weight": 70, "creatinine": "1.2 x ULN", "sex": "male"})


# --- age ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        pytest.param(dt.date(2000, 11, 22), dt.date(2026, 11, 22), 26, id="on-the-birthday"),
        pytest.param(dt.date(2000, 11, 23), dt.date(2026, 11, 22), 25, id="the-day-before-the-birthday"),
        pytest.param(dt.date(2000, 12, 31), dt.date(2026, 1, 1), 25, id="new-year"),
        pytest.param(dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17, id="29-feb-not-yet-on-28-feb"),
        pytest.param(dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18, id="29-feb-on-1-march"),
        pytest.param(dt.date(2008, 2, 29), dt.date(2028, 2, 29), 20, id="29-feb-in-a-leap-year"),
    ],
)
def test_age_counts_whole_years_and_turns_on_the_birthday(born: dt.date, on: dt.date, age: int) -> None:
    assert age_on(born, on) == age


def test_age_is_derived_from_the_date_of_birth_on_the_assessment_date() -> None:
    assert derived({"date_of_birth": "2007-11-23"})["age"] == 18


def test_an_age_given_directly_wins_over_the_date_of_birth() -> None:
    assert derived({"date_of_birth": "2007-11-23", "age": 40})["age"] == 40


# --- ECOG to Karnofsky ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ecog", "karnofsky"),
    [
        (0, Interval(90, 100)),
        (1, Interval(70, 80)),
        (2, Interval(50, 60)),
        (3, Interval(30, 40)),
        (4, Interval(10, 20)),
    ],
)
def test_ecog_grade_gives_its_karnofsky_range(ecog: int, karnofsky: Interval) -> None:
    assert derived({"ecog": ecog})["karnofsky"] == karnofsky


def test_no_karnofsky_range_without_ecog() -> None:
    assert karnofsky_from_ecog(None) is None


# --- treatment history ------------------------------------------------------------------------------------

ATEZO_BEV = {
    "drugs": "Tecentriq + Avastin",
    "line": 1,
    "started": "2025-01-10",
    "stopped": "2025-09-01",
    "cycles": 8,
    "progression_date": "2025-08-20",
}
LENVATINIB = {"drugs": "Lenvima 8 mg", "line": 2, "started": "2025-09-15", "stopped": "2026-03-01"}


def test_prior_systemic_lines_counts_the_regimens() -> None:
    assert derived(treatments=[ATEZO_BEV, LENVATINIB])["prior_systemic_lines"] == 2


def test_first_line_drugs_are_the_drugs_of_line_1() -> None:
    assert derived(treatments=[LENVATINIB, ATEZO_BEV])["first_line_drugs"].items == {"atezolizumab", "bevacizumab"}


def test_prior_drugs_gather_every_line() -> None:
    assert derived(treatments=[ATEZO_BEV, LENVATINIB])["prior_drugs"].items == {
        "atezolizumab",
        "bevacizumab",
        "lenvatinib",
    }


@pytest.mark.parametrize(
    ("drugs", "combination"),
    [
        pytest.param("Tecentriq + Avastin", True, id="atezolizumab+bevacizumab"),
        pytest.param("nivolumab + ipilimumab", True, id="nivolumab+ipilimumab"),
        pytest.param("STRIDE", True, id="durvalumab+tremelimumab"),
        pytest.param("pembrolizumab", False, id="pembrolizumab-alone"),
        pytest.param("sorafenib", False, id="sorafenib-alone"),
        pytest.param("sorafenib + capecitabine", False, id="no-checkpoint-inhibitor"),
    ],
)
def test_checkpoint_combination_marks_a_checkpoint_inhibitor_given_with_another_drug(
    drugs: str, combination: bool
) -> None:
    classes = derived(treatments=[{"drugs": drugs}])["first_line_classes"]
    assert ("checkpoint_combination" in classes.items) is combination


def test_first_line_classes_are_the_classes_of_the_first_line_drugs() -> None:
    assert derived(treatments=[{"drugs": "Opdivo/Yervoy"}])["first_line_classes"] == Members(
        items=frozenset(
            {"checkpoint_combination", "checkpoint_inhibitor", "pd1_pdl1_inhibitor", "pd1_inhibitor", "ctla4_inhibitor"}
        )
    )


def test_prior_drug_classes_gather_the_classes_of_every_line() -> None:
    classes = derived(treatments=[ATEZO_BEV, LENVATINIB])["prior_drug_classes"].items
    assert {"checkpoint_combination", "vegf_antibody", "tyrosine_kinase_inhibitor"} <= classes


def test_a_regimen_given_by_subclasses_is_a_checkpoint_combination() -> None:
    classes = derived(treatments=[{"classes": ["pdl1_inhibitor", "vegf_antibody"]}])["first_line_classes"]
    assert "checkpoint_combination" in classes.items


def test_a_regimen_with_an_unrecognised_drug_has_incomplete_drugs() -> None:
    assert derived(treatments=[{"drugs": "atezolizumab + Zorblax"}])["first_line_drugs"].complete is False


def test_first_line_cycles_come_from_the_first_line() -> None:
    assert derived(treatments=[LENVATINIB, ATEZO_BEV])["first_line_cycles"] == 8


def test_first_line_progression_date_and_flag_come_from_the_first_line() -> None:
    values = derived(treatments=[ATEZO_BEV, LENVATINIB])
    assert (values["first_line_progressed"], values["first_line_progression_date"]) == (True, dt.date(2025, 8, 20))


def test_first_line_without_progression_has_progression_date_never() -> None:
    values = derived(treatments=[{"drugs": "atezo/bev", "progressed": False}])
    assert values["first_line_progression_date"] is NEVER


def test_first_line_with_progression_not_recorded_leaves_progression_unknown() -> None:
    values = derived(treatments=[{"drugs": "atezo/bev"}])
    assert ("first_line_progressed" in values, "first_line_progression_date" in values) == (False, False)


def test_first_line_start_date_is_the_start_of_the_first_line() -> None:
    assert derived(treatments=[LENVATINIB, ATEZO_BEV])["first_line_start_date"] == dt.date(2025, 1, 10)


def test_last_systemic_therapy_date_is_the_latest_stop() -> None:
    assert derived(treatments=[ATEZO_BEV, LENVATINIB])["last_systemic_therapy_date"] == dt.date(2026, 3, 1)


def test_a_regimen_marked_ongoing_is_still_being_taken_whatever_the_date() -> None:
    ongoing = {"drugs": "lenvatinib", "line": 2, "started": "2025-09-15", "ongoing": True}
    assert derived(treatments=[ATEZO_BEV, ongoing])["last_systemic_therapy_date"] is STILL_GOING


def test_a_regimen_with_a_start_but_no_stop_date_leaves_the_last_dose_unknown() -> None:
    started_only = {"drugs": "lenvatinib", "line": 2, "started": "2025-09-15"}
    assert "last_systemic_therapy_date" not in derived(treatments=[ATEZO_BEV, started_only])


def test_last_systemic_therapy_date_is_unknown_when_a_regimen_has_no_dates() -> None:
    assert "last_systemic_therapy_date" not in derived(treatments=[ATEZO_BEV, {"drugs": "lenvatinib", "line": 2}])


def test_an_empty_history_has_no_lines() -> None:
    assert derived(treatments="none")["prior_systemic_lines"] == 0


def test_an_empty_history_has_first_line_and_last_therapy_dates_never() -> None:
    values = derived(treatments=[])
    dates = ("first_line_start_date", "first_line_progression_date", "last_systemic_therapy_date")
    assert [values[d] for d in dates] == [NEVER, NEVER, NEVER]


def test_an_empty_history_has_empty_complete_first_line_drugs() -> None:
    assert derived(treatments="none")["first_line_drugs"] == Members()


def test_an_unknown_history_derives_no_treatment_fact() -> None:
    values = derived({"sex": "male"})
    assert [k for k in values if k.startswith(("first_line", "prior_", "last_systemic"))] == []


def test_lines_are_ordered_by_line_number_before_start_date() -> None:
    history = [
        {"drugs": "sorafenib", "line": 1, "started": "2025-06-01"},
        {"drugs": "atezo/bev", "line": 2, "started": "2024-01-01"},
    ]
    assert derived(treatments=history)["first_line_drugs"].items == {"sorafenib"}


def test_without_line_numbers_the_earliest_started_regimen_is_the_first_line() -> None:
    history = [{"drugs": "sorafenib", "started": "2025-06-01"}, {"drugs": "atezo/bev", "started": "2024-01-01"}]
    assert derived(treatments=history)["first_line_drugs"].items == {"atezolizumab", "bevacizumab"}


def test_without_line_numbers_or_dates_the_first_listed_regimen_is_the_first_line() -> None:
    assert derived(treatments=[{"drugs": "sorafenib"}, {"drugs": "atezo/bev"}])["first_line_drugs"].items == {
        "sorafenib"
    }


def test_regimens_sharing_a_line_number_are_ordered_by_start_date() -> None:
    history = [
        {"drugs": "sorafenib", "line": 1, "started": "2025-06-01"},
        {"drugs": "atezo/bev", "line": 1, "started": "2024-01-01"},
    ]
    assert derived(treatments=history)["first_line_drugs"].items == {"atezolizumab", "bevacizumab"}


def test_a_history_that_does_not_say_which_regimen_came_first_leaves_the_first_line_unknown() -> None:
    history = [{"drugs": "sorafenib", "line": 2}, {"drugs": "atezo/bev", "started": "2024-01-01"}]
    assert "first_line_drugs" not in derived(treatments=history)


def test_ascites_seen_only_on_a_scan_scores_one_or_two_points_and_still_decides_class_a() -> None:
    values = derived(
        {
            "bilirubin": "1.0 mg/dL",
            "albumin": "4.0 g/dL",
            "inr": 1.0,
            "ascites": "radiological",
            "hepatic_encephalopathy": "none",
        }
    )
    assert (values["child_pugh_score"], values["child_pugh_class"]) == (Interval(5, 6), "A")


def test_ascites_seen_only_on_a_scan_leaves_class_open_at_the_a_b_border() -> None:
    values = derived(
        {
            "bilirubin": "2.5 mg/dL",
            "albumin": "4.0 g/dL",
            "inr": 1.0,
            "ascites": "radiological",
            "hepatic_encephalopathy": "none",
        }
    )
    assert values["child_pugh_class"] == OneOf(frozenset({"A", "B"}))


# --- progressing organs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organs", "count"),
    [
        pytest.param(["liver", "lung"], 2, id="two-organs"),
        pytest.param("none", 0, id="nothing-progressing"),
        pytest.param(["liver", "lymph_nodes"], Interval(2, 20), id="each-nodal-area-is-an-organ-so-at-least-2"),
        pytest.param(["other"], Interval(1, 20), id="other-sites-may-be-several"),
    ],
)
def test_the_progressing_organ_count_is_read_from_the_organs(organs: object, count: object) -> None:
    values = derive_all(read_profile({"facts": {"progressing_organs": organs}}))
    assert values["progressive_organ_count"] == count
