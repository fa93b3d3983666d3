"""The languages a patient can read the app in, the shared medical glossary, and message catalogues.

Everything a patient reads exists in English and in each other locale, as YAML next to what it
translates (``<folder>/locales/<locale>.yaml`` or ``trials/catalogue/locales/<locale>/``). Each
language has one medical glossary (``trials/glossary/<locale>.yaml``): a term is always rendered
the same way, and drug names as known locally (also accepted when typed). Criterion quotes are
never translated: they stay as the registry wrote them.

This module sits in the lowest layer because every layer has text to translate.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from trials.yaml_text import load_yaml

LOCALES: tuple[str, ...] = ("en", "ko", "zh-Hans", "zh-Hant")
DEFAULT_LOCALE = "en"
LOCALE_NAMES: dict[str, str] = {"en": "English", "ko": "한국어", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}
LANG_ENV = "TRIALMATCH_LANG"
GLOSSARY_DIR = Path(__file__).parent / "glossary"
# What people and systems write for each locale (``--lang``, LANG=ko_KR.UTF-8, browser tags).
_ALIASES = {
    "en": "en",
    "english": "en",
    "ko": "ko",
    "kr": "ko",
    "korean": "ko",
    "zh-hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh": "zh-Hans",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
}


class LocaleError(ValueError):
    """A language code that is not one of ours."""


def resolve_locale(value: str) -> str:
    """The locale for a code such as ``ko``, ``ko_KR.UTF-8``, ``zh-TW`` or ``zh-Hant``."""
    code = value.strip().split(".")[0].replace("_", "-").lower()
    if code in _ALIASES:
        return _ALIASES[code]
    parts = code.split("-")
    for size in (2, 1):
        if "-".join(parts[:size]) in _ALIASES:
            return _ALIASES["-".join(parts[:size])]
    accepted = ", ".join(LOCALES)
    raise LocaleError(f"language {value!r} is not available; choose one of {accepted}")


# --- the glossary ------------------------------------------------------------------------------


class Glossary(BaseModel):
    """One language's medical terms, each rendered one way, and drug names as known locally."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    locale: StrictStr
    terms: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    drugs: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)

    def drug_name(self, drug_id: str) -> str | None:
        """The local name shown for a drug (the first listed), if there is one."""
        names = self.drugs.get(drug_id)
        return names[0] if names else None

    def misses(self, english: str, translated: str) -> list[str]:
        """Glossary terms the English text uses that the translation does not render the glossary's way."""
        out = []
        for term, rendering in self.terms.items():
            if _has_word(english, term) and rendering not in translated:
                out.append(f"{term!r} should be rendered {rendering!r}")
        for drug_id, names in self.drugs.items():
            generic = drug_id.replace("_", " ")
            if names and _has_word(english, generic) and names[0] not in translated:
                out.append(f"{generic!r} should be rendered {names[0]!r}")
        return out


def _has_word(text: str, term: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE) is not None


@cache
def load_glossary(locale: str) -> Glossary:
    """The glossary of a locale (English has an empty one)."""
    path = GLOSSARY_DIR / f"{locale}.yaml"
    if locale == DEFAULT_LOCALE or not path.exists():
        return Glossary(locale=locale)
    return Glossary.model_validate(load_yaml(path.read_text(encoding="utf-8")))


# --- message catalogues ------------------------------------------------------------------------


