"""The treatment history, asked the way people remember it, one regimen at a time.

Each regimen is a few slots ("what was it", "how many cycles", "did the cancer grow on it"...)
that the question bank asks like facts. The answers become the profile's ``treatments`` list,
so the matcher derives lines, drugs, classes and dates exactly as it does for a profile file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

MAX_LINES = 3
SlotType = Literal["boolean", "regimen", "integer", "date", "stop"]


@dataclass(frozen=True)
class Slot:
    """One answerable part of the treatment history."""

    id: str
    type: SlotType
    line: int  # 0 for "any treatment at all?"
    field: str  # the profile's regimen field it fills ('' for the yes/no of a line)
    label: str  # clinical label, for reasons and exports


def _slots() -> dict[str, Slot]:
    slots = {"treatment_any": Slot("treatment_any", "boolean", 0, "", "any systemic cancer treatment")}
    for line in range(1, MAX_LINES + 1):
        if line > 1:
            slots[f"line{line}_any"] = Slot(
                f"line{line}_any", "boolean", line, "", f"a line-{line} regimen after line {line - 1}"
            )
        slots[f"line{line}_drugs"] = Slot(f"line{line}_drugs", "regimen", line, "drugs", f"line-{line} drugs")
        slots[f"line{line}_stopped"] = Slot(f"line{line}_stopped", "stop", line, "stopped", f"line-{line} stop date")
    slots["line1_cycles"] = Slot("line1_cycles", "integer", 1, "cycles", "line-1 cycles")
    slots["line1_progressed"] = Slot("line1_progressed", "boolean", 1, "progressed", "progression on line 1")
    slots["line1_started"] = Slot("line1_started", "date", 1, "started", "line-1 start date")
    slots["line1_progression_date"] = Slot(
        "line1_progression_date", "date", 1, "progression_date", "line-1 progression date"
    )
    slots[f"line{MAX_LINES + 1}_any"] = Slot(
        f"line{MAX_LINES + 1}_any", "boolean", MAX_LINES + 1, "", f"more than {MAX_LINES} regimens"
    )
    return slots


SLOTS: dict[str, Slot] = _slots()
ONGOING = "ongoing"  # the stop slot's answer for a regimen still being taken


@dataclass(frozen=True)
class RegimenAnswer:
    """What a person said a regimen was: recognised names, and classes when names are not known."""

    names: tuple[str, ...] = ()  # recognised drug ids
    classes: tuple[str, ...] = ()  # kinds of medicine, for when names are not known
    unrecognised: tuple[str, ...] = ()  # names as typed that are not recognised: kept, never guessed


def treatments_from_slots(answers: dict[str, Any]) -> tuple[list[dict[str, Any]] | None, bool]:
    """The profile's ``treatments`` list and whether it is complete, from slot answers.

    ``answers`` holds only known answers (a "don't know" is simply absent). Returns ``(None, True)``
    when nothing is known about the treatment history.
    """
    any_treatment = answers.get("treatment_any")
    if any_treatment is False:
        return [], True
    if any_treatment is None and not any(k.startswith("line1_") for k in answers):
        return None, True
    regimens: list[dict[str, Any]] = []
    for line in range(1, MAX_LINES + 1):
        if line > 1 and answers.get(f"line{line}_any") is not True:
            more = answers.get(f"line{line}_any")
            return regimens, more is False
        regimens.append(_regimen(line, answers))
    more = answers.get(f"line{MAX_LINES + 1}_any")
    return regimens, more is False


def _regimen(line: int, answers: dict[str, Any]) -> dict[str, Any]:
    regimen: dict[str, Any] = {"line": line}
    drugs = answers.get(f"line{line}_drugs")
    if isinstance(drugs, RegimenAnswer) and (drugs.names or drugs.classes or drugs.unrecognised):
        names = [*drugs.names, *drugs.unrecognised]
        if names:
            regimen["drugs"] = names
        if drugs.classes:
            regimen["classes"] = list(drugs.classes)
    else:
        regimen["drugs"] = "unknown"
    stopped = answers.get(f"line{line}_stopped")
    if stopped == ONGOING:
        regimen["ongoing"] = True
    elif isinstance(stopped, dt.date):
        regimen["stopped"] = stopped
    if line == 1:
        for slot in ("cycles", "progressed", "started", "progression_date"):
            value = answers.get(f"line1_{slot}")
            if value is not None:
                regimen[slot] = value
    return regimen
