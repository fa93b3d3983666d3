"""Units as labs report them (from matcher/data/units.yaml) and reading a profile: what is accepted,
what is refused, and how each refusal names the field and what would be accepted."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import AS_OF

from matcher.drugs import load_drug_vocabulary
from matcher.evaluation import TRUE, compile_rule
from matcher.facts import load_vocabulary
from matcher.profile import Profile, ProfileError, read_profile
from matcher.units import UnitError, load_unit_sets, normalise_unit
from matcher.values import Lab, Members
from trials.rules import Compare


def profile(facts: dict[str, Any] | None = None, treatments: Any = None) -> Profile:
    data: dict[str, Any] = {"as_of": AS_OF, "facts": facts or {}}
    if treatments is not None:
        data["treatments"] = treatments
    return read_profile(data)


def problems(facts: dict[str, Any] | None = None, treatments: Any = None, **sections: Any) -> list[tuple[str, str]]:
    """The problems a profile is refused for (fails the test if it is accepted)."""
    data: dict[str, Any] = {"as_of": AS_OF, "facts": facts or {}, **sections}
    if treatments is not None:
        data["treatments"] = treatments
    with pytest.raises(ProfileError) as caught:
        read_profile(data)
    return caught.value.problems


def problem_for(where: str, found: list[tuple[str, str]]) -> str:
    messages = [what for place, what in found if place == where]
    assert len(messages) == 1, f"expected one problem for {where}, got {found}"
    return messages[0]


# --- unit conversion ------------------------------------------------------------------------------------

CONVERSIONS = [
    # haemoglobin, canonical g/dL
    ("haemoglobin", 9.0, "g/dL", 9.0),
    ("haemoglobin", 9.0, "g/dl", 9.0),
    ("haemoglobin", 9.0, "g/100mL", 9.0),
    ("haemoglobin", 90, "g/L", 9.0),
    ("haemoglobin", 90, "g/l", 9.0),
    ("haemoglobin", 5.59, "mmol/L", 9.00549),  # 5.59 x 1.611
    ("haemoglobin", 6.2, "mmol/l", 9.9882),
    # cell counts, canonical /µL
    ("cell_count", 1500, "/µL", 1500.0),  # micro sign U+00B5
    ("cell_count", 1500, "/μl", 1500.0),  # Greek mu U+03BC
    ("cell_count", 1500, "/uL", 1500.0),
    ("cell_count", 1500, "cells/µL", 1500.0),
    ("cell_count", 1500, "/mm3", 1500.0),
    ("cell_count", 1.5, "×10⁹/L", 1500.0),
    ("cell_count", 1.5, "x10^9/L", 1500.0),
    ("cell_count", 1.5, "10⁹/L", 1500.0),
    ("cell_count", 1.5, "10^9/l", 1500.0),
    ("cell_count", 1.5, "* 10^9/L", 1500.0),
    ("cell_count", 1.5, "G/L", 1500.0),
    ("cell_count", 75, "×10³/µL", 75000.0),
    ("cell_count", 75, "x10^3/uL", 75000.0),
    ("cell_count", 75, "10³/μL", 75000.0),
    ("cell_count", 75, "K/uL", 75000.0),
    ("cell_count", 75, "k/µl", 75000.0),
    ("cell_count", 75, "thousand/uL", 75000.0),
    # creatinine, canonical mg/dL
    ("creatinine", 1.5, "mg/dL", 1.5),
    ("creatinine", 132.6, "µmol/L", 1.5),  # / 88.4
    ("creatinine", 132.6, "umol/L", 1.5),
    ("creatinine", 88.4, "μmol/l", 1.0),
    ("creatinine", 88.4, "micromol/L", 1.0),
    # bilirubin, canonical mg/dL
    ("bilirubin", 1.2, "mg/dL", 1.2),
    ("bilirubin", 17.1, "µmol/L", 1.0),  # / 17.1
    ("bilirubin", 34.2, "umol/l", 2.0),
    ("bilirubin", 51.3, "μmol/L", 3.0),
    # albumin, canonical g/dL
    ("albumin", 3.5, "g/dL", 3.5),
    ("albumin", 35, "g/L", 3.5),
    ("albumin", 28, "g/l", 2.8),
    # weight, canonical kg
    ("weight", 70, "kg", 70.0),
    ("weight", 70, "kgs", 70.0),
    ("weight", 100, "lb", 45.359237),
    ("weight", 100, "lbs", 45.359237),
    ("weight", 100, "pounds", 45.359237),
]


@pytest.mark.parametrize(
    ("unit_set", "value", "unit", "canonical"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}{row[2]}") for row in CONVERSIONS],
)
def test_lab_units_convert_to_the_canonical_unit(unit_set: str, value: float, unit: str, canonical: float) -> None:
    assert load_unit_sets()[unit_set].to_canonical(value, unit) == canonical


def test_a_value_without_unit_is_already_canonical() -> None:
    assert load_unit_sets()["albumin"].to_canonical(3.2, None) == 3.2


@pytest.mark.parametrize(
    ("spelling", "normal"),
    [("×10⁹/L", "109/l"), ("x10^9/L", "109/l"), ("/μL", "/ul"), ("/µL", "/ul"), (" G / L ", "g/l")],
)
def test_unit_spellings_normalise_alike(spelling: str, normal: str) -> None:
    assert normalise_unit(spelling) == normal


def test_a_unit_from_another_measurement_is_refused_with_the_accepted_units() -> None:
    with pytest.raises(UnitError, match=r"use one of: g/dL, g/L, mmol/L"):
        load_unit_sets()["haemoglobin"].to_canonical(9.0, "mg/dL")


@pytest.mark.parametrize(
    ("fact", "given", "rule_value", "rule_unit"),
    [
        pytest.param("albumin", "28 g/L", 2.8, "g/dL", id="albumin-28g/L-vs-2.8g/dL"),
        pytest.param("albumin", "2.8 g/dL", 28, "g/L", id="albumin-2.8g/dL-vs-28g/L"),
        pytest.param("hemoglobin", "90 g/L", 9.0, "g/dL", id="hb-90g/L-vs-9.0g/dL"),
        pytest.param("anc", "1.5 x10^9/L", 1500, "/µL", id="anc-1.5x10^9/L-vs-1500/uL"),
        pytest.param("platelets", "75 K/uL", 75000, "/µL", id="platelets-75K/uL-vs-75000/uL"),
        pytest.param("creatinine", "132.6 µmol/L", 1.5, "mg/dL", id="creatinine-132.6umol-vs-1.5mg"),
        pytest.param("bilirubin", "51.3 µmol/L", 3.0, "mg/dL", id="bilirubin-51.3umol-vs-3.0mg"),
    ],
)
def test_a_limit_met_on_paper_is_met_after_conversion(fact: str, given: str, rule_value: float, rule_unit: str) -> None:
    vocabulary = load_vocabulary()
    at_least = compile_rule(
        Compare(op="ge", fact=fact, value=rule_value, unit=rule_unit), vocabulary, load_drug_vocabulary()
    )
    at_most = compile_rule(
        Compare(op="le", fact=fact, value=rule_value, unit=rule_unit), vocabulary, load_drug_vocabulary()
    )
    values = profile({fact: given}).values
    assert (at_least(values), at_most(values)) == (TRUE, TRUE)


# --- reading values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "value"),
    [
        pytest.param("1,500/µL", 1500.0, id="thousands-comma-with-unit"),
        pytest.param("1,500", 1500.0, id="thousands-comma-bare"),
        pytest.param("1500 /uL", 1500.0, id="plain"),
        pytest.param("1,5 x10^9/L", 1500.0, id="decimal-comma"),
        pytest.param(1500, 1500.0, id="number"),
        pytest.param({"value": 1.5, "unit": "10^9/L"}, 1500.0, id="mapping"),
    ],
)
def test_neutrophil_counts_read_as_written(given: Any, value: float) -> None:
    assert profile({"anc": given}).values["anc"] == value


def test_a_thousands_separator_in_a_mapping_value_is_fifteen_hundred() -> None:
    assert profile({"anc": {"value": "1,500", "unit": "/µL"}}).values["anc"] == 1500.0


@pytest.mark.parametrize(
    ("given", "lab"),
    [
        pytest.param({"value": 80, "unit": "U/L", "uln": 40}, Lab(value=80.0, uln=40.0, xuln=2.0), id="value-unit-uln"),
        pytest.param({"xuln": 2}, Lab(xuln=2.0), id="xuln-mapping"),
        pytest.param("2 x ULN", Lab(xuln=2.0), id="text-x"),
        pytest.param("2×ULN", Lab(xuln=2.0), id="text-times-sign"),
        pytest.param("2.5 * uln", Lab(xuln=2.5), id="text-star-lowercase"),
        pytest.param("80 U/L", Lab(value=80.0), id="value-only"),
    ],
)
def test_a_uln_lab_reads_each_form(given: Any, lab: Lab) -> None:
    assert profile({"ast": given}).values["ast"] == lab


def test_a_uln_lab_relative_value_is_value_over_uln() -> None:
    assert profile({"ast": {"value": 100, "unit": "U/L", "uln": 40}}).values["ast"].relative() == 2.5


@pytest.mark.parametrize("unknown", [None, "unknown", "Unknown", "don't know", "?"])
def test_unknown_answers_leave_the_fact_unknown(unknown: Any) -> None:
    assert "hemoglobin" not in profile({"hemoglobin": unknown}).values


@pytest.mark.parametrize(("given", "value"), [("yes", True), ("No", False), (True, True), ("n", False)])
def test_yes_no_answers_read_as_booleans(given: Any, value: bool) -> None:
    assert profile({"hiv_positive": given}).values["hiv_positive"] is value


@pytest.mark.parametrize("never", ["never", "no", "none", False])
def test_an_event_that_never_happened_reads_as_never(never: Any) -> None:
    from matcher.values import NEVER

    assert profile({"major_surgery_date": never}).values["major_surgery_date"] is NEVER


def test_choices_are_matched_without_regard_to_case() -> None:
    assert profile({"sex": "Female", "child_pugh_class": "a"}).values == {"sex": "female", "child_pugh_class": "A"}


def test_a_set_of_choices_reads_as_a_complete_set() -> None:
    assert profile({"hcc_diagnosis_basis": ["imaging", "histology"]}).values["hcc_diagnosis_basis"] == Members(
        items=frozenset({"imaging", "histology"})
    )


def test_the_unit_given_is_kept_for_display() -> None:
    assert profile({"hemoglobin": "95 g/L"}).given["hemoglobin"] == "95 g/L"


# --- refused values: each names the field and what is accepted -------------------------------------------


def test_an_unknown_fact_id_is_refused_by_name() -> None:
    assert "is not a known fact" in problem_for("facts.haemoglobin_level", problems({"haemoglobin_level": 9}))


def test_a_unit_that_does_not_fit_is_refused_with_the_accepted_units() -> None:
    message = problem_for("facts.hemoglobin", problems({"hemoglobin": "9 mg/dL"}))
    assert ("'mg/dL'" in message, "accepted: g/dL, g/L, mmol/L" in message) == (True, True)


@pytest.mark.parametrize("weight", [0, "0 kg", 900, "900 kg", "2000 lb", 24.9])
def test_an_implausible_weight_is_refused_with_the_plausible_range(weight: Any) -> None:
    assert "accepted: 25 to 300 kg" in problem_for("facts.weight", problems({"weight": weight}))


@pytest.mark.parametrize("weight", [25, 300, "56 lb", "661 lb"])
def test_weights_at_the_plausible_limits_are_accepted(weight: Any) -> None:
    assert "weight" in profile({"weight": weight}).values


@pytest.mark.parametrize("platelets", [-5, "-5", "-150 x10^9/L", {"value": -1, "unit": "/µL"}])
def test_a_negative_count_is_refused(platelets: Any) -> None:
    assert "not a plausible platelet count" in problem_for("facts.platelets", problems({"platelets": platelets}))


def test_a_date_in_the_future_is_refused() -> None:
    message = problem_for("facts.major_surgery_date", problems({"major_surgery_date": "2026-11-23"}))
    assert "in the future" in message


def test_the_assessment_date_itself_is_not_in_the_future() -> None:
    assert "major_surgery_date" in profile({"major_surgery_date": "2026-11-22"}).values


def test_a_treatment_date_in_the_future_is_refused() -> None:
    found = problems(treatments=[{"drugs": "sorafenib", "started": "2026-12-01"}])
    assert "in the future" in problem_for("treatments[1].started", found)


@pytest.mark.parametrize("text", ["abc", "nine", "high", "n/a"])
def test_text_in_a_number_field_is_refused_with_the_accepted_units(text: str) -> None:
    message = problem_for("facts.hemoglobin", problems({"hemoglobin": text}))
    assert "is not a number; give a number in g/dL, g/L, mmol/L" in message


def test_an_ecog_grade_out_of_range_is_refused_with_the_range() -> None:
    assert "accepted: 0 to 4" in problem_for("facts.ecog", problems({"ecog": 7}))


def test_an_ecog_grade_that_is_not_a_whole_number_is_refused() -> None:
    assert "not a whole number" in problem_for("facts.ecog", problems({"ecog": "one"}))


def test_a_bad_choice_is_refused_with_the_choices() -> None:
    assert "accepted answers: female, male" in problem_for("facts.sex", problems({"sex": "x"}))


def test_a_times_uln_value_on_a_fact_without_uln_is_refused() -> None:
    assert "upper limit of normal" in problem_for("facts.hemoglobin", problems({"hemoglobin": "1.5 x ULN"}))


def test_an_unknown_treatment_field_is_refused_with_the_accepted_fields() -> None:
    message = problem_for("treatments[1].dose", problems(treatments=[{"drugs": "sorafenib", "dose": "400 mg"}]))
    assert "accepted: drugs, classes, line, started, stopped, ongoing, cycles, progressed, progression_date" in message


def test_an_unknown_treatment_class_is_refused_with_the_classes() -> None:
    message = problem_for("treatments[1].classes", problems(treatments=[{"classes": ["immunotherapy"]}]))
    assert "tyrosine_kinase_inhibitor" in message


def test_an_unknown_profile_section_is_refused() -> None:
    assert "accepted: as_of, facts, treatments" in problem_for("labs", problems(labs={"hb": 9}))


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        {
            "haemoglobin_level": 9,
            "hemoglobin": "9 mg/dL",
            "weight": 900,
            "platelets": -5,
            "major_surgery_date": "2027-01-01",
            "hbv_dna": "lots",
            "ecog": 7,
            "sex": "x",
        },
        treatments=[{"drugs": "sorafenib", "dose": "400 mg"}, {"drugs": "lenvatinib", "stopped": "2030-01-01"}],
    )
    assert sorted(where for where, _ in found) == sorted(
        [
            "facts.haemoglobin_level",
            "facts.hemoglobin",
            "facts.weight",
            "facts.platelets",
            "facts.major_surgery_date",
            "facts.hbv_dna",
            "facts.ecog",
            "facts.sex",
            "treatments[1].dose",
            "treatments[2].stopped",
        ]
    )


def test_the_profile_error_message_lists_each_field() -> None:
    with pytest.raises(ProfileError, match=r"(?s)facts\.ecog: .*facts\.sex: "):
        read_profile({"as_of": AS_OF, "facts": {"ecog": 7, "sex": "x"}})


# --- drug names -------------------------------------------------------------------------------------------


def test_an_unrecognised_drug_is_reported_in_the_notes() -> None:
    notes = profile(treatments=[{"drugs": "Tecentriq + Zorblax"}]).notes
    assert any("'Zorblax' is not a drug name we recognise" in note for note in notes)


def test_an_unrecognised_drug_leaves_the_regimen_incomplete() -> None:
    regimen = profile(treatments=[{"drugs": "Tecentriq + Zorblax"}]).treatments[0]
    assert (regimen.drugs.items, regimen.drugs.complete, regimen.unrecognised) == (
        frozenset({"atezolizumab"}),
        False,
        ("Zorblax",),
    )


def test_a_close_misspelling_is_read_and_noted() -> None:
    read = profile(treatments=[{"drugs": "lenvatanib"}])
    assert (read.treatments[0].drugs.items, len(read.notes)) == (frozenset({"lenvatinib"}), 1)


def test_brand_names_are_recognised_without_notes() -> None:
    read = profile(treatments=[{"drugs": "Tecentriq + Avastin"}])
    assert (read.treatments[0].drugs.items, read.notes) == (frozenset({"atezolizumab", "bevacizumab"}), [])


def test_an_unrecognised_drug_in_a_drug_list_fact_leaves_it_incomplete() -> None:
    assert profile({"drug_allergies": ["Zorblax"]}).values["drug_allergies"].complete is False


def test_an_empty_drug_list_is_complete() -> None:
    assert profile({"drug_allergies": []}).values["drug_allergies"] == Members()


def test_none_for_a_drug_list_fact_is_an_empty_complete_list() -> None:
    assert profile({"drug_allergies": "none"}).values["drug_allergies"] == Members()


def test_treatments_none_is_an_empty_history() -> None:
    assert profile(treatments="none").treatments == []


def test_treatments_unknown_leaves_the_history_unknown() -> None:
    assert profile(treatments="unknown").treatments is None


@pytest.mark.parametrize(
    ("typed", "value", "uln"),
    [
        ("1.1 mg/dL (0.2-1.2)", 1.1, 1.2),
        ("1.1 mg/dL (0.2–1.2)", 1.1, 1.2),
        ("1.1 mg/dL [ref 0.2-1.2 mg/dL]", 1.1, 1.2),
    ],
)
def test_a_lab_typed_as_printed_with_its_reference_range_takes_the_upper_end_as_uln(
    typed: str, value: float, uln: float
) -> None:
    lab = read_profile({"facts": {"bilirubin": typed}}).values["bilirubin"]
    assert (lab.value, lab.uln) == (value, uln)


def test_blood_pressure_written_as_a_chart_writes_it_gives_both_readings() -> None:
    values = read_profile({"facts": {"blood_pressure": "135/85"}}).values
    assert (values["systolic_bp"], values["diastolic_bp"]) == (135.0, 85.0)


def test_blood_pressure_that_is_not_a_pair_names_the_field() -> None:
    with pytest.raises(ProfileError, match="facts.blood_pressure"):
        read_profile({"facts": {"blood_pressure": "high"}})
