"""Complete profiles, drawn from the catalogue's own rules, get the same verdicts from the interview
replay as from ``match``: every fact a question asks takes a value on one side or the other of each
threshold the rules compare it to, and the treatment history is drawn from the regimens and dates the
rules name. A disagreement means the interview cannot reach what the chart says."""

from __future__ import annotations

from typing import Any

from conftest import AS_OF, bundled_matcher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.derived import derive_all
from matcher.profile import Profile, ProfileError, read_treatments
from questionnaires.bank import load_bank
from questionnaires.planner import Planner
from questionnaires.replay import replay
from questionnaires.treatment import MAX_LINES, ONGOING, SLOTS, treatments_from_slots

MATCHER = bundled_matcher()
BANK = load_bank()
HYPOTHESES = Planner(MATCHER, BANK, "nurse").hypotheses  # representative answers, either side of each threshold
ASKED = sorted(q.fact for q in BANK.questions.values() if q.fact not in SLOTS and q.fact in MATCHER.vocabulary)


def _answers(name: str) -> list[Any]:
    return [a for a in HYPOTHESES.answers(name, AS_OF) if a is not None]


@st.composite
def complete_profiles(draw: st.DrawFn) -> Profile:
    """Every asked fact given, and a treatment history of up to MAX_LINES regimens."""
    values = {}
    for fact in ASKED:
        options = _answers(fact)
        if options:
            values[fact] = draw(st.sampled_from(options))
    slots: dict[str, Any] = {"treatment_any": draw(st.booleans())}
    if slots["treatment_any"]:
        lines = draw(st.integers(min_value=1, max_value=MAX_LINES))
        for n in range(1, lines + 1):
            if n > 1:
                slots[f"line{n}_any"] = True
            for field in ("drugs", "started", "stopped", "cycles", "progressed", "progression_date"):
                name = f"line{n}_{field}"
                if name in SLOTS:
                    options = [a for a in HYPOTHESES.answers(name, AS_OF) if n == 1 or a is not ONGOING]
                    if options:
                        slots[name] = draw(st.sampled_from(options))
        if lines < MAX_LINES:
            slots[f"line{lines + 1}_any"] = False
    raw, complete = treatments_from_slots(slots)
    try:
        treatments = None if raw is None else read_treatments(raw, AS_OF, MATCHER.drugs)
    except ProfileError:
        treatments = None  # dates that contradict each other: history unknown, as the interview takes it
    return Profile(as_of=AS_OF, values=values, treatments=treatments, treatments_complete=complete)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profile=complete_profiles())
def test_a_complete_profile_gets_the_same_verdicts_from_the_interview_and_from_match(profile: Profile) -> None:
    expected = MATCHER.verdicts(derive_all(profile, MATCHER.drugs))
    assert replay(MATCHER, profile, "nurse").verdicts() == expected
