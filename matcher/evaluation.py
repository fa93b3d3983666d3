"""Three-valued evaluation of rules against what is known about a patient.

Each rule is compiled once, against the fact vocabulary, into a small Python function
(closures, no ``eval``) that returns FALSE, UNKNOWN or TRUE. Compiling also checks the rule:
a fact that does not exist, a unit that does not fit, an op the fact's type cannot take.

Kleene logic: ``all`` is the minimum of its parts, ``any`` the maximum, ``not`` the mirror.
Unknown never excludes and never qualifies.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any

from matcher.drugs import DrugVocabulary
from matcher.facts import TREATMENTS, Fact, Vocabulary
from matcher.units import ULN, UnitError
from matcher.values import AS_OF, NEVER, REFERENCE, STILL_GOING, EventWindow, Interval, Lab, Members, OneOf
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
)

FALSE, UNKNOWN, TRUE = 0, 1, 2
Values = Mapping[str, Any]
Evaluator = Callable[[Values], int]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


class RuleError(ValueError):
    """A rule that does not fit the fact vocabulary; ``field`` is the rule field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def truth(flag: bool) -> int:
    """TRUE or FALSE for a plain boolean."""
    return TRUE if flag else FALSE


def compile_rule(rule: Rule, vocabulary: Vocabulary, drugs: DrugVocabulary, path: str = "rule") -> Evaluator:
    """A function that evaluates ``rule``; raises :class:`RuleError` if the rule does not fit the vocabulary."""
    if isinstance(rule, All):
        parts = [compile_rule(r, vocabulary, drugs, f"{path}.rules.{i}") for i, r in enumerate(rule.rules)]

        def all_of(values: Values) -> int:
            result = TRUE
            for part in parts:
                outcome = part(values)
                if outcome == FALSE:
                    return FALSE
                if outcome < result:
                    result = outcome
            return result

        return all_of
    if isinstance(rule, AnyOf):
        parts = [compile_rule(r, vocabulary, drugs, f"{path}.rules.{i}") for i, r in enumerate(rule.rules)]

        def any_of(values: Values) -> int:
            result = FALSE
            for part in parts:
                outcome = part(values)
                if outcome == TRUE:
                    return TRUE
                if outcome > result:
                    result = outcome
            return result

        return any_of
    if isinstance(rule, Not):
        inner = compile_rule(rule.rule, vocabulary, drugs, f"{path}.rule")
        return lambda values: TRUE - inner(values)

    fact = _fact(rule.fact, vocabulary, f"{path}.fact")
    if isinstance(rule, Compare):
        return _compile_compare(rule, fact, path)
    if isinstance(rule, InSet):
        return _compile_in(rule, fact, path)
    if isinstance(rule, (Includes, Only, Exactly)):
        return _compile_set_test(rule, fact, drugs, path)
    if isinstance(rule, Elapsed):
        return _compile_elapsed(rule, fact, vocabulary, path)
    if isinstance(rule, Occurred):
        if fact.type != "event":
            raise RuleError(f"{path}.fact", f"'occurred' needs an event fact; {fact.id} is a {fact.type}")
        key = fact.id

        def occurred(values: Values) -> int:
            value = values.get(key)
            if value is None:
                return UNKNOWN
            if isinstance(value, EventWindow):
                return UNKNOWN if value.may_be_never else TRUE
            return FALSE if value is NEVER else TRUE

        return occurred
    raise RuleError(path, f"unsupported rule {type(rule).__name__}")  # pragma: no cover - the union is closed


def _fact(fact_id: str, vocabulary: Vocabulary, field: str) -> Fact:
    if fact_id not in vocabulary:
        raise RuleError(field, f"unknown fact {fact_id!r}; 'trialmatch facts' lists the vocabulary")
    return vocabulary[fact_id]


def _compare_number(value: Any, op: str, threshold: float) -> int:
    if isinstance(value, Interval):
        return _compare_interval(value, op, threshold)
    return truth(_OPS[op](value, threshold))


