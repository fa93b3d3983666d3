"""The planner asks only what can still change an undecided trial, the most decisive first.

Every interview here is walked question by question (answered from a profile, "I don't know"
where the profile is silent, as ``replay`` does). Before each answer the walk records what held
for the question being asked, and the tests read those records.

"Could this question change anything?" is judged on what ``matcher.match`` explains (chosen over
comparing verdicts alone, which would miss a criterion that turns from unknown to met): the
state (met / failed / unknown) of every rule-based check of each trial still possibly eligible,
and whether each of its doses applies. The explanation is built from exactly these states. A
question is *decisive* when one of the planner's own representative answers
(``session.planner.hypotheses.answers``), added to the answers so far, changes one of them.
Some inputs only count together (a Child-Pugh score from several liver results; "serious
bleeding in the last 4 weeks AND from the gut"), so a question also counts as decisive when it
changes a result once one other still-open question of the same unknown check is answered too,
and a treatment-history question counts while another part of the history is still to be asked
(a last-dose date matters only once every regimen's stop is known).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, bundled_matcher
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from matcher.derived import derive_all
from matcher.evaluation import UNKNOWN, missing_facts
from matcher.facts import TREATMENTS
from matcher.profile import Profile, ProfileError, load_profile, read_profile, read_treatments
from matcher.verdicts import CompiledTrial, check_state
from questionnaires.bank import Mode, Question, load_bank
from questionnaires.planner import EVERYDAY_UNIT_SETS
from questionnaires.replay import answer_from_profile
from questionnaires.session import Session, shown_value
from questionnaires.treatment import SLOTS, treatments_from_slots
from trials.rules import facts_in
from trials.yaml_text import load_yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROFILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "expected.yaml")
COMPLETE = EXAMPLES / "second_line_after_atezo_bev.yaml"
MODES: tuple[Mode, ...] = ("patient", "nurse")


@dataclass(frozen=True)
class Step:
    """What held when one question was asked (before it was answered)."""

    link_id: str
    applies: bool  # its enableWhen holds
    open_input: bool  # the planner counts it as an input of an unknown check of an undecided trial
    decisive: bool | None  # some answer could change a result of an undecided trial (None: not judged)
    undecided: int  # trials still possibly eligible
    measurement: bool  # a lab value or scan size (asked last in patient mode)
    other_candidates: tuple[str, ...]  # questions the planner could have asked instead


@dataclass(frozen=True)
class Walk:
    steps: tuple[Step, ...]
    finished: bool


# --- judging one question ----------------------------------------------------------------------


def _is_measurement(fact_id: str) -> bool:
    fact = bundled_matcher().vocabulary.facts.get(fact_id)
    return fact is not None and fact.type == "number" and fact.unit_set not in EVERYDAY_UNIT_SETS


@cache
def _leaves(fact_id: str) -> frozenset[str]:
    """The asked facts a derived fact is computed from (the fact itself when it is not derived), and the
    facts whose answers imply it (organs growing in the brain imply brain metastases)."""
    fact = bundled_matcher().vocabulary.facts.get(fact_id)
    if fact is None:
        return frozenset({fact_id})
    implying = frozenset(f for implication in fact.implied for f in facts_in(implication.when))
    if fact.derived is None:
        return frozenset({fact_id}) | implying
    return frozenset().union(*(_leaves(source) for source in fact.derived.from_)) | implying


def _slot_answers(session: Session) -> dict[str, Any]:
    return {
        session.bank[link_id].fact: answer.value
        for link_id, answer in session.answers.items()
        if answer.value is not None and session.bank[link_id].fact in SLOTS and session.applies(session.bank[link_id])
    }


def _values_with(session: Session, answers: dict[str, Any]) -> dict[str, Any] | None:
    """The session's values as they would be with these answers (by fact or slot); None if impossible."""
    matcher = bundled_matcher()
    profile = session.profile
    treatments, complete = profile.treatments, profile.treatments_complete
    facts = {**profile.values, **{name: value for name, value in answers.items() if name not in SLOTS}}
    slots = {name: value for name, value in answers.items() if name in SLOTS}
    if slots:
        raw, complete = treatments_from_slots({**_slot_answers(session), **slots})
        try:
            treatments = None if raw is None else read_treatments(raw, profile.as_of, matcher.drugs)
        except ProfileError:
            return None
    changed = Profile(as_of=profile.as_of, values=facts, treatments=treatments, treatments_complete=complete)
    return derive_all(changed, matcher.drugs)


