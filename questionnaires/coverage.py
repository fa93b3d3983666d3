"""Does the question bank fit the catalogue? Every fact a rule reads must be asked or derived, and
every question must ask something a rule reads. ``trialmatch check`` reports both.
"""

from __future__ import annotations

from matcher.facts import TREATMENTS, Vocabulary
from matcher.verdicts import Matcher
from questionnaires.bank import QuestionBank
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
    """Facts rules use that nothing asks or derives, and questions about facts no rule uses."""
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
    return problems


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
