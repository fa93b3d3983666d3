"""Answers a chart gives without an exact figure: time spans for events ("none in the last 3 months"),
results at a detection limit ("<20 IU/mL"), and windows counted to a future event (the first dose),
which give a date rather than a "no"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.display import describe
from matcher.drugs import load_drug_vocabulary
from matcher.evaluation import FALSE, TRUE, UNKNOWN, add_duration, compile_rule
from matcher.facts import load_vocabulary
from matcher.profile import ProfileError, read_profile
from matcher.values import AS_OF, NEVER, REFERENCE, EventWindow, Interval
from matcher.verdicts import Matcher
from trials.loader import load_catalogue
from trials.rules import Compare, Elapsed

AS_OF_DAY = dt.date(2026, 11, 22)
VOCABULARY = load_vocabulary()
DRUGS = load_drug_vocabulary()
PROOFS = Path(__file__).resolve().parents[2] / "shared" / "reviews" / "proofs"


def run(rule: object, values: dict[str, object]) -> int:
    return compile_rule(rule, VOCABULARY, DRUGS)({AS_OF: AS_OF_DAY, **values})  # type: ignore[arg-type]


def facts(**given_facts: object) -> dict[str, object]:
    return read_profile({"as_of": AS_OF_DAY.isoformat(), "facts": given_facts}).values


# --- numbers at a detection limit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("<20 IU/mL", Interval(0.0, 20.0, hi_open=True)),
        ("undetectable (<20 IU/mL)", Interval(0.0, 20.0, hi_open=True)),
        ("not detected, < 20 IU/mL", Interval(0.0, 20.0, hi_open=True)),
        ("≤20 IU/mL", Interval(0.0, 20.0)),
        (">1000 IU/mL", Interval(1000.0, float("inf"), lo_open=True)),
    ],
)
def test_a_detection_limit_is_read_as_an_interval(typed: str, expected: Interval) -> None:
    assert facts(hbv_dna=typed)["hbv_dna"] == expected


def test_undetectable_without_the_assay_limit_is_refused_naming_the_field() -> None:
    with pytest.raises(ProfileError) as error:
        facts(hbv_dna="undetectable")
    assert "facts.hbv_dna" in str(error.value) and "detection limit" in str(error.value)


@pytest.mark.parametrize(
    ("op", "threshold", "expected"),
    [
        ("lt", 20, TRUE),  # every value below 20 is below 20
        ("le", 20, TRUE),
        ("ge", 20, FALSE),
        ("gt", 19, UNKNOWN),  # 19.5 or 5: not known
        ("lt", 2000, TRUE),
        ("lt", 10, UNKNOWN),
        ("ge", 0, TRUE),
    ],
)
def test_below_20_against_each_operator(op: str, threshold: float, expected: int) -> None:
    rule = Compare(op=op, fact="hbv_dna", value=threshold)  # type: ignore[arg-type]
    assert run(rule, facts(hbv_dna="<20 IU/mL")) == expected


def test_above_a_limit_fails_an_upper_bound_it_exceeds() -> None:
    rule = Compare(op="lt", fact="hbv_dna", value=1000)
    assert run(rule, facts(hbv_dna=">1000 IU/mL")) == FALSE


def test_a_lab_below_its_limit_with_the_uln_compares_relative_to_the_uln() -> None:
    rule = Compare(op="le", fact="alt", value=3, unit="xULN")
    value = read_profile({"facts": {"alt": "<5 U/L"}}).values["alt"]
    assert value.relative() is None and run(rule, {"alt": value}) == UNKNOWN


@given(
    lo=st.floats(0, 1000, allow_nan=False),
    width=st.floats(0, 1000, allow_nan=False),
    lo_open=st.booleans(),
    hi_open=st.booleans(),
    threshold=st.floats(0, 2000, allow_nan=False),
    op=st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]),
)
def test_an_interval_is_decided_only_when_every_value_in_it_agrees(
    lo: float, width: float, lo_open: bool, hi_open: bool, threshold: float, op: str
) -> None:
    hi = lo + width
    if lo == hi and (lo_open or hi_open):
        return  # an empty interval is never built
    interval = Interval(lo, hi, lo_open, hi_open)
    outcome = run(Compare(op=op, fact="hbv_dna", value=threshold), {"hbv_dna": interval})  # type: ignore[arg-type]
    # values inside the interval, at and near both ends and at the threshold itself
    nudge = max(1e-9, abs(hi) * 1e-12)
    samples = [lo + nudge if lo_open else lo, hi - nudge if hi_open else hi, (lo + hi) / 2]
    samples += [
        x for x in (threshold,) if (lo < x or (x == lo and not lo_open)) and (x < hi or (x == hi and not hi_open))
    ]
    samples = [x for x in samples if lo <= x <= hi]
    ops = {
        "lt": float.__lt__,
        "le": float.__le__,
        "gt": float.__gt__,
        "ge": float.__ge__,
        "eq": float.__eq__,
        "ne": float.__ne__,
    }
    results = {ops[op](float(x), float(threshold)) for x in samples}
    if outcome == TRUE:
        assert results == {True}
    elif outcome == FALSE:
        assert results == {False}


# --- events known only within a span of time --------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("none in the last 3 months", EventWindow(before=dt.date(2026, 8, 22), may_be_never=True)),
        ("not in the past 6 months", EventWindow(before=dt.date(2026, 5, 22), may_be_never=True)),
        ("none since 2026-09-01", EventWindow(before=dt.date(2026, 8, 31), may_be_never=True)),
        ("more than 1 year ago", EventWindow(before=dt.date(2025, 11, 21))),
        ("before 2026-09-01", EventWindow(before=dt.date(2026, 8, 31))),
        ("in the last 4 weeks", EventWindow(after=dt.date(2026, 10, 25), before=AS_OF_DAY)),
        ("since 2026-11-01", EventWindow(after=dt.date(2026, 11, 1), before=AS_OF_DAY)),
    ],
)
def test_a_time_span_is_read_for_an_event(typed: str, expected: EventWindow) -> None:
    value = facts(major_surgery_date=typed)["major_surgery_date"]
    assert (value.after, value.before, value.may_be_never) == (expected.after, expected.before, expected.may_be_never)


def test_a_span_with_a_future_date_is_refused() -> None:
    with pytest.raises(ProfileError, match="future"):
        facts(major_surgery_date="none since 2027-01-01")


@pytest.mark.parametrize(
    ("typed", "cmp", "amount", "unit", "expected"),
    [
        ("none in the last 3 months", "le", 2, "months", FALSE),  # not within 2 months: decided
        ("none in the last 3 months", "lt", 3, "months", FALSE),  # exactly 3 months ago is not "within" 3
        ("none in the last 3 months", "le", 3, "months", UNKNOWN),  # exactly 3 months ago would be "within"
        ("none in the last 3 months", "le", 6, "months", UNKNOWN),  # 4 months ago or never: not known
        ("more than 1 year ago", "le", 6, "months", FALSE),
        ("more than 1 year ago", "gt", 1, "years", TRUE),
        ("in the last 4 weeks", "le", 4, "weeks", TRUE),
        ("in the last 4 weeks", "le", 3, "weeks", UNKNOWN),
    ],
)
def test_a_span_decides_a_window_only_when_both_ends_agree(
    typed: str, cmp: str, amount: int, unit: str, expected: int
) -> None:
    rule = Elapsed(op="elapsed", fact="major_surgery_date", cmp=cmp, value=amount, unit=unit)  # type: ignore[arg-type]
    assert run(rule, facts(major_surgery_date=typed)) == expected


def test_none_in_the_last_months_leaves_whether_it_ever_happened_unknown() -> None:
    from trials.rules import Occurred

    assert (
        run(Occurred(op="occurred", fact="major_surgery_date"), facts(major_surgery_date="none in the last 3 months"))
        == UNKNOWN
    )


def test_a_span_is_shown_as_typed_with_the_dates_it_stands_for() -> None:
    profile = read_profile(
        {"as_of": AS_OF_DAY.isoformat(), "facts": {"major_surgery_date": "none in the last 3 months"}}
    )
    shown = describe(
        VOCABULARY["major_surgery_date"], profile.values["major_surgery_date"], profile.given["major_surgery_date"]
    )
    assert shown == "last major surgery none in the last 3 months (never, or on or before 2026-08-22)"


@given(
    days_ago=st.integers(0, 2000),
    amount=st.integers(1, 36),
    unit=st.sampled_from(["days", "weeks", "months"]),
    cmp=st.sampled_from(["lt", "le", "gt", "ge"]),
)
def test_a_span_never_contradicts_a_date_inside_it(days_ago: int, amount: int, unit: str, cmp: str) -> None:
    """Whatever date inside the span the event really had, a decided span agrees with it."""
    window = facts(major_surgery_date=f"none in the last {amount} {unit}")["major_surgery_date"]
    rule = Elapsed(op="elapsed", fact="major_surgery_date", cmp=cmp, value=amount, unit=unit)  # type: ignore[arg-type]
    outcome = run(rule, {"major_surgery_date": window})
    day = AS_OF_DAY - dt.timedelta(days=days_ago)
    if outcome != UNKNOWN and window.before is not None and day <= window.before:
        assert run(rule, {"major_surgery_date": day}) == outcome
        assert run(rule, {"major_surgery_date": NEVER}) == outcome


# --- windows counted to a future event --------------------------------------------------------


def test_a_window_to_the_first_dose_is_read_on_the_reference_date() -> None:
    rule = Elapsed(op="elapsed", fact="major_surgery_date", cmp="le", value=4, unit="weeks", before="first_dose")
    two_weeks_ago = AS_OF_DAY - dt.timedelta(days=14)
    assert run(rule, {"major_surgery_date": two_weeks_ago}) == TRUE
    assert (
        run(
            rule,
            {
                "major_surgery_date": two_weeks_ago,
                REFERENCE: add_duration(two_weeks_ago, 4, "weeks") + dt.timedelta(days=1),
            },
        )
        == FALSE
    )


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_catalogue())


def _result(matcher: Matcher, path: Path, nct_id: str, **changes: object):  # type: ignore[no-untyped-def]
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # what a complete chart also says (the proofs predate these questions)
    complete = {"operation_tumour_thrombus": False, "portal_vein_invasion": "none", "major_vessel_invasion": False}
    complete |= {"operation_spread": False, "willing_continue_hbv_antiviral": True}
    data.setdefault("facts", {}).update({**complete, **changes})
    profile = read_profile(data)
    return next(r for r in matcher.match(profile) if r.nct_id == nct_id)


@pytest.mark.skipif(not PROOFS.is_dir(), reason="the reviews' proof profiles are not beside the repository")
def test_three_weeks_after_surgery_the_adjuvant_trial_opens_4_weeks_after_it_until_8(matcher: Matcher) -> None:
    result = _result(matcher, PROOFS / "adj_3weeks.yaml", "NCT06762782")
    assert (result.verdict, result.eligible_from, result.eligible_until) == (
        "eligible",
        dt.date(2026, 11, 29),
        dt.date(2026, 12, 27),
    )


@pytest.mark.skipif(not PROOFS.is_dir(), reason="the reviews' proof profiles are not beside the repository")
def test_ten_weeks_after_surgery_the_4_to_8_week_window_has_closed(matcher: Matcher) -> None:
    result = _result(matcher, PROOFS / "adj_base.yaml", "NCT06762782", curative_treatment_date="2026-09-13")
    assert result.verdict == "not_eligible" and [o.check for o in result.failed] == ["2.1"]


@pytest.mark.skipif(not PROOFS.is_dir(), reason="the reviews' proof profiles are not beside the repository")
def test_the_fast_verdict_agrees_with_the_full_one_on_a_window_still_to_open(matcher: Matcher) -> None:
    import yaml

    data = yaml.safe_load((PROOFS / "adj_3weeks.yaml").read_text(encoding="utf-8"))
    profile = read_profile(data)
    full = {r.nct_id: r.verdict for r in matcher.match(profile)}
    assert matcher.verdicts(matcher.values_for(profile)) == full


def test_the_window_reason_names_the_date_and_the_event(matcher: Matcher) -> None:
    if not PROOFS.is_dir():
        pytest.skip("the reviews' proof profiles are not beside the repository")
    result = _result(matcher, PROOFS / "adj_3weeks.yaml", "NCT06762782")
    check = next(o for o in result.met if o.check == "2.1")
    assert "from 2026-11-29, until 2026-12-27 (counted to enrolment)" in check.reason
