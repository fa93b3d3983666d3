"""What people type in their own language, read as the forms the answer reader knows.

"예" and "是" are yes, "모르겠어요" and "不知道" are "I don't know", "3개월 전" and "3个月前" are
"about 3 months ago", "2024년 3월 14일" and "2024年3月14日" are 2024-03-14, "72公斤" is 72 kg.
The words come from ``questionnaires/data/messages/<locale>.yaml`` (``input``); the English
words are accepted in every language. Full-width digits and punctuation are read as ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from questionnaires.texts import TEXTS
from trials.i18n import DEFAULT_LOCALE

CANONICAL = {
    "dont_know": "?",
    "yes": "yes",
    "no": "no",
    "never": "never",
    "not_applicable": "never",  # to "when did you last ...?" or "which of these?"; never to a yes/no question
    "ongoing": "ongoing",
}
UNIT_KEYS = {"days": "day", "weeks": "week", "months": "month", "years": "year"}
_DATE = re.compile(r"^(\d{4})\s*[年년./-]\s*(\d{1,2})\s*[月월./-]\s*(\d{1,2})\s*[日일]?\.?$")


def _words(text: str | None) -> list[str]:
    return [w.strip().lower() for w in (text or "").split(",") if w.strip()]


@lru_cache(maxsize=64)
def words(key: str, locale: str) -> frozenset[str]:
    """The words for ``input.<key>`` in English and in the locale (lower case)."""
    english = _words(TEXTS.texts(DEFAULT_LOCALE).get(f"input.{key}"))
    local = _words(TEXTS.texts(locale).get(f"input.{key}")) if locale != DEFAULT_LOCALE else []
    return frozenset([*english, *local])


def is_word(raw: str, key: str, locale: str) -> bool:
    """Whether the typed text is one of the words for ``key`` ("yes", "help", "quit"...)."""
    return unicodedata.normalize("NFKC", raw).strip().lower() in words(key, locale)


@lru_cache(maxsize=8)
def _ago(locale: str) -> re.Pattern[str] | None:
    """'3개월 전', '大约3个月前': (amount, unit word) in the locale's words."""
    units = {w: unit for key, unit in UNIT_KEYS.items() for w in words(key, locale)}
    before, after = words("ago_before", locale), words("ago_after", locale)
    if not units or not after:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(units, key=len, reverse=True))
    before_re = "|".join(re.escape(w) for w in sorted(before, key=len, reverse=True))
    after_re = "|".join(re.escape(w) for w in sorted(after, key=len, reverse=True))
    prefix = rf"(?:(?:{before_re})\s*)?" if before_re else ""
    return re.compile(rf"^{prefix}(\d+(?:\.\d+)?)\s*({alternatives})\s*(?:{after_re})$", re.IGNORECASE)


