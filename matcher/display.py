"""How a known value is shown to a person: in the units they gave it, with the canonical figure beside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.facts import Fact
from matcher.locale import choice_label, fact_label, t
from matcher.values import NEVER, STILL_GOING, EventWindow, Interval, Lab, Members, OneOf
from trials.i18n import DEFAULT_LOCALE, format_date


def number_text(value: float) -> str:
    """A number without float noise: 9.0 -> '9', 1500.0 -> '1500', 1.25 -> '1.25'."""
    return f"{value:.6g}" if abs(value) < 1e5 else f"{value:,.0f}"


def describe(
    fact: Fact,
    value: Any,
    given: str | None = None,
    names: dict[str, str] | None = None,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """'haemoglobin (Hb) 95 g/L (9.5 g/dL)', 'ascites: none', 'last major surgery: never'."""
    return t(
        "value.described", locale, label=fact_label(fact, locale), value=value_text(fact, value, given, names, locale)
    )


def value_text(
    fact: Fact,
    value: Any,
    given: str | None = None,
    names: dict[str, str] | None = None,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """The value alone, as in :func:`describe`."""
    unit = f" {fact.unit}" if fact.unit and fact.unit not in ("ratio", "years") else ""
    separator = t("reason.list_separator", locale)
    if isinstance(value, Interval):
        return _with_given(interval_text(value, unit, locale), given, locale)
    if isinstance(value, EventWindow):
        return _with_given(window_text(value, locale), given or value.said or None, locale)
    if isinstance(value, OneOf):
        options = separator.join(choice_label(fact.id, o, locale) for o in sorted(value.options))
        return t("value.one_of", locale, options=options)
    if isinstance(value, Lab):
        parts = []
        if isinstance(value.value, Interval):
            parts.append(interval_text(value.value, unit, locale))
        elif value.value is not None:
            parts.append(f"{number_text(value.value)}{unit}")
        relative = value.relative()
        if isinstance(relative, Interval):
            parts.append(interval_text(relative, " × ULN", locale))
        elif relative is not None:
            parts.append(t("value.uln", locale, value=number_text(relative)))
        text = " = ".join(parts)
        return _with_given(text, given, locale)
    if isinstance(value, bool):
        return t("value.yes" if value else "value.no", locale)
    if isinstance(value, (int, float)):
        return _with_given(f"{number_text(float(value))}{unit}", given, locale)
    if value is NEVER:
        return t("value.never", locale)
    if value is STILL_GOING:
        return t("value.still_going", locale)
    if isinstance(value, dt.date):
        return format_date(value, locale)
    if isinstance(value, Members):
        shown = [(names or {}).get(item) or choice_label(fact.id, item, locale) for item in sorted(value.items)]
        if len(value.unnamed):
            shown.append(t("value.not_identified", locale, count=len(value.unnamed)))
        return separator.join(shown) if shown else t("value.none", locale)
    if isinstance(value, str):
        return choice_label(fact.id, value, locale)
    return str(value).replace("_", " ")


def _with_given(text: str, given: str | None, locale: str = DEFAULT_LOCALE) -> str:
    """Show what the person wrote first when it differs from the canonical form."""
    if not given or given.replace(" ", "") == text.replace(" ", ""):
        return text
    try:
        float(given)
        return text  # a bare number was already in the canonical unit
    except ValueError:
        pass
    return t("value.given", locale, given=given, value=text)


def interval_text(value: Interval, unit: str, locale: str = DEFAULT_LOCALE) -> str:
    """'below 20 IU/mL' (a detection limit), 'more than 1000', 'between 70 and 80 (not known exactly)'."""
    if value.hi == float("inf"):
        key = "value.above" if value.lo_open else "value.at_least"
        return t(key, locale, value=number_text(value.lo), unit=unit)
    if value.lo == 0 and not value.lo_open:
        key = "value.below" if value.hi_open else "value.at_most"
        return t(key, locale, value=number_text(value.hi), unit=unit)
    return t("value.between", locale, lo=number_text(value.lo), hi=number_text(value.hi), unit=unit)


def window_text(value: EventWindow, locale: str = DEFAULT_LOCALE) -> str:
    """'never, or on or before 2026-08-22', 'between 2026-10-22 and 2026-11-22', 'on or before 2025-11-21'."""
    if value.after is not None and value.before is not None:
        text = t(
            "value.window_between",
            locale,
            after=format_date(value.after, locale),
            before=format_date(value.before, locale),
        )
    elif value.before is not None:
        text = t("value.window_before", locale, date=format_date(value.before, locale))
    else:
        text = t("value.window_after", locale, date=format_date(value.after or dt.date.min, locale))
    return t("value.or_never", locale, value=text) if value.may_be_never else text
