"""Read a patient profile: what we know, in the units the lab reported, checked for sense.

A profile is a mapping (usually a YAML file, see ``examples/``)::

    as_of: 2026-11-22          # the date the answers refer to (default: today)
    facts:
      sex: female
      weight: 132 lb
      hemoglobin: {value: 95, unit: g/L}
      ast: {value: 80, unit: U/L, uln: 40}
      alt: 1.5 x ULN
      ecog: 1
    treatments:
      - drugs: Tecentriq + Avastin
        started: 2025-01-10
        stopped: 2025-09-01
        cycles: 8
        progression_date: 2025-08-20

Every problem is collected and reported with the field it concerns and what is accepted;
nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from matcher.display import number_text
from matcher.drugs import DrugVocabulary, load_drug_vocabulary
from matcher.evaluation import add_duration
from matcher.facts import Fact, Vocabulary, load_vocabulary
from matcher.units import ULN, UnitError, clinical_round
from matcher.values import NEVER, EventWindow, Interval, Lab, Members
from trials.yaml_text import load_yaml

UNKNOWN_WORDS = {"unknown", "don't know", "dont know", "not known", "?"}
NEVER_WORDS = {"never", "no", "none"}
_NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:[.,]\d+)?)\s*(.*?)\s*$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_XULN = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:x|×|\*)?\s*uln\s*$", re.IGNORECASE)
_WITH_ULN = re.compile(
    r"^\s*(?P<value>[-+]?\d+(?:[.,]\d+)?)\s*(?P<unit>[^,;(]*?)\s*[,;(]?\s*"
    r"(?:upper\s+limit(?:\s+of\s+normal)?|uln|normal\s+up\s+to)\s*[:=]?\s*"
    r"(?P<uln>\d+(?:[.,]\d+)?)\s*(?P<uln_unit>[^)]*?)\s*\)?\s*$",
    re.IGNORECASE,
)
MAX_XULN = 1000.0
_AMOUNT = r"(\d+(?:\.\d+)?|an?|one)\s*(day|week|month|year)s?"
_NONE_WITHIN = re.compile(
    rf"^(?:none|not|never|no)(?:\s+\w+)?\s+(?:in|within|during|over)\s+the\s+(?:last|past|previous)\s+{_AMOUNT}$",
    re.IGNORECASE,
)
_WITHIN = re.compile(rf"^(?:yes,?\s+)?(?:in|within|during)\s+the\s+(?:last|past)\s+{_AMOUNT}$", re.IGNORECASE)
_MORE_THAN_AGO = re.compile(rf"^(?:more\s+than|over)\s+{_AMOUNT}\s+ago$", re.IGNORECASE)
_NONE_SINCE = re.compile(r"^(?:none|not|never|no)(?:\s+\w+)?\s+since\s+(\S+)$", re.IGNORECASE)
_BEFORE = re.compile(r"^before\s+(\S+)$", re.IGNORECASE)
_SINCE = re.compile(r"^(since|after)\s+(\S+)$", re.IGNORECASE)
WINDOW_FORMS = (
    "'none in the last 3 months', 'none since 2026-09-01', 'in the last 4 weeks', "
    "'more than 1 year ago', 'before 2026-09-01', 'since 2026-09-01'"
)
_BELOW = re.compile(
    r"^(?:(?:undetectable|undetected|not\s+detected|negative|tnd|nd)\s*,?\s*)?\(?\s*(<=|≤|<|less\s+than|below)\s*"
    r"([-+]?\d+(?:[.,]\d+)?)\s*([^)]*?)\s*\)?$",
    re.IGNORECASE,
)
_ABOVE = re.compile(r"^(>=|≥|>|more\s+than|above|greater\s+than)\s*([-+]?\d+(?:[.,]\d+)?)\s*(.*?)\s*$", re.IGNORECASE)
# A result as the lab report prints it, with its reference range: "1.1 mg/dL (0.2-1.2)", "45 U/L [ref 7–40]"
_WITH_RANGE = re.compile(
    r"^\s*(?P<value>[-+]?\d+(?:[.,]\d+)?)\s*(?P<unit>[^(\[]*?)\s*[(\[]\s*(?:ref(?:erence)?(?:\s+range)?\s*[:=]?\s*|normal\s*[:=]?\s*)?"
    r"(?P<lo>\d+(?:[.,]\d+)?)\s*(?:-|–|—|~|to)\s*(?P<uln>\d+(?:[.,]\d+)?)\s*(?P<uln_unit>[^)\]]*?)\s*[)\]]\s*$",
    re.IGNORECASE,
)
_BLOOD_PRESSURE = re.compile(r"^\s*(\d{2,3}(?:\.\d+)?)\s*/\s*(\d{2,3}(?:\.\d+)?)\s*(mmHg|kPa)?\s*$", re.IGNORECASE)
_UNDETECTABLE = re.compile(r"^(?:undetectable|undetected|not\s+detected|tnd)$", re.IGNORECASE)
EARLIEST_AS_OF = dt.date(1990, 1, 1)  # an as_of outside these is a typo: every window and age counts from it
AS_OF_AHEAD = dt.timedelta(days=366)


class ProfileError(ValueError):
    """A profile that cannot be read; ``problems`` lists each field and what is accepted."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{where}: {what}" for where, what in problems))


