"""FHIR R4 exports: the question bank as a ``Questionnaire``, a session as a ``QuestionnaireResponse``.

Field names follow FHIR R4 (linkId, type, required, repeats, answerOption, enableWhen,
enableBehavior). "I don't know" has no FHIR answer: the item is sent without ``answer`` and with
the data-absent-reason extension ``asked-unknown``. Events (the date something last happened, or
"never") are ``open-choice`` items with a "never" option; a date is sent as its ISO text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.display import interval_text, window_text
from matcher.facts import Fact, Vocabulary
from matcher.values import NEVER, EventWindow, Interval, Lab, Members
from questionnaires.bank import Mode, Question, QuestionBank
from questionnaires.session import Session
from questionnaires.treatment import ONGOING, SLOTS, RegimenAnswer

QUESTIONNAIRE_URL = "urn:trialmatch:questionnaire:hcc"
NONE = "none"  # the answer "none of these" to a several-choice or drug-list item
VERSION = "1"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
HELP_CONTROL = {
    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
    "valueCodeableConcept": {
        "coding": [
            {"system": "http://hl7.org/fhir/questionnaire-item-control", "code": "help", "display": "Help-Button"}
        ]
    },
}


def item_type(question: Question, fact: Fact | None) -> tuple[str, bool]:
    """The FHIR item type and whether it repeats."""
    if fact is None:
        slot = SLOTS[question.fact]
        return {
            "boolean": ("boolean", False),
            "integer": ("integer", False),
            "date": ("date", False),
            "stop": ("open-choice", False),
            "regimen": ("open-choice", True),
        }[slot.type]
    if fact.type == "integer" and question.answerOption:
        return "choice", False
    return {
        "boolean": ("boolean", False),
        "choice": ("choice", False),
        "set": ("choice", True),
        "integer": ("integer", False),
        "number": ("quantity", False),
        "date": ("date", False),
        "event": ("open-choice", False),
        "drugs": ("string", True),
    }[fact.type]


def questionnaire(bank: QuestionBank, vocabulary: Vocabulary, mode: Mode = "patient") -> dict[str, Any]:
    """The whole bank as a FHIR R4 Questionnaire (texts in the given mode)."""
    items = [_question_item(q, vocabulary.facts.get(q.fact), bank, vocabulary, mode) for q in bank]
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": VERSION,
        "name": "TrialMatcherHCC",
        "title": f"Trial Matcher: liver cancer (HCC) trial screening ({mode} wording)",
        "status": "active",
        "item": items,
    }


def _question_item(
    question: Question, fact: Fact | None, bank: QuestionBank, vocabulary: Vocabulary, mode: Mode
) -> dict[str, Any]:
    kind, repeats = item_type(question, fact)
    if fact is None and SLOTS[question.fact].type == "regimen":
        repeats = True
    if fact is not None and fact.type == "set":
        repeats = True
    wording = question.wording(mode)
    item: dict[str, Any] = {"linkId": question.linkId, "text": wording.text, "type": kind, "required": False}
    if repeats:
        item["repeats"] = True
    options = _options(question, fact, mode)
    if options:
        item["answerOption"] = options
    if question.enableWhen:
        item["enableWhen"] = [
            _enable_when(c.question, c.operator, c.answer, bank, vocabulary) for c in question.enableWhen
        ]
        if len(question.enableWhen) > 1:
            item["enableBehavior"] = question.enableBehavior
    item["item"] = [
        {"linkId": f"{question.linkId}.help", "text": wording.help, "type": "display", "extension": [HELP_CONTROL]}
    ]
    return item


def _options(question: Question, fact: Fact | None, mode: Mode) -> list[dict[str, Any]]:
    if fact is not None and fact.type == "event":
        return [{"valueString": "never"}]
    if fact is not None and fact.type == "set":
        # "none of these" is an answer of its own (an empty answer list is not valid FHIR)
        listed = [
            {"valueCoding": {"code": o.code, "display": question.option_label(o.code, mode)}}
            for o in question.answerOption
        ]
        return [*listed, {"valueCoding": {"code": NONE, "display": "None"}}]
    out: list[dict[str, Any]] = []
    for option in question.answerOption:
        label = question.option_label(option.code, mode)
        if fact is not None and fact.type == "integer":
            out.append({"valueInteger": int(option.code)})
        elif fact is None and option.code == ONGOING:
            out.append({"valueString": ONGOING})
        else:
            out.append({"valueCoding": {"code": option.code, "display": label}})
    return out


def _enable_when(target: str, operator: str, answer: Any, bank: QuestionBank, vocabulary: Vocabulary) -> dict[str, Any]:
    condition: dict[str, Any] = {"question": target, "operator": operator}
    if operator == "exists":
        condition["answerBoolean"] = bool(answer)
    elif isinstance(answer, bool):
        condition["answerBoolean"] = answer
    elif isinstance(answer, int):
        condition["answerInteger"] = answer
    else:
        target_fact = vocabulary.facts.get(bank[target].fact)
        if target_fact is not None and target_fact.type in ("choice", "set"):
            condition["answerCoding"] = {"code": answer}
        else:
            condition["answerString"] = answer
    return condition


def questionnaire_response(session: Session, authored: dt.datetime | None = None) -> dict[str, Any]:
    """A session's answers as a FHIR R4 QuestionnaireResponse (answers that apply, in the order given)."""
    items = []
    for turn in session.transcript():
        if not turn.applies:
            continue
        question = session.bank[turn.link_id]
        answer = session.answers[turn.link_id]
        item: dict[str, Any] = {"linkId": question.linkId, "text": turn.question}
        if answer.value is None:
            item["extension"] = [{"url": DATA_ABSENT, "valueCode": "asked-unknown"}]
        else:
            item["answer"] = _answers(
                question, session.matcher.vocabulary.facts.get(question.fact), answer.value, session
            )
        items.append(item)
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{VERSION}",
        "status": "completed" if session.finished else "in-progress",
        "authored": (authored or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "item": items,
    }


