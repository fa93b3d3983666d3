"""The shapes a known fact can take once a profile is read.

A fact that is not known is simply absent. Partly known values are explicit, so that
they can still decide a rule when every possibility agrees:

- :class:`Interval` for a number known only within bounds (a Child-Pugh score with one part
  missing, a Karnofsky score read from ECOG);
- :class:`OneOf` for a choice known only to be one of a few (Child-Pugh class from such a score);
- :class:`Members` for a set that may be incomplete (a treatment history with a drug name we
  could not recognise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class _Never:
    """The value of an event that never happened."""

    _instance: _Never | None = None

    def __new__(cls) -> _Never:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NEVER"

    def __reduce__(self) -> str:
        return "NEVER"


NEVER = _Never()

AS_OF = "__as_of__"  # the key under which the assessment date travels with the values


@dataclass(frozen=True)
class Interval:
    """A number known to lie between ``lo`` and ``hi`` (both included)."""

    lo: float
    hi: float

    @classmethod
    def of(cls, lo: float, hi: float) -> float | Interval:
        """A plain number when the bounds meet, else the interval."""
        return lo if lo == hi else cls(lo, hi)


@dataclass(frozen=True)
class OneOf:
    """A choice known to be one of ``options``."""

    options: frozenset[str]


@dataclass(frozen=True)
class Lab:
    """A lab result: its value in the canonical unit, the lab's upper limit of normal, or a ×ULN figure."""

    value: float | None = None
    uln: float | None = None
    xuln: float | None = None

    def relative(self) -> float | None:
        """The result as a multiple of the upper limit of normal, if it can be known."""
        if self.xuln is not None:
            return self.xuln
        if self.value is not None and self.uln:
            return float(f"{self.value / self.uln:.10g}")
        return None


@dataclass(frozen=True)
class Members:
    """The members of a set-valued fact.

    ``complete`` is False when some member could not be identified (an unrecognised drug
    name); ``unnamed`` then holds, for each member known only by its classes, those classes.
    ``classes`` is the union of the classes of every member, named or not.
    """

    items: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    complete: bool = True
    unnamed: tuple[frozenset[str], ...] = field(default=())


DateValue = dt.date