class Treatment(BaseModel):
    """One systemic anticancer regimen of the treatment history, as the person remembers it."""

    model_config = ConfigDict(extra="forbid")

    drugs: str | list[str] | None = Field(default=None, description="names as typed: generic, brand or abbreviation")
    classes: list[str] = Field(default_factory=list, description="drug classes, for when the names are not known")
    line: StrictInt | None = Field(default=None, ge=1, le=20)  # 'yes' is not line 1
    started: dt.date | None = None
    stopped: dt.date | None = None
    ongoing: bool | None = Field(
        default=None, description="still being taken; with no stop date and no 'ongoing', when it ended is unknown"
    )
    cycles: int | None = Field(default=None, ge=0, le=500)
    progressed: bool | None = None
    progression_date: dt.date | None = None

    @field_validator("drugs")
    @classmethod
    def _drugs_not_blank(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, list):
            return [v for v in value if v.strip()] or None
        return value if value is None or value.strip() else None


@dataclass(frozen=True)
class RecognisedTreatment:
    """A regimen after drug-name recognition."""

    entry: Treatment
    drugs: Members
    typed: tuple[tuple[str, str], ...]  # (as typed, recognised drug id) for traceability
    unrecognised: tuple[str, ...]


@dataclass
class Profile:
    """What is known about one patient, in canonical units, and how it was given."""

    as_of: dt.date
    values: dict[str, Any] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)  # how each fact was written, for display
    treatments: list[RecognisedTreatment] | None = None  # None: the history is not known
    treatments_complete: bool = True  # False: there may have been more regimens than those listed
    notes: list[str] = field(default_factory=list)  # things read with care (a misspelt drug name...)


