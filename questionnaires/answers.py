"""Reading what a person types into a question: numbers with units, dates or "about 3 months ago",
choices by number or name, drug names. Bad input raises :class:`AnswerError` with a message that
says what is accepted; nothing already answered is touched.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from matcher.drugs import DrugVocabulary
from matcher.facts import Fact
from matcher.locale import drug_names, fact_label, unit_word
from matcher.locale import t as mt
from matcher.profile import NEVER_WORDS, read_value
from matcher.values import NEVER, Members
from questionnaires.bank import Mode, Question
from questionnaires.replies import UnclearReply, read_yes_no
from questionnaires.texts import TEXTS, t
from questionnaires.treatment import ONGOING, SLOTS, RegimenAnswer, Slot
from questionnaires.typed_words import is_word, normalise
from trials.i18n import DEFAULT_LOCALE, format_date, load_glossary

_AGO = re.compile(
    r"^(?:about\s+|around\s+|roughly\s+)?(\d+(?:\.\d+)?|an?|one)\s*(day|week|month|year)s?\s+ago$", re.IGNORECASE
)
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
# A count printed in scientific notation (HBV DNA "5.32E+04 IU/mL", "5.32×10^4"); not a unit such as "×10^9/L".
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SCIENTIFIC = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:[eE]\s*\+?\s*(\d+)|[x×*]\s*10\s*(?:\^|\*\*)\s*(\d+)|[x×*]\s*10([⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    r"(?![\d⁰¹²³⁴⁵⁶⁷⁸⁹]|\s*/)"
)


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what is accepted, in the asking mode's words."""


@dataclass(frozen=True)
class Parsed:
    """A usable answer: its value, how to show it back, and a question to confirm it, if any."""

    value: Any
    shown: str
    confirm: str | None = None  # "Did you mean lenvatinib (Lenvima)?"


def is_dont_know(raw: str, locale: str = DEFAULT_LOCALE) -> bool:
    """True for "I don't know" in its usual spellings (and an explicit "?"), typographic apostrophes too."""
    return is_word(raw.replace("\u2019", "'").replace("`", "'"), "dont_know", locale)


def parse_answer(
    question: Question,
    fact: Fact | None,
    raw: str,
    mode: Mode,
    as_of: dt.date,
    drugs: DrugVocabulary,
    locale: str = DEFAULT_LOCALE,
) -> Parsed:
    """Read one typed answer for a question (a fact's, or a treatment-history slot's).

    In another locale the typed words are first read as the English forms (``typed_words``), and
    messages and the answer shown back are in that locale."""
    typed = raw.strip()
    text = normalise(_plain_number(typed) if fact is not None and fact.type == "number" else typed, locale).strip()
    if not text:
        raise AnswerError(t("answers.empty", locale))
    if fact is None:
        return _parse_slot(question, SLOTS[question.fact], text, mode, as_of, drugs, locale, typed)
    if fact.type == "boolean":  # read by what the reply means for this question (questionnaires/replies.py)
        value = _yes_no(question, typed, locale)
        return Parsed(value, mt("value.yes" if value else "value.no", locale))
    if question.answerOption and fact.type in ("choice", "integer", "boolean"):
        # The option as typed (its label in this language), else as read; "none"/"no" picks a "none" option.
        code = _option_code(question, typed, mode) or _option_code(question, text, mode)
        if code is None and text.lower() in NEVER_WORDS and any(o.code == "none" for o in question.answerOption):
            code = "none"
        if code is not None:
            text = code
        elif fact.type in ("choice", "integer"):
            # only the listed answers: Karnofsky 75 is not a point of its scale
            raise AnswerError(t("answers.choose_one", locale, options="; ".join(_numbered(question, mode))))
    if fact.type == "number" and _needs_unit(fact, text):
        units = [unit_word(u, locale) for u in fact.units.accepted()] if fact.units else []
        extra = t("answers.or_uln", locale) if fact.uln else ""
        raise AnswerError(t("answers.which_unit", locale, value=text.strip(), units=", ".join(units), uln=extra))
    if fact.type == "set":
        return _parse_set(question, fact, text, mode, locale)
    if fact.type in ("date", "event"):
        text = _ago_to_date(text, as_of) or text
    notes: list[str] = []
    try:
        value = read_value(fact, text, as_of, drugs, notes)
    except ValueError as exc:
        raise AnswerError(_reword(str(exc), fact, typed, locale)) from exc
    if fact.type == "drugs":
        if text.lower() in NEVER_WORDS:
            return Parsed(value, mt("value.none", locale))
        return _drug_answer(value, text, notes, drugs, locale)
    return Parsed(value, shown_answer(question, fact, value, typed, mode, locale))  # as typed, not as read


def _plain_number(typed: str) -> str:
    """ "5.32E+04 IU/mL" as "53200 IU/mL", as lab reports print a viral load."""

    def plain(match: re.Match[str]) -> str:
        exponent = next(g for g in match.groups()[1:] if g is not None).translate(_SUPERSCRIPTS)
        value = Decimal(match.group(1)).scaleb(int(exponent))
        return f"{value.normalize():f}"

    return _SCIENTIFIC.sub(plain, typed)


