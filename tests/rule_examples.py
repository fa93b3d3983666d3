"""Minimal profiles that meet or fail one rule, built from the rule tree (no hand-written cases).

For each leaf of a rule the candidates are values on each side of its boundary, in the form a
profile file gives them: a number at the threshold and just either side (in the fact's canonical
unit; ``xULN`` thresholds as a value with the lab's upper limit of normal), each choice, the drug
or set member named and one that is not, dates a day either side of an ``elapsed`` boundary,
``never`` for an event. ``all`` / ``any`` / ``not`` combine their parts (Kleene logic: one part
that fails makes an ``all`` fail, the other facts stay unknown), so the profile holds only the facts
that decide. Each candidate profile is checked against the whole rule as the matcher reads it
(derived facts included) before it is returned.

A derived fact (age, Karnofsky, Child-Pugh, the treatment-history facts) is given directly: a
profile may state it, and a value given directly always wins over the derived one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from matcher.evaluation import FALSE, TRUE, compile_rule
from matcher.profile import Profile, read_value
from matcher.units import ULN
from matcher.values import AS_OF as AS_OF_KEY
from matcher.verdicts import Matcher
from trials.rules import (
    All,
    AnyOf,
    Compare,
    Elapsed,
    Exactly,
    Includes,
    InSet,
    Not,
    Occurred,
    Only,
    Rule,
    facts_in,
    leaves,
)

AS_OF = dt.date(2026, 11, 22)
UNTIL_DAY = AS_OF - dt.timedelta(days=30)  # the date given to an ``until`` fact (it must have passed)
LIMIT = 5000  # partial profiles tried per rule and target before giving up

Raw = Any  # a fact's value as a profile file writes it
Assignment = dict[str, Raw]


@dataclass(frozen=True)
class Example:
    """A profile's facts (as a profile file writes them) that make a rule hold or not."""

    facts: Assignment
    holds: bool


