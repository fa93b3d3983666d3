"""Eligibility rules as data: a small tree of comparisons, set tests and logic.

A rule never runs code from the catalogue. Each node is a pydantic model chosen by its
``op`` field, so a YAML typo gives a short, precise error instead of a silent mismatch.
What the facts mean (their units, their types) is the matcher's business; this module
only fixes the shape of a rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

FactId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="a fact id from the matcher's vocabulary")]
Comparator = Literal["eq", "ne", "lt", "le", "gt", "ge"]
DurationUnit = Literal["days", "weeks", "months", "years"]
FutureEvent = Literal["first_dose", "randomisation", "enrolment"]
MAX_DURATION = {"days": 36_525, "weeks": 5_218, "months": 1_200, "years": 100}  # a century at most

COMPARATOR_WORDS: dict[str, str] = {
    "eq": "=",
    "ne": "≠",
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
}


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # finite numbers only


class Compare(_Node):
    """``fact <op> value`` with an optional unit (``xULN`` for values relative to the upper limit of normal).

    Without a unit the value is in the fact's canonical unit.
    """

    op: Comparator
    fact: FactId
    value: StrictBool | StrictInt | StrictFloat | StrictStr
    unit: StrictStr | None = None


class InSet(_Node):
    """The fact's single value is one of ``values``."""

    op: Literal["in"]
    fact: FactId
    values: list[StrictStr | StrictInt] = Field(min_length=1)


class Includes(_Node):
    """A set-valued fact (several choices, a list of drugs) holds any (or all) of ``values``.

    For drug sets, ``classes`` names drug classes (for example ``tyrosine_kinase_inhibitor``).
    """

    op: Literal["includes"]
    fact: FactId
    values: list[StrictStr] = Field(default_factory=list)
    classes: list[StrictStr] = Field(default_factory=list)
    mode: Literal["any", "all"] = "any"


class Only(_Node):
    """Every member of a set-valued fact is one of ``values`` or belongs to one of ``classes``.

    True for an empty set; use ``all`` with an ``includes`` to also require a member.
    """

    op: Literal["only"]
    fact: FactId
    values: list[StrictStr] = Field(default_factory=list)
    classes: list[StrictStr] = Field(default_factory=list)


class Exactly(_Node):
    """A set-valued fact holds exactly ``values``, nothing more and nothing less."""

    op: Literal["exactly"]
    fact: FactId
    values: list[StrictStr] = Field(min_length=1)


class Elapsed(_Node):
    """Time from the date in ``fact`` to ``until`` (another date fact, or the assessment date) compared to a duration.

    With ``before`` the time is counted to that future event (first dose, randomisation,
    enrolment), which falls on or after the assessment date; the matcher then tells from or until
    which date the window holds.

    Months and years are calendar months and years. An event that never happened has
    an infinitely long elapsed time: ``lt``/``le`` are false, ``gt``/``ge`` true.
    """

    op: Literal["elapsed"]
    fact: FactId
    cmp: Literal["lt", "le", "gt", "ge"]
    value: Annotated[StrictInt | StrictFloat, Field(ge=0)]
    unit: DurationUnit
    until: FactId | None = None
    # The window is counted to an event still to come ("within 4 weeks before the first dose"),
    # not to the assessment date: a window that will close or open by itself gives a date, never a no.
    before: FutureEvent | None = None

    @model_validator(mode="after")
    def _plausible(self) -> Elapsed:
        most = MAX_DURATION[self.unit]
        if self.value > most:
            raise ValueError(
                f"a duration of {self.value:g} {self.unit} is not plausible; accepted: 0 to {most:g} {self.unit}"
            )
        return self


class Occurred(_Node):
    """An event fact holds a date (it happened), rather than ``never``."""

    op: Literal["occurred"]
    fact: FactId


class All(_Node):
    """Every sub-rule holds (unknown if none fails but some are unknown)."""

    op: Literal["all"]
    rules: list[Rule] = Field(min_length=1)


class AnyOf(_Node):
    """At least one sub-rule holds (unknown if none holds but some are unknown)."""

    op: Literal["any"]
    rules: list[Rule] = Field(min_length=1)


class Not(_Node):
    """The sub-rule does not hold (unknown stays unknown)."""

    op: Literal["not"]
    rule: Rule


Rule = Annotated[
    Compare | InSet | Includes | Only | Exactly | Elapsed | Occurred | All | AnyOf | Not,
    Field(discriminator="op"),
]

for _model in (All, AnyOf, Not):
    _model.model_rebuild()

LEAF_TYPES = (Compare, InSet, Includes, Only, Exactly, Elapsed, Occurred)


def leaves(rule: Rule) -> Iterator[Compare | InSet | Includes | Only | Exactly | Elapsed | Occurred]:
    """The rule's leaves (comparisons, set tests, windows), left to right, through all/any/not."""
    if isinstance(rule, (All, AnyOf)):
        for child in rule.rules:
            yield from leaves(child)
    elif isinstance(rule, Not):
        yield from leaves(rule.rule)
    else:
        yield rule


def facts_in(rule: Rule) -> list[str]:
    """Every fact id a rule reads (``until`` facts included), in order of appearance, without repeats."""
    seen: dict[str, None] = {}
    for leaf in leaves(rule):
        seen.setdefault(leaf.fact)
        if isinstance(leaf, Elapsed) and leaf.until:
            seen.setdefault(leaf.until)
    return list(seen)


def rule_key(rule: _Node) -> tuple[object, ...]:
    """A hashable key that is equal for rules written the same way (cheaper than serialising).

    Scalars carry their type, so ``1``, ``1.0`` and ``True`` never share a key.
    """
    parts: list[object] = []
    for value in rule.__dict__.values():
        if isinstance(value, list):
            parts.append(tuple(rule_key(v) if isinstance(v, _Node) else (type(v), v) for v in value))
        elif isinstance(value, _Node):
            parts.append(rule_key(value))
        else:
            parts.append((type(value), value))
    return tuple(parts)


def future_windows(rule: Rule) -> list[Elapsed]:
    """The ``elapsed`` leaves of a rule that are counted to a future event."""
    return [leaf for leaf in leaves(rule) if isinstance(leaf, Elapsed) and leaf.before is not None]
