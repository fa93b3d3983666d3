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


class _StillGoing:
    """The value of an event still going on (a treatment still being taken): its last day is always
    the day it is looked at, so no window counted from it closes by itself."""

    _instance: _StillGoing | None = None

    def __new__(cls) -> _StillGoing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "STILL_GOING"

    def __reduce__(self) -> str:
        return "STILL_GOING"


STILL_GOING = _StillGoing()

AS_OF = "__as_of__"  # the key under which the assessment date travels with the values
# The date a future event (first dose, randomisation, enrolment) is taken to fall on when windows
# counted to it are evaluated; absent, it is the assessment date.
REFERENCE = "__reference__"


@dataclass(frozen=True)
class Interval:
    """A number known to lie between ``lo`` and ``hi`` (included unless ``lo_open`` / ``hi_open``).

    A result at a detection limit is an interval, never a made-up number: "<20 IU/mL" is
    ``Interval(0, 20, hi_open=True)``, ">1000" is ``Interval(1000, inf, lo_open=True)``.
    """

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def of(cls, lo: float, hi: float) -> float | Interval:
        """A plain number when the bounds meet, else the interval."""
        return lo if lo == hi else cls(lo, hi)

    def scaled(self, factor: float) -> Interval:
        """The interval multiplied by a positive factor (a unit conversion, a ratio to the ULN)."""
        return Interval(self.lo * factor, self.hi * factor, self.lo_open, self.hi_open)


@dataclass(frozen=True)
class EventWindow:
    """What is known of when an event last happened, short of its date.

    The last occurrence lies between ``after`` and ``before`` (both included; ``None`` is open),
    or, when ``may_be_never``, the event may never have happened. "None in the last 3 months" is
    ``EventWindow(before=<3 months ago>, may_be_never=True)``; "more than a year ago" is
    ``EventWindow(before=<a year and a day ago>)``; "in the last month" is
    ``EventWindow(after=<a month ago>, before=<the assessment date>)``.
    """

    after: dt.date | None = None
    before: dt.date | None = None
    may_be_never: bool = False
    said: str = ""  # how it was given, for display ("none in the last 3 months")


@dataclass(frozen=True)
class OneOf:
    """A choice known to be one of ``options``."""

    options: frozenset[str]


@dataclass(frozen=True)
class Lab:
    """A lab result: its value in the canonical unit, the lab's upper limit of normal, or a ×ULN figure."""

    value: float | Interval | None = None
    uln: float | None = None
    xuln: float | None = None

    def relative(self) -> float | Interval | None:
        """The result as a multiple of the upper limit of normal, if it can be known."""
        if self.xuln is not None:
            return self.xuln
        if isinstance(self.value, Interval) and self.uln:
            return self.value.scaled(1 / self.uln)
        if isinstance(self.value, (int, float)) and self.uln:
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