def load_profile(path: Path) -> Profile:
    """Read a profile file; a :class:`ProfileError` names every field that is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError([(str(path), f"cannot be read: {exc}")]) from exc
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ProfileError([(where, f"is not valid YAML: {getattr(exc, 'problem', None) or exc}")]) from exc
    return read_profile(data if data is not None else {})


def read_profile(
    data: Any,
    vocabulary: Vocabulary | None = None,
    drugs: DrugVocabulary | None = None,
    today: dt.date | None = None,
) -> Profile:
    """Build a :class:`Profile` from a mapping (``as_of``, ``facts``, ``treatments``)."""
    vocab = vocabulary or load_vocabulary()
    drug_vocab = drugs or load_drug_vocabulary()
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise ProfileError([("profile", "must be a mapping with 'facts' (and optionally 'as_of', 'treatments')")])
    sections = {"as_of", "facts", "treatments", "treatments_complete"}
    for key in sorted(set(data) - sections, key=str):
        problems.append((str(key), "is not a profile section; accepted: as_of, facts, treatments, treatments_complete"))

    real_today = today or dt.date.today()
    as_of = real_today
    if data.get("as_of") is not None:
        parsed = _parse_date(data["as_of"])
        if parsed is None:
            problems.append(("as_of", f"{_shown(data['as_of'])} is not a date; write it as YYYY-MM-DD"))
        elif not EARLIEST_AS_OF <= parsed <= real_today + AS_OF_AHEAD:
            problems.append(
                (
                    "as_of",
                    f"{parsed.isoformat()} is not a plausible assessment date; accepted: "
                    f"{EARLIEST_AS_OF.isoformat()} to {(real_today + AS_OF_AHEAD).isoformat()}",
                )
            )
        else:
            as_of = parsed
    profile = Profile(as_of=as_of)

    facts = data.get("facts") or {}
    if not isinstance(facts, dict):
        problems.append(("facts", "must be a mapping of fact id to value"))
        facts = {}
    if "blood_pressure" in facts and "blood_pressure" not in vocab:
        # "135/85" as a chart writes it: the systolic and diastolic facts, unless given apart too
        facts = dict(facts)
        pair = split_blood_pressure(facts.pop("blood_pressure"))
        if pair is None:
            problems.append(("facts.blood_pressure", "is not a blood pressure; write it as 135/85 (mmHg)"))
        else:
            for key, value in zip(("systolic_bp", "diastolic_bp"), pair, strict=True):
                if key in facts:
                    problems.append((f"facts.{key}", "is given twice (also in blood_pressure)"))
                facts[key] = value
    for key, raw in facts.items():
        where = f"facts.{key}"
        if key not in vocab:
            problems.append((where, "is not a known fact; 'trialmatch facts' lists them all"))
            continue
        if _is_unknown(raw):
            continue
        try:
            profile.values[key] = read_value(vocab[key], raw, as_of, drug_vocab, profile.notes)
            profile.given[key] = _as_given(raw)
        except ValueError as exc:
            problems.append((where, str(exc)))

    if "treatments" in data and data["treatments"] is not None and not _is_unknown(data["treatments"]):
        profile.treatments = _read_treatments(data["treatments"], as_of, drug_vocab, problems, profile.notes)
    complete = data.get("treatments_complete", True)
    if isinstance(complete, bool):
        profile.treatments_complete = complete
    else:
        problems.append(("treatments_complete", f"{complete!r} is not yes or no"))

    if problems:
        raise ProfileError(problems)
    return profile


def read_value(fact: Fact, raw: Any, as_of: dt.date, drugs: DrugVocabulary, notes: list[str]) -> Any:
    """One fact's value from what a person or a file wrote; ValueError says what is accepted."""
    kind = fact.type
    if kind == "number":
        return _read_number(fact, raw)
    if kind == "integer":
        if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not _WHOLE.match(str(raw)):
            raise ValueError(f"{_shown(raw)} is not a whole number; {_range_text(fact)}")
        number = int(str(raw).strip())
        _check_range(fact, number, str(raw))
        return number
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in {"yes", "true", "y"}:
            return True
        if word in {"no", "false", "n"}:
            return False
        raise ValueError(f"{raw!r} is not yes or no; accepted: yes, no, unknown")
    if kind == "choice":
        return _read_choice(fact, raw)
    if kind == "set":
        _check_names(raw, "a list of answers", fact)
        items = raw if isinstance(raw, list) else ([] if str(raw).strip().lower() in NEVER_WORDS else [raw])
        return Members(items=frozenset(_read_choice(fact, item) for item in items))
    if kind in ("date", "event"):
        if kind == "event" and isinstance(raw, (str, bool)) and str(raw).strip().lower() in NEVER_WORDS | {"false"}:
            return NEVER
        if isinstance(raw, str):
            window = read_window(raw, as_of, may_be_never=kind == "event")
            if window is not None:
                return window
        day = _parse_date(raw)
        if day is None:
            accepted = (
                "a date (YYYY-MM-DD)" + (", never" if kind == "event" else "") + f", or a time span: {WINDOW_FORMS}"
            )
            raise ValueError(f"{raw!r} is not a date; accepted: {accepted}")
        if day > as_of:
            raise ValueError(
                f"{day.isoformat()} is in the future (after {as_of.isoformat()}); give a date that has passed"
            )
        if day.year < 1900:
            raise ValueError(f"{day.isoformat()} is too long ago to be right; give a date after 1900")
        return day
    if kind == "drugs":
        if isinstance(raw, str) and raw.strip().lower() in NEVER_WORDS:
            return Members()
        _check_names(raw, "a list of drug names (e.g. [Lenvima, sorafenib]) or none", fact)
        names = raw if isinstance(raw, list) else [raw]
        members, _typed, unrecognised = recognise(names, [], drugs, notes, fact.label)
        return members
    raise ValueError(f"facts of type {kind} cannot be given directly")  # pragma: no cover - every type is handled


