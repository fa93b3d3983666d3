"""Replay an interview from a profile: each question the planner asks is answered from the
profile, or with "I don't know" where the profile is silent. Used by
``trialmatch interview --answers`` and by the question-count benchmark.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.derived import derive_all, first_line
from matcher.display import value_text
from matcher.profile import Profile, RecognisedTreatment
from matcher.values import Interval, Members, OneOf
from matcher.verdicts import Matcher
from questionnaires.bank import Mode, Question, QuestionBank, load_bank
from questionnaires.session import Session, shown_value
from questionnaires.treatment import MAX_LINES, ONGOING, SLOTS, RegimenAnswer


def replay(matcher: Matcher, profile: Profile, mode: Mode = "nurse", bank: QuestionBank | None = None) -> Session:
    """A finished session whose answers come from ``profile``."""
    session = Session(matcher, mode, bank or load_bank(), as_of=profile.as_of)
    carried = {f: v for f, v in profile.values.items() if f not in session.bank.by_fact}
    if carried:  # given in the profile, asked by no question: kept, as match keeps them
        session.carried = carried
        session.restart()
    known = derive_all(profile, matcher.drugs)  # so a date of birth answers "how old are you?"
    limit = 2 * len(session.bank) + 10  # each question is asked once; a bound in case of a planner bug
    for _ in range(limit):
        question = session.question
        if question is None:
            return session
        value = answer_from_profile(question, profile, known)
        if value is None:
            session.dont_know()
            continue
        fact = matcher.vocabulary.facts.get(question.fact)
        shown = value_text(fact, value, profile.given.get(question.fact)) if fact is not None else shown_value(value)
        session.set_value(question.linkId, value, shown)
    raise RuntimeError("the interview did not finish: the planner asked more questions than the bank holds")


def answer_from_profile(question: Question, profile: Profile, known: dict[str, Any] | None = None) -> Any | None:
    """What the profile says to this question (given, or derived from what is given), or None."""
    if question.fact in SLOTS:
        return _slot_answer(question.fact, profile)
    given = profile.values.get(question.fact)
    if given is not None:
        return given  # as the profile gives it: a detection limit or a time span is an answer too
    value = (known or profile.values).get(question.fact)
    if isinstance(value, (Interval, OneOf)) or (isinstance(value, Members) and not value.complete and not value.items):
        return None
    return value


def _ordered(treatments: list[RecognisedTreatment]) -> list[RecognisedTreatment] | None:
    """The regimens in order, first line first as the matcher reads it (``first_line``); None when the
    profile does not say which was first (two regimens marked line 1 with no dates to tell them apart:
    never guessed)."""
    first = first_line(treatments)
    if first is None:
        return None
    rest = [t for t in treatments if t is not first]
    if all(t.entry.line is not None for t in rest):
        rest.sort(key=lambda t: t.entry.line or 0)
    elif all(t.entry.started is not None for t in rest):
        rest.sort(key=lambda t: t.entry.started or dt.date.min)
    return [first, *rest]


def _slot_answer(slot_id: str, profile: Profile) -> Any | None:
    if profile.treatments is None:
        return None
    slot = SLOTS[slot_id]
    ordered = _ordered(profile.treatments)
    if ordered is None and slot.field != "":
        return None  # which regimen was which line is not known; how many there were is
    regimens = ordered if ordered is not None else list(profile.treatments)
    if slot_id == "treatment_any":
        return bool(regimens) if regimens or profile.treatments_complete else None
    if slot.field == "":  # lineN_any: was there an N-th regimen?
        if len(regimens) >= slot.line:
            return True
        return False if profile.treatments_complete else None
    if slot.line > len(regimens) or slot.line > MAX_LINES:
        return None
    entry = regimens[slot.line - 1]
    if slot.field == "drugs":
        names = tuple(sorted(entry.drugs.items))
        return RegimenAnswer(names=names, classes=tuple(entry.entry.classes), unrecognised=entry.unrecognised)
    if slot.field == "stopped":
        return ONGOING if entry.entry.ongoing else entry.entry.stopped
    if slot.field == "progressed":
        return True if entry.entry.progression_date is not None else entry.entry.progressed
    return getattr(entry.entry, slot.field)
