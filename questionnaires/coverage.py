"""Does the question bank fit the catalogue? Every fact a rule reads must be asked or derived, and
every question must ask something a rule reads; and no question that ``enableWhen`` can switch off
may leave a rule waiting for its fact when no other answer implies it. ``trialmatch check`` reports all.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from matcher.derived import apply_implications
from matcher.evaluation import UNKNOWN
from matcher.facts import TREATMENTS, Vocabulary
from matcher.values import AS_OF, NEVER
from matcher.verdicts import Matcher
from questionnaires.bank import EnableWhen, Question, QuestionBank
from questionnaires.planner import TREATMENT_SLOTS
from questionnaires.treatment import SLOTS
from trials.rules import facts_in


def facts_used(matcher: Matcher) -> set[str]:
    """Every fact the catalogue's rules (eligibility checks and dose conditions) read."""
    used: set[str] = set()
    for compiled in matcher.trials:
        for item in compiled.checks:
            if item.evaluate is not None and item.check.rule is not None:  # reviewed rules only, not drafts
                used.update(facts_in(item.check.rule))
        for intervention in compiled.trial.interventions:
            for dose in intervention.doses:
                if dose.when is not None:
                    used.update(facts_in(dose.when))
    return used


def _inputs(fact_id: str, vocabulary: Vocabulary, seen: set[str]) -> set[str]:
    """A fact and everything it is derived from."""
    if fact_id in seen:
        return set()
    seen.add(fact_id)
    out = {fact_id}
    fact = vocabulary.facts.get(fact_id)
    if fact is not None and fact.derived is not None:
        for source in fact.derived.from_:
            out |= {TREATMENTS} if source == TREATMENTS else _inputs(source, vocabulary, seen)
    return out


def coverage_problems(matcher: Matcher, bank: QuestionBank) -> list[str]:
    """Facts rules use that nothing asks or derives, questions about facts no rule uses, and questions
    switched off while a rule still needs them."""
    vocabulary = matcher.vocabulary
    used = facts_used(matcher)
    problems = []
    for fact_id in sorted(used):
        if fact_id in bank.by_fact or fact_id in TREATMENT_SLOTS:
            continue
        fact = vocabulary[fact_id]
        sources = fact.derived.from_ if fact.derived else []
        askable = [s for s in sources if s == TREATMENTS or s in bank.by_fact or _derivable(s, vocabulary, bank)]
        if not askable:
            problems.append(f"fact {fact_id!r} is used by a rule but no question asks it and nothing asked derives it")
    reachable: set[str] = set()
    for fact_id in used:
        reachable |= _inputs(fact_id, vocabulary, set())
    for question in bank:
        if question.fact in SLOTS:
            continue
        if question.fact not in vocabulary:
            problems.append(
                f"question {question.linkId!r} asks {question.fact!r}, which is not a fact of the vocabulary"
            )
        elif question.fact not in reachable:
            problems.append(f"question {question.linkId!r} asks {question.fact!r}, which no rule uses")
    return problems + switched_off_problems(matcher, bank)


def never_meaning_problems(vocabulary: Vocabulary, bank: QuestionBank) -> list[str]:
    """Yes/no questions that do not say what "I never had it" means, and questions that say it but are
    not yes/no questions."""
    problems = []
    for question in bank:
        slot = SLOTS.get(question.fact)
        fact = vocabulary.facts.get(question.fact)
        kind = slot.type if slot is not None else fact.type if fact is not None else None
        if kind == "boolean" and question.never_means is None:
            problems.append(
                f"question {question.linkId!r} is a yes/no question but does not say what 'I never had it' means "
                '(never_means: "yes", "no" or "ask")'
            )
        elif kind != "boolean" and question.never_means is not None:
            problems.append(f"question {question.linkId!r} has never_means but is not a yes/no question")
    return problems


def _derivable(fact_id: str, vocabulary: Vocabulary, bank: QuestionBank) -> bool:
    fact = vocabulary.facts.get(fact_id)
    if fact is None or fact.derived is None:
        return False
    return any(s == TREATMENTS or s in bank.by_fact or _derivable(s, vocabulary, bank) for s in fact.derived.from_)


SWITCHED_OFF = "is switched off by enableWhen"  # the words of every such problem, counted by ``trialmatch check``