def _compare_interval(value: Interval, op: str, t: float) -> int:
    """TRUE when every number of the interval passes, FALSE when none does, else UNKNOWN.

    Open bounds count: "<20" (below 20, 20 excluded) passes "< 20" and fails "≥ 20"."""
    lo, hi = value.lo, value.hi
    if op in ("eq", "ne"):
        inside = (lo < t or (lo == t and not value.lo_open)) and (t < hi or (t == hi and not value.hi_open))
        if not inside:
            return truth(op == "ne")
        return UNKNOWN if lo != hi else truth(op == "eq")
    if op == "lt":
        every, none = hi < t or (value.hi_open and hi <= t), lo >= t
    elif op == "le":
        every, none = hi <= t, lo > t or (value.lo_open and lo >= t)
    elif op == "gt":
        every, none = lo > t or (value.lo_open and lo >= t), hi <= t
    else:  # ge
        every, none = lo >= t, hi < t or (value.hi_open and hi <= t)
    return TRUE if every else FALSE if none else UNKNOWN


def _compile_compare(rule: Compare, fact: Fact, path: str) -> Evaluator:
    key, op = fact.id, rule.op
    if fact.type in ("number", "integer"):
        if isinstance(rule.value, (bool, str)):
            raise RuleError(f"{path}.value", f"{fact.id} is a number; compare it to a number")
        if rule.unit == ULN:
            if not fact.uln:
                raise RuleError(f"{path}.unit", f"{fact.id} is not compared relative to the upper limit of normal")
            threshold = float(rule.value)

            def relative(values: Values) -> int:
                value = values.get(key)
                if not isinstance(value, Lab):
                    return UNKNOWN
                rel = value.relative()
                return UNKNOWN if rel is None else _compare_number(rel, op, threshold)

            return relative
        if rule.unit is not None:
            if fact.units is None:
                raise RuleError(f"{path}.unit", f"{fact.id} has no unit; remove 'unit'")
            try:
                threshold = fact.units.to_canonical(float(rule.value), rule.unit)
            except UnitError as exc:
                raise RuleError(f"{path}.unit", str(exc)) from exc
        else:
            threshold = float(rule.value)

        def number(values: Values) -> int:
            value = values.get(key)
            if isinstance(value, Lab):
                value = value.value
            if value is None:
                return UNKNOWN
            return _compare_number(value, op, threshold)

        return number
    if rule.unit is not None:
        raise RuleError(f"{path}.unit", f"{fact.id} is a {fact.type}; it takes no unit")
    if fact.type == "boolean":
        if not isinstance(rule.value, bool) or op not in ("eq", "ne"):
            raise RuleError(f"{path}.value", f"{fact.id} is yes/no: use op eq or ne with true or false")
        expected = rule.value if op == "eq" else not rule.value

        def boolean(values: Values) -> int:
            value = values.get(key)
            return UNKNOWN if value is None else truth(value == expected)

        return boolean
    if fact.type == "choice":
        if rule.value not in fact.choices:
            raise RuleError(f"{path}.value", f"{rule.value!r} is not a choice of {fact.id}: {', '.join(fact.choices)}")
        if op in ("eq", "ne"):
            target = str(rule.value)
            accepted = {target} if op == "eq" else set(fact.choices) - {target}
            return _choice_membership(key, frozenset(accepted))
        if not fact.ordered:
            raise RuleError(f"{path}.op", f"{fact.id} has no order; use eq, ne or in")
        position = fact.choices.index(str(rule.value))
        accepted = {c for i, c in enumerate(fact.choices) if _OPS[op](i, position)}
        return _choice_membership(key, frozenset(accepted))
    raise RuleError(f"{path}.op", f"{fact.id} is a {fact.type}; compare ops do not apply (use {_ops_for(fact)})")


def _choice_membership(key: str, accepted: frozenset[Any]) -> Evaluator:
    def member(values: Values) -> int:
        value = values.get(key)
        if value is None:
            return UNKNOWN
        if isinstance(value, OneOf):
            if value.options <= accepted:
                return TRUE
            return FALSE if not value.options & accepted else UNKNOWN
        return truth(value in accepted)

    return member


def _compile_in(rule: InSet, fact: Fact, path: str) -> Evaluator:
    if fact.type == "choice":
        wrong = [v for v in rule.values if v not in fact.choices]
        if wrong:
            raise RuleError(f"{path}.values", f"{wrong} not among the choices of {fact.id}: {', '.join(fact.choices)}")
        return _choice_membership(fact.id, frozenset(rule.values))
    if fact.type == "integer":
        if not all(isinstance(v, int) for v in rule.values):
            raise RuleError(f"{path}.values", f"{fact.id} is a whole number; list whole numbers")
        accepted = frozenset(int(v) for v in rule.values)
        key = fact.id

        def integer(values: Values) -> int:
            value = values.get(key)
            if value is None:
                return UNKNOWN
            if isinstance(value, Interval):
                span = set(range(int(value.lo), int(value.hi) + 1))
                if span <= accepted:
                    return TRUE
                return FALSE if not span & accepted else UNKNOWN
            return truth(value in accepted)

        return integer
    raise RuleError(f"{path}.op", f"'in' needs a choice or whole-number fact; {fact.id} is a {fact.type}")