def _answers(question: Question, fact: Fact | None, value: Any, session: Session) -> list[dict[str, Any]]:
    mode = session.mode
    if isinstance(value, RegimenAnswer):
        return (
            [{"valueCoding": {"code": c, "display": question.option_label(c, mode)}} for c in value.classes]
            + [{"valueString": session.matcher.drugs.drugs[d].name} for d in value.names]
            + [{"valueString": u} for u in value.unrecognised]
        )
    if value == ONGOING and fact is None:
        return [{"valueString": ONGOING}]
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if value is NEVER:
        return [{"valueString": "never"}]
    if isinstance(value, dt.date):
        open_choice = item_type(question, fact)[0] == "open-choice"  # events and stop dates: a date as text
        return [{"valueString": value.isoformat()}] if open_choice else [{"valueDate": value.isoformat()}]
    if isinstance(value, Members):
        if fact is not None and fact.type == "drugs":
            names = [{"valueString": session.matcher.drugs.drugs[d].name} for d in sorted(value.items)]
            return names or [{"valueString": NONE}]
        codes = [{"valueCoding": {"code": c, "display": question.option_label(c, mode)}} for c in sorted(value.items)]
        return codes or [{"valueCoding": {"code": NONE, "display": "None"}}]
    if isinstance(value, EventWindow):  # a time span ("none in the last 3 months"), as said
        return [{"valueString": value.said or window_text(value)}]
    if isinstance(value, Lab) and isinstance(value.value, Interval):
        value = value.value
    if isinstance(value, Interval):  # a result at a detection limit ("below 20 IU/mL")
        return [{"valueString": interval_text(value, f" {fact.unit}" if fact is not None and fact.unit else "")}]
    if isinstance(value, Lab):
        if value.value is not None and fact is not None:
            return [{"valueQuantity": {"value": value.value, "unit": fact.unit}}]
        return [{"valueQuantity": {"value": value.relative(), "unit": "×ULN"}}]
    if fact is not None and fact.type == "number":
        return [{"valueQuantity": {"value": value, "unit": fact.unit}}]
    if fact is not None and fact.type == "choice":
        return [{"valueCoding": {"code": value, "display": question.option_label(str(value), mode)}}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    return [{"valueString": str(value)}]