_WHOLE = re.compile(r"^\s*-?[0-9]{1,9}\s*$")
_SHORT = reprlib.Repr()  # a value quoted in a message: a few items of a list, 60 characters of a text
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxlong = 2, 4, 6, 60, 40


def _shown(raw: Any) -> str:
    """A value as quoted in a message, cut short: a message never repeats a whole file."""
    return _SHORT.repr(raw)


def _check_names(raw: Any, accepted: str, fact: Fact) -> None:
    """A list fact is a list of words (or one word): a mapping is never read as a list."""
    items = raw if isinstance(raw, list) else [raw]
    if isinstance(raw, dict) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"{_shown(raw)} cannot be read as {fact.label}; accepted: {accepted}")


def split_blood_pressure(raw: Any) -> tuple[str, str] | None:
    """'135/85' (or '135/85 mmHg', '18/11 kPa') as the systolic and the diastolic reading, with their unit."""
    match = _BLOOD_PRESSURE.match(str(raw)) if isinstance(raw, (str, int, float)) else None
    if not match:
        return None
    unit = match.group(3) or "mmHg"
    return f"{match.group(1)} {unit}", f"{match.group(2)} {unit}"


def read_window(text: str, as_of: dt.date, may_be_never: bool) -> EventWindow | None:
    """A time span instead of a date: "none in the last 3 months", "more than a year ago", "before 2026-09-01".

    ``None`` when the text is not such a span; ValueError for a span that cannot be right (a
    date in the future). Forms that say the event did not happen ("none ...") are accepted only
    for events (``may_be_never``)."""
    said = " ".join(text.split())
    match = _NONE_WITHIN.match(said)
    if match and may_be_never:
        boundary = add_duration(as_of, _amount(match.group(1)), match.group(2) + "s", sign=-1)
        return EventWindow(before=boundary, may_be_never=True, said=said)
    match = _WITHIN.match(said)
    if match:
        start = add_duration(as_of, _amount(match.group(1)), match.group(2) + "s", sign=-1)
        return EventWindow(after=start, before=as_of, said=said)
    match = _MORE_THAN_AGO.match(said)
    if match:
        boundary = add_duration(as_of, _amount(match.group(1)), match.group(2) + "s", sign=-1)
        return EventWindow(before=boundary - dt.timedelta(days=1), said=said)
    for pattern, never_possible in ((_NONE_SINCE, True), (_BEFORE, False)):
        match = pattern.match(said)
        if match and (may_be_never or not never_possible):
            day = _window_date(match.group(1), as_of)
            return EventWindow(before=day - dt.timedelta(days=1), may_be_never=never_possible, said=said)
    match = _SINCE.match(said)
    if match:
        day = _window_date(match.group(2), as_of)
        start = day + dt.timedelta(days=1) if match.group(1).lower() == "after" else day
        return EventWindow(after=min(start, as_of), before=as_of, said=said)
    return None


def _amount(word: str) -> float:
    return 1.0 if word.lower() in ("a", "an", "one") else float(word)


def _window_date(text: str, as_of: dt.date) -> dt.date:
    day = _parse_date(text)
    if day is None:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD")
    if day > as_of:
        raise ValueError(f"{day.isoformat()} is in the future (after {as_of.isoformat()}); give a date that has passed")
    return day


