"""The interview's own words in each locale (``questionnaires/data/messages/<locale>.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trials.i18n import DEFAULT_LOCALE, Catalog

TEXTS = Catalog(Path(__file__).parent / "data" / "messages")


def t(key: str, locale: str = DEFAULT_LOCALE, /, **values: Any) -> str:
    """An interview message in a locale."""
    return TEXTS.text(key, locale, **values)


def country_name(name: str, locale: str = DEFAULT_LOCALE) -> str:
    """A country as the locale names it ("Taiwan" -> "台灣"); names without a translation as written."""
    return TEXTS.get(f"country.{name}", locale) or name