def _compile_set_test(rule: Includes | Only | Exactly, fact: Fact, drugs: DrugVocabulary, path: str) -> Evaluator:
    if fact.type not in ("set", "drugs"):
        raise RuleError(f"{path}.op", f"'{rule.op}' needs a set or drug-list fact; {fact.id} is a {fact.type}")
    classes: frozenset[str] = frozenset(getattr(rule, "classes", ()))
    if fact.type == "set":
        wrong = [v for v in rule.values if v not in fact.choices]
        if wrong:
            raise RuleError(f"{path}.values", f"{wrong} not among the choices of {fact.id}: {', '.join(fact.choices)}")
        if classes:
            raise RuleError(f"{path}.classes", f"{fact.id} is not a drug list; 'classes' does not apply")
    else:
        wrong = [v for v in rule.values if v not in drugs.drugs]
        if wrong:
            raise RuleError(f"{path}.values", f"unknown drug id(s) {wrong}; see matcher/data/drugs.yaml")
        bad = [c for c in classes if c not in drugs.classes]
        if bad:
            raise RuleError(
                f"{path}.classes", f"unknown drug class(es) {bad}; accepted: {', '.join(sorted(drugs.classes))}"
            )
    key = fact.id
    targets = frozenset(rule.values)

    if isinstance(rule, Includes):
        wanted = [("v", v) for v in rule.values] + [("c", c) for c in sorted(classes)]
        if not wanted:
            raise RuleError(path, "'includes' needs values or classes")
        need_all = rule.mode == "all"

        def includes(values: Values) -> int:
            members = values.get(key)
            if not isinstance(members, Members):
                return UNKNOWN
            hits = [
                (kind == "v" and name in members.items) or (kind == "c" and name in members.classes)
                for kind, name in wanted
            ]
            if all(hits) if need_all else any(hits):
                return TRUE
            return FALSE if members.complete else UNKNOWN

        return includes

    def allowed(item: str) -> bool:
        return item in targets or bool(classes & drugs.classes_of(item)) if fact.type == "drugs" else item in targets

    def unnamed_state(item_classes: frozenset[str]) -> int:
        """Is a member known only by its classes (or not at all) one of the allowed ones?"""
        if not item_classes:
            return UNKNOWN  # an unrecognised name: nothing known about it
        if item_classes & classes:
            return TRUE  # it belongs to an allowed class
        could_be_target = any(item_classes <= drugs.classes_of(t) for t in targets) if fact.type == "drugs" else True
        return UNKNOWN if could_be_target else FALSE

    if isinstance(rule, Only):

        def only(values: Values) -> int:
            members = values.get(key)
            if not isinstance(members, Members):
                return UNKNOWN
            if not all(allowed(item) for item in members.items):
                return FALSE
            return min((unnamed_state(u) for u in members.unnamed), default=TRUE)

        return only

    def exactly(values: Values) -> int:
        members = values.get(key)
        if not isinstance(members, Members):
            return UNKNOWN
        if not members.items <= targets:
            return FALSE
        states = [unnamed_state(u) for u in members.unnamed]
        if FALSE in states:
            return FALSE
        if not members.unnamed:
            return truth(members.items == targets)
        # Each unnamed member may be a target not yet named. Members known by class are one drug
        # each, so too few of them can never match; an unrecognised name may stand for several.
        if all(members.unnamed) and len(members.items) + len(members.unnamed) < len(targets):
            return FALSE
        return UNKNOWN

    return exactly