def _yes_no(question: Question, typed: str, locale: str) -> bool:
    try:
        return read_yes_no(question, typed, locale)
    except UnclearReply as exc:
        raise AnswerError(str(exc)) from None


def _numbered(question: Question, mode: Mode) -> list[str]:
    """The options as they are shown: '1. None', ... (or the scale point for numeric codes)."""
    numeric = _codes_are_numbers(question)
    return [
        f"{option.code if numeric else index}. {question.option_label(option.code, mode)}"
        for index, option in enumerate(question.answerOption, 1)
    ]


def _needs_unit(fact: Fact, text: str) -> bool:
    """A bare number for a measurement labs report in several units is ambiguous: ask for the unit."""
    if fact.units is None or (len(fact.units.accepted()) < 2 and not fact.uln):
        return False
    return re.fullmatch(r"\s*[-+]?\d+(?:[.,]\d+)*\s*", text) is not None


def _option_code(question: Question, text: str, mode: Mode) -> str | None:
    """An answer option chosen by its number in the list, its code or its label."""
    lowered = text.lower()
    if _small_number(lowered) and 1 <= int(lowered) <= len(question.answerOption) and not _codes_are_numbers(question):
        return question.answerOption[int(lowered) - 1].code
    for option in question.answerOption:
        if lowered in (option.code.lower(), option.patient.lower(), option.nurse.lower()):
            return option.code
    # a part of one option's label only: 미량 or ± of "미량(±, trace)", 弱阳性 of "微量/弱阳性（±）"
    hits = {o.code for o in question.answerOption for label in (o.patient, o.nurse) if lowered in _label_parts(label)}
    return hits.pop() if len(hits) == 1 else None


def _label_parts(label: str) -> set[str]:
    return {part.strip().lower() for part in re.split(r"[()（）/,，、;；]", label) if part.strip()}


def _small_number(text: str) -> bool:
    """Digits int() reads ('²' is a digit it does not), few enough to be a choice or a count."""
    return text.isdecimal() and len(text) <= 6


def _codes_are_numbers(question: Question) -> bool:
    return all(o.code.lstrip("-").isdigit() for o in question.answerOption)


def _parse_set(question: Question, fact: Fact, text: str, mode: Mode, locale: str) -> Parsed:
    if text.lower() in NEVER_WORDS or is_word(text, "never", locale):
        value = read_value(fact, [], dt.date.today(), _NO_DRUGS, [])
        return Parsed(value, set_shown(question, value, mode, locale))
    codes = []
    for option in question.answerOption:  # a whole label, commas and all: "조영제를 쓴 영상검사(CT, MRI 또는 PET-CT)"
        for label in {unicodedata.normalize("NFKC", label) for label in (option.patient, option.nurse)}:
            if ("," in label or "、" in label) and label.lower() in text.lower():
                codes.append(option.code)
                text = re.sub(re.escape(label), " ", text, flags=re.IGNORECASE)
    for part in re.split(r"[,;、，]|\band\b", text):
        part = part.strip()
        if not part:
            continue
        code = _option_code(question, part, mode) if question.answerOption else None
        if code is None and part.lower() not in (c.lower() for c in fact.choices):
            accepted = ", ".join(f"{i}. {question.option_label(c, mode)}" for i, c in enumerate(fact.choices, 1))
            raise AnswerError(t("answers.not_in_set", locale, part=part, options=accepted))
        codes.append(code or part.lower())
    value = read_value(fact, codes, dt.date.today(), _NO_DRUGS, [])
    return Parsed(value, set_shown(question, value, mode, locale))


def set_shown(question: Question, value: Members, mode: Mode, locale: str) -> str:
    """Ticked answers as shown back: their labels, or "none"."""
    return ", ".join(question.option_label(c, mode) for c in sorted(value.items)) or mt("value.none", locale)


class _NoDrugs:  # set facts never read drug names
    def recognise(self, text: str) -> Any:  # pragma: no cover - never called for set facts
        raise AssertionError


_NO_DRUGS: Any = _NoDrugs()


def _ago_to_date(text: str, as_of: dt.date) -> str | None:
    """'about 3 months ago' as a date, counted back from the assessment date."""
    match = _AGO.match(text.strip())
    if not match:
        return None
    amount = match.group(1).lower()
    days = (1.0 if amount in ("a", "an", "one") else float(amount)) * _UNIT_DAYS[match.group(2).lower()]
    try:
        return (as_of - dt.timedelta(days=round(days))).isoformat()
    except (OverflowError, ValueError):
        return None  # "5000 years ago": not a date, so the answer is refused as one, and asked again


def _drug_answer(value: Any, text: str, notes: list[str], drugs: DrugVocabulary, locale: str) -> Parsed:
    recognition = drugs.recognise(text)
    local = drug_names(drugs, locale)
    names = [local[d] for d in recognition.drug_ids]
    shown = ", ".join(names) if names else mt("value.none", locale)
    confirm = _confirmation(recognition, drugs, locale)
    return Parsed(value, shown, confirm)


