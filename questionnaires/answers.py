"""Reading what a person types into a question: numbers with units, dates or "about 3 months ago",
choices by number or name, drug names. Bad input raises :class:`AnswerError` with a message that
says what is accepted; nothing already answered is touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from matcher.drugs import DrugVocabulary
from matcher.facts import Fact
from matcher.profile import NEVER_WORDS, read_value
from matcher.values import NEVER
from questionnaires.bank import Mode, Question
from questionnaires.treatment import ONGOING, SLOTS, RegimenAnswer, Slot

DONT_KNOW_WORDS = {
    "?",
    "dk",
    "don't know",
    "dont know",
    "do not know",
    "i don't know",
    "i dont know",
    "unknown",
    "not sure",
}
YES_WORDS = {"y", "yes", "true", "yeah", "yep"}
NO_WORDS = {"n", "no", "false", "nope"}
_AGO = re.compile(
    r"^(?:about\s+|around\s+|roughly\s+)?(\d+(?:\.\d+)?|an?|one)\s*(day|week|month|year)s?\s+ago$", re.IGNORECASE
)
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}


class AnswerError(ValueError):
    """An answer that cannot be used; the message says what is accepted, in the asking mode's words."""


@dataclass(frozen=True)
class Parsed:
    """A usable answer: its value, how to show it back, and a question to confirm it, if any."""

    value: Any
    shown: str
    confirm: str | None = None  # "Did you mean lenvatinib (Lenvima)?"


def is_dont_know(raw: str) -> bool:
    """True for "I don't know" in its usual spellings (and an explicit "?"), typographic apostrophes too."""
    return raw.strip().lower().replace("\u2019", "'").replace("`", "'") in DONT_KNOW_WORDS


def parse_answer(
    question: Question, fact: Fact | None, raw: str, mode: Mode, as_of: dt.date, drugs: DrugVocabulary
) -> Parsed:
    """Read one typed answer for a question (a fact's, or a treatment-history slot's)."""
    text = raw.strip()
    if not text:
        raise AnswerError('Please type an answer, or choose "I don\'t know".')
    if fact is None:
        return _parse_slot(question, SLOTS[question.fact], text, mode, as_of, drugs)
    if question.answerOption and fact.type in ("choice", "integer", "boolean"):
        code = _option_code(question, text, mode)
        if code is not None:
            text = code
        elif fact.type in ("choice", "integer"):
            # only the listed answers: Karnofsky 75 is not a point of its scale
            raise AnswerError("Please choose one of: " + "; ".join(_numbered(question, mode)) + ".")
    if fact.type == "number" and _needs_unit(fact, text):
        units = fact.units.accepted() if fact.units else []
        extra = ", or as '2 x ULN'" if fact.uln else ""
        raise AnswerError(
            f"Which unit is {text.strip()} in? Type it with the unit from the report: {', '.join(units)}{extra}."
        )
    if fact.type == "set":
        return _parse_set(question, fact, text, mode)
    if fact.type in ("date", "event"):
        text = _ago_to_date(text, as_of) or text
    notes: list[str] = []
    try:
        value = read_value(fact, text, as_of, drugs, notes)
    except ValueError as exc:
        raise AnswerError(_reword(str(exc), fact, mode)) from exc
    if fact.type == "drugs":
        if text.lower() in NEVER_WORDS:
            return Parsed(value, "none")
        return _drug_answer(value, text, notes, drugs)
    return Parsed(value, _shown(question, fact, value, text, mode))


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
    if lowered.isdigit() and 1 <= int(lowered) <= len(question.answerOption) and not _codes_are_numbers(question):
        return question.answerOption[int(lowered) - 1].code
    for option in question.answerOption:
        if lowered in (option.code.lower(), option.patient.lower(), option.nurse.lower()):
            return option.code
    return None


def _codes_are_numbers(question: Question) -> bool:
    return all(o.code.lstrip("-").isdigit() for o in question.answerOption)


def _parse_set(question: Question, fact: Fact, text: str, mode: Mode) -> Parsed:
    if text.lower() in NEVER_WORDS:
        return Parsed(read_value(fact, [], dt.date.today(), _NO_DRUGS, []), "none")
    codes = []
    for part in re.split(r"[,;]|\band\b", text):
        part = part.strip()
        if not part:
            continue
        code = _option_code(question, part, mode) if question.answerOption else None
        if code is None and part.lower() not in (c.lower() for c in fact.choices):
            accepted = ", ".join(f"{i}. {question.option_label(c, mode)}" for i, c in enumerate(fact.choices, 1))
            raise AnswerError(f"{part!r} is not one of the answers. Choose one or more of: {accepted}, or 'none'.")
        codes.append(code or part.lower())
    value = read_value(fact, codes, dt.date.today(), _NO_DRUGS, [])
    return Parsed(value, ", ".join(question.option_label(c, mode) for c in sorted(value.items)) or "none")


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
    return (as_of - dt.timedelta(days=round(days))).isoformat()