def add_duration(day: dt.date, amount: float, unit: str, sign: int = 1) -> dt.date:
    """``day`` moved by a duration; months and years are calendar months and years (clamped to month end)."""
    if unit in ("days", "weeks"):
        return day + sign * dt.timedelta(days=amount * (7 if unit == "weeks" else 1))
    months = amount * (12 if unit == "years" else 1)
    if months != int(months):
        return day + sign * dt.timedelta(days=months * 30.4375)
    total = day.year * 12 + (day.month - 1) + sign * int(months)
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _compile_elapsed(rule: Elapsed, fact: Fact, vocabulary: Vocabulary, path: str) -> Evaluator:
    if fact.type not in ("date", "event"):
        raise RuleError(f"{path}.fact", f"'elapsed' needs a date or event fact; {fact.id} is a {fact.type}")
    until_key = None
    if rule.until is not None:
        if rule.before is not None:
            raise RuleError(f"{path}.before", "give 'until' (a date fact) or 'before' (a future event), not both")
        until = _fact(rule.until, vocabulary, f"{path}.until")
        if until.type not in ("date", "event"):
            raise RuleError(f"{path}.until", f"{until.id} is not a date")
        until_key = until.id
    key, cmp, amount, unit = fact.id, rule.cmp, rule.value, rule.unit
    future = rule.before is not None

    def at(start: Any, end: Any) -> int:
        """The comparison for one start date and one end date (NEVER: infinitely long ago)."""
        if start is NEVER or end is NEVER:
            return truth(cmp in ("gt", "ge"))  # an event that never happened is infinitely long ago
        if unit in ("days", "weeks") or amount != int(amount):
            # Whole days elapsed against the window in days: exact for fractional windows too.
            days = (end - start).days
            window = amount * {"days": 1, "weeks": 7, "months": 30.4375, "years": 365.25}[unit]
            return truth(_OPS[cmp](days, window))
        boundary = add_duration(end, amount, unit, sign=-1)
        # elapsed < N  <=>  start after (end - N);  elapsed <= N  <=>  start on or after (end - N)
        if cmp == "lt":
            return truth(start > boundary)
        if cmp == "le":
            return truth(start >= boundary)
        if cmp == "gt":
            return truth(start < boundary)
        return truth(start <= boundary)

    def elapsed(values: Values) -> int:
        start = values.get(key)
        if until_key:
            end = values.get(until_key)
        else:
            end = values.get(REFERENCE, values.get(AS_OF)) if future else values.get(AS_OF)
        if start is None or end is None:
            return UNKNOWN
        if start is STILL_GOING:
            if future:
                return UNKNOWN  # a washout counted to the first dose starts when the treatment stops: not known yet
            start = end  # still going on at the end of the span: nothing has elapsed
        # A date known only within a window: the comparison is monotone in each date, so the
        # ends of the windows decide it when they agree.
        outcomes = {at(s, e) for s in date_ends(start) for e in date_ends(end)}
        return outcomes.pop() if len(outcomes) == 1 else UNKNOWN

    return elapsed


def date_ends(value: Any) -> tuple[Any, ...]:
    """The extreme dates a date value may take (NEVER for 'never', or for 'any time before')."""
    if isinstance(value, EventWindow):
        ends: list[Any] = [value.after if value.after is not None else NEVER]
        ends.append(value.before if value.before is not None else value.after)
        if value.may_be_never:
            ends.append(NEVER)
        return tuple(ends)
    return (value,)


def _ops_for(fact: Fact) -> str:
    return {
        "set": "includes, only, exactly",
        "drugs": "includes, only, exactly",
        "date": "elapsed",
        "event": "elapsed, occurred",
    }.get(fact.type, "compare ops")


def is_partial(value: Any) -> bool:
    """True for a value known only in part (a range, a few possible choices, an incomplete set)."""
    return (
        isinstance(value, (Interval, OneOf, EventWindow))
        or value is STILL_GOING
        or (isinstance(value, Members) and not value.complete)
    )


def missing_facts(rule: Rule, values: Values) -> list[str]:
    """The facts of this rule that are unknown or only partly known."""
    return [f for f in facts_in(rule) if values.get(f) is None or is_partial(values.get(f))]


def inputs_to_ask(fact_ids: list[str], values: Values, vocabulary: Vocabulary) -> list[str]:
    """What to ask so these facts become known: derived facts traced back to their unknown inputs.

    A derived fact whose inputs are all known but which is still partial (an ECOG-derived
    Karnofsky range) is asked directly. ``treatments`` stands for the treatment history.
    """
    out: dict[str, None] = {}

    def trace(fact_id: str) -> None:
        if fact_id == TREATMENTS:
            out.setdefault(TREATMENTS)
            return
        value = values.get(fact_id)
        if value is not None and not is_partial(value):
            return
        fact = vocabulary[fact_id]
        sources = fact.derived.from_ if fact.derived else []
        unknown_sources = [s for s in sources if s == TREATMENTS or values.get(s) is None or is_partial(values.get(s))]
        if not unknown_sources:
            out.setdefault(fact_id)
            return
        for source in unknown_sources:
            trace(source)

    for fact_id in fact_ids:
        if fact_id in vocabulary:
            trace(fact_id)
    return list(out)