class Catalog:
    """A layer's texts: ``<folder>/<locale>.yaml``, nested mappings of texts with ``{placeholders}``.

    Keys are the dotted paths of the mappings (``verdict.eligible``). English is the source: a key
    missing in another locale falls back to English (``trialmatch check`` reports it).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._texts: dict[str, dict[str, str]] = {}

    def texts(self, locale: str) -> dict[str, str]:
        """Every text of a locale by dotted key (empty when the locale has no file)."""
        if locale not in self._texts:
            data = load_locale_file(self.folder / f"{locale}.yaml")
            data.pop("locale", None)
            self._texts[locale] = flatten(data)
        return self._texts[locale]

    def get(self, key: str, locale: str) -> str | None:
        """The text in a locale, else in English, else None."""
        text = self.texts(locale).get(key)
        return text if text is not None else self.texts(DEFAULT_LOCALE).get(key)

    def text(self, key: str, locale: str = DEFAULT_LOCALE, /, **values: Any) -> str:
        """The message in a locale with its placeholders filled in (a missing English key is a bug: KeyError)."""
        template = self.get(key, locale)
        if template is None:
            raise KeyError(f"no English text {key!r} in {self.folder}")
        return template.format(**values) if values else template


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested mappings as {dotted.key: text}."""
    out: dict[str, str] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            out.update(flatten(value, path))
        else:
            out[path] = str(value)
    return out


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text fills in."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def numbers(text: str) -> set[str]:
    """The figures a text states (a translation must state every figure of its source)."""
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}


def compare(english: Mapping[str, str], translated: Mapping[str, str], locale: str, where: str) -> list[str]:
    """What is wrong with one translated text set against its English: missing or extra keys,
    placeholders that differ, figures left out, glossary terms rendered another way."""
    glossary = load_glossary(locale)
    problems = []
    for key, source in english.items():
        if key not in translated or not str(translated[key]).strip():
            problems.append(f"{where}: {key}: no {locale} translation")
            continue
        text = str(translated[key])
        if placeholders(text) != placeholders(source):
            problems.append(
                f"{where}: {key}: placeholders {sorted(placeholders(text))} differ from English {sorted(placeholders(source))}"
            )
        lost = numbers(source) - numbers(text)
        if lost:
            problems.append(f"{where}: {key}: figures {sorted(lost)} of the English are missing")
        words_only = re.sub(r"\{[^{}]*\}", "", source)  # a placeholder's name ({uln}) is not a term
        problems += [f"{where}: {key}: {miss}" for miss in glossary.misses(words_only, text)]
    problems += [f"{where}: {key}: not in the English (remove it)" for key in translated if key not in english]
    return problems


def catalog_problems(catalog: Catalog, english: Mapping[str, str] | None = None) -> list[str]:
    """Every locale of a catalogue against its English (``english`` adds texts kept elsewhere, such as fact labels)."""
    source = {**catalog.texts(DEFAULT_LOCALE), **(english or {})}
    out: list[str] = []
    for locale in LOCALES[1:]:
        try:
            translated = catalog.texts(locale)
        except LocaleFileError as exc:
            out.append(str(exc))
            continue
        out += compare(source, translated, locale, str(catalog.folder / f"{locale}.yaml"))
    return out


def load_locale_file(path: Path) -> dict[str, Any]:
    """A translation file's mapping ({} when it does not exist); a broken file names itself."""
    if not path.exists():
        return {}
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except Exception as exc:  # yaml errors carry a line mark
        raise LocaleFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise LocaleFileError(f"{path}: must be a mapping")
    return data


class LocaleFileError(ValueError):
    """A translation file that cannot be read."""


def validation_message(path: Path, exc: ValidationError) -> str:
    """A pydantic error in a translation file, as file: field: problem lines."""
    lines = [f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return "\n".join(lines)


# --- numbers and dates as each locale writes them ----------------------------------------------


_MONTHS = "January February March April May June July August September October November December".split()


def format_month(day: dt.date, locale: str) -> str:
    """A month as the locale writes it: June 2023, 2023년 6월, 2023年6月."""
    if locale == "ko":
        return f"{day.year}년 {day.month}월"
    if locale in ("zh-Hans", "zh-Hant"):
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS[day.month - 1]} {day.year}"


def format_date(day: dt.date, locale: str) -> str:
    """A date as the locale writes it: 2026-11-22, 2026년 11월 22일, 2026年11月22日."""
    if locale == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    if locale in ("zh-Hans", "zh-Hant"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()
