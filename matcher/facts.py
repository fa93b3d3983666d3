"""The fact vocabulary: what a rule may ask about a patient, with its type, unit and range.

The facts themselves are data (``matcher/data/facts.yaml``); this module gives them a
pydantic shape and checks they agree with the unit sets.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

from matcher.units import UnitSet, load_unit_sets
from trials.rules import Rule, facts_in
from trials.yaml_text import load_yaml

FACTS_FILE = Path(__file__).parent / "data" / "facts.yaml"

FactType = Literal["number", "integer", "boolean", "choice", "set", "date", "event", "drugs"]
TREATMENTS = "treatments"  # the treatment history: an input, not a fact of its own


class Derivation(BaseModel):
    """How a derived fact is computed when it is not given directly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    from_: list[str] = Field(alias="from", min_length=1)
    how: str


class Implication(BaseModel):
    """An answer implied by others: when ``when`` holds, the fact has ``value`` (unless given).

    ``value`` is written as a profile would write it (``false``, ``never``, ``none``, a choice);
    ``below`` says a number is known only to be below a figure (never a made-up number).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: Rule
    value: StrictBool | StrictInt | StrictFloat | StrictStr | None = None
    below: StrictInt | StrictFloat | None = None  # for numbers: known only to be below this, in the canonical unit
    why: str

    @model_validator(mode="after")
    def _one_value(self) -> Implication:
        if (self.value is None) == (self.below is None):
            raise ValueError("an implied answer has exactly one of 'value' or 'below'")
        return self


class Fact(BaseModel):
    """One thing we may know about a patient."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FactType
    label: str
    plain: str
    group: str
    unit_set: str | None = None
    range: tuple[float, float] | None = None
    uln: bool = False
    choices: list[str] = Field(default_factory=list)
    ordered: bool = False
    derived: Derivation | None = None
    implied: list[Implication] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.type == "number" and not self.unit_set:
            raise ValueError(f"number fact {self.id!r} needs a unit_set")
        if self.type != "number" and (self.unit_set or self.uln):
            raise ValueError(f"only number facts have a unit_set or uln ({self.id!r})")
        if self.type in ("choice", "set") and not self.choices:
            raise ValueError(f"{self.type} fact {self.id!r} needs choices")
        if self.ordered and self.type != "choice":
            raise ValueError(f"only choice facts can be ordered ({self.id!r})")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range of {self.id!r} is reversed")
        return self

    @cached_property
    def unit(self) -> str | None:
        """The canonical unit, for number facts."""
        return load_unit_sets()[self.unit_set].canonical if self.unit_set else None

    @cached_property
    def units(self) -> UnitSet | None:
        """Every unit this fact may be given in."""
        return load_unit_sets()[self.unit_set] if self.unit_set else None


class Vocabulary:
    """All facts by id, read once from YAML."""

    def __init__(self, facts: list[Fact]) -> None:
        self.facts: dict[str, Fact] = {}
        unit_sets = load_unit_sets()
        for fact in facts:
            if fact.id in self.facts:
                raise ValueError(f"fact {fact.id!r} is defined twice")
            if fact.unit_set and fact.unit_set not in unit_sets:
                raise ValueError(f"fact {fact.id!r} names unknown unit_set {fact.unit_set!r}")
            self.facts[fact.id] = fact
        for fact in facts:
            for source in fact.derived.from_ if fact.derived else []:
                if source != TREATMENTS and source not in self.facts:
                    raise ValueError(f"derived fact {fact.id!r} is computed from unknown fact {source!r}")
            for implication in fact.implied:
                for source in facts_in(implication.when):
                    if source not in self.facts or source == fact.id:
                        raise ValueError(f"fact {fact.id!r} is implied by unknown (or its own) fact {source!r}")

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self.facts

    def __getitem__(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.facts.values())

    def __len__(self) -> int:
        return len(self.facts)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = FACTS_FILE) -> Vocabulary:
    """The fact vocabulary, read and checked once."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return Vocabulary([Fact.model_validate(item) for item in raw["facts"]])
