"""Unit conversion for what labs really report (g/L and g/dL, µmol/L and mg/dL, ×10⁹/L and /µL...).

Conversion factors live in ``matcher/data/units.yaml``. Values are rounded to ten
significant digits after conversion so that a threshold met on paper (albumin 28 g/L =
2.8 g/dL) is met in floating point too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trials.yaml_text import load_yaml

UNITS_FILE = Path(__file__).parent / "data" / "units.yaml"
ULN = "xULN"  # the pseudo-unit of values given relative to the upper limit of normal

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


class UnitError(ValueError):
    """A unit that does not fit a measurement; the message lists what is accepted."""


class UnitSet(BaseModel):
    """The units one kind of measurement can be reported in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    canonical: str
    factors: dict[str, float] = Field(min_length=1)

    @field_validator("factors", mode="before")
    @classmethod
    def _exact_divisions(cls, factors: dict[str, object]) -> dict[str, object]:
        """Accept "1/17.1" so a factor is exactly the reciprocal the lab guides give."""
        out: dict[str, object] = {}
        for name, factor in factors.items():
            if isinstance(factor, str) and re.fullmatch(r"\s*1\s*/\s*[0-9.]+\s*", factor):
                out[name] = 1 / float(factor.split("/")[1])
            else:
                out[name] = factor
        return out

    aliases: dict[str, list[str]] = Field(default_factory=dict)

    def accepted(self) -> list[str]:
        """The unit names to show a person, canonical first."""
        return list(self.factors)

    def lookup(self, unit: str) -> str | None:
        """The unit's proper name if ``unit`` is one of this set's units or aliases."""
        wanted = normalise_unit(unit)
        for name in self.factors:
            if normalise_unit(name) == wanted:
                return name
        for name, aliases in self.aliases.items():
            if any(normalise_unit(alias) == wanted for alias in aliases):
                return name
        return None

    def to_canonical(self, value: float, unit: str | None) -> float:
        """``value`` (in ``unit``, or already canonical when ``unit`` is None) in the canonical unit."""
        if unit is None:
            return float(value)
        name = self.lookup(unit)
        if name is None:
            raise UnitError(f"unit {unit!r} is not accepted here; use one of: {', '.join(self.accepted())}")
        return clinical_round(value * self.factors[name])


def normalise_unit(unit: str) -> str:
    """A comparable spelling of a unit: lower case, no spaces, micro signs as 'u', no leading ×."""
    text = unit.strip().translate(_SUPERSCRIPTS).lower()
    text = text.replace("μ", "u").replace("µ", "u").replace("^", "").replace(" ", "")
    text = re.sub(r"^[x×*]", "", text)
    return text


def clinical_round(value: float) -> float:
    """Round to ten significant digits: removes binary noise, keeps every clinical digit."""
    return float(f"{value:.10g}")


@lru_cache(maxsize=4)
def load_unit_sets(path: Path = UNITS_FILE) -> dict[str, UnitSet]:
    """The unit sets by name, read once."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    return {name: UnitSet.model_validate(spec) for name, spec in raw["unit_sets"].items()}