def _confirmation(recognition: Any, drugs: DrugVocabulary, locale: str) -> str | None:
    """ "Did you mean ...?" when a name was read from a close spelling, or not recognised at all."""
    close = [m for m in recognition.matches if not m.exact]
    local = drug_names(drugs, locale)
    parts = []
    for match in close:
        drug = drugs.drugs[match.drug_id]
        local_brands = load_glossary(locale).drugs.get(drug.id, [])[
            1:
        ]  # the glossary lists local brands after the name
        brands = local_brands or drug.brands
        brand = f" ({brands[0]})" if brands else ""
        parts.append(t("answers.read_as", locale, typed=match.typed, name=local[drug.id], brand=brand))
    for miss in recognition.unrecognised:
        names = t("answers.names_or", locale).join(local[c] for c in miss.candidates)
        hint = t("answers.did_you_mean", locale, names=names) if miss.candidates else ""
        parts.append(t("answers.unknown_name", locale, typed=miss.typed, hint=hint))
    if not parts:
        return None
    return t("answers.is_that_right", locale, parts="; ".join(parts))


def _parse_slot(
    question: Question,
    slot: Slot,
    text: str,
    mode: Mode,
    as_of: dt.date,
    drugs: DrugVocabulary,
    locale: str,
    typed: str,
) -> Parsed:
    lowered = text.lower()
    if slot.type == "boolean":
        code = _option_code(question, text, mode) if question.answerOption else None
        value = _yes_no(question, code or typed, locale)  # a yes/no slot has no options: code is None
        return Parsed(value, mt("value.yes" if value else "value.no", locale))
    if slot.type == "integer":
        if not _small_number(lowered) or not 0 <= int(lowered) <= 500:
            raise AnswerError(t("answers.whole_number", locale))
        return Parsed(int(lowered), lowered)
    if slot.type in ("date", "stop"):
        if slot.type == "stop" and (_option_code(question, text, mode) == ONGOING or is_word(text, "ongoing", locale)):
            return Parsed(ONGOING, question.option_label(ONGOING, mode))
        day = _ago_to_date(text, as_of) or text
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            extra = t("answers.or_still_taking", locale) if slot.type == "stop" else ""
            raise AnswerError(t("answers.date_or_ago", locale, ongoing=extra)) from None
        if parsed.year < 1900:
            raise AnswerError(t("answers.date_or_ago", locale, ongoing=""))
        if parsed > as_of:
            raise AnswerError(t("answers.future", locale, date=format_date(parsed, locale)))
        return Parsed(parsed, format_date(parsed, locale))
    # a regimen: drug names, or the kinds of medicine chosen from the list
    classes = []
    names_text = []
    for part in re.split(r"[,;、，]", text) if _looks_like_option_list(question, text, mode) else [text]:
        code = _option_code(question, part.strip(), mode)
        if code is not None:
            classes.append(code)
        elif part.strip():
            names_text.append(part.strip())
    recognition = drugs.recognise(" + ".join(names_text)) if names_text else None
    names = tuple(recognition.drug_ids) if recognition else ()
    unrecognised = tuple(miss.typed for miss in recognition.unrecognised) if recognition else ()
    local = drug_names(drugs, locale)
    shown_parts = (
        [local[d] for d in names]
        + [question.option_label(c, mode) for c in classes]
        + [t("answers.not_recognised", locale, name=u) for u in unrecognised]
    )
    confirm = _confirmation(recognition, drugs, locale) if recognition is not None else None
    answer = RegimenAnswer(names=names, classes=tuple(classes), unrecognised=unrecognised)
    return Parsed(answer, " + ".join(shown_parts), confirm)


def _looks_like_option_list(question: Question, text: str, mode: Mode) -> bool:
    parts = [p.strip() for p in re.split(r"[,;、，]", text) if p.strip()]
    return bool(parts) and all(_option_code(question, p, mode) is not None for p in parts)


def shown_answer(question: Question, fact: Fact, value: Any, text: str, mode: Mode, locale: str) -> str:
    """An answer as it is shown back: the option's label, yes/no, a date, or what was typed."""
    if fact.type == "boolean":
        return mt("value.yes" if value else "value.no", locale)
    if fact.type == "choice" or (fact.type == "integer" and question.answerOption):
        return question.option_label(str(value), mode)
    if value is NEVER:
        return mt("value.never", locale)
    if isinstance(value, dt.date):
        return format_date(value, locale)
    return text


def _reword(message: str, fact: Fact, typed: str, locale: str) -> str:
    """The matcher's message in English (it already names what is accepted); in another locale, the
    locale's message for the fact's type, naming the fact and what is accepted."""
    if locale == DEFAULT_LOCALE:
        return f"{message[:1].upper()}{message[1:]}."
    units = ", ".join(unit_word(u, locale) for u in fact.units.accepted()) if fact.units else (fact.unit or "")
    span = f"{fact.range[0]:g}–{fact.range[1]:g}" if fact.range else ""
    key = f"answers.invalid.{fact.type}"
    if not TEXTS.texts(DEFAULT_LOCALE).get(key):
        key = "answers.invalid.choice"
    return t(key, locale, answer=typed, label=fact_label(fact, locale), units=units, range=span)
