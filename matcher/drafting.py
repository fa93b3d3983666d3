"""Drafting rules from criterion texts: common patterns proposed as rules, everything else left to a person.

The patterns are data (``matcher/data/draft_patterns.yaml``): regexes with named groups and rule
templates. This module only reads them: it finds the matches, fills the templates (a few named
readers such as ``$num(group)``, never ``eval``), joins several matches of one text with ``all``
or ``any`` as the words between them say, and compiles the result against the fact vocabulary,
so a draft can never name an unknown fact, unit or choice. A drafted rule is a proposal: the
importer writes it with ``status: draft`` and the matcher does not evaluate it until a person has
reviewed it. When in doubt (nothing matched, words left over that the proposal cannot have
understood such as "unless" or another threshold) the check is left ``to_encode``.

:func:`same_verdicts` compares two rules on boundary profiles (values just below, at and above
every threshold, every choice, unknown), for measuring the drafter against reviewed rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from matcher.drugs import DrugVocabulary, load_drug_vocabulary
from matcher.evaluation import RuleError, add_duration, compile_rule
from matcher.facts import Fact, Vocabulary, load_vocabulary
from matcher.units import ULN, UnitError
from matcher.values import AS_OF, NEVER, Lab, Members
from trials.rules import (
    COMPARATOR_WORDS,
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
    rule_key,
)
from trials.schema import Check
from trials.yaml_text import load_yaml

PATTERNS_FILE = Path(__file__).parent / "data" / "draft_patterns.yaml"
Section = Literal["registry", "inclusion", "exclusion"]
RULE_ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)

_TEMPLATE_CALL = re.compile(r"^\$(\w+)\((\w+)\)$")
_MACRO = re.compile(r"\{\{(\w+)\}\}")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_OR = re.compile(r"\bor\b|\bnor\b", re.IGNORECASE)
_AND = re.compile(r"\band\b|\bwith\b|\bplus\b|;", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and/or|and|or)?|and/or|or|and|/|&)\s*", re.IGNORECASE)
_DIGIT_SOON = re.compile(r"\d")
_WINDOW_SOON = re.compile(r"\bwithin\b|\bin the (?:past|last)\b|\d", re.IGNORECASE)
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(?:\s*\^\s*(\d+))?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
_BRACKETS = re.compile(r"\([^()]*\)")
_OR_BEFORE = re.compile(r"(?P<word>[A-Za-z][A-Za-z'-]+)\s*(?:,\s*)?(?:\bor\b|\band\b|\band/or\b)\s*$", re.IGNORECASE)
_OR_AFTER = re.compile(
    r"\s*(?:,\s*)?(?:\bor\b|\band\b|\band/or\b)\s+(?:(?:a|an|the)\s+)?(?P<word>[A-Za-z][A-Za-z'-]+)", re.IGNORECASE
)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Comparator(_Spec):
    match: str
    op: Literal["eq", "ne", "lt", "le", "gt", "ge"]


class _UnitSpelling(_Spec):
    match: str
    unit: str  # a unit name, "xULN", or "drop" (the unit cannot be read: no draft)


class _ClassWords(_Spec):
    match: str
    class_: str = Field(alias="class")


class _Guard(_Spec):
    """The condition a measurement applies under; ``else_`` is that condition's negation, written directly."""

    if_: dict[str, Any] = Field(alias="if")
    else_: dict[str, Any] = Field(alias="else")


class _Measure(_Spec):
    names: list[str] = Field(min_length=1)
    needs: list[str] = Field(default_factory=list)
    unit: Literal["omit"] | None = None
    xuln_as_value: bool = False
    plausible: tuple[float, float] | None = None
    guard: _Guard | None = None


class _Event(_Spec):
    names: list[str] = Field(min_length=1)
    needs: list[str] = Field(default_factory=list)


class _Example(_Spec):
    text: str
    section: Section = "inclusion"
    rule: dict[str, Any] | None = None


class _Pattern(_Spec):
    id: str | None = None
    use: Literal["measures", "events"] | None = None
    regex: str | None = None
    rule: dict[str, Any] | None = None
    negatable: bool = False
    guard: _Guard | None = None
    words: dict[str, str] = Field(default_factory=dict)
    skip_if: str | None = None
    needs: list[str] = Field(default_factory=list)
    examples: list[_Example] = Field(default_factory=list)


class _Decline(_Spec):
    leftover: list[str] = Field(default_factory=list)
    anywhere: list[str] = Field(default_factory=list)
    exclusion: list[str] = Field(default_factory=list)  # in an exclusion: a requirement, not a reason to exclude
    filler: str = ""  # words a proposal need not read (space-separated, lower case)
    max_unread_words: int | None = None  # more words than this left unread: the proposal read part of the text


class _Negations(_Spec):
    before: str
    after: str
    ineligible: str
    guard: str


class DraftPatterns(_Spec):
    """The contents of ``draft_patterns.yaml``."""

    macros: dict[str, str] = Field(default_factory=dict)
    comparators: list[_Comparator]
    units: list[_UnitSpelling] = Field(default_factory=list)
    number_words: dict[str, int] = Field(default_factory=dict)
    drug_classes: list[_ClassWords] = Field(default_factory=list)
    measures: dict[str, _Measure]
    thresholds: list[str] = Field(min_length=1)
    events: dict[str, _Event] = Field(default_factory=dict)
    windows: list[str] = Field(default_factory=list)
    decline: _Decline = _Decline()
    negations: _Negations
    conditional_lead: str
    patterns: list[_Pattern]


class TemplateError(ValueError):
    """A template that could not be filled from a match (a group missing, a word not understood)."""


@dataclass(frozen=True)
class Draft:
    """A proposed rule (and its words) for one criterion text, or why there is none (``to_encode``)."""

    rule: Rule | None
    plain: str | None = None
    patterns: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def status(self) -> Literal["draft", "to_encode"]:
        return "draft" if self.rule is not None else "to_encode"


@dataclass
class _Fragment:
    rule: dict[str, Any]
    start: int
    end: int
    pattern: str
    guarded: bool = False
    cue: tuple[int, int] | None = None  # the negation words that turned this proposal round
    source: str = ""  # the pattern's regex as written (its own words, macros unexpanded)