def _results(values: dict[str, Any] | None, trials: list[CompiledTrial]) -> list[list[int]] | None:
    """What the matcher's explanation of each trial is made of: every rule check's state and every dose's."""
    if values is None:
        return None
    return [
        [
            check_state(item.evaluate, item.section == "exclusion", values)
            for item in compiled.checks
            if item.evaluate is not None and item.check.rule is not None
        ]
        + [evaluate(values) for _, _, evaluate in compiled.doses if evaluate is not None]
        for compiled in trials
    ]


def _changes_something(
    session: Session, name: str, given: dict[str, Any], values: dict[str, Any], trials: list[CompiledTrial]
) -> bool:
    """Whether some representative answer to ``name`` changes a result, on top of ``given``."""
    before = _results(_values_with(session, given) if given else values, trials)
    if before is None:
        return False
    for answer in session.planner.hypotheses.answers(name, session.as_of):
        after = _results(_values_with(session, {**given, name: answer}), trials)
        if after is not None and after != before:
            return True
    return False


def _open(session: Session, name: str, values: dict[str, Any]) -> bool:
    """A question still to ask: in the bank, not answered, applicable, its fact not known."""
    question = session.bank.by_fact.get(name)
    return (
        question is not None
        and question.linkId not in session.answers
        and session.applies(question)
        and values.get(name) is None
    )


def _may_be_asked(session: Session, name: str, values: dict[str, Any]) -> bool:
    """Open now, or waiting for an answer still to give that can switch it on (the planner's view)."""
    question = session.bank.by_fact.get(name)
    if question is None or question.linkId in session.answers or values.get(name) is not None:
        return False
    return session.applies(question) or any(c.question not in session.answers for c in question.enableWhen)


def _inputs(fact_id: str) -> set[str]:
    """The questions (facts or slots) that a fact of a rule is made from."""
    leaves = _leaves(fact_id)
    return (leaves - {TREATMENTS}) | (set(SLOTS) if TREATMENTS in leaves else set())


def _partners(session: Session, name: str, values: dict[str, Any], trials: list[CompiledTrial]) -> set[str]:
    """Open questions that feed an unknown check (of these trials) together with ``name``."""
    partners: set[str] = set()
    for compiled in trials:
        for item in compiled.checks:
            if item.evaluate is None or item.check.rule is None:
                continue
            if check_state(item.evaluate, item.section == "exclusion", values) != UNKNOWN:
                continue
            inputs = set().union(*(_inputs(f) for f in missing_facts(item.check.rule, values)))
            if name in inputs:
                partners |= {other for other in inputs - {name} if _may_be_asked(session, other, values)}
    return partners


def _decisive(session: Session, question: Question, values: dict[str, Any], undecided: list[CompiledTrial]) -> bool:
    if _changes_something(session, question.fact, {}, values, undecided):
        return True
    if question.fact in SLOTS and any(_open(session, slot, values) for slot in SLOTS if slot != question.fact):
        return True  # the history is asked one regimen at a time: its slots count together
    for partner in sorted(_partners(session, question.fact, values, undecided)):
        for answer in session.planner.hypotheses.answers(partner, session.as_of):
            if _changes_something(session, question.fact, {partner: answer}, values, undecided):
                return True
    return False


def walk(profile: Profile, mode: Mode, judge: bool = True) -> Walk:
    """Answer every question the planner asks from ``profile``, recording a :class:`Step` each time."""
    matcher = bundled_matcher()
    session = Session(matcher, mode, load_bank(), as_of=profile.as_of)
    known = derive_all(profile, matcher.drugs)
    steps: list[Step] = []
    for _ in range(2 * len(session.bank)):
        question = session.question
        if question is None:
            break
        values = matcher.values_for(session.profile)
        counts, undecided = session.planner.open_inputs(values)
        candidates = tuple(c.question.linkId for c in session.candidates() if c.question.linkId != question.linkId)
        decisive = _decisive(session, question, values, undecided) if judge else None
        steps.append(
            Step(
                link_id=question.linkId,
                applies=session.applies(question),
                open_input=question.fact in counts,
                decisive=decisive,
                undecided=sum(v == "possibly_eligible" for v in session.verdicts().values()),
                measurement=_is_measurement(question.fact),
                other_candidates=candidates,
            )
        )
        value = answer_from_profile(question, profile, known)
        if value is None:
            session.dont_know()
        else:
            session.set_value(question.linkId, value, shown_value(value))
    return Walk(tuple(steps), session.finished)


@cache
def example_walk(name: str, mode: Mode) -> Walk:
    return walk(load_profile(EXAMPLES / name), mode)


EMPTY = Profile(as_of=AS_OF)


@cache
def empty_walk(mode: Mode) -> Walk:
    return walk(EMPTY, mode)


# --- the rules every walk keeps ----------------------------------------------------------------


