"""Every word the app shows, in each locale: ``tui/locales/<locale>.yaml``.

English (``en.yaml``) is the source; ``ko``, ``zh-Hans`` and ``zh-Hant`` translate every key and
keep every ``{placeholder}`` (``trialmatch check`` and the tests compare them). The interview's
own words (questions, answer checks, reasons, verdict words in the summary) come from the
session, already in its locale; this catalogue holds the app's: titles, buttons, key names,
panel words, dialogs, card headings.

No Textual here: ``trialmatch check`` reads this catalogue without starting the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trials.i18n import DEFAULT_LOCALE, LOCALES, Catalog

TEXTS = Catalog(Path(__file__).parent / "locales")


def t(key: str, locale: str = DEFAULT_LOCALE, /, **values: Any) -> str:
    """An app text in a locale (English where a translation is missing), placeholders filled in."""
    return TEXTS.text(key, locale, **values)


def in_every_language(key: str) -> str:
    """One text in all four languages at once (the language step, before anyone has chosen)."""
    return " · ".join(dict.fromkeys(t(key, locale) for locale in LOCALES))