def _read_limit(fact: Fact, text: str, accepted: str) -> Interval | None:
    """A result at a detection limit: "<20 IU/mL", "undetectable (<20 IU/mL)", ">1000": an interval."""
    below, above = _BELOW.match(text), _ABOVE.match(text)
    if _UNDETECTABLE.match(text):
        raise ValueError(
            f"{text!r}: give the test's detection limit too, e.g. 'undetectable (<20 {fact.unit})'; or {accepted}"
        )
    if not below and not above:
        return None
    match = below or above
    assert match is not None
    value = _plain_number(match.group(2))
    limit = _to_canonical(fact, value, match.group(3) or None, accepted)
    _check_range(fact, limit, text)
    sign = match.group(1).lower()
    if below:
        return Interval(0.0, limit, hi_open=sign not in ("<=", "≤"))
    return Interval(limit, float("inf"), lo_open=sign not in (">=", "≥"))


def _read_number(fact: Fact, raw: Any) -> float | Lab | Interval:
    units = fact.units
    assert units is not None
    accepted = ", ".join(units.accepted()) + (", or as × ULN" if fact.uln else "")
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number; give a number in {accepted}")
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "unit", "uln", "xuln"}
        if extra:
            raise ValueError(
                f"unexpected key(s) {', '.join(sorted(map(str, extra)))}; accepted: value, unit, uln, xuln"
            )
        if "xuln" in raw:
            if not fact.uln:
                raise ValueError(f"is not given relative to the upper limit of normal; give a number in {accepted}")
            xuln = _number(raw["xuln"], "xuln")
            if not 0 <= xuln <= MAX_XULN:
                raise ValueError(f"xuln {xuln:g} is not plausible; accepted: 0 to {MAX_XULN:g} × ULN")
            return Lab(xuln=xuln)
        if "value" not in raw:
            raise ValueError("needs 'value' (with 'unit'), or 'xuln'")
        value = _number(raw["value"], "value")
        unit = raw.get("unit")
        if unit is not None and not isinstance(unit, str):
            raise ValueError(f"unit {_shown(unit)} is not a unit; accepted: {accepted}")
        canonical = _to_canonical(fact, value, unit, accepted)
        _check_range(fact, canonical, f"{value:g} {unit or fact.unit}")
        if "uln" in raw:
            if not fact.uln:
                raise ValueError("has no upper-limit-of-normal form; remove 'uln'")
            raw_uln = _number(raw["uln"], "uln")
            if raw_uln <= 0:
                raise ValueError("uln must be above 0")
            uln = _to_canonical(fact, raw_uln, unit, accepted)
            if fact.range is not None and not fact.range[0] <= uln <= fact.range[1]:
                raise ValueError(f"uln {raw_uln:g} is not a plausible upper limit of normal; {_range_text(fact)}")
            # The ratio is taken in the lab's own unit, so 60 µmol/L over a ULN of 20 is exactly 3.
            return Lab(value=canonical, uln=uln, xuln=clinical_round(value / raw_uln))
        return Lab(value=canonical) if fact.uln else canonical
    if isinstance(raw, (int, float)):
        number = _number(raw, "value")
        _check_range(fact, number, f"{number:g} {fact.unit}")
        return Lab(value=number) if fact.uln else number
    text = str(raw).strip()
    with_range = _WITH_RANGE.match(text)
    if with_range:
        # the reference range's upper end is the lab's upper limit of normal
        unit = with_range.group("unit") or with_range.group("uln_unit") or None
        if fact.uln:
            return _read_number(
                fact, {"value": with_range.group("value"), "unit": unit, "uln": with_range.group("uln")}
            )
        return _read_number(fact, {"value": with_range.group("value"), "unit": unit})
    with_uln = _WITH_ULN.match(text)
    if with_uln and fact.uln:
        # "25 µmol/L, upper limit 21": the result and the lab's upper limit of normal, as on the report
        unit = with_uln.group("unit") or with_uln.group("uln_unit") or None
        return _read_number(fact, {"value": with_uln.group("value"), "unit": unit, "uln": with_uln.group("uln")})
    relative = _XULN.match(text)
    if relative:
        if not fact.uln:
            raise ValueError(f"is not given relative to the upper limit of normal; give a number in {accepted}")
        xuln = float(relative.group(1).replace(",", "."))
        if not 0 <= xuln <= MAX_XULN:
            raise ValueError(f"{text!r} is not plausible; accepted: 0 to {MAX_XULN:g} × ULN")
        return Lab(xuln=xuln)
    limit = _read_limit(fact, text, accepted)
    if limit is not None:
        return Lab(value=limit) if fact.uln else limit
    match = _NUMBER_WITH_UNIT.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a number; give a number in {accepted}, or a detection limit ('<20')")
    value = _plain_number(match.group(1))
    unit = match.group(2) or None
    canonical = _to_canonical(fact, value, unit, accepted)
    _check_range(fact, canonical, text)
    return Lab(value=canonical) if fact.uln else canonical