class RuleExamples:
    """Builds, for a rule, the fewest facts that make it hold and the fewest that make it fail."""

    def __init__(self, matcher: Matcher, as_of: dt.date = AS_OF) -> None:
        self.matcher = matcher
        self.vocabulary = matcher.vocabulary
        self.drugs = matcher.drugs
        self.as_of = as_of
        self._read: dict[tuple[str, str], Any] = {}

    # --- the whole rule -------------------------------------------------------------------
    def example(self, rule: Rule, holds: bool) -> Example | None:
        """A minimal set of facts under which ``rule`` is TRUE (``holds``) or FALSE; None if none is found."""
        evaluate = compile_rule(rule, self.vocabulary, self.drugs)
        candidates = self._candidates(rule)
        target = TRUE if holds else FALSE
        for tried, assignment in enumerate(self._want(rule, target, candidates)):
            if tried >= LIMIT:
                return None
            if evaluate(self.values(assignment)) == target:
                return Example(dict(assignment), holds)
        return None

    def values(self, facts: Assignment) -> dict[str, Any]:
        """The values the matcher reads for these facts, derived facts included."""
        profile = Profile(as_of=self.as_of, values={f: self._value(f, raw) for f, raw in facts.items()})
        return self.matcher.values_for(profile)

    def profile_data(self, example: Example) -> dict[str, Any]:
        """The example as a profile mapping (what ``read_profile`` takes)."""
        return {"as_of": self.as_of, "facts": dict(example.facts)}

    def through_inputs(self, example: Example) -> Example | None:
        """The same example with age and Child-Pugh given as what a person answers (date of birth,
        the five Child-Pugh parts); None when the example also gives one of those inputs itself."""
        facts = dict(example.facts)
        inputs: Assignment = {}
        if "age" in facts:
            age = facts.pop("age")
            years = age.get("value") if isinstance(age, dict) else age
            if years != int(years):
                return None  # a whole number of years only: a date of birth gives nothing else
            inputs["date_of_birth"] = self.as_of.replace(year=self.as_of.year - int(years))
        score = facts.pop("child_pugh_score", None)
        grade = facts.pop("child_pugh_class", None)
        if score is not None and grade is not None:
            return None
        if grade is not None:
            score = CHILD_PUGH_CLASS_SCORE[grade]
        if score is not None:
            remaining = int(score) - len(CHILD_PUGH_PARTS)
            for fact_id, by_points in CHILD_PUGH_PARTS.items():
                points = 1 + min(2, remaining)
                remaining -= points - 1
                inputs[fact_id] = by_points[points]
        if set(inputs) & set(facts) or not inputs:
            return None
        return Example({**facts, **inputs}, example.holds)

    # --- reading candidate values ---------------------------------------------------------
    def _value(self, fact_id: str, raw: Raw) -> Any:
        key = (fact_id, repr(raw))
        if key not in self._read:
            self._read[key] = read_value(self.vocabulary[fact_id], raw, self.as_of, self.drugs, [])
        return self._read[key]

    def _readable(self, fact_id: str, raw: Raw) -> bool:
        try:
            self._value(fact_id, raw)
        except ValueError:
            return False
        return True

    # --- candidates: values either side of every boundary the rule draws on each fact ------
    def _candidates(self, rule: Rule) -> dict[str, list[Raw]]:
        found: dict[str, list[Raw]] = {f: [] for f in facts_in(rule)}

        def add(fact_id: str, raws: list[Raw]) -> None:
            for raw in raws:
                if raw not in found[fact_id] and self._readable(fact_id, raw):
                    found[fact_id].append(raw)

        def walk(node: Rule) -> None:
            for leaf in leaves(node):
                for fact_id, raws in self._leaf_candidates(leaf).items():
                    add(fact_id, raws)

        walk(rule)
        return found

    def _leaf_candidates(self, node: Rule) -> dict[str, list[Raw]]:
        fact = self.vocabulary[node.fact]
        if isinstance(node, Compare):
            if fact.type in ("number", "integer"):
                return {fact.id: self._numbers(node, fact)}
            if fact.type == "boolean":
                return {fact.id: [True, False]}
            return {fact.id: list(fact.choices)}
        if isinstance(node, InSet):
            if fact.type == "integer":
                low, high = fact.range or (0, 100)
                near = [int(v) + d for v in node.values for d in (0, -1, 1)]
                return {fact.id: [v for v in near if low <= v <= high]}
            return {fact.id: list(fact.choices)}
        if isinstance(node, (Includes, Only, Exactly)):
            return {fact.id: self._members(node, fact.type)}
        if isinstance(node, Elapsed):
            return self._dates(node)
        if isinstance(node, Occurred):
            return {fact.id: [UNTIL_DAY, "never"]}
        raise TypeError(f"no candidates for {type(node).__name__}")  # pragma: no cover - the union is closed

    def _numbers(self, node: Compare, fact: Any) -> list[Raw]:
        threshold = float(node.value)  # type: ignore[arg-type]
        if node.unit == ULN:
            low, high = fact.range
            uln = next((u for u in (40.0, 1.2, 1.0, 0.5) if low <= threshold * uln_margin(u) <= high), 1.0)
            return [
                {"value": clean(threshold * factor * uln), "unit": fact.unit, "uln": uln} for factor in (1.0, 0.9, 1.1)
            ]
        if node.unit is not None:
            threshold = fact.units.to_canonical(threshold, node.unit)
        if fact.type == "integer":
            return [int(threshold) + d for d in (0, -1, 1)]
        if threshold == int(threshold) and abs(threshold) >= 10:
            step = 1.0  # a whole threshold (platelets 75000, systolic 140, age 18): one either side
        else:
            step = 10 ** (math.floor(math.log10(abs(threshold))) - 2) if threshold else 0.1
        return [{"value": clean(threshold + d * step), "unit": fact.unit} for d in (0, -1, 1)]

    def _members(self, node: Includes | Only | Exactly, kind: str) -> list[Raw]:
        values = list(node.values)
        classes = list(getattr(node, "classes", []))
        if kind == "set":
            others = [c for c in self.vocabulary[node.fact].choices if c not in values]
            raws: list[Raw] = [[v] for v in values] + [values, "none"] + [[c] for c in others[:1]]
            return raws
        by_class = [self._drug_of_class(c) for c in classes]
        named = [self.drugs.drugs[v].name for v in values]
        outsider = self._drug_outside(values, classes)
        raws = [[n] for n in named] + [[n] for n in by_class if n]
        if named:
            raws.append(named)
        raws += ["none", [outsider]]
        if named and by_class and by_class[0]:
            raws.append([*named, by_class[0]])
        return raws

    def _drug_of_class(self, class_id: str) -> str | None:
        for drug in self.drugs.drugs.values():
            if class_id in self.drugs.with_broader(drug.classes):
                return drug.name
        return None

    def _drug_outside(self, values: list[str], classes: list[str]) -> str:
        for drug in self.drugs.drugs.values():
            if drug.id not in values and not set(classes) & self.drugs.with_broader(drug.classes):
                return drug.name
        raise LookupError("every drug is in the rule")  # pragma: no cover - the vocabulary is larger

    def _dates(self, node: Elapsed) -> dict[str, list[Raw]]:
        from matcher.evaluation import add_duration

        end = UNTIL_DAY if node.until else self.as_of
        if node.unit in ("days", "weeks") or node.value != int(node.value):
            per = {"days": 1, "weeks": 7, "months": 30.4375, "years": 365.25}[node.unit]
            window = node.value * per
            days = sorted({math.floor(window), math.ceil(window)})
            starts = [end - dt.timedelta(days=d + e) for d in days for e in (0, -1, 1)]
        else:
            boundary = add_duration(end, node.value, node.unit, sign=-1)
            starts = [boundary + dt.timedelta(days=e) for e in (0, -1, 1)]
        start_raws: list[Raw] = [s for s in starts if s <= end]
        if self.vocabulary[node.fact].type == "event":
            start_raws.append("never")
        out = {node.fact: start_raws}
        if node.until:
            out[node.until] = [end]
        return out

    # --- walking the rule: partial profiles that give the wanted outcome ------------------
    def _want(self, node: Rule, target: int, candidates: dict[str, list[Raw]]) -> Iterator[Assignment]:
        if isinstance(node, Not):
            yield from self._want(node.rule, TRUE - target, candidates)
            return
        if isinstance(node, (All, AnyOf)):
            every = (isinstance(node, All) and target == TRUE) or (isinstance(node, AnyOf) and target == FALSE)
            if every:
                yield from self._every(node.rules, target, candidates, {})
            else:
                for child in sorted(node.rules, key=lambda r: len(facts_in(r))):
                    yield from self._want(child, target, candidates)
            return
        evaluate = compile_rule(node, self.vocabulary, self.drugs)
        fact_ids = facts_in(node)
        for combination in itertools.product(*(candidates[f] for f in fact_ids)):
            assignment = dict(zip(fact_ids, combination, strict=True))
            values = {f: self._value(f, raw) for f, raw in assignment.items()}
            values[AS_OF_KEY] = self.as_of
            if evaluate(values) == target:
                yield assignment

    def _every(
        self, rules: list[Rule], target: int, candidates: dict[str, list[Raw]], so_far: Assignment
    ) -> Iterator[Assignment]:
        if not rules:
            yield so_far
            return
        for part in self._want(rules[0], target, candidates):
            if all(so_far.get(f, raw) == raw for f, raw in part.items()):
                yield from self._every(rules[1:], target, candidates, {**so_far, **part})