@lru_cache(maxsize=8)
def _units(locale: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Unit names people type ("公斤", "킬로그램") and the unit symbol they stand for."""
    pairs = []
    for entry in words("units", locale):
        name, _, unit = entry.partition("=")
        if name.strip() and unit.strip():
            pairs.append((name.strip(), unit.strip()))
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple((re.compile(rf"(?<=\d)\s*{re.escape(name)}\b", re.IGNORECASE), f" {unit}") for name, unit in pairs)


@lru_cache(maxsize=8)
def _pairs(key: str, locale: str) -> tuple[tuple[str, str], ...]:
    """``input.<key>`` as "words = replacement" pairs, longest words first."""
    pairs = []
    for entry in words(key, locale):
        name, _, replacement = entry.partition("=")
        if name.strip() and replacement.strip():
            pairs.append((name.strip(), replacement.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _phrases(text: str, locale: str) -> str:
    """Everyday forms in the forms the reader knows: 한 달 → 1달, 半年 → 6个月, 상한/上限 → upper limit."""
    for name, replacement in _pairs("phrases", locale):
        text = re.sub(re.escape(name), f" {replacement} ", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()


def _era_date(text: str, locale: str) -> str | None:
    """A date counted in an era (民國 114/03/14 is 2025-03-14): ``input.era`` gives its name and offset.
    Without the name only a 3-digit year is read so (114/03/14); 24.3.14 is not a date of 1935."""
    for name, offset in _pairs("era", locale):
        match = re.match(
            rf"^({re.escape(name)})?\s*(\d{{2,3}})\s*[年/.-]\s*(\d{{1,2}})\s*[月/.-]\s*(\d{{1,2}})\s*日?$", text
        )
        if match and (match.group(1) or len(match.group(2)) == 3):
            year, month, day = (int(part) for part in match.groups()[1:])
            return f"{year + int(offset):04d}-{month:02d}-{day:02d}"
    return None


def _counted(text: str, locale: str) -> str | None:
    """A number with the counter word people add (2개, 6번, 6次, 2處): the number."""
    counters = sorted(words("counters", locale), key=len, reverse=True)
    if not counters:
        return None
    match = re.match(rf"^(\d+)\s*(?:{'|'.join(re.escape(c) for c in counters)})$", text, re.IGNORECASE)
    return match.group(1) if match else None


def normalise(raw: str, locale: str) -> str:
    """The typed text in the forms the answer reader knows (English words, ISO dates, unit symbols)."""
    if locale == DEFAULT_LOCALE:
        return raw
    text = unicodedata.normalize("NFKC", raw).strip()
    lowered = text.lower()
    for key, canonical in CANONICAL.items():
        if lowered in words(key, locale):
            return canonical
    text = _phrases(text, locale).strip()
    for prefix in words("number_prefix", locale):  # 만 64세: the age as Koreans count it, in full years
        if text.startswith(prefix) and text[len(prefix) :].strip()[:1].isdigit():
            text = text[len(prefix) :].strip()
    date = _DATE.match(text)
    if date:
        year, month, day = (int(part) for part in date.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    era = _era_date(text, locale)
    if era:
        return era
    counted = _counted(text, locale)
    if counted is not None:
        return counted
    ago = _ago(locale)
    match = ago.match(text) if ago else None
    if match:
        units = {w: unit for key, unit in UNIT_KEYS.items() for w in words(key, locale)}
        return f"about {match.group(1)} {units[match.group(2).lower()]}s ago"
    span = _time_span(text, locale)
    if span is not None:
        return span
    for pattern, unit in _units(locale):
        text = pattern.sub(unit, text)
    return text


def _alternatives(key: str, locale: str) -> str:
    return "|".join(re.escape(w) for w in sorted(words(key, locale), key=len, reverse=True))


@lru_cache(maxsize=8)
def _spans(locale: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    """'최근 6개월 동안 없음' / '近6个月没有' (none within), '超过1年前' and '1년 이상 전' (more than ... ago)."""
    units = _alternatives("days", locale), _alternatives("weeks", locale), _alternatives("months", locale)
    unit = "|".join([*units, _alternatives("years", locale)])
    if not unit or not words("none_within_after", locale):
        return None
    amount = rf"(\d+(?:\.\d+)?)\s*({unit})"
    none_within = re.compile(
        rf"^(?:(?:{_alternatives('none_within_before', locale)})\s*)?{amount}\s*(?:{_alternatives('none_within_after', locale)})$",
        re.IGNORECASE,
    )
    more_before = re.compile(
        rf"^(?:{_alternatives('more_than_before', locale)})\s*{amount}\s*(?:{_alternatives('ago_after', locale)})?$",
        re.IGNORECASE,
    )
    more_after = re.compile(rf"^{amount}\s*(?:{_alternatives('more_than_after', locale)})$", re.IGNORECASE)
    return none_within, more_before, more_after


def _time_span(text: str, locale: str) -> str | None:
    """A time span typed in the locale's words, as the English form the matcher reads."""
    patterns = _spans(locale)
    if patterns is None:
        return None
    none_within, more_before, more_after = patterns
    units = {w: unit for key, unit in UNIT_KEYS.items() for w in words(key, locale)}
    match = none_within.match(text)
    if match:
        return f"none in the last {match.group(1)} {units[match.group(2).lower()]}s"
    match = more_before.match(text)
    if match and words("more_than_before", locale):
        return f"more than {match.group(1)} {units[match.group(2).lower()]}s ago"
    match = more_after.match(text)  # reached only when it is not "about 3 months ago" (read first)
    if match:
        return f"more than {match.group(1)} {units[match.group(2).lower()]}s ago"
    return None
