"""Which question next: only ones that can still change an undecided trial, the most decisive first.

A question is a candidate when its fact (or treatment-history slot) is an input of a criterion
that is still unknown in a trial that is still possibly eligible: decided trials (eligible or
not eligible) need nothing more. Among candidates, the planner prefers the question with an
answer that would rule out the most trials, then the one that bears on the most open criteria,
then the bank's order. In patient mode, lab values (which people rarely know by heart) come
after everything else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from matcher.derived import derive_all
from matcher.evaluation import FALSE, UNKNOWN, Evaluator, is_partial, missing_facts
from matcher.facts import TREATMENTS, Vocabulary
from matcher.profile import Profile, ProfileError, read_treatments
from matcher.values import NEVER, Lab, Members
from matcher.verdicts import CompiledTrial, Matcher, check_state, fast_verdict
from questionnaires.bank import Mode, Question, QuestionBank
from questionnaires.treatment import MAX_LINES, ONGOING, SLOTS, RegimenAnswer, treatments_from_slots
from trials.rules import All, AnyOf, Compare, Elapsed, Exactly, Includes, Not, Only, Rule, facts_in

# Which treatment-history slots can make each derived treatment fact known.
TREATMENT_SLOTS: dict[str, tuple[str, ...]] = {
    "prior_systemic_lines": ("treatment_any", *(f"line{n}_any" for n in range(2, MAX_LINES + 2))),
    "prior_drugs": (
        "treatment_any",
        *(f"line{n}_any" for n in range(2, MAX_LINES + 2)),
        *(f"line{n}_drugs" for n in range(1, MAX_LINES + 1)),
    ),
    "first_line_drugs": ("treatment_any", "line1_drugs"),
    "first_line_classes": ("treatment_any", "line1_drugs"),
    "first_line_cycles": ("treatment_any", "line1_cycles"),
    "first_line_progressed": ("treatment_any", "line1_progressed"),
    "first_line_start_date": ("treatment_any", "line1_started"),
    "first_line_progression_date": ("treatment_any", "line1_progressed", "line1_progression_date"),
    "last_systemic_therapy_date": (
        "treatment_any",
        *(f"line{n}_any" for n in range(2, MAX_LINES + 2)),
        *(f"line{n}_stopped" for n in range(1, MAX_LINES + 1)),
    ),
}
TREATMENT_SLOTS["prior_drug_classes"] = TREATMENT_SLOTS["prior_drugs"]
# Measurements people rarely know by heart (lab values, scan sizes); weight, age and blood
# pressure are not among them. In patient mode these are asked after everything else.
EVERYDAY_UNIT_SETS = frozenset({"weight", "pressure", "years", "height"})


@dataclass(frozen=True)
class _OpenCheck:
    """An unknown criterion as the planner sees it: how to evaluate it, its other open inputs, and the
    undecided trials that have it (identical criteria of many trials share one compiled evaluator)."""

    evaluate: Evaluator
    is_exclusion: bool
    others: frozenset[str]
    nct_ids: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """The next question and why it was chosen."""

    question: Question
    rules_out: int  # trials some answer to it would rule out
    open_criteria: int  # unknown criteria it bears on


class Planner:
    """Picks the next question for a session's current answers."""

    def __init__(self, matcher: Matcher, bank: QuestionBank, mode: Mode) -> None:
        self.matcher = matcher
        self.bank = bank
        self.mode = mode
        self.vocabulary: Vocabulary = matcher.vocabulary
        self.hypotheses = _Hypotheses(matcher)
        self._last_open: tuple[dict[str, Any], tuple[dict[str, list[_OpenCheck]], list[CompiledTrial]]] | None = None

    def open_inputs(self, values: dict[str, Any]) -> tuple[dict[str, int], list[CompiledTrial]]:
        """For each askable input, the number of unknown criteria of undecided trials it bears on."""
        bears, undecided = self.open_checks(values)
        return {name: _trial_count(checks) for name, checks in bears.items()}, undecided

    def open_checks(self, values: dict[str, Any]) -> tuple[dict[str, list[_OpenCheck]], list[CompiledTrial]]:
        """For each askable input, the unknown criteria of undecided trials it bears on, with their other inputs.

        The result for the latest ``values`` is kept: the plan and the progress estimate share it.
        """
        if self._last_open is not None and self._last_open[0] is values:
            return self._last_open[1]
        states: dict[tuple[Evaluator, bool], int] = {}

        def state(evaluate: Evaluator, is_exclusion: bool) -> int:
            key = (evaluate, is_exclusion)
            if key not in states:
                states[key] = check_state(evaluate, is_exclusion, values)
            return states[key]

        undecided = [c for c in self.matcher.trials if fast_verdict(c, values, state) == "possibly_eligible"]
        inputs_of: dict[Evaluator, set[str]] = {}
        trials_of: dict[tuple[str, Evaluator, bool, frozenset[str]], list[str]] = defaultdict(list)
        for compiled in undecided:
            for item in compiled.checks:
                if item.evaluate is None or item.check.rule is None:
                    continue
                is_exclusion = item.section == "exclusion"
                if state(item.evaluate, is_exclusion) != UNKNOWN:
                    continue
                if item.evaluate not in inputs_of:
                    inputs_of[item.evaluate] = self._askable(missing_facts(item.check.rule, values), values)
                inputs = inputs_of[item.evaluate]
                for name in inputs:
                    trials_of[(name, item.evaluate, is_exclusion, frozenset(inputs - {name}))].append(
                        compiled.trial.nct_id
                    )
        bears: dict[str, list[_OpenCheck]] = defaultdict(list)
        for (name, evaluate, is_exclusion, others), nct_ids in trials_of.items():
            bears[name].append(_OpenCheck(evaluate, is_exclusion, others, tuple(nct_ids)))
        self._last_open = (values, (bears, undecided))
        return bears, undecided

    def _askable(self, fact_ids: Iterable[str], values: dict[str, Any]) -> set[str]:
        """Questions (facts or slots) that can make these facts known."""
        out: set[str] = set()
        for fact_id in fact_ids:
            if fact_id in TREATMENT_SLOTS:
                out.update(TREATMENT_SLOTS[fact_id])
                continue
            fact = self.vocabulary[fact_id]
            sources = [s for s in (fact.derived.from_ if fact.derived else []) if s != TREATMENTS]
            # An answer that would imply this one (no brain metastases: none has bled) settles it too.
            sources += [s for implication in fact.implied for s in facts_in(implication.when) if s not in sources]
            askable_sources = [s for s in sources if values.get(s) is None or is_partial(values.get(s))]
            traced = self._askable(askable_sources, values) if askable_sources else set()
            out.update(t for t in traced if t in self.bank.by_fact)
            if fact_id in self.bank.by_fact:
                out.add(fact_id)  # asked directly too (after its sources: see _waits_for_sources)
        return out

    def next(
        self,
        profile: Profile,
        values: dict[str, Any],
        settled: set[str],
        enabled: Callable[[Question], bool],
        slot_answers: dict[str, Any],
    ) -> Choice | None:
        """The most decisive question not yet answered (or declined), or None when nothing can help."""
        ranked = self.candidates(profile, values, settled, enabled, slot_answers)
        return ranked[0] if ranked else None

    def candidates(
        self,
        profile: Profile,
        values: dict[str, Any],
        settled: set[str],
        enabled: Callable[[Question], bool],
        slot_answers: dict[str, Any],
    ) -> list[Choice]:
        """Every question that could still change an undecided trial, the one to ask first first."""
        bears, undecided = self.open_checks(values)

        def open_to_ask(name: str) -> bool:
            question = self.bank.by_fact.get(name)
            return question is not None and question.linkId not in settled and enabled(question)

        def still_askable(name: str) -> bool:
            """Asked now, or later: not declined, and either on or waiting for an answer that can switch it
            on (the third regimen's medicines wait for "was there a third?")."""
            question = self.bank.by_fact.get(name)
            if question is None or question.linkId in settled:
                return False
            return enabled(question) or any(c.question not in settled for c in question.enableWhen)

        def answered(name: str) -> bool:
            """Given a value (a declined question has none): no longer an input still to ask."""
            return slot_answers.get(name) is not None or (name not in SLOTS and values.get(name) is not None)

        scored = []
        for name, checks in bears.items():
            if not open_to_ask(name):
                continue
            question = self.bank.by_fact[name]
            outcomes = self.hypotheses.outcomes(name, profile, slot_answers)
            if not self._can_settle(checks, outcomes, still_askable, answered):
                continue  # no answer to it can decide anything, given what is already declined
            # An undecided trial is ruled out by an answer exactly when one of its open criteria that
            # this question bears on fails: its other criteria do not depend on the answer.
            ruled_out: set[str] = set()
            for values_if in outcomes:
                for check in checks:
                    if check_state(check.evaluate, check.is_exclusion, values_if) == FALSE:
                        ruled_out.update(check.nct_ids)
            rules_out = len(ruled_out)
            lab_last = 1 if self.mode == "patient" and self._is_measurement(question) else 0
            waits = 1 if self._waits_for_sources(question, settled, enabled) else 0
            open_criteria = _trial_count(checks)
            key = (waits, lab_last, -rules_out, -open_criteria, self.bank.position(question.linkId))
            scored.append((key, Choice(question, rules_out, open_criteria)))
        scored.sort(key=lambda item: item[0])
        return [choice for _, choice in scored]

    @staticmethod
    def _can_settle(
        checks: list[_OpenCheck],
        outcomes: list[dict[str, Any]],
        still_askable: Callable[[str], bool],
        answered: Callable[[str], bool],
    ) -> bool:
        """Some answer decides one of the criteria now; or the criterion needs this with inputs still to ask
        (a time span needs both its dates), none of them already declined. Inputs already answered (such
        as "any cancer medicines?" before the first line's dates) neither block nor count as still to ask."""
        for check in checks:
            if any(check_state(check.evaluate, check.is_exclusion, values_if) != UNKNOWN for values_if in outcomes):
                return True
            still_open = [other for other in check.others if not answered(other)]
            if still_open and all(still_askable(other) for other in still_open):
                return True
        return False

    def remaining(self, values: dict[str, Any], settled: set[str], enabled: Callable[[Question], bool]) -> int:
        """About how many questions are left: the open inputs not yet answered or declined.

        Questions that do not apply yet (a virus level before "do you have hepatitis B?") are
        counted too, so the estimate does not jump up when an answer opens them.
        """
        counts, _ = self.open_inputs(values)
        return sum(1 for name in counts if name in self.bank.by_fact and self.bank.by_fact[name].linkId not in settled)

    def _waits_for_sources(self, question: Question, settled: set[str], enabled: Callable[[Question], bool]) -> bool:
        """A derived fact asked directly (Karnofsky) waits while a source it is derived from (ECOG) is still to
        ask; so does a fact another answer may imply (the 24-hour urine protein waits for the dipstick)."""
        fact = self.vocabulary.facts.get(question.fact)
        if fact is None:
            return False
        names = list(fact.derived.from_) if fact.derived else []
        names += [s for implication in fact.implied for s in facts_in(implication.when)]
        sources = [self.bank.by_fact[s] for s in names if s in self.bank.by_fact]
        return any(s.linkId not in settled and enabled(s) for s in sources)

    def _is_measurement(self, question: Question) -> bool:
        fact = self.vocabulary.facts.get(question.fact)
        return fact is not None and fact.type == "number" and fact.unit_set not in EVERYDAY_UNIT_SETS