# Child-Pugh from its parts: each part's answer worth 1, 2 or 3 points (see matcher/derived.py).
CHILD_PUGH_PARTS: dict[str, dict[int, Raw]] = {
    "bilirubin": {
        1: {"value": 1.0, "unit": "mg/dL"},
        2: {"value": 2.5, "unit": "mg/dL"},
        3: {"value": 4, "unit": "mg/dL"},
    },
    "albumin": {
        1: {"value": 4.0, "unit": "g/dL"},
        2: {"value": 3.0, "unit": "g/dL"},
        3: {"value": 2.5, "unit": "g/dL"},
    },
    "inr": {1: 1.0, 2: 2.0, 3: 2.5},
    "ascites": {1: "none", 2: "mild", 3: "moderate"},
    "hepatic_encephalopathy": {1: "none", 2: "grade_1_2", 3: "grade_3_4"},
}
CHILD_PUGH_CLASS_SCORE = {"A": 5, "B": 7, "C": 10}
DERIVED_FROM_ANSWERS = ("age", "child_pugh_score", "child_pugh_class")


def uln_margin(uln: float) -> float:
    """A ×ULN threshold's value is tried 10 % either side: the upper one must stay plausible."""
    return uln * 1.1


def clean(number: float) -> float | int:
    """A number as a person would write it (no binary noise; whole numbers without '.0')."""
    rounded = float(f"{number:.10g}")
    return int(rounded) if rounded == int(rounded) else rounded