@dataclass
class _CompiledPattern:
    id: str
    regex: re.Pattern[str]
    rule: dict[str, Any]
    negatable: bool
    guard: _Guard | None
    words: list[tuple[re.Pattern[str], str]]
    skip_if: re.Pattern[str] | None = None
    needs: tuple[str, ...] = ()
    source: str = ""


class Drafter:
    """Proposes rules for criterion texts from the patterns file, checked against the vocabulary."""

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        drugs: DrugVocabulary | None = None,
        spec: DraftPatterns | None = None,
        cache: bool = True,
    ) -> None:
        self.cache = cache  # remember each text's draft (criteria repeat across trials)
        self.vocabulary = vocabulary or load_vocabulary()
        self.drugs = drugs or load_drug_vocabulary()
        self.spec = spec or load_draft_patterns()
        self._cache: dict[tuple[str, str], Draft] = {}
        self._drug_names = self._drug_name_table()
        macros = dict(self.spec.macros)
        macros["DRUG"] = r"\b(?:" + "|".join(re.escape(n) for n in self._drug_names) + r")\b"
        macros["DRUG_CLASS"] = "(?:" + "|".join(f"(?:{c.match})" for c in self.spec.drug_classes) + ")"
        self._macros = macros
        self._comparators = [(self._compile(c.match, "comparator", full=True), c.op) for c in self.spec.comparators]
        self._unit_spellings = [(self._compile(u.match, "unit", full=True), u.unit) for u in self.spec.units]
        self._classes = [(self._compile(c.match, "drug class"), c.class_) for c in self.spec.drug_classes]
        for _, class_id in self._classes:
            if class_id not in self.drugs.classes:
                raise ValueError(f"draft patterns: unknown drug class {class_id!r}")
        self._thresholds = [self._compile(t, "threshold") for t in self.spec.thresholds]
        self._decline_leftover = [self._compile(d, "decline") for d in self.spec.decline.leftover]
        self._decline_anywhere = [self._compile(d, "decline") for d in self.spec.decline.anywhere]
        self._decline_exclusion = [self._compile(d, "decline") for d in self.spec.decline.exclusion]
        self._filler = frozenset(self.spec.decline.filler.split())
        self._negation_before = self._compile(self.spec.negations.before, "negation")
        self._negation_after = self._compile(self.spec.negations.after, "negation")
        self._ineligible = self._compile(self.spec.negations.ineligible, "negation")
        self._negation_guard = self._compile(self.spec.negations.guard, "negation")
        self._lead = self._compile(self.spec.conditional_lead, "conditional_lead")
        self._measure_facts: list[str] = []
        self._measure_scan: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = []
        alternatives = []
        for index, (fact_id, measure) in enumerate(self.spec.measures.items()):
            fact = self._fact(fact_id, f"measure {fact_id}")
            if fact.type not in ("number", "integer"):
                raise ValueError(f"draft patterns: measure {fact_id!r} is a {fact.type}, not a number")
            if measure.guard:
                self._check_guard(measure.guard, f"measure {fact_id}")
            self._measure_facts.append(fact_id)
            names = "|".join(f"(?:{n})" for n in measure.names)
            alternatives.append(f"(?P<m{index}>{names})")
            needs = tuple(w.lower() for w in measure.needs)
            self._measure_scan.append((fact_id, self._compile(names, f"measure {fact_id}"), needs))
        self._names = self._compile("|".join(alternatives), "measure names")
        self._event_facts: list[str] = []
        self._event_scan: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = []
        alternatives = []
        for index, (fact_id, event) in enumerate(self.spec.events.items()):
            fact = self._fact(fact_id, f"event {fact_id}")
            if fact.type not in ("event", "date"):
                raise ValueError(f"draft patterns: event {fact_id!r} is a {fact.type}, not an event or date")
            self._event_facts.append(fact_id)
            names = "|".join(f"(?:{n})" for n in event.names)
            alternatives.append(f"(?P<e{index}>{names})")
            needs = tuple(w.lower() for w in event.needs)
            self._event_scan.append((fact_id, self._compile(names, f"event {fact_id}"), needs))
        self._event_names = self._compile("|".join(alternatives) or "(?!)", "event names")
        self._windows = [self._compile(w, "window") for w in self.spec.windows]
        self._steps: list[_CompiledPattern | str] = []  # a string: "measures" or "events"
        seen: set[str] = set()
        for pattern in self.spec.patterns:
            if pattern.use is not None:
                self._steps.append(pattern.use)
                continue
            if not pattern.id or not pattern.regex or pattern.rule is None:
                raise ValueError(f"draft patterns: a pattern needs id, regex and rule ({pattern.id or pattern.regex})")
            if pattern.id in seen:
                raise ValueError(f"draft patterns: pattern id {pattern.id!r} is used twice")
            seen.add(pattern.id)
            if pattern.guard:
                self._check_guard(pattern.guard, f"pattern {pattern.id}")
            words = [(self._compile(k, f"pattern {pattern.id} words"), v) for k, v in pattern.words.items()]
            regex = self._compile(pattern.regex, f"pattern {pattern.id}")
            skip_if = self._compile(pattern.skip_if, f"pattern {pattern.id} skip_if") if pattern.skip_if else None
            self._steps.append(
                _CompiledPattern(
                    pattern.id,
                    regex,
                    pattern.rule,
                    pattern.negatable,
                    pattern.guard,
                    words,
                    skip_if,
                    tuple(w.lower() for w in pattern.needs),
                    pattern.regex,
                )
            )

    # --- set-up ------------------------------------------------------------------------------------

    def _expand(self, regex: str) -> str:
        for _ in range(5):
            expanded = _MACRO.sub(lambda m: self._macros.get(m.group(1), m.group(0)), regex)
            if expanded == regex:
                break
            regex = expanded
        unknown = _MACRO.search(regex)
        if unknown:
            raise ValueError(f"draft patterns: unknown macro {unknown.group(0)}")
        return regex

    def _compile(self, regex: str, where: str, full: bool = False) -> re.Pattern[str]:
        text = self._expand(regex)
        if full:
            text = f"(?:{text})"
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"draft patterns: {where}: the regex does not compile: {exc}") from exc

    def _fact(self, fact_id: str, where: str) -> Fact:
        if fact_id not in self.vocabulary:
            raise ValueError(f"draft patterns: {where} names unknown fact {fact_id!r}")
        return self.vocabulary[fact_id]

    def _check_guard(self, guard: _Guard, where: str) -> None:
        for rule in (guard.if_, guard.else_):
            try:
                compile_rule(RULE_ADAPTER.validate_python(rule), self.vocabulary, self.drugs)
            except (ValidationError, RuleError) as exc:
                raise ValueError(f"draft patterns: {where}: guard {rule} does not compile: {exc}") from exc

    def _drug_name_table(self) -> dict[str, str]:
        """Lower-cased drug names (generic, brands, aliases of 4+ characters) -> drug id, longest first."""
        table: dict[str, str] = {}
        for drug in self.drugs.drugs.values():
            for name in [drug.id.replace("_", " "), drug.name, *drug.brands, *drug.aliases]:
                if len(name) >= 4:
                    table.setdefault(name.lower(), drug.id)
        return dict(sorted(table.items(), key=lambda item: -len(item[0])))

    # --- drafting ----------------------------------------------------------------------------------

    def draft(self, text: str, section: Section = "inclusion") -> Draft:
        """The proposed rule for one criterion (or check) text, or why it is left to a person."""
        if not self.cache:
            return self._draft(text, section)
        key = (text, section)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._draft(text, section)
            self._cache[key] = cached
        return cached

    def _draft(self, text: str, section: Section) -> Draft:
        clean = _THOUSANDS.sub("", text.replace("\u00a0", " ").replace("\n", " ").strip())
        if not clean:
            return Draft(None, reason="no text")
        declines = [*self._decline_anywhere, *(self._decline_exclusion if section == "exclusion" else [])]
        for decline in declines:
            found = decline.search(clean)
            if found:
                return Draft(None, reason=f"the text says '{found.group(0)}': an exception the patterns cannot encode")
        lead = self._lead.match(clean)
        start = lead.end() if lead else 0
        try:
            fragments, taken, named = self._fragments(clean, start, section)
        except TemplateError as exc:
            return Draft(None, reason=str(exc))
        negate_all = False
        accounted: list[tuple[int, int]] = []  # negation words the proposal carries
        if lead is not None:
            rest = clean[lead.end() :]
            if not fragments and (said := self._ineligible.search(rest)):
                accounted.append((lead.end() + said.start(), lead.end() + said.end()))
                condition = lead.group("condition")
                offset = lead.start("condition")
                try:
                    fragments, taken, named = self._fragments(clean[: offset + len(condition)], offset, section)
                except TemplateError as exc:
                    return Draft(None, reason=str(exc))
                taken.append((lead.end(), len(clean)))
                negate_all = section != "exclusion"
            elif fragments and all(f.guarded for f in fragments):
                pass  # the condition is carried by the guards
            elif fragments:
                return Draft(
                    None,
                    reason="the item applies only to some patients (a leading condition) and the draft cannot say so",
                )
            taken.append((lead.start(), lead.end()))
        if not fragments:
            return Draft(None, reason="no pattern matched")
        leftover = _blank(clean, taken)
        unread = next(
            (
                (name_start, name_end)
                for name_start, name_end, after in named
                if not _overlaps(taken, name_start, name_end) and after.search(leftover, name_end, name_end + 60)
            ),
            None,
        )
        if unread is not None:
            return Draft(
                None,
                patterns=tuple(f.pattern for f in fragments),
                reason=f"'{clean[unread[0] : unread[1]]}' is named without a threshold the patterns could read",
            )
        for decline in self._decline_leftover:
            found = decline.search(leftover)
            if found:
                return Draft(
                    None,
                    patterns=tuple(f.pattern for f in fragments),
                    reason=f"words not covered by the patterns ('{found.group(0).strip()}')",
                )
        # words in brackets explain (an example, an abbreviation): they are not counted as unread
        unread_words = [w for w in _WORD.findall(_BRACKETS.sub(" ", leftover)) if w.lower() not in self._filler]
        limit = self.spec.decline.max_unread_words
        if limit is not None and len(unread_words) > limit:
            return Draft(
                None,
                patterns=tuple(f.pattern for f in fragments),
                reason=f"the proposal reads part of the text only ('{' '.join(unread_words[:6])}' left unread)",
            )
        alternative = self._unread_alternative(clean, fragments, taken)
        if alternative is not None:
            return Draft(
                None,
                patterns=tuple(f.pattern for f in fragments),
                reason=f"'{alternative}' is an alternative the proposal does not read",
            )
        cues = [f.cue[0] for f in fragments if f.cue is not None]  # where each negation starts
        if len(cues) > 1 and len(set(cues)) < len(cues):
            return Draft(
                None, patterns=tuple(f.pattern for f in fragments), reason="one negation before several things"
            )
        if section != "exclusion" and not negate_all and (said := self._ineligible.search(leftover)):
            negate_all = True
            accounted.append((said.start(), said.end()))
        unsure = self._unread_negation(clean, fragments, accounted)
        if unsure is not None:
            return Draft(
                None,
                patterns=tuple(f.pattern for f in fragments),
                reason=f"the text says '{unsure}' and the proposal may not carry it: a negation or exception is never drafted as its opposite",
            )
        rule = _join(fragments, clean, section)
        if negate_all:
            rule = _negate(rule, self.vocabulary)
        rule = _normalise(rule, self.vocabulary)
        names = tuple(dict.fromkeys(f.pattern for f in fragments))
        try:
            parsed = RULE_ADAPTER.validate_python(rule)
            compile_rule(parsed, self.vocabulary, self.drugs)
            self._no_equality_on_measurements(parsed)
        except (ValidationError, RuleError) as exc:
            return Draft(None, patterns=names, reason=f"the proposal does not fit the vocabulary: {exc}")
        return Draft(parsed, describe_rule(parsed, self.vocabulary, self.drugs), names)

    def _fragments(
        self, text: str, start: int, section: Section
    ) -> tuple[list[_Fragment], list[tuple[int, int]], list[tuple[int, int, re.Pattern[str]]]]:
        """The proposals found in ``text`` from ``start``, the spans they cover, and every measurement or
        event name seen (with what, found soon after it, would mean a threshold was left unread)."""
        fragments: list[_Fragment] = []
        taken: list[tuple[int, int]] = []
        named: list[tuple[int, int, re.Pattern[str]]] = []
        lowered = text.lower()
        for step in self._steps:
            if isinstance(step, str):
                finder = self._measures if step == "measures" else self._events
                fragments.extend(finder(text, start, section, taken, named))
                continue
            if step.needs and not any(word in lowered for word in step.needs):
                continue
            if step.skip_if is not None and step.skip_if.search(text):
                continue
            for match in step.regex.finditer(text, start):
                if match.end() == match.start() or _overlaps(taken, match.start(), match.end()):
                    continue
                rule = self._fill(step.rule, match, step)
                guarded = step.guard is not None
                cue = self._negation_cue(text, match) if step.negatable else None
                if cue is not None:
                    rule = _negate(rule, self.vocabulary)
                if step.guard is not None:
                    rule = _guarded(rule, step.guard, section)
                fragments.append(_Fragment(rule, match.start(), match.end(), step.id, guarded, cue, step.source))
                taken.append((match.start(), match.end()))
        fragments.sort(key=lambda f: f.start)
        return fragments, taken, named

    def _no_equality_on_measurements(self, rule: Rule) -> None:
        """'Age = 18' is a garbled '≥' or '≤' far more often than an exact age: no draft."""
        for leaf in leaves(rule):
            if isinstance(leaf, Compare) and leaf.op in ("eq", "ne") and self.vocabulary[leaf.fact].type == "number":
                raise RuleError("rule.op", f"'{leaf.op}' on the measurement {leaf.fact} is not a threshold")

    def _unread_alternative(self, text: str, fragments: list[_Fragment], taken: list[tuple[int, int]]) -> str | None:
        """A word joined by "or" or "and" to what a proposal read, and read by none ("serious medical or
        psychiatric disease": the proposal reads only "psychiatric disease"; "ASL and AST")."""
        for fragment in fragments:
            before = _OR_BEFORE.search(text, 0, fragment.start)
            after = _OR_AFTER.match(text, fragment.end)
            for found in (before, after):
                if found is None:
                    continue
                word = found.group("word")
                if word.lower() not in self._filler and not _overlaps(taken, found.start("word"), found.end("word")):
                    return word
        return None

    def _negation_cue(self, text: str, match: re.Match[str]) -> tuple[int, int] | None:
        """Where the negation words before (or "negative" right after) a match are, if there are any."""
        offset = max(0, match.start() - 60)
        before = self._negation_before.search(text[offset : match.start()])
        if before is not None:
            return offset + before.start(), offset + before.end()
        after = self._negation_after.match(text, match.end())
        return (after.start(), after.end()) if after is not None else None

    def _unread_negation(self, text: str, fragments: list[_Fragment], accounted: list[tuple[int, int]]) -> str | None:
        """The first negation or exception word ("no", "without", "except", "other than", "unless"...)
        the proposal does not carry: not the cue that turned a proposal round, nor a word the pattern
        that read it names itself ("not pregnant"). A threshold's "no more than" is not a negation."""
        for found in self._negation_guard.finditer(text):
            start, end = found.span()
            if any(a <= start and end <= b for a, b in accounted):
                continue
            if any(f.cue is not None and f.cue[0] <= start and end <= f.cue[1] for f in fragments):
                continue
            word = re.escape(found.group(0).lower())
            if any(
                f.start <= start
                and end <= f.end
                and f.source
                and re.search(rf"(?<![a-z]){word}(?![a-z])", f.source, re.IGNORECASE)
                for f in fragments
            ):
                continue
            return found.group(0)
        return None

    def _measures(
        self,
        text: str,
        start: int,
        section: Section,
        taken: list[tuple[int, int]],
        named: list[tuple[int, int, re.Pattern[str]]],
    ) -> list[_Fragment]:
        out: list[_Fragment] = []
        position = start
        for name, fact_id in _scan(self._measure_scan, text, start):
            named.append((name.start(), name.end(), _DIGIT_SOON))
            if name.start() < position:
                continue
            position = name.end()
            if _overlaps(taken, name.start(), name.end()):
                continue
            more, end, joints = _joined_names(text, name.end(), self._names, self._measure_of, taken)
            facts = [fact_id, *more]
            # "ALT and/or AST <= 5 x ULN": both, as a reviewer reads it
            joined_by_or = any(_OR.search(j) and "and/or" not in j.lower() for j in joints)
            threshold = next((t for t in (form.match(text, end) for form in self._thresholds) if t), None)
            if threshold is None:
                continue
            gap_end = min((threshold.start(g) for g in ("cmp", "num", "lo") if _has(threshold, g)), default=end)
            gap = self._names.search(text[end:gap_end])
            if gap is not None:
                continue  # another measurement's name comes first: its own threshold
            if _overlaps(taken, name.start(), threshold.end()):
                continue
            rules = [self._measure_rule(fact_id, threshold) for fact_id in dict.fromkeys(facts)]
            rule = rules[0] if len(rules) == 1 else {"op": "any" if joined_by_or else "all", "rules": rules}
            guarded = False
            guard = self.spec.measures[facts[0]].guard if len(set(facts)) == 1 else None
            if guard is not None:
                rule = _guarded(rule, guard, section)
                guarded = True
            out.append(_Fragment(rule, name.start(), threshold.end(), "measures", guarded))
            taken.append((name.start(), threshold.end()))
            position = threshold.end()
        return out

    def _events(
        self,
        text: str,
        start: int,
        section: Section,
        taken: list[tuple[int, int]],
        named: list[tuple[int, int, re.Pattern[str]]],
    ) -> list[_Fragment]:
        out: list[_Fragment] = []
        position = start
        for name, fact_id in _scan(self._event_scan, text, start):
            named.append((name.start(), name.end(), _WINDOW_SOON))
            if name.start() < position:
                continue
            position = name.end()
            if _overlaps(taken, name.start(), name.end()):
                continue
            more, end, joints = _joined_names(text, name.end(), self._event_names, self._event_of, taken)
            facts = [fact_id, *more]
            window = next((w for w in (form.match(text, end) for form in self._windows) if w), None)
            if window is None or self._names.search(text[end : window.start("unit")]):
                continue
            if _overlaps(taken, name.start(), window.end()):
                continue
            unit = window.group("unit").lower().rstrip("s") + "s"
            # "within 4 weeks before the first dose / randomisation / enrolment": counted to that event
            anchor = _future_anchor(text[window.end() : window.end() + 60])
            extra = {"before": anchor} if anchor else {}
            rules: list[dict[str, Any]] = []
            for fact_id in dict.fromkeys(facts):
                if _has(window, "lo"):
                    low, high = self._number(window.group("lo")), self._number(window.group("hi"))
                    rules.append(
                        {
                            "op": "all",
                            "rules": [
                                {"op": "elapsed", "fact": fact_id, "cmp": "ge", "value": low, "unit": unit, **extra},
                                {"op": "elapsed", "fact": fact_id, "cmp": "le", "value": high, "unit": unit, **extra},
                            ],
                        }
                    )
                else:
                    value = self._number(window.group("num"))
                    rules.append({"op": "elapsed", "fact": fact_id, "cmp": "le", "value": value, "unit": unit, **extra})
            by_or = any(_OR.search(j) for j in joints) or (
                section == "exclusion" and not any(_AND.search(j) for j in joints)
            )
            rule = rules[0] if len(rules) == 1 else {"op": "any" if by_or else "all", "rules": rules}
            cue = self._negation_cue(text, name)
            if cue is not None:
                rule = _negate(rule, self.vocabulary)
            out.append(_Fragment(rule, name.start(), window.end(), "events", cue=cue))
            taken.append((name.start(), window.end()))
            position = window.end()
        return out

    def _event_of(self, match: re.Match[str]) -> str:
        index = next(i for i, _ in enumerate(self._event_facts) if match.group(f"e{i}") is not None)
        return self._event_facts[index]

    def _measure_of(self, match: re.Match[str]) -> str:
        index = next(i for i, fact_id in enumerate(self._measure_facts) if match.group(f"m{i}") is not None)
        return self._measure_facts[index]

    def _measure_rule(self, fact_id: str, threshold: re.Match[str]) -> dict[str, Any]:
        fact = self.vocabulary[fact_id]
        measure = self.spec.measures[fact_id]
        unit = self._unit(fact, measure, threshold.group("unit") if _has(threshold, "unit") else None)
        if _has(threshold, "lo") and _has(threshold, "hi"):
            low, high = self._number(threshold.group("lo")), self._number(threshold.group("hi"))
            self._plausible(fact, measure, low, unit)
            self._plausible(fact, measure, high, unit)
            return {
                "op": "all",
                "rules": [_compare("ge", fact_id, low, unit), _compare("le", fact_id, high, unit)],
            }
        if _has(threshold, "uln_only"):
            if not fact.uln:
                raise TemplateError(f"{fact_id} is not compared relative to the upper limit of normal")
            return _compare(self._op(threshold.group("cmp")), fact_id, 1, ULN)
        op = self._op(threshold.group("tcmp") if _has(threshold, "tcmp") else threshold.group("cmp"))
        value = self._number(threshold.group("num"))
        if fact.type == "number" and op in ("eq", "ne"):
            raise TemplateError(f"'{threshold.group('cmp')}' before a measurement reads as equality: not a threshold")
        self._plausible(fact, measure, value, unit)
        return _compare(op, fact_id, value, unit)

    def _unit(self, fact: Fact, measure: _Measure, raw: str | None) -> str | None:
        if fact.type != "number" or raw is None:
            return None  # whole numbers have no unit; a number without one is in the canonical unit
        raw = raw.strip()
        unit: str | None = next((name for regex, name in self._unit_spellings if regex.fullmatch(raw)), None)
        if unit == "drop":
            raise TemplateError(f"the unit '{raw}' cannot be read")
        if unit is None:
            unit = fact.units.lookup(re.sub(r"\s+", "", raw)) if fact.units else None
            if unit is None:
                raise TemplateError(f"'{raw}' is not a unit of {fact.id}")
        if unit == ULN:
            if fact.uln:
                return ULN
            if measure.xuln_as_value:
                return None
            raise TemplateError(f"{fact.id} is not compared relative to the upper limit of normal")
        if measure.unit == "omit" and fact.units and unit == fact.units.canonical:
            return None
        return unit

    def _plausible(self, fact: Fact, measure: _Measure, value: float, unit: str | None) -> None:
        if measure.plausible is None or unit == ULN:
            return
        try:
            canonical = fact.units.to_canonical(float(value), unit) if fact.units else float(value)
        except UnitError as exc:
            raise TemplateError(str(exc)) from exc
        low, high = measure.plausible
        if not low <= canonical <= high:
            raise TemplateError(f"{fact.id} threshold {value} {unit or ''} is implausible: a misread figure?")

    def _op(self, words: str | None) -> str:
        if words is None:
            raise TemplateError("no comparator")
        spoken = " ".join(words.split())
        op = next((op for regex, op in self._comparators if regex.fullmatch(spoken)), None)
        if op is None:
            raise TemplateError(f"comparator '{words}' not understood")
        return op

    def _number(self, words: str | None) -> int | float:
        if words is None:
            raise TemplateError("no number")
        spoken = words.strip().lower()
        if spoken in self.spec.number_words:
            return self.spec.number_words[spoken]
        found = _NUMBER.match(spoken.replace(" ", ""))
        if found is None:
            raise TemplateError(f"'{words}' is not a number")
        base, power = found.groups()
        if power is not None:
            return int(float(base) ** int(power))
        return float(base) if "." in base else int(base)

    def _fill(self, template: Any, match: re.Match[str], step: _CompiledPattern) -> Any:
        if isinstance(template, dict):
            return {k: self._fill(v, match, step) for k, v in template.items()}
        if isinstance(template, list):
            return [self._fill(v, match, step) for v in template]
        if not isinstance(template, str) or not template.startswith("$"):
            return template
        call = _TEMPLATE_CALL.match(template)
        if call is None:
            raise TemplateError(f"pattern {step.id}: template '{template}' is not $reader(group)")
        reader, group = call.groups()
        words = match.group(int(group)) if group.isdigit() else match.groupdict().get(group)
        if words is None:
            raise TemplateError(f"pattern {step.id}: group '{group}' did not match")
        if reader == "op":
            return self._op(words)
        if reader == "num":
            return self._number(words)
        if reader == "int":
            number = self._number(words)
            return int(number)
        if reader == "ints":
            return _ints(words)
        if reader in ("roman", "romans"):
            values = _romans(words)
            if not values:
                raise TemplateError(f"pattern {step.id}: no class number in '{words}'")
            return values[0] if reader == "roman" else values
        if reader == "letters":
            return list(dict.fromkeys(re.findall(r"\b[ABC]\b", words.upper())))
        if reader == "drugs":
            found = re.findall(self._macros["DRUG"], words, re.IGNORECASE)
            return list(dict.fromkeys(self._drug_names[name.lower()] for name in found))
        if reader == "classes":
            hits = sorted((m.start(), class_id) for regex, class_id in self._classes if (m := regex.search(words)))
            return list(dict.fromkeys(class_id for _, class_id in hits))
        if reader == "words":
            hits = sorted((m.start(), value) for regex, value in step.words if (m := regex.search(words)))
            return list(dict.fromkeys(value for _, value in hits))
        raise TemplateError(f"pattern {step.id}: unknown reader ${reader}")