def asked_after_all_decided(w: Walk) -> list[str]:
    return [s.link_id for s in w.steps if s.undecided == 0]


def asked_but_not_open(w: Walk) -> list[str]:
    return [s.link_id for s in w.steps if not s.open_input]


def asked_but_not_applicable(w: Walk) -> list[str]:
    return [s.link_id for s in w.steps if not s.applies]


def asked_twice(w: Walk) -> list[str]:
    asked = [s.link_id for s in w.steps]
    return sorted({link_id for link_id in asked if asked.count(link_id) > 1})


def labs_asked_before_other_questions(w: Walk) -> list[str]:
    """Measurements asked while a question that is not a measurement was still a candidate."""
    return [
        f"{s.link_id} before {', '.join(c for c in s.other_candidates if not _is_measurement(load_bank()[c].fact))}"
        for s in w.steps
        if s.measurement and any(not _is_measurement(load_bank()[c].fact) for c in s.other_candidates)
    ]


def asked_but_cannot_change_anything(w: Walk) -> list[str]:
    return [s.link_id for s in w.steps if s.decisive is False]


def broken_rules(w: Walk, mode: Mode) -> list[str]:
    """Every rule a walk breaks, as readable lines (decisiveness is tested on its own)."""
    found = [f"asked after every trial was decided: {x}" for x in asked_after_all_decided(w)]
    found += [f"not an input of an open check: {x}" for x in asked_but_not_open(w)]
    found += [f"enableWhen is false: {x}" for x in asked_but_not_applicable(w)]
    found += [f"asked twice: {x}" for x in asked_twice(w)]
    if mode == "patient":
        found += [f"lab asked first: {x}" for x in labs_asked_before_other_questions(w)]
    if not w.finished:
        found.append("the interview did not finish")
    return found


# --- every example profile ---------------------------------------------------------------------

EXAMPLE_WALKS = [pytest.param(name, mode, id=f"{name[:-5]}-{mode}") for name in PROFILES for mode in MODES]


@pytest.mark.parametrize(("name", "mode"), EXAMPLE_WALKS)
def test_no_question_is_asked_once_every_trial_is_decided(name: str, mode: Mode) -> None:
    assert asked_after_all_decided(example_walk(name, mode)) == []


@pytest.mark.parametrize(("name", "mode"), EXAMPLE_WALKS)
def test_every_question_asked_is_an_input_of_an_open_check_of_an_undecided_trial(name: str, mode: Mode) -> None:
    assert asked_but_not_open(example_walk(name, mode)) == []


# With bilirubin, albumin, ascites and encephalopathy all answered "I don't know", no INR value can
# decide NCT06592612's "Child-Pugh score 7 or less" any more: INR must not be asked then.
DECISIVE_WALKS = [
    pytest.param(
        name,
        mode,
        id=f"{name[:-5]}-{mode}",
    )
    for name in PROFILES
    for mode in MODES
]


@pytest.mark.parametrize(("name", "mode"), DECISIVE_WALKS)
def test_every_question_asked_could_change_a_check_of_an_undecided_trial(name: str, mode: Mode) -> None:
    assert asked_but_cannot_change_anything(example_walk(name, mode)) == []


@pytest.mark.parametrize(("name", "mode"), EXAMPLE_WALKS)
def test_no_question_is_asked_twice(name: str, mode: Mode) -> None:
    assert asked_twice(example_walk(name, mode)) == []


@pytest.mark.parametrize(("name", "mode"), EXAMPLE_WALKS)
def test_no_question_is_asked_while_its_enable_when_is_false(name: str, mode: Mode) -> None:
    assert asked_but_not_applicable(example_walk(name, mode)) == []


@pytest.mark.parametrize("name", PROFILES)
def test_in_patient_mode_lab_values_come_after_every_other_question(name: str) -> None:
    assert labs_asked_before_other_questions(example_walk(name, "patient")) == []


def test_the_walks_do_ask_lab_values_in_patient_mode() -> None:
    """Guards the test above: it would pass vacuously if no measurement were ever asked."""
    assert any(s.measurement for s in example_walk(COMPLETE.name, "patient").steps)


# --- specific behaviours -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_the_first_question_with_nothing_known_is_the_treatment_history(mode: Mode) -> None:
    session = Session(bundled_matcher(), mode, load_bank(), as_of=AS_OF)
    assert session.question is not None and session.question.linkId == "treatment_any"


def test_the_first_question_is_the_one_that_could_rule_out_the_most_trials() -> None:
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=AS_OF)
    values = bundled_matcher().values_for(session.profile)
    counts, undecided = session.planner.open_inputs(values)
    power = {
        name: session.planner.hypotheses.rules_out(name, session.profile, undecided, {})
        for name in counts
        if name in session.bank.by_fact and session.applies(session.bank.by_fact[name])
    }
    assert session.choice is not None and session.choice.rules_out == max(power.values())


