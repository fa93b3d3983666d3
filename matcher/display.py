"""How a known value is shown to a person: in the units they gave it, with the canonical figure beside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.facts import Fact
from matcher.values import NEVER, Interval, Lab, Members, OneOf


def number_text(value: float) -> str:
    """A number without float noise: 9.0 -> '9', 1500.0 -> '1500', 1.25 -> '1.25'."""
    return f"{value:.6g}" if abs(value) < 1e5 else f"{value:,.0f}"


def describe(fact: Fact, value: Any, given: str | None = None, names: dict[str, str] | None = None) -> str:
    """'haemoglobin (Hb) 95 g/L (9.5 g/dL)', 'ascites: none', 'last major surgery: never'."""
    return f"{fact.label} {value_text(fact, value, given, names)}"


def value_text(fact: Fact, value: Any, given: str | None = None, names: dict[str, str] | None = None) -> str:
    """The value alone, as in :func:`describe`."""
    unit = f" {fact.unit}" if fact.unit and fact.unit not in ("ratio", "years") else ""
    if isinstance(value, Interval):
        return f"between {number_text(value.lo)} and {number_text(value.hi)}{unit} (not known exactly)"
    if isinstance(value, OneOf):
        return "one of " + ", ".join(sorted(value.options)) + " (not known exactly)"
    if isinstance(value, Lab):
        parts = []
        if value.value is not None:
            parts.append(f"{number_text(value.value)}{unit}")
        relative = value.relative()
        if relative is not None:
            parts.append(f"{number_text(relative)} × ULN")
        text = " = ".join(parts)
        return _with_given(text, given)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return _with_given(f"{number_text(float(value))}{unit}", given)
    if value is NEVER:
        return "never"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Members):
        shown = [(names or {}).get(item, item).replace("_", " ") for item in sorted(value.items)]
        if len(value.unnamed):
            shown.append(f"{len(value.unnamed)} not identified")
        return ", ".join(shown) if shown else "none"
    return str(value).replace("_", " ")


def _with_given(text: str, given: str | None) -> str:
    """Show what the person wrote first when it differs from the canonical form."""
    if not given or given.replace(" ", "") == text.replace(" ", ""):
        return text
    try:
        float(given)
        return text  # a bare number was already in the canonical unit
    except ValueError:
        pass
    return f"{given} ({text})"