def _plain_number(text: str) -> float:
    """'1,500' is fifteen hundred (a thousands separator); '1,5' is one and a half (a decimal comma)."""
    if _THOUSANDS.match(text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _to_canonical(fact: Fact, value: float, unit: str | None, accepted: str) -> float:
    if unit is not None and unit.strip().lower() in {ULN.lower(), "uln"}:
        raise ValueError("for a value relative to the upper limit of normal use {xuln: ...} or '2 x ULN'")
    assert fact.units is not None
    try:
        return fact.units.to_canonical(value, unit)
    except UnitError as exc:
        raise ValueError(f"unit {unit!r} does not fit {fact.label}; accepted: {accepted}") from exc


def _number(raw: Any, name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"{name} {_shown(raw)} is not a number")
    try:
        number = float(raw) if isinstance(raw, (int, float)) else _plain_number(raw.strip())
    except (ValueError, OverflowError):
        raise ValueError(f"{name} {_shown(raw)} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} {_shown(raw)} is not a finite number")
    return number


def _check_range(fact: Fact, value: float, shown: str) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{shown} is not a finite number")
    if fact.range is None:
        return
    if value < 0 or not fact.range[0] <= value <= fact.range[1]:
        raise ValueError(f"{shown} is not a plausible {fact.label}; {_range_text(fact)}")


def _range_text(fact: Fact) -> str:
    if fact.range is None:
        return "give a number"
    lo, hi = fact.range
    unit = f" {fact.unit}" if fact.unit else ""
    other = ""
    if fact.units and len(fact.units.accepted()) > 1:
        other = f" (or the same in {', '.join(fact.units.accepted()[1:])})"
    return f"accepted: {number_text(lo)} to {number_text(hi)}{unit}{other}"


def _read_choice(fact: Fact, raw: Any) -> str:
    text = str(raw).strip().lower()
    for choice in fact.choices:
        if choice.lower() == text:
            return choice
    raise ValueError(f"{_shown(raw)} is not one of the accepted answers: {', '.join(fact.choices)}")


def _parse_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def _is_unknown(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().lower() in UNKNOWN_WORDS)


def _as_given(raw: Any) -> str:
    if isinstance(raw, dict):
        if "xuln" in raw:
            return f"{raw['xuln']} × ULN"
        text = f"{raw.get('value')} {raw.get('unit') or ''}".strip()
        return text + (f" (ULN {raw['uln']})" if "uln" in raw else "")
    if isinstance(raw, list):
        return ", ".join(str(r) for r in raw) or "none"
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    return str(raw)


def recognise(
    names: list[Any], classes: list[str], drugs: DrugVocabulary, notes: list[str], what: str
) -> tuple[Members, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Recognise drug names (and classes given instead of names) into a :class:`Members` set.

    Unrecognised names are reported in ``notes`` and leave the set incomplete: never guessed.
    """
    items: list[str] = []
    typed: list[tuple[str, str]] = []
    unrecognised: list[str] = []
    for name in names:
        result = drugs.recognise(str(name))
        for match in result.matches:
            items.append(match.drug_id)
            typed.append((match.typed, match.drug_id))
            if not match.exact:
                notes.append(f"{what}: read {match.typed!r} as {match.drug_id} (a close spelling)")
        for miss in result.unrecognised:
            unrecognised.append(miss.typed)
            hint = f"; did you mean {' or '.join(miss.candidates)}?" if miss.candidates else ""
            notes.append(f"{what}: {miss.typed!r} is not a drug name we recognise{hint}")
    unnamed = tuple(drugs.with_broader([c]) for c in classes)
    all_classes: set[str] = set(drugs.with_broader(classes))
    for item in items:
        all_classes |= drugs.classes_of(item)
    members = Members(
        items=frozenset(items),
        classes=frozenset(all_classes),
        complete=not unrecognised and not unnamed,
        unnamed=unnamed + tuple(frozenset() for _ in unrecognised),
    )
    return members, tuple(typed), tuple(unrecognised)


def read_treatments(raw: Any, as_of: dt.date, drugs: DrugVocabulary | None = None) -> list[RecognisedTreatment]:
    """A treatment list as in a profile's ``treatments``; :class:`ProfileError` if it cannot be read."""
    problems: list[tuple[str, str]] = []
    result = _read_treatments(raw, as_of, drugs or load_drug_vocabulary(), problems, [])
    if problems or result is None:
        raise ProfileError(problems or [("treatments", "cannot be read")])
    return result


def _read_treatments(
    raw: Any, as_of: dt.date, drugs: DrugVocabulary, problems: list[tuple[str, str]], notes: list[str]
) -> list[RecognisedTreatment] | None:
    if isinstance(raw, str) and raw.strip().lower() in NEVER_WORDS:
        return []
    if not isinstance(raw, list):
        problems.append(("treatments", "must be a list of regimens (or 'none'); each has drugs or classes"))
        return None
    known_classes = set(drugs.classes)
    result: list[RecognisedTreatment] = []
    for index, item in enumerate(raw):
        where = f"treatments[{index + 1}]"
        if not isinstance(item, dict):
            problems.append((where, "must be a mapping with drugs (or classes), started, stopped, cycles..."))
            continue
        try:
            entry = Treatment.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                name = ".".join(str(p) for p in error["loc"])
                message = (
                    "is not a field of a regimen; accepted: drugs, classes, line, started, stopped, ongoing, cycles, progressed, progression_date"
                    if error["type"] == "extra_forbidden"
                    else error["msg"]
                )
                problems.append((f"{where}.{name}", message))
            continue
        bad = [c for c in entry.classes if c not in known_classes]
        if bad:
            problems.append(
                (f"{where}.classes", f"unknown class {', '.join(bad)}; accepted: {', '.join(sorted(known_classes))}")
            )
            continue
        if entry.drugs is None and not entry.classes:
            problems.append((where, "needs drugs (the names, or 'unknown') or classes (the kinds of medicine)"))
            continue
        for name in ("started", "stopped", "progression_date"):
            day = getattr(entry, name)
            if day is not None and day > as_of:
                problems.append((f"{where}.{name}", f"{day.isoformat()} is in the future (after {as_of.isoformat()})"))
        if entry.started and entry.stopped and entry.stopped < entry.started:
            problems.append((f"{where}.stopped", "is before 'started'"))
        if entry.started and entry.progression_date and entry.progression_date < entry.started:
            problems.append((f"{where}.progression_date", "is before 'started'"))
        if entry.ongoing and entry.stopped is not None:
            problems.append((f"{where}.ongoing", "is 'yes' but a stop date is given"))
        if entry.progressed is False and entry.progression_date is not None:
            problems.append((f"{where}.progressed", "is 'no' but a progression_date is given"))
        if isinstance(entry.drugs, str) and _is_unknown(entry.drugs):
            # a regimen whose medicines are not known: one member we know nothing about
            members = Members(
                classes=drugs.with_broader(entry.classes),
                complete=False,
                unnamed=(frozenset(), *(drugs.with_broader([c]) for c in entry.classes)),
            )
            result.append(RecognisedTreatment(entry=entry, drugs=members, typed=(), unrecognised=()))
            continue
        names = entry.drugs if isinstance(entry.drugs, list) else ([entry.drugs] if entry.drugs else [])
        members, typed, unrecognised = recognise(names, entry.classes, drugs, notes, where)
        result.append(RecognisedTreatment(entry=entry, drugs=members, typed=typed, unrecognised=unrecognised))
    return result