# --- joining and normalising -------------------------------------------------------------------------


def _scan(
    table: list[tuple[str, re.Pattern[str], tuple[str, ...]]], text: str, start: int
) -> list[tuple[re.Match[str], str]]:
    """Every name of the table in the text, in order, without overlaps (an earlier name, then the
    one listed first, wins), as one alternation of them all would find them; a name whose ``needs``
    words are all absent is not searched for."""
    lowered = text.lower()
    found: list[tuple[int, int, re.Match[str], str]] = []
    for order, (fact_id, regex, needs) in enumerate(table):
        if needs and not any(word in lowered for word in needs):
            continue
        found.extend((m.start(), order, m, fact_id) for m in regex.finditer(text, start) if m.end() > m.start())
    found.sort(key=lambda item: (item[0], item[1]))
    out: list[tuple[re.Match[str], str]] = []
    end = -1
    for position, _, match, fact_id in found:
        if position >= end:
            out.append((match, fact_id))
            end = match.end()
    return out


def _has(match: re.Match[str], group: str) -> bool:
    return group in match.re.groupindex and match.group(group) is not None


def _joined_names(
    text: str,
    end: int,
    names: re.Pattern[str],
    fact_of: Callable[[re.Match[str]], str],
    taken: list[tuple[int, int]],
) -> tuple[list[str], int, list[str]]:
    """Further names joined to the one ending at ``end`` ("ALT, AST or ALP"): their facts, where the
    last one ends, and the separators between them ("or" and "and" decide how the rules combine)."""
    facts: list[str] = []
    joints: list[str] = []
    while True:
        separator = _NAME_SEPARATOR.match(text, end)
        if separator is None or separator.end() == end:
            break
        following = names.match(text, separator.end())
        if following is None or _overlaps(taken, following.start(), following.end()):
            break
        joints.append(separator.group(0))
        facts.append(fact_of(following))
        end = following.end()
    return facts, end, joints


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _blank(text: str, taken: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in taken:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def _ints(words: str) -> list[int]:
    """'0 or 1' -> [0, 1]; '0-2' and '0 to 2' -> [0, 1, 2]."""
    out: list[int] = []
    for low, dash, high in re.findall(r"(\d+)(?:\s*(-|–|to)\s*(\d+))?", words):
        if dash and high:
            out.extend(range(int(low), int(high) + 1))
        else:
            out.append(int(low))
    return list(dict.fromkeys(out))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ROMAN_IDS = ("i", "ii", "iii", "iv")


def _romans(words: str) -> list[str]:
    """'III~IV' -> ['iii', 'iv']; 'II-IV' -> ['ii', 'iii', 'iv']; '3 or 4' -> ['iii', 'iv'] (NYHA class ids)."""
    out: list[int] = []
    for low, dash, high in re.findall(r"(iv|i{1,3}|[1-4])(?:\s*(-|–|~|to)\s*(iv|i{1,3}|[1-4]))?", words.lower()):
        if dash and high:
            out.extend(range(_ROMAN[low], _ROMAN[high] + 1))
        else:
            out.append(_ROMAN[low])
    return [_ROMAN_IDS[n - 1] for n in dict.fromkeys(out)]


_FLIPPED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}