def _drug_answer(value: Any, text: str, notes: list[str], drugs: DrugVocabulary) -> Parsed:
    recognition = drugs.recognise(text)
    names = [drugs.drugs[d].name for d in recognition.drug_ids]
    shown = ", ".join(names) if names else "none"
    confirm = _confirmation(recognition, drugs)
    return Parsed(value, shown, confirm)


def _confirmation(recognition: Any, drugs: DrugVocabulary) -> str | None:
    """ "Did you mean ...?" when a name was read from a close spelling, or not recognised at all."""
    close = [m for m in recognition.matches if not m.exact]
    parts = []
    for match in close:
        drug = drugs.drugs[match.drug_id]
        brand = f" ({drug.brands[0]})" if drug.brands else ""
        parts.append(f"'{match.typed}' as {drug.name}{brand}")
    for miss in recognition.unrecognised:
        hint = (
            f" (did you mean {' or '.join(drugs.drugs[c].name for c in miss.candidates)}?)" if miss.candidates else ""
        )
        parts.append(f"'{miss.typed}' is not a medicine name I know{hint}")
    if not parts:
        return None
    return "I read " + "; ".join(parts) + ". Is that right? (yes / no)"


def _parse_slot(question: Question, slot: Slot, text: str, mode: Mode, as_of: dt.date, drugs: DrugVocabulary) -> Parsed:
    lowered = text.lower()
    if slot.type == "boolean":
        code = _option_code(question, text, mode) if question.answerOption else None
        word = (code or lowered).lower()
        if word in YES_WORDS:
            return Parsed(True, "yes")
        if word in NO_WORDS:
            return Parsed(False, "no")
        raise AnswerError('Please answer yes or no (or "I don\'t know").')
    if slot.type == "integer":
        if not lowered.isdigit() or not 0 <= int(lowered) <= 500:
            raise AnswerError("Please type a whole number, for example 6 (from 0 to 500).")
        return Parsed(int(lowered), lowered)
    if slot.type in ("date", "stop"):
        if slot.type == "stop" and (
            _option_code(question, text, mode) == ONGOING
            or lowered in {"ongoing", "still", "still taking it", "still taking"}
        ):
            return Parsed(ONGOING, question.option_label(ONGOING, mode))
        day = _ago_to_date(text, as_of) or text
        try:
            parsed = dt.date.fromisoformat(day)
        except ValueError:
            extra = ", or that you are still taking it" if slot.type == "stop" else ""
            raise AnswerError(f'Please give a date like 2025-03-14, or "about 3 months ago"{extra}.') from None
        if parsed > as_of:
            raise AnswerError(f"{parsed.isoformat()} is in the future; please give a date that has passed.")
        return Parsed(parsed, parsed.isoformat())
    # a regimen: drug names, or the kinds of medicine chosen from the list
    classes = []
    names_text = []
    for part in re.split(r"[,;]", text) if _looks_like_option_list(question, text, mode) else [text]:
        code = _option_code(question, part.strip(), mode)
        if code is not None:
            classes.append(code)
        elif part.strip():
            names_text.append(part.strip())
    recognition = drugs.recognise(" + ".join(names_text)) if names_text else None
    names = tuple(recognition.drug_ids) if recognition else ()
    unrecognised = tuple(miss.typed for miss in recognition.unrecognised) if recognition else ()
    shown_parts = (
        [drugs.drugs[d].name for d in names]
        + [question.option_label(c, mode) for c in classes]
        + [f"{u} (not recognised)" for u in unrecognised]
    )
    confirm = _confirmation(recognition, drugs) if recognition is not None else None
    answer = RegimenAnswer(names=names, classes=tuple(classes), unrecognised=unrecognised)
    return Parsed(answer, " + ".join(shown_parts), confirm)


def _looks_like_option_list(question: Question, text: str, mode: Mode) -> bool:
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    return bool(parts) and all(_option_code(question, p, mode) is not None for p in parts)


def _shown(question: Question, fact: Fact, value: Any, text: str, mode: Mode) -> str:
    if fact.type == "boolean":
        return "yes" if value else "no"
    if fact.type == "choice" or (fact.type == "integer" and question.answerOption):
        return question.option_label(str(value), mode)
    if value is NEVER:
        return "never"
    if isinstance(value, dt.date):
        return value.isoformat()
    return text


def _reword(message: str, fact: Fact, mode: Mode) -> str:
    """The matcher's message, kept: it already names what is accepted."""
    return f"{message[:1].upper()}{message[1:]}."