def test_an_answer_that_rules_out_every_trial_ends_the_interview() -> None:
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=AS_OF)
    session.change("age", "15")
    assert (session.finished, set(session.verdicts().values())) == (True, {"not_eligible"})


@pytest.mark.parametrize("mode", MODES)
def test_a_question_answered_dont_know_is_not_asked_again(mode: Mode) -> None:
    steps = empty_walk(mode).steps
    assert [s.link_id for s in steps].count("treatment_any") == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_profile_that_says_nothing_still_finishes(mode: Mode) -> None:
    assert empty_walk(mode).finished


@pytest.mark.parametrize("mode", MODES)
def test_when_every_answer_is_dont_know_no_question_is_asked_that_could_not_matter(mode: Mode) -> None:
    assert asked_but_cannot_change_anything(empty_walk(mode)) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_man_is_never_asked_about_pregnancy(mode: Mode) -> None:
    female_only = {
        q.linkId for q in load_bank() if any(c.question == "sex" and c.answer == "female" for c in q.enableWhen)
    }
    asked = {s.link_id for s in example_walk(COMPLETE.name, mode).steps}
    assert "pregnant" in female_only and asked & female_only == set()


def test_a_woman_is_asked_about_pregnancy() -> None:
    """Guards the test above: the pregnancy question is asked when it applies."""
    assert "pregnant" in {s.link_id for s in example_walk("patient_at_home.yaml", "patient").steps}


# --- random profiles ---------------------------------------------------------------------------

COMPLETE_FACTS: dict[str, Any] = load_yaml(COMPLETE.read_text(encoding="utf-8"))["facts"]
DRUGS = [
    "Tecentriq + Avastin",
    "Imfinzi + Imjudo",
    "nivolumab + ipilimumab",
    "lenvatinib",
    "lenvatinib + sintilimab",
    "sorafenib",
    "cabozantinib",
    "regorafenib",
    "unknown",
]
CLASSES = ["pd1_inhibitor", "pdl1_inhibitor", "vegf_antibody", "tyrosine_kinase_inhibitor", "chemotherapy"]


@st.composite
def regimens(draw: st.DrawFn) -> dict[str, Any]:
    """One regimen with dates that fit together (stopped after started, nothing in the future)."""
    regimen: dict[str, Any] = (
        {"drugs": draw(st.sampled_from(DRUGS))}
        if draw(st.booleans())
        else {"classes": draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=2, unique=True))}
    )
    days = draw(st.integers(min_value=0, max_value=1500))
    started = AS_OF - dt.timedelta(days=days)
    if draw(st.booleans()):
        regimen["started"] = started
    end = draw(st.sampled_from(["unknown", "ongoing", "stopped"]))
    if end == "ongoing":
        regimen["ongoing"] = True
    elif end == "stopped":
        regimen["stopped"] = started + dt.timedelta(days=draw(st.integers(min_value=0, max_value=days)))
    if draw(st.booleans()):
        regimen["cycles"] = draw(st.integers(min_value=0, max_value=30))
    progressed = draw(st.sampled_from([None, True, False]))
    if progressed is not None:
        regimen["progressed"] = progressed
    if progressed is not False and draw(st.booleans()):
        regimen["progression_date"] = started + dt.timedelta(days=draw(st.integers(min_value=0, max_value=days)))
    return regimen


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """Some of the complete example's facts, and a random treatment history (or none, or not known)."""
    names = draw(st.lists(st.sampled_from(sorted(COMPLETE_FACTS)), unique=True))
    data: dict[str, Any] = {"as_of": AS_OF, "facts": {name: COMPLETE_FACTS[name] for name in names}}
    history = draw(st.sampled_from(["not known", "none", "some"]))
    if history == "none":
        data["treatments"] = []
    elif history == "some":
        data["treatments"] = draw(st.lists(regimens(), min_size=1, max_size=3))
    return read_profile(data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), mode=st.sampled_from(MODES))
def test_random_profiles_keep_every_planner_rule(profile: Profile, mode: Mode) -> None:
    assert broken_rules(walk(profile, mode, judge=False), mode) == []


@settings(max_examples=15, deadline=None, phases=[Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles(), mode=st.sampled_from(MODES))
def test_random_profiles_are_only_asked_questions_that_could_change_an_undecided_trial(
    profile: Profile, mode: Mode
) -> None:
    assert asked_but_cannot_change_anything(walk(profile, mode)) == []
