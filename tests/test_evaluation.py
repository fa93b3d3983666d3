"""Three-valued rule evaluation, directly on small rules, and the errors of rules and trial files that do
not fit: each names where it is (file, line, criterion, field)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from matcher.drugs import load_drug_vocabulary
from matcher.evaluation import FALSE, TRUE, UNKNOWN, RuleError, add_duration, compile_rule
from matcher.facts import load_vocabulary
from matcher.values import AS_OF, NEVER, Interval, Lab, Members, OneOf
from matcher.verdicts import Matcher
from trials.loader import BUNDLED_CATALOGUE, TrialFileError, load_catalogue, load_trial_file
from trials.rules import All, AnyOf, Compare, Elapsed, Exactly, Includes, InSet, Not, Occurred, Only, Rule

VOCABULARY = load_vocabulary()
DRUGS = load_drug_vocabulary()
T, U, F = TRUE, UNKNOWN, FALSE
NAMES = {TRUE: "T", UNKNOWN: "U", FALSE: "F"}


def run(rule: Rule, values: dict[str, Any]) -> int:
    return compile_rule(rule, VOCABULARY, DRUGS)(values)


def yes(fact: str) -> Compare:
    return Compare(op="eq", fact=fact, value=True)


def boolean_values(**states: int) -> dict[str, Any]:
    """Facts set so that ``yes(fact)`` is TRUE, FALSE or UNKNOWN (absent)."""
    return {fact: state == TRUE for fact, state in states.items() if state != UNKNOWN}


# --- Kleene logic ------------------------------------------------------------------------------------------

ALL_TABLE = [(T, T, T), (T, U, U), (T, F, F), (U, T, U), (U, U, U), (U, F, F), (F, T, F), (F, U, F), (F, F, F)]
ANY_TABLE = [(T, T, T), (T, U, T), (T, F, T), (U, T, T), (U, U, U), (U, F, U), (F, T, T), (F, U, U), (F, F, F)]


@pytest.mark.parametrize(("a", "b", "expected"), ALL_TABLE, ids=[f"{NAMES[a]}and{NAMES[b]}" for a, b, _ in ALL_TABLE])
def test_all_is_false_if_any_part_is_false_else_unknown_if_any_is_unknown(a: int, b: int, expected: int) -> None:
    rule = All(op="all", rules=[yes("hiv_positive"), yes("active_infection")])
    assert run(rule, boolean_values(hiv_positive=a, active_infection=b)) == expected


@pytest.mark.parametrize(("a", "b", "expected"), ANY_TABLE, ids=[f"{NAMES[a]}or{NAMES[b]}" for a, b, _ in ANY_TABLE])
def test_any_is_true_if_any_part_is_true_else_unknown_if_any_is_unknown(a: int, b: int, expected: int) -> None:
    rule = AnyOf(op="any", rules=[yes("hiv_positive"), yes("active_infection")])
    assert run(rule, boolean_values(hiv_positive=a, active_infection=b)) == expected


@pytest.mark.parametrize(("a", "expected"), [(T, F), (U, U), (F, T)], ids=["notT", "notU", "notF"])
def test_not_mirrors_true_and_false_and_keeps_unknown(a: int, expected: int) -> None:
    assert run(Not(op="not", rule=yes("hiv_positive")), boolean_values(hiv_positive=a)) == expected


def test_a_false_part_decides_all_even_among_many_unknowns() -> None:
    rule = All(op="all", rules=[yes("hiv_positive"), yes("active_infection"), yes("pregnant"), yes("brain_metastases")])
    assert run(rule, {"brain_metastases": False}) == FALSE


def test_not_of_a_nested_any_with_a_true_part_is_false() -> None:
    rule = Not(op="not", rule=AnyOf(op="any", rules=[yes("hiv_positive"), All(op="all", rules=[yes("pregnant")])]))
    assert run(rule, {"pregnant": True}) == FALSE


# --- comparisons ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [("eq", True, T), ("eq", False, F), ("ne", True, F), ("ne", False, T)],
)
def test_boolean_eq_and_ne(op: str, value: bool, expected: int) -> None:
    assert run(Compare(op=op, fact="hiv_positive", value=value), {"hiv_positive": True}) == expected


def test_a_compare_on_an_unknown_fact_is_unknown() -> None:
    assert run(Compare(op="ge", fact="hemoglobin", value=9.0, unit="g/dL"), {}) == UNKNOWN


def test_a_rule_threshold_in_another_unit_is_converted() -> None:
    assert run(Compare(op="ge", fact="hemoglobin", value=90, unit="g/L"), {"hemoglobin": 9.0}) == TRUE


@pytest.mark.parametrize(
    ("lab", "expected"),
    [
        pytest.param(Lab(value=3.6, uln=1.2), T, id="value-and-uln-at"),
        pytest.param(Lab(value=3.7, uln=1.2), F, id="value-and-uln-above"),
        pytest.param(Lab(xuln=3.0), T, id="xuln-at"),
        pytest.param(Lab(xuln=3.01), F, id="xuln-above"),
        pytest.param(Lab(value=3.6), U, id="value-without-uln"),
    ],
)
def test_times_uln_compares_the_ratio_to_the_upper_limit(lab: Lab, expected: int) -> None:
    assert run(Compare(op="le", fact="bilirubin", value=3.0, unit="xULN"), {"bilirubin": lab}) == expected


def test_an_absolute_compare_on_a_times_uln_only_lab_is_unknown() -> None:
    assert run(Compare(op="le", fact="bilirubin", value=3.0, unit="mg/dL"), {"bilirubin": Lab(xuln=1.0)}) == UNKNOWN


# --- intervals (numbers known within bounds) -----------------------------------------------------------

KPS_70_80 = {"karnofsky": Interval(70, 80)}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("ge", 70, T),
        ("ge", 80, U),
        ("ge", 90, F),
        ("gt", 80, F),
        ("gt", 69, T),
        ("lt", 70, F),
        ("lt", 81, T),
        ("le", 80, T),
        ("le", 75, U),
        ("eq", 75, U),
        ("eq", 90, F),
        ("ne", 90, T),
        ("ne", 75, U),
    ],
)
def test_an_interval_decides_a_comparison_only_when_every_value_in_it_agrees(
    op: str, value: int, expected: int
) -> None:
    assert run(Compare(op=op, fact="karnofsky", value=value), KPS_70_80) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [(list(range(70, 81)), T), ([50, 60], F), ([70, 80], U)],
    ids=["covers-the-interval", "misses-the-interval", "part-of-the-interval"],
)
def test_in_on_an_integer_interval(values: list[int], expected: int) -> None:
    assert run(InSet(op="in", fact="karnofsky", values=values), KPS_70_80) == expected


@pytest.mark.parametrize(("threshold", "expected"), [(60, T), (70, U), (80, F)])
def test_a_clearance_range_with_sex_unknown_decides_only_outside_the_range(threshold: float, expected: int) -> None:
    rule = Compare(op="ge", fact="creatinine_clearance", value=threshold, unit="mL/min")
    assert run(rule, {"creatinine_clearance": Interval(66.1, 77.8)}) == expected


# --- choices known as one of a few ------------------------------------------------------------------------

A_OR_B = {"child_pugh_class": OneOf(frozenset({"A", "B"}))}
B_OR_C = {"child_pugh_class": OneOf(frozenset({"B", "C"}))}


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    [
        pytest.param(Compare(op="eq", fact="child_pugh_class", value="A"), A_OR_B, U, id="eq-A-of-A-or-B"),
        pytest.param(Compare(op="eq", fact="child_pugh_class", value="A"), B_OR_C, F, id="eq-A-of-B-or-C"),
        pytest.param(Compare(op="ne", fact="child_pugh_class", value="A"), B_OR_C, T, id="ne-A-of-B-or-C"),
        pytest.param(InSet(op="in", fact="child_pugh_class", values=["B", "C"]), B_OR_C, T, id="in-B-C-of-B-or-C"),
        pytest.param(Compare(op="le", fact="child_pugh_class", value="B"), A_OR_B, T, id="le-B-of-A-or-B"),
        pytest.param(Compare(op="ge", fact="child_pugh_class", value="B"), A_OR_B, U, id="ge-B-of-A-or-B"),
        pytest.param(Compare(op="lt", fact="child_pugh_class", value="B"), B_OR_C, F, id="lt-B-of-B-or-C"),
        pytest.param(
            Compare(op="eq", fact="child_pugh_class", value="A"), {"child_pugh_class": "A"}, T, id="eq-A-of-A"
        ),
        pytest.param(
            InSet(op="in", fact="ascites", values=["mild", "moderate"]), {"ascites": "severe"}, F, id="in-plain"
        ),
    ],
)
def test_one_of_several_choices_decides_only_when_every_option_agrees(
    rule: Rule, values: dict[str, Any], expected: int
) -> None:
    assert run(rule, values) == expected


def test_ordered_choices_compare_by_position() -> None:
    assert run(Compare(op="ge", fact="portal_vein_invasion", value="vp3"), {"portal_vein_invasion": "vp4"}) == TRUE


# --- sets: includes, only, exactly -----------------------------------------------------------------------


def drugs(*items: str, unnamed: tuple[tuple[str, ...], ...] = ()) -> dict[str, Any]:
    """first_line_drugs holding ``items`` and, for each entry of ``unnamed``, a drug known only by those classes
    (an empty tuple: a name we could not recognise). Incomplete as soon as one drug is unnamed."""
    classes: set[str] = set()
    for item in items:
        classes |= DRUGS.classes_of(item)
    for known in unnamed:
        classes |= set(known)
    members = Members(
        items=frozenset(items),
        classes=frozenset(classes),
        complete=not unnamed,
        unnamed=tuple(frozenset(known) for known in unnamed),
    )
    return {"first_line_drugs": members}


UNRECOGNISED: tuple[tuple[str, ...], ...] = ((),)


def includes(*values: str, classes: tuple[str, ...] = (), mode: str = "any") -> Includes:
    return Includes(op="includes", fact="first_line_drugs", values=list(values), classes=list(classes), mode=mode)


def only(*values: str, classes: tuple[str, ...] = ()) -> Only:
    return Only(op="only", fact="first_line_drugs", values=list(values), classes=list(classes))


ATEZO_BEV = Exactly(op="exactly", fact="first_line_drugs", values=["atezolizumab", "bevacizumab"])

SET_CASES = [
    # includes
    pytest.param(includes("atezolizumab"), drugs("atezolizumab", "bevacizumab"), T, id="includes-named-member"),
    pytest.param(includes("atezolizumab"), drugs("sorafenib"), F, id="includes-absent-from-complete-set"),
    pytest.param(
        includes("atezolizumab"), drugs("sorafenib", unnamed=UNRECOGNISED), U, id="includes-absent-from-incomplete-set"
    ),
    pytest.param(
        includes("atezolizumab"), drugs("atezolizumab", unnamed=UNRECOGNISED), T, id="includes-named-in-incomplete-set"
    ),
    pytest.param(
        includes("atezolizumab", "bevacizumab", mode="all"), drugs("atezolizumab"), F, id="includes-all-one-missing"
    ),
    pytest.param(
        includes("atezolizumab", "bevacizumab", mode="all"),
        drugs("atezolizumab", unnamed=UNRECOGNISED),
        U,
        id="includes-all-incomplete",
    ),
    pytest.param(
        includes(classes=("tyrosine_kinase_inhibitor",)), drugs("lenvatinib"), T, id="includes-class-of-named"
    ),
    pytest.param(
        includes(classes=("tyrosine_kinase_inhibitor",)),
        drugs(unnamed=(("tyrosine_kinase_inhibitor",),)),
        T,
        id="includes-class-of-unnamed",
    ),
    pytest.param(
        includes(classes=("tyrosine_kinase_inhibitor",)),
        drugs("atezolizumab", "bevacizumab"),
        F,
        id="includes-class-absent",
    ),
    pytest.param(includes("atezolizumab"), drugs(), F, id="includes-of-empty-set"),
    pytest.param(includes("atezolizumab"), {}, U, id="includes-of-unknown-set"),
    # only
    pytest.param(only("atezolizumab", "bevacizumab"), drugs("atezolizumab"), T, id="only-subset"),
    pytest.param(only("atezolizumab", "bevacizumab"), drugs(), T, id="only-empty-set"),
    pytest.param(
        only("atezolizumab", "bevacizumab"), drugs("atezolizumab", "sorafenib"), F, id="only-with-other-named"
    ),
    pytest.param(
        only("atezolizumab", "bevacizumab"), drugs("atezolizumab", unnamed=UNRECOGNISED), U, id="only-incomplete"
    ),
    pytest.param(
        only("atezolizumab", "bevacizumab"),
        drugs("sorafenib", unnamed=UNRECOGNISED),
        F,
        id="only-incomplete-with-other",
    ),
    pytest.param(
        only("atezolizumab", "bevacizumab"),
        drugs(unnamed=(("tyrosine_kinase_inhibitor",),)),
        F,
        id="only-unnamed-of-foreign-class",
    ),
    pytest.param(
        only("atezolizumab", "bevacizumab"),
        drugs(unnamed=(("checkpoint_inhibitor",),)),
        U,
        id="only-unnamed-of-possible-class",
    ),
    pytest.param(only(classes=("checkpoint_inhibitor",)), drugs("nivolumab", "ipilimumab"), T, id="only-class-named"),
    pytest.param(
        only(classes=("checkpoint_inhibitor",)), drugs("nivolumab", "sorafenib"), F, id="only-class-with-other"
    ),
    pytest.param(only("atezolizumab"), {}, U, id="only-of-unknown-set"),
    # exactly
    pytest.param(ATEZO_BEV, drugs("atezolizumab", "bevacizumab"), T, id="exactly-same"),
    pytest.param(ATEZO_BEV, drugs("atezolizumab"), F, id="exactly-one-missing"),
    pytest.param(ATEZO_BEV, drugs("atezolizumab", "bevacizumab", "lenvatinib"), F, id="exactly-one-more"),
    pytest.param(ATEZO_BEV, drugs(), F, id="exactly-empty"),
    pytest.param(ATEZO_BEV, drugs("atezolizumab", unnamed=UNRECOGNISED), U, id="exactly-incomplete-could-be"),
    pytest.param(
        ATEZO_BEV, drugs("atezolizumab", "bevacizumab", unnamed=UNRECOGNISED), U, id="exactly-incomplete-could-be-more"
    ),
    pytest.param(ATEZO_BEV, drugs("sorafenib", unnamed=UNRECOGNISED), F, id="exactly-incomplete-with-other"),
    pytest.param(
        ATEZO_BEV,
        drugs("atezolizumab", unnamed=(("tyrosine_kinase_inhibitor",),)),
        F,
        id="exactly-unnamed-foreign-class",
    ),
    pytest.param(
        ATEZO_BEV, drugs("atezolizumab", unnamed=(("vegf_antibody",),)), U, id="exactly-unnamed-possible-class"
    ),
    pytest.param(ATEZO_BEV, {}, U, id="exactly-of-unknown-set"),
]


@pytest.mark.parametrize(("rule", "values", "expected"), SET_CASES)
def test_set_tests_decide_only_what_the_known_members_settle(rule: Rule, values: dict[str, Any], expected: int) -> None:
    assert run(rule, values) == expected


def test_only_by_class_is_true_for_a_member_known_by_an_allowed_class() -> None:
    assert run(only(classes=("checkpoint_inhibitor",)), drugs(unnamed=(("checkpoint_inhibitor",),))) == TRUE


@pytest.mark.parametrize(
    ("given", "expected"),
    [({"histology"}, T), ({"imaging"}, F), (set(), F)],
    ids=["member", "other-member", "empty"],
)
def test_includes_on_a_set_of_choices(given: set[str], expected: int) -> None:
    rule = Includes(op="includes", fact="hcc_diagnosis_basis", values=["histology", "cytology"])
    assert run(rule, {"hcc_diagnosis_basis": Members(items=frozenset(given))}) == expected


# --- elapsed time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "amount", "unit", "sign", "expected"),
    [
        pytest.param(dt.date(2026, 11, 30), 3, "months", -1, dt.date(2026, 8, 30), id="30-nov-minus-3-months"),
        pytest.param(dt.date(2026, 5, 31), 3, "months", -1, dt.date(2026, 2, 28), id="31-may-minus-3-months-clamped"),
        pytest.param(dt.date(2024, 5, 31), 3, "months", -1, dt.date(2024, 2, 29), id="leap-year-clamped"),
        pytest.param(dt.date(2026, 12, 31), 1, "months", -1, dt.date(2026, 11, 30), id="31-dec-minus-1-month"),
        pytest.param(dt.date(2026, 1, 31), 1, "months", 1, dt.date(2026, 2, 28), id="31-jan-plus-1-month"),
        pytest.param(dt.date(2026, 2, 15), 2, "months", -1, dt.date(2025, 12, 15), id="across-the-year"),
        pytest.param(dt.date(2024, 2, 29), 1, "years", -1, dt.date(2023, 2, 28), id="29-feb-minus-1-year"),
        pytest.param(dt.date(2026, 11, 22), 36, "months", -1, dt.date(2023, 11, 22), id="36-months"),
        pytest.param(dt.date(2026, 11, 22), 3, "weeks", -1, dt.date(2026, 11, 1), id="3-weeks"),
        pytest.param(dt.date(2026, 11, 22), 14, "days", -1, dt.date(2026, 11, 8), id="14-days"),
    ],
)
def test_durations_are_calendar_durations(day: dt.date, amount: float, unit: str, sign: int, expected: dt.date) -> None:
    assert add_duration(day, amount, unit, sign) == expected


def within(cmp: str, amount: float, unit: str, fact: str = "major_surgery_date") -> Elapsed:
    return Elapsed(op="elapsed", fact=fact, cmp=cmp, value=amount, unit=unit)


@pytest.mark.parametrize(
    ("cmp", "event", "expected"),
    [
        ("le", dt.date(2026, 8, 30), T),
        ("le", dt.date(2026, 8, 29), F),
        ("lt", dt.date(2026, 8, 30), F),
        ("lt", dt.date(2026, 8, 31), T),
        ("ge", dt.date(2026, 8, 30), T),
        ("ge", dt.date(2026, 8, 31), F),
        ("gt", dt.date(2026, 8, 30), F),
        ("gt", dt.date(2026, 8, 29), T),
    ],
)
def test_elapsed_three_months_from_30_november_is_30_august(cmp: str, event: dt.date, expected: int) -> None:
    values = {AS_OF: dt.date(2026, 11, 30), "major_surgery_date": event}
    assert run(within(cmp, 3, "months"), values) == expected


@pytest.mark.parametrize(("event", "expected"), [(dt.date(2026, 2, 28), T), (dt.date(2026, 3, 1), F)])
def test_three_months_before_31_may_is_28_february(event: dt.date, expected: int) -> None:
    values = {AS_OF: dt.date(2026, 5, 31), "major_surgery_date": event}
    assert run(within("ge", 3, "months"), values) == expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (within("le", 3, "months"), F),
        (within("lt", 3, "months"), F),
        (within("ge", 3, "months"), T),
        (within("gt", 3, "months"), T),
        (Occurred(op="occurred", fact="major_surgery_date"), F),
    ],
    ids=["le", "lt", "ge", "gt", "occurred"],
)
def test_an_event_that_never_happened_is_infinitely_long_ago(rule: Rule, expected: int) -> None:
    assert run(rule, {AS_OF: dt.date(2026, 11, 22), "major_surgery_date": NEVER}) == expected


@pytest.mark.parametrize(
    "rule", [within("le", 3, "months"), Occurred(op="occurred", fact="major_surgery_date")], ids=["elapsed", "occurred"]
)
def test_an_unknown_event_date_is_unknown(rule: Rule) -> None:
    assert run(rule, {AS_OF: dt.date(2026, 11, 22)}) == UNKNOWN


def test_occurred_is_true_for_a_date() -> None:
    assert run(Occurred(op="occurred", fact="major_surgery_date"), {"major_surgery_date": dt.date(2020, 1, 1)}) == TRUE


@pytest.mark.parametrize(
    ("progression", "expected"),
    [(dt.date(2026, 3, 31), T), (dt.date(2026, 3, 30), F), (NEVER, T)],
    ids=["exactly-2-months", "a-day-short", "never-progressed"],
)
def test_elapsed_until_another_date_counts_between_the_two(progression: Any, expected: int) -> None:
    rule = Elapsed(
        op="elapsed",
        fact="first_line_start_date",
        cmp="ge",
        value=2,
        unit="months",
        until="first_line_progression_date",
    )
    values = {
        AS_OF: dt.date(2026, 11, 22),
        "first_line_start_date": dt.date(2026, 1, 31),
        "first_line_progression_date": progression,
    }
    assert run(rule, values) == expected


def test_a_fractional_window_does_not_stretch_to_the_next_whole_day() -> None:
    values = {AS_OF: dt.date(2026, 11, 22), "major_surgery_date": dt.date(2026, 11, 11)}
    assert run(within("le", 1.5, "weeks"), values) == FALSE


# --- rules that do not fit the vocabulary ---------------------------------------------------------------

RULE_ERRORS = [
    pytest.param(
        Compare(op="eq", fact="haemoglobin_level", value=9),
        "rule.fact",
        "unknown fact 'haemoglobin_level'",
        id="unknown-fact",
    ),
    pytest.param(
        Compare(op="ge", fact="hemoglobin", value=9, unit="mg/dL"),
        "rule.unit",
        "use one of: g/dL, g/L, mmol/L",
        id="unit-does-not-fit",
    ),
    pytest.param(
        Compare(op="ge", fact="hemoglobin", value=1.5, unit="xULN"),
        "rule.unit",
        "upper limit of normal",
        id="xuln-without-uln",
    ),
    pytest.param(
        Compare(op="eq", fact="sex", value="other"),
        "rule.value",
        "not a choice of sex: female, male",
        id="choice-not-in-choices",
    ),
    pytest.param(
        InSet(op="in", fact="ascites", values=["some"]),
        "rule.values",
        "not among the choices of ascites",
        id="in-not-in-choices",
    ),
    pytest.param(
        Compare(op="lt", fact="sex", value="male"), "rule.op", "sex has no order", id="lt-on-unordered-choice"
    ),
    pytest.param(
        Elapsed(op="elapsed", fact="hemoglobin", cmp="le", value=3, unit="months"),
        "rule.fact",
        "needs a date or event fact",
        id="elapsed-on-number",
    ),
    pytest.param(
        Elapsed(op="elapsed", fact="major_surgery_date", cmp="le", value=3, unit="months", until="hemoglobin"),
        "rule.until",
        "is not a date",
        id="elapsed-until-number",
    ),
    pytest.param(
        Compare(op="ge", fact="hemoglobin", value="nine"), "rule.value", "compare it to a number", id="text-for-number"
    ),
    pytest.param(
        Compare(op="eq", fact="hiv_positive", value="yes"),
        "rule.value",
        "use op eq or ne with true or false",
        id="text-for-boolean",
    ),
    pytest.param(
        Compare(op="eq", fact="hiv_positive", value=True, unit="g/dL"),
        "rule.unit",
        "takes no unit",
        id="unit-on-boolean",
    ),
    pytest.param(
        Compare(op="ge", fact="prior_systemic_lines", value=1, unit="lines"),
        "rule.unit",
        "has no unit",
        id="unit-on-integer",
    ),
    pytest.param(
        Occurred(op="occurred", fact="hiv_positive"), "rule.fact", "needs an event fact", id="occurred-on-boolean"
    ),
    pytest.param(
        Includes(op="includes", fact="hemoglobin", values=["x"]),
        "rule.op",
        "needs a set or drug-list fact",
        id="includes-on-number",
    ),
    pytest.param(
        Includes(op="includes", fact="first_line_drugs", values=["zorblax"]),
        "rule.values",
        "unknown drug id",
        id="unknown-drug-id",
    ),
    pytest.param(
        Includes(op="includes", fact="first_line_drugs", classes=["immunotherapy"]),
        "rule.classes",
        "unknown drug class",
        id="unknown-drug-class",
    ),
    pytest.param(
        Includes(op="includes", fact="hcc_diagnosis_basis", values=["imaging"], classes=["chemotherapy"]),
        "rule.classes",
        "not a drug list",
        id="classes-on-set-of-choices",
    ),
    pytest.param(
        Includes(op="includes", fact="first_line_drugs"), "rule", "needs values or classes", id="empty-includes"
    ),
    pytest.param(
        InSet(op="in", fact="hemoglobin", values=[9]),
        "rule.op",
        "needs a choice or whole-number fact",
        id="in-on-number",
    ),
    pytest.param(
        All(op="all", rules=[yes("hiv_positive"), AnyOf(op="any", rules=[yes("pregnant"), yes("hiv_postive")])]),
        "rule.rules.1.rules.1.fact",
        "unknown fact 'hiv_postive'",
        id="nested-path",
    ),
]


@pytest.mark.parametrize(("rule", "field", "message"), RULE_ERRORS)
def test_a_rule_that_does_not_fit_the_vocabulary_names_its_field(rule: Rule, field: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        compile_rule(rule, VOCABULARY, DRUGS)
    assert (caught.value.field, message in caught.value.message) == (field, True)


# --- broken trial files ------------------------------------------------------------------------------------

SOURCE = BUNDLED_CATALOGUE / "NCT07493668.yaml"
HB_RULE = "rule: {op: ge, fact: hemoglobin, value: 9.0, unit: g/dL}"
HB_PLAIN = "          plain: haemoglobin of at least 9.0 g/dL\n"


def broken_copy(directory: Path, old: str, new: str, name: str = "NCT07493668") -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is no longer found once in {SOURCE.name}; update this test"
    if name != "NCT07493668":
        text = text.replace("nct_id: NCT07493668", f"nct_id: {name}")
    path = directory / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} found on lines {found}"
    return found[0]


def inclusion_index(number: str) -> int:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return next(i for i, c in enumerate(data["eligibility"]["inclusion"]) if c["number"] == number)


def test_an_unknown_rule_op_is_located_by_file_line_criterion_and_field(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, HB_RULE, HB_RULE.replace("op: ge", "op: gte"))
    with pytest.raises(TrialFileError) as caught:
        load_trial_file(path)
    [error] = caught.value.errors
    expected = f"{path}:{line_of(path, 'op: gte')}: Inclusion 9, check 9.1: field 'eligibility.inclusion.{inclusion_index('9')}.checks.1.rule.op'"
    assert str(error).startswith(expected)


def test_an_unknown_rule_op_message_quotes_the_op(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, HB_RULE, HB_RULE.replace("op: ge", "op: gte"))
    with pytest.raises(TrialFileError) as caught:
        load_trial_file(path)
    assert caught.value.errors[0].message.startswith("unknown rule op 'gte'; accepted: ")


def test_a_check_without_plain_is_located_by_file_line_criterion_and_field(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, HB_PLAIN, "")
    with pytest.raises(TrialFileError) as caught:
        load_trial_file(path)
    [error] = caught.value.errors
    located = (error.file, error.line, error.criterion, error.field, "needs 'plain'" in error.message)
    assert located == (
        path,
        line_of(path, '- id: "9.1"'),
        "Inclusion 9, check 9.1",
        f"eligibility.inclusion.{inclusion_index('9')}.checks.1",
        True,
    )


def test_a_text_threshold_on_a_number_fact_is_refused_by_the_matcher_naming_criterion_and_field(tmp_path: Path) -> None:
    broken_copy(tmp_path, HB_RULE, HB_RULE.replace("value: 9.0", 'value: "nine"'))
    matcher = Matcher(load_catalogue(tmp_path))
    [error] = matcher.errors
    path = tmp_path / "NCT07493668.yaml"
    line = line_of(path, 'value: "nine"')
    assert str(error) == (
        f"{path}:{line}: Inclusion 9, check 9.1: "
        f"field 'eligibility.inclusion.{inclusion_index('9')}.checks.1.rule.value': hemoglobin is a number; compare it to a number"
    )


def test_a_trial_whose_rule_does_not_fit_is_left_out_of_the_matcher(tmp_path: Path) -> None:
    broken_copy(tmp_path, HB_RULE, HB_RULE.replace("value: 9.0", 'value: "nine"'))
    assert Matcher(load_catalogue(tmp_path)).trials == []


def test_a_rule_refused_by_the_matcher_names_the_line(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, HB_RULE, HB_RULE.replace("value: 9.0", 'value: "nine"'))
    [error] = Matcher(load_catalogue(tmp_path)).errors
    assert error.line == line_of(path, 'value: "nine"')


def test_invalid_yaml_is_located_by_line(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, HB_PLAIN, "          plain: haemoglobin: at least 9.0 g/dL\n")
    with pytest.raises(TrialFileError) as caught:
        load_trial_file(path)
    assert (caught.value.errors[0].line, "is not valid YAML" in caught.value.errors[0].message) == (
        line_of(path, "plain: haemoglobin: at least"),
        True,
    )


def test_a_file_named_for_another_trial_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "NCT00000001.yaml"
    path.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(TrialFileError, match=re.escape("nct_id is NCT07493668 but the file is named NCT00000001.yaml")):
        load_trial_file(path)


def test_a_broken_file_does_not_stop_the_good_one_loading(tmp_path: Path) -> None:
    broken = broken_copy(tmp_path, HB_RULE, HB_RULE.replace("op: ge", "op: gte"), name="NCT00000001")
    (tmp_path / "NCT07493668.yaml").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert ([t.nct_id for t in catalogue.trials], [e.file for e in catalogue.errors]) == (["NCT07493668"], [broken])


def test_a_trial_refused_by_the_matcher_does_not_stop_the_good_one_matching(tmp_path: Path) -> None:
    broken_copy(tmp_path, HB_RULE, HB_RULE.replace("value: 9.0", 'value: "nine"'), name="NCT00000001")
    (tmp_path / "NCT07493668.yaml").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    assert [c.trial.nct_id for c in Matcher(load_catalogue(tmp_path)).trials] == ["NCT07493668"]