def _compare(op: str, fact_id: str, value: int | float, unit: str | None) -> dict[str, Any]:
    rule: dict[str, Any] = {"op": op, "fact": fact_id, "value": value}
    if unit is not None:
        rule["unit"] = unit
    return rule


def _guarded(rule: dict[str, Any], guard: _Guard, section: Section) -> dict[str, Any]:
    """An inclusion holds when the condition does not apply; an exclusion needs it to apply."""
    if section == "exclusion":
        return {"op": "all", "rules": [dict(guard.if_), rule]}
    return {"op": "any", "rules": [dict(guard.else_), rule]}


def _negate(rule: dict[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    if rule.get("op") == "not":
        return dict(rule["rule"])
    if rule.get("op") == "elapsed":
        return {**rule, "cmp": _FLIPPED[rule["cmp"]]}  # an event that never happened stays 'long ago' either way
    fact = vocabulary.facts.get(rule.get("fact", ""))
    if rule.get("op") == "eq" and fact is not None and fact.type == "boolean" and isinstance(rule.get("value"), bool):
        return {**rule, "value": not rule["value"]}
    return {"op": "not", "rule": rule}


def _join(fragments: list[_Fragment], text: str, section: Section) -> dict[str, Any]:
    """Fragments joined as the words between them say: 'or' gives ``any``, 'and' ``all``.

    A comma alone takes the word of the next joint ("A, B, or C" is A or B or C); a list with no
    word at all is a list of requirements in an inclusion (all) and of reasons to exclude in an
    exclusion (any).
    """
    if len(fragments) == 1:
        return fragments[0].rule
    joints: list[str | None] = []
    for left, right in itertools.pairwise(fragments):
        between = text[left.end : right.start]
        joints.append("or" if _OR.search(between) else "and" if _AND.search(between) else None)
    resolved: list[str] = []
    for i, joint in enumerate(joints):
        if joint is None:
            joint = next((j for j in joints[i + 1 :] if j is not None), "or" if section == "exclusion" else "and")
        resolved.append(joint)
    groups: list[list[dict[str, Any]]] = [[fragments[0].rule]]
    for joint, fragment in zip(resolved, fragments[1:], strict=True):
        if joint == "or":
            groups.append([fragment.rule])
        else:
            groups[-1].append(fragment.rule)
    alternatives = [g[0] if len(g) == 1 else {"op": "all", "rules": g} for g in groups]
    return alternatives[0] if len(alternatives) == 1 else {"op": "any", "rules": alternatives}


def _normalise(rule: dict[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """House style: nested all/any flattened, ``eq``/``in`` alternatives on one choice merged, one-value ``in`` as ``eq``."""
    op = rule.get("op")
    if op in ("all", "any"):
        parts: list[dict[str, Any]] = []
        for child in (_normalise(r, vocabulary) for r in rule["rules"]):
            parts.extend(child["rules"] if child.get("op") == op else [child])
        if op == "any":
            parts = _merge_choices(parts, vocabulary)
        unique: list[dict[str, Any]] = []
        for part in parts:
            if part not in unique:
                unique.append(part)
        return unique[0] if len(unique) == 1 else {"op": op, "rules": unique}
    if op == "not":
        return {"op": "not", "rule": _normalise(rule["rule"], vocabulary)}
    if op == "in" and len(rule.get("values", [])) == 1:
        return {"op": "eq", "fact": rule["fact"], "value": rule["values"][0]}
    return rule


def _merge_choices(parts: list[dict[str, Any]], vocabulary: Vocabulary) -> list[dict[str, Any]]:
    merged: list[dict[str, Any]] = []
    by_fact: dict[str, dict[str, Any]] = {}
    for part in parts:
        fact = vocabulary.facts.get(part.get("fact", ""))
        values = [part["value"]] if part.get("op") == "eq" else part.get("values") if part.get("op") == "in" else None
        if fact is None or fact.type not in ("choice", "integer") or values is None:
            merged.append(part)
            continue
        if part["fact"] in by_fact:
            target = by_fact[part["fact"]]
            target["values"] = list(dict.fromkeys([*target["values"], *values]))
            continue
        entry = {"op": "in", "fact": part["fact"], "values": list(values)}
        by_fact[part["fact"]] = entry
        merged.append(entry)
    return [_normalise(p, vocabulary) if p.get("op") == "in" else p for p in merged]


# --- the rule in words ---------------------------------------------------------------------------------


def describe_rule(rule: Rule, vocabulary: Vocabulary, drugs: DrugVocabulary) -> str:
    """A rule in clinical words, for a draft's ``plain`` ('haemoglobin (Hb) ≥ 9 g/dL')."""

    def label(fact_id: str) -> str:
        return vocabulary[fact_id].label if fact_id in vocabulary else fact_id

    def name(item: str) -> str:
        if item in drugs.drugs:
            return drugs.drugs[item].name
        if item in drugs.classes:
            return drugs.classes[item].label
        return item.replace("_", " ")

    def words(node: Rule, nested: bool) -> str:
        if isinstance(node, (All, AnyOf)):
            joiner = " and " if isinstance(node, All) else " or "
            text = joiner.join(words(r, True) for r in node.rules)
            return f"({text})" if nested else text
        if isinstance(node, Not):
            return f"not {words(node.rule, True)}"
        if isinstance(node, Compare):
            fact = vocabulary.facts.get(node.fact)
            if isinstance(node.value, bool):
                return f"{label(node.fact)}: {'yes' if node.value == (node.op == 'eq') else 'no'}"
            if fact is not None and fact.type == "choice":
                return f"{label(node.fact)} {COMPARATOR_WORDS[node.op]} {node.value}"
            unit = " × ULN" if node.unit == ULN else f" {node.unit}" if node.unit else ""
            if not node.unit and fact is not None and fact.unit and fact.unit not in ("ratio", "years"):
                unit = f" {fact.unit}"
            return f"{label(node.fact)} {COMPARATOR_WORDS[node.op]} {node.value}{unit}"
        if isinstance(node, InSet):
            return f"{label(node.fact)}: {' or '.join(str(v) for v in node.values)}"
        if isinstance(node, Includes):
            items = [name(v) for v in node.values] + [name(c) for c in node.classes]
            joiner = " and " if node.mode == "all" else " or "
            return f"{label(node.fact)} include {joiner.join(items)}"
        if isinstance(node, Only):
            return f"{label(node.fact)} only {', '.join(name(v) for v in [*node.values, *node.classes])}"
        if isinstance(node, Exactly):
            return f"{label(node.fact)} exactly {' + '.join(name(v) for v in node.values)}"
        if isinstance(node, Elapsed):
            if node.cmp in ("lt", "le"):
                return f"{label(node.fact)} within the last {node.value:g} {node.unit}"
            return f"{label(node.fact)} more than {node.value:g} {node.unit} ago"
        if isinstance(node, Occurred):
            return f"{label(node.fact)}: has happened"
        raise TypeError(f"unknown rule node {node!r}")  # pragma: no cover - the union is closed

    return words(rule, False)


# --- loading ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def load_draft_patterns(path: Path = PATTERNS_FILE) -> DraftPatterns:
    """The patterns file, validated."""
    return DraftPatterns.model_validate(load_yaml(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_drafter() -> Drafter:
    """The drafter of the bundled patterns, vocabulary and drug list (built once)."""
    return Drafter()


def pattern_examples() -> list[tuple[str, _Example]]:
    """Every (pattern id, example) of the patterns file, for the tests."""
    return [(p.id or "", e) for p in load_draft_patterns().patterns for e in p.examples]


# --- comparing rules on boundary profiles ----------------------------------------------------------------

_AS_OF = dt.date(2026, 1, 15)


def same_verdicts(
    first: Rule,
    second: Rule,
    vocabulary: Vocabulary,
    drugs: DrugVocabulary,
    limit: int = 20000,
) -> bool:
    """Whether two rules give the same result (met, failed, unknown) on every boundary profile.

    For each fact either rule reads: unknown, and values just below, at and above every threshold
    either rule names (every choice, yes and no, each named drug, dates either side of each
    window). Profiles are the combinations of those values (a fixed random sample beyond ``limit``).
    """
    evaluate_first = compile_rule(first, vocabulary, drugs)
    evaluate_second = compile_rule(second, vocabulary, drugs)
    fact_ids = list(dict.fromkeys([*facts_in(first), *facts_in(second)]))
    candidates = [_candidates(f, [first, second], vocabulary, drugs) for f in fact_ids]
    total = 1
    for options in candidates:
        total *= len(options)
    combos: Iterable[tuple[Any, ...]]
    if total <= limit:
        combos = itertools.product(*candidates)
    else:
        generator = random.Random(7)
        combos = (tuple(generator.choice(v) for v in candidates) for _ in range(limit))
    for combo in combos:
        values: dict[str, Any] = {AS_OF: _AS_OF}
        values.update({f: v for f, v in zip(fact_ids, combo, strict=True) if v is not None})
        if evaluate_first(values) != evaluate_second(values):
            return False
    return True


def _candidates(fact_id: str, rules: list[Rule], vocabulary: Vocabulary, drugs: DrugVocabulary) -> list[Any]:
    fact = vocabulary[fact_id]
    facts_leaves = [leaf for rule in rules for leaf in leaves(rule) if leaf.fact == fact_id]
    out: list[Any] = [None]
    if fact.type == "boolean":
        return [None, True, False]
    if fact.type == "choice":
        return [None, *fact.choices]
    if fact.type in ("number", "integer"):
        absolute: set[float] = set()
        relative: set[float] = set()
        in_values: set[int] = set()
        for leaf in facts_leaves:
            if isinstance(leaf, Compare) and isinstance(leaf.value, (int, float)) and not isinstance(leaf.value, bool):
                if leaf.unit == ULN:
                    relative.add(float(leaf.value))
                elif fact.units is not None:
                    absolute.add(fact.units.to_canonical(float(leaf.value), leaf.unit))
                else:
                    absolute.add(float(leaf.value))
            elif isinstance(leaf, InSet):
                in_values.update(int(v) for v in leaf.values if isinstance(v, int))
        if fact.type == "integer":
            low, high = fact.range or (0, 20)
            span = range(int(low), int(high) + 1) if high - low <= 30 else sorted(absolute | in_values)
            points = {float(v) for v in span} | {t + d for t in absolute for d in (-1, 0, 1)}
            points |= {float(v + d) for v in in_values for d in (-1, 0, 1)}
            return out + sorted({int(p) for p in points if low <= p <= high})  # only values a profile can hold
        points = {t * k for t in absolute for k in (0.99, 1.0, 1.01)}
        values: list[Any] = [Lab(value=p) if fact.uln else p for p in sorted(points)]
        values += [Lab(xuln=r * k) for r in sorted(relative) for k in (0.99, 1.0, 1.01)]
        return out + values
    if fact.type in ("date", "event"):
        days: set[dt.date] = set()
        for leaf in facts_leaves:
            if isinstance(leaf, Elapsed):
                edge = add_duration(_AS_OF, leaf.value, leaf.unit, -1)
                days |= {edge - dt.timedelta(days=1), edge, edge + dt.timedelta(days=1)}
        dated: list[Any] = sorted(days) or [_AS_OF - dt.timedelta(days=30)]
        return out + ([NEVER] if fact.type == "event" else []) + dated
    if fact.type == "set":
        named = {v for leaf in facts_leaves for v in getattr(leaf, "values", [])}
        sets = [Members()] + [Members(items=frozenset({v})) for v in sorted(named)]
        if len(named) > 1:
            sets.append(Members(items=frozenset(named)))
        return out + sets
    named_drugs = {v for leaf in facts_leaves for v in getattr(leaf, "values", [])}
    classes = {c for leaf in facts_leaves for c in getattr(leaf, "classes", [])}
    for class_id in sorted(classes):
        example = next((d for d in sorted(drugs.drugs) if class_id in drugs.classes_of(d)), None)
        if example:
            named_drugs.add(example)
    members = [Members()] + [
        Members(items=frozenset({d}), classes=drugs.with_broader(drugs.classes_of(d))) for d in sorted(named_drugs)
    ]
    if len(named_drugs) > 1:
        every = frozenset(named_drugs)
        members.append(Members(items=every, classes=drugs.with_broader(c for d in every for c in drugs.classes_of(d))))
    return out + members


DraftOutcome = Literal[
    "exact", "equivalent", "wrong", "to_encode_rule", "to_encode_study_team", "drafted_for_study_team"
]


def draft_outcome(
    proposal: Rule | None, reviewed: Check, vocabulary: Vocabulary, drugs: DrugVocabulary
) -> DraftOutcome:
    """How a drafted rule compares with the reviewed encoding of the same check."""
    has_rule = reviewed.rule is not None and reviewed.status == "reviewed"
    if proposal is None:
        return "to_encode_rule" if has_rule else "to_encode_study_team"
    if not has_rule or reviewed.rule is None:
        return "drafted_for_study_team"
    if rule_key(proposal) == rule_key(reviewed.rule):
        return "exact"
    return "equivalent" if same_verdicts(proposal, reviewed.rule, vocabulary, drugs) else "wrong"


_ANCHORS = (
    (
        re.compile(
            r"^\W*(?:before|prior\s+to)\s+(?:the\s+)?(?:first\s+dose|start(?:ing)?\s+(?:of\s+)?(?:the\s+)?study\s+treatment|initiation\s+of\s+study\s+treatment|study\s+treatment)",
            re.I,
        ),
        "first_dose",
    ),
    (re.compile(r"^\W*(?:before|prior\s+to)\s+(?:the\s+)?randomi[sz]ation", re.I), "randomisation"),
    (
        re.compile(r"^\W*(?:before|prior\s+to)\s+(?:the\s+)?(?:enrol(?:l)?ment|registration|study\s+entry)", re.I),
        "enrolment",
    ),
)


def _future_anchor(after: str) -> str | None:
    """The future event a window is counted to, when the words after it name one ("before randomization")."""
    return next((event for pattern, event in _ANCHORS if pattern.match(after)), None)


# --- the gold set of real records ------------------------------------------------------------------------

GOLD_FILE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "drafting_gold.yaml"


@dataclass(frozen=True)
class GoldResult:
    """One gold-set check: its text, what the reviewer expects (a rule, or no draft) and what was drafted."""

    entry: dict[str, Any]
    expected: Rule | None
    draft: Draft
    right: bool  # a draft, and the reviewer's rule gives the same verdicts


def score_gold(drafter: Drafter, path: Path = GOLD_FILE) -> list[GoldResult]:
    """Draft every check of the gold set and compare it with the reviewer's answer."""
    entries = load_yaml(path.read_text(encoding="utf-8"))["checks"]
    out = []
    for entry in entries:
        expected = RULE_ADAPTER.validate_python(entry["rule"]) if "rule" in entry else None
        draft = drafter.draft(entry["text"], entry["section"])
        right = (
            draft.rule is not None
            and expected is not None
            and (
                rule_key(draft.rule) == rule_key(expected)
                or same_verdicts(draft.rule, expected, drafter.vocabulary, drafter.drugs)
            )
        )
        out.append(GoldResult(entry, expected, draft, right))
    return out