def switched_off_problems(matcher: Matcher, bank: QuestionBank, today: dt.date | None = None) -> list[str]:
    """Questions ``enableWhen`` switches off while a rule still needs their fact and no answer implies it.

    For each answer to a condition that switches a question off, the rules reading the question's fact
    are evaluated with that answer and what it implies (facts.yaml ``implied``): a rule still unknown
    then waits for a question that will never be asked.
    """
    vocabulary = matcher.vocabulary
    as_of = today or dt.date.today()
    readers: dict[str, list[tuple[str, list[str], Any]]] = {}
    for compiled in matcher.trials:
        for item in compiled.checks:
            if item.evaluate is not None and item.check.rule is not None:
                where = f"{compiled.trial.nct_id} {item.section} {item.check.id}"
                read = facts_in(item.check.rule)
                for fact_id in read:
                    readers.setdefault(fact_id, []).append((where, read, item.evaluate))
    problems = []
    for question in bank:
        if not question.enableWhen or question.fact in SLOTS or question.fact not in readers:
            continue
        for off in _off_answers(question, bank, vocabulary, as_of):
            values: dict[str, Any] = {AS_OF: as_of, **off}
            apply_implications(values, vocabulary, matcher.drugs)
            if question.fact in values:
                continue
            waiting = sorted(
                {
                    where
                    for where, read, evaluate in readers[question.fact]
                    if _still_needs(question.fact, read, evaluate, values, vocabulary, as_of)
                }
            )
            if waiting:
                answers = ", ".join(f"{k} = {_shown(v)}" for k, v in off.items())
                problems.append(
                    f"question {question.linkId!r} {SWITCHED_OFF} when {answers}, but "
                    f"{'; '.join(waiting)} still wait for {question.fact!r} and nothing implies it "
                    "(declare the implied answer in matcher/data/facts.yaml)"
                )
    return problems


MAX_COMBINATIONS = 4096


def _still_needs(
    fact_id: str, read: list[str], evaluate: Any, values: dict[str, Any], vocabulary: Vocabulary, as_of: dt.date
) -> bool:
    """Whether the rule's outcome can still turn on ``fact_id`` given ``values``: some answers to its
    other open facts (yes/no and choices; the rest left unknown) give different outcomes for different
    answers to it. A fact whose answers cannot be listed (a number, a date) counts if the rule is open."""
    if evaluate(values) != UNKNOWN:
        return False
    own = _answers(fact_id, vocabulary, as_of)
    if not own:
        return True
    others = [f for f in read if f != fact_id and f not in values and f in vocabulary]
    options = [[None, *_answers(f, vocabulary, as_of)] for f in others]
    total = 1
    for choices in options:
        total *= len(choices)
    if total > MAX_COMBINATIONS:
        return True
    for combo in itertools.product(*options):
        known = {**values, **{f: v for f, v in zip(others, combo, strict=True) if v is not None}}
        if len({evaluate({**known, fact_id: answer}) for answer in own}) > 1:
            return True
    return False


def _off_answers(
    question: Question, bank: QuestionBank, vocabulary: Vocabulary, as_of: dt.date
) -> list[dict[str, Any]]:
    """Each combination of answers (by fact) that switches the question off."""
    per_condition: list[list[tuple[str, Any]]] = []
    for condition in question.enableWhen:
        target = bank[condition.question]
        if target.fact in SLOTS or target.fact not in vocabulary or condition.operator == "exists":
            per_condition.append([])
            continue
        per_condition.append(
            [(target.fact, v) for v in _answers(target.fact, vocabulary, as_of) if not _holds(condition, v)]
        )
    if question.enableBehavior == "all":
        return [{fact: value} for options in per_condition for fact, value in options]
    if any(not options for options in per_condition):
        return []
    return [dict(combo) for combo in itertools.product(*per_condition)]


def _answers(fact_id: str, vocabulary: Vocabulary, as_of: dt.date) -> list[Any]:
    fact = vocabulary[fact_id]
    if fact.type == "boolean":
        return [True, False]
    if fact.type == "choice":
        return list(fact.choices)
    if fact.type == "event":
        return [NEVER, as_of - dt.timedelta(days=1)]
    return []


def _holds(condition: EnableWhen, value: Any) -> bool:
    shown = "never" if value is NEVER else value.isoformat() if isinstance(value, dt.date) else value
    matches = shown == condition.answer
    return matches if condition.operator == "=" else not matches


def _shown(value: Any) -> str:
    if value is NEVER:
        return "never"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