def _trial_count(checks: list[_OpenCheck]) -> int:
    """Open criteria counted once per trial that has them."""
    return sum(len(check.nct_ids) for check in checks)


class _Hypotheses:
    """Representative answers per fact or slot, drawn from the catalogue's own thresholds and windows.

    They are used to ask "could some answer to this rule a trial out?", never as answers.
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.numbers: dict[str, set[tuple[float, bool]]] = defaultdict(set)  # (threshold, relative to ULN)
        self.windows: dict[str, set[tuple[float, str]]] = defaultdict(set)
        self.drug_sets: set[frozenset[str]] = set()
        self.drug_ids: set[str] = set()
        self.classes: set[str] = set()
        seen: set[Evaluator] = set()  # identical rules share one evaluator: collect each once
        for compiled in matcher.trials:
            for item in compiled.checks:
                if item.evaluate is not None and item.check.rule is not None and item.evaluate not in seen:
                    seen.add(item.evaluate)  # reviewed rules only
                    self._collect(item.check.rule)

    def _collect(self, rule: Rule) -> None:
        if isinstance(rule, (All, AnyOf)):
            for child in rule.rules:
                self._collect(child)
        elif isinstance(rule, Not):
            self._collect(rule.rule)
        elif isinstance(rule, Compare) and isinstance(rule.value, (int, float)) and not isinstance(rule.value, bool):
            fact = self.matcher.vocabulary[rule.fact]
            relative = rule.unit == "xULN"
            value = (
                float(rule.value)
                if relative or not fact.units
                else fact.units.to_canonical(float(rule.value), rule.unit)
            )
            self.numbers[rule.fact].add((value, relative))
        elif isinstance(rule, Elapsed):
            self.windows[rule.fact].add((float(rule.value), rule.unit))
        elif isinstance(rule, Exactly):
            self.drug_sets.add(frozenset(rule.values))
        elif isinstance(rule, (Includes, Only)):
            self.drug_ids.update(v for v in rule.values if v in self.matcher.drugs.drugs)
            self.classes.update(rule.classes)

    def answers(self, name: str, as_of: dt.date) -> list[Any]:
        """Representative values for a fact, or slot answers for a treatment slot."""
        if name in SLOTS:
            return self._slot_answers(name, as_of)
        fact = self.matcher.vocabulary[name]
        if fact.type == "boolean":
            return [True, False]
        if fact.type == "choice":
            return list(fact.choices)
        if fact.type == "set":
            return [Members(frozenset({c})) for c in fact.choices] + [Members()]
        if fact.type in ("number", "integer"):
            return self._numbers(name, fact.range, fact.uln, fact.type == "integer")
        if fact.type in ("date", "event"):
            dates = self._dates(name, as_of)
            return dates + ([NEVER] if fact.type == "event" else [])
        if fact.type == "drugs":
            return [Members()] + [
                Members(frozenset({d}), frozenset(self.matcher.drugs.classes_of(d))) for d in sorted(self.drug_ids)
            ]
        return []

    def _numbers(self, name: str, span: tuple[float, float] | None, uln: bool, whole: bool) -> list[Any]:
        points: set[float] = set()
        relative: set[float] = set()
        for value, is_relative in self.numbers.get(name, ()):
            step = 1.0 if whole else max(abs(value) * 0.01, 0.001)
            (relative if is_relative else points).update({value - step, value, value + step})
        if span:
            points.update(span)
        out: list[Any] = [Lab(value=p) if uln else (int(p) if whole else p) for p in sorted(points)]
        out += [Lab(xuln=r) for r in sorted(relative) if r >= 0]
        return out

    def _dates(self, name: str, as_of: dt.date) -> list[dt.date]:
        from matcher.evaluation import add_duration

        days = {as_of}
        for value, unit in self.windows.get(name, ()):
            edge = add_duration(as_of, value, unit, sign=-1)
            days.update({edge - dt.timedelta(days=1), edge, edge + dt.timedelta(days=1)})
        days.add(as_of - dt.timedelta(days=3650))
        return sorted(d for d in days if d <= as_of)

    def _slot_answers(self, name: str, as_of: dt.date) -> list[Any]:
        slot = SLOTS[name]
        if slot.type == "boolean":
            return [True, False]
        if slot.type == "integer":
            cycles = {0, 500} | {int(v + d) for v, _ in self.numbers.get("first_line_cycles", ()) for d in (-1, 0, 1)}
            return sorted(c for c in cycles if c >= 0)
        if slot.type == "regimen":
            regimens = [RegimenAnswer(names=tuple(sorted(s))) for s in self.drug_sets]
            regimens += [RegimenAnswer(names=(d,)) for d in sorted(self.drug_ids)]
            regimens += [RegimenAnswer(classes=(c,)) for c in sorted(self.classes)]
            return regimens
        related = {
            "started": "first_line_start_date",
            "progression_date": "first_line_progression_date",
            "stopped": "last_systemic_therapy_date",
        }[slot.field]
        dates: list[Any] = list(self._dates(related, as_of))
        return dates + ([ONGOING] if slot.type == "stop" else [])

    def rules_out(
        self, name: str, profile: Profile, undecided: list[CompiledTrial], slot_answers: dict[str, Any]
    ) -> int:
        """How many undecided trials some representative answer would rule out."""
        outcomes = self.outcomes(name, profile, slot_answers)
        return len(
            {c.trial.nct_id for values in outcomes for c in undecided if fast_verdict(c, values) == "not_eligible"}
        )

    def outcomes(self, name: str, profile: Profile, slot_answers: dict[str, Any]) -> list[dict[str, Any]]:
        """The known values as they would be after each representative answer to ``name``."""
        out = []
        for answer in self.answers(name, profile.as_of):
            values = self._values_with(profile, name, answer, slot_answers)
            if values is not None:
                out.append(values)
        return out

    def _values_with(
        self, profile: Profile, name: str, answer: Any, slot_answers: dict[str, Any]
    ) -> dict[str, Any] | None:
        treatments, complete = profile.treatments, profile.treatments_complete
        facts = profile.values
        if name in SLOTS:
            raw, complete = treatments_from_slots({**slot_answers, name: answer})
            try:
                treatments = None if raw is None else read_treatments(raw, profile.as_of, self.matcher.drugs)
            except ProfileError:
                return None  # a combination of answers that cannot happen (a progression date with "no progression")
        else:
            facts = {**profile.values, name: answer}
        changed = Profile(as_of=profile.as_of, values=facts, treatments=treatments, treatments_complete=complete)
        return derive_all(changed, self.matcher.drugs)
