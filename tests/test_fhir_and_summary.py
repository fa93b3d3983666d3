"""What leaves the program: the FHIR R4 Questionnaire and QuestionnaireResponse a clinic's record
system reads, and the summary a patient takes home."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled_matcher

from matcher.profile import load_profile
from questionnaires.bank import Mode, load_bank
from questionnaires.fhir import DATA_ABSENT, questionnaire, questionnaire_response
from questionnaires.replay import replay
from questionnaires.session import Session
from questionnaires.summary import Format, answered_lines, disclaimer, render_results, verdict_mark
from tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROFILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "expected.yaml")
COMPLETE = "second_line_after_atezo_bev.yaml"
AT_HOME = "patient_at_home.yaml"  # a patient who knows no lab values
MODES: tuple[Mode, ...] = ("patient", "nurse")

R4_ITEM_TYPES = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
}
R4_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
R4_STATUSES = {"draft", "active", "retired", "unknown"}
# The answer[x] an enableWhen may carry, by the type of the item it looks at.
ENABLE_WHEN_ANSWER = {
    "boolean": {"answerBoolean"},
    "choice": {"answerCoding"},
    "open-choice": {"answerString", "answerCoding"},
    "integer": {"answerInteger"},
    "decimal": {"answerDecimal"},
    "date": {"answerDate"},
    "string": {"answerString"},
    "quantity": {"answerQuantity"},
}
# The value[x] an answer may carry, by item type (choice items: the type of their options).
ANSWER_VALUE = {
    "boolean": {"valueBoolean"},
    "integer": {"valueInteger"},
    "decimal": {"valueDecimal"},
    "date": {"valueDate"},
    "string": {"valueString"},
    "quantity": {"valueQuantity"},
    "open-choice": {"valueString", "valueCoding"},
}


# --- the Questionnaire -------------------------------------------------------------------------


@cache
def exported(mode: Mode) -> dict[str, Any]:
    return questionnaire(load_bank(), bundled_matcher().vocabulary, mode)


def all_items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from all_items(item.get("item", []))


def items_by_link(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in all_items(resource["item"])}


def value_keys(element: dict[str, Any], prefix: str) -> list[str]:
    return [key for key in element if key.startswith(prefix) and key != prefix]


@pytest.mark.parametrize("mode", MODES)
def test_questionnaire_is_an_r4_questionnaire_with_a_valid_status(mode: Mode) -> None:
    q = exported(mode)
    assert (q["resourceType"], q["status"] in R4_STATUSES) == ("Questionnaire", True)


@pytest.mark.parametrize("mode", MODES)
def test_every_item_has_a_link_id_text_and_an_r4_type(mode: Mode) -> None:
    bad = [
        item.get("linkId")
        for item in all_items(exported(mode)["item"])
        if not item.get("linkId") or not item.get("text") or item.get("type") not in R4_ITEM_TYPES
    ]
    assert bad == []


@pytest.mark.parametrize("mode", MODES)
def test_link_ids_are_unique_including_help_items(mode: Mode) -> None:
    link_ids = [item["linkId"] for item in all_items(exported(mode)["item"])]
    assert sorted({x for x in link_ids if link_ids.count(x) > 1}) == []


def test_every_question_of_the_bank_is_exported() -> None:
    assert [item["linkId"] for item in exported("patient")["item"]] == [q.linkId for q in load_bank()]


def enable_when_problems(q: dict[str, Any]) -> list[str]:
    items = items_by_link(q)
    problems = []
    for item in all_items(q["item"]):
        for condition in item.get("enableWhen", []):
            where = f"{item['linkId']} -> {condition.get('question')}"
            target = items.get(condition.get("question"))
            answers = value_keys(condition, "answer")
            if target is None:
                problems.append(f"{where}: no such linkId")
                continue
            if condition.get("operator") not in R4_OPERATORS:
                problems.append(f"{where}: operator {condition.get('operator')!r}")
            allowed = {"answerBoolean"} if condition.get("operator") == "exists" else ENABLE_WHEN_ANSWER[target["type"]]
            if len(answers) != 1 or answers[0] not in allowed:
                problems.append(f"{where}: {answers} for a {target['type']} item")
            elif answers[0] == "answerCoding":
                codes = [o["valueCoding"]["code"] for o in target.get("answerOption", []) if "valueCoding" in o]
                if condition["answerCoding"].get("code") not in codes:
                    problems.append(f"{where}: code {condition['answerCoding'].get('code')!r} is not an option")
    return problems


@pytest.mark.parametrize("mode", MODES)
def test_every_enable_when_names_an_item_and_carries_one_answer_of_its_type(mode: Mode) -> None:
    assert enable_when_problems(exported(mode)) == []


def test_the_export_has_enable_when_conditions_on_boolean_choice_and_open_choice_items() -> None:
    """Guards the test above: it checks each kind of condition the bank uses."""
    items = items_by_link(exported("patient"))
    targets = {items[c["question"]]["type"] for i in items.values() for c in i.get("enableWhen", [])}
    assert targets >= {"boolean", "choice", "open-choice"}


@pytest.mark.parametrize("mode", MODES)
def test_answer_options_appear_only_on_choice_and_open_choice_items(mode: Mode) -> None:
    bad = [
        item["linkId"]
        for item in all_items(exported(mode)["item"])
        if "answerOption" in item and item["type"] not in ("choice", "open-choice")
    ]
    assert bad == []


@pytest.mark.parametrize("mode", MODES)
def test_enable_behavior_is_given_exactly_when_there_are_several_conditions(mode: Mode) -> None:
    bad = [
        item["linkId"]
        for item in all_items(exported(mode)["item"])
        if ("enableBehavior" in item) != (len(item.get("enableWhen", [])) > 1)
    ]
    assert bad == []


def test_the_questionnaire_command_prints_the_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "questionnaire", "--mode", "nurse"]) == 0
    assert json.loads(capsys.readouterr().out) == exported("nurse")


# --- the QuestionnaireResponse -----------------------------------------------------------------


@cache
def replayed(name: str, mode: Mode = "nurse") -> Session:
    return replay(bundled_matcher(), load_profile(EXAMPLES / name), mode)


@cache
def response(name: str, mode: Mode = "nurse") -> dict[str, Any]:
    return questionnaire_response(replayed(name, mode), authored=dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC))


def option_value(element: dict[str, Any]) -> Any:
    """What an answer or an answer option stands for: a coding's code, else the value itself."""
    key = value_keys(element, "value")[0]
    return element[key]["code"] if key == "valueCoding" else element[key]


def answer_problems(resp: dict[str, Any], q: dict[str, Any]) -> list[str]:
    items = items_by_link(q)
    problems = []
    for item in all_items(resp["item"]):
        question = items.get(item["linkId"])
        if question is None:
            problems.append(f"{item['linkId']}: not in the Questionnaire")
            continue
        options = question.get("answerOption", [])
        if question["type"] == "choice":
            allowed = {value_keys(o, "value")[0] for o in options}
        else:
            allowed = ANSWER_VALUE.get(question["type"], set())
        for answer in item.get("answer", []):
            keys = value_keys(answer, "value")
            if len(keys) != 1 or keys[0] not in allowed:
                problems.append(f"{item['linkId']} ({question['type']}): {keys}")
            elif keys[0] == "valueQuantity" and not {"value", "unit"} <= set(answer["valueQuantity"]):
                problems.append(f"{item['linkId']}: a quantity without value and unit")
            elif question["type"] == "choice" and option_value(answer) not in [option_value(o) for o in options]:
                problems.append(f"{item['linkId']}: {option_value(answer)!r} is not one of its options")
    return problems


@pytest.mark.parametrize("name", PROFILES)
def test_the_response_is_a_completed_r4_response_to_the_questionnaire(name: str) -> None:
    resp, q = response(name), exported("nurse")
    header = (
        resp["resourceType"],
        resp["questionnaire"],
        resp["status"],
        bool(dt.datetime.fromisoformat(resp["authored"])),
    )
    assert header == ("QuestionnaireResponse", f"{q['url']}|{q['version']}", "completed", True)


@pytest.mark.parametrize("name", PROFILES)
def test_every_response_item_is_a_question_of_the_questionnaire(name: str) -> None:
    items = items_by_link(exported("nurse"))
    assert [i["linkId"] for i in all_items(response(name)["item"]) if i["linkId"] not in items] == []


@pytest.mark.parametrize("name", PROFILES)
def test_every_answer_value_fits_its_item_type(name: str) -> None:
    assert answer_problems(response(name), exported("nurse")) == []


def test_a_none_answer_is_not_sent_as_an_empty_answer_list() -> None:
    empty = [i["linkId"] for i in all_items(response(COMPLETE)["item"]) if i.get("answer") == []]
    assert empty == []


def test_dont_know_items_carry_no_answer_and_the_asked_unknown_reason() -> None:
    session = replayed(AT_HOME)
    unknown = {link_id for link_id, a in session.answers.items() if a.value is None}
    sent = {i["linkId"]: i for i in response(AT_HOME)["item"] if i["linkId"] in unknown}
    bad = [
        link_id
        for link_id, item in sent.items()
        if "answer" in item or {"url": DATA_ABSENT, "valueCode": "asked-unknown"} not in item.get("extension", [])
    ]
    assert (len(sent) > 10, bad) == (True, [])


@pytest.mark.parametrize("name", PROFILES)
def test_no_response_item_has_both_an_answer_and_nested_items(name: str) -> None:
    assert [i["linkId"] for i in all_items(response(name)["item"]) if "answer" in i and "item" in i] == []


def test_answers_set_aside_are_not_sent() -> None:
    session = Session(bundled_matcher(), "patient", load_bank())
    session.change("sex", "female")
    session.change("pregnant", "no")
    session.change("sex", "male")
    assert "pregnant" not in {i["linkId"] for i in questionnaire_response(session)["item"]}


# --- the patient's summary ---------------------------------------------------------------------


@cache
def summary(name: str, fmt: Format) -> str:
    session = replayed(name, "patient")
    trials = {t.nct_id: t for t in bundled_matcher().catalogue.trials}
    return render_results(
        session.results(),
        trials,
        session.as_of,
        session.profile.notes,
        fmt,
        answers=answered_lines(session.transcript()),
        vocabulary=bundled_matcher().vocabulary,
    )


FORMATS: tuple[Format, ...] = ("markdown", "text")


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_has_the_date_and_the_disclaimer(fmt: Format) -> None:
    text = summary(AT_HOME, fmt)
    assert ("2026-11-22" in text, disclaimer() in text) == (True, True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_lists_every_answer_given(fmt: Format) -> None:
    text = summary(AT_HOME, fmt)
    lines = answered_lines(replayed(AT_HOME, "patient").transcript())
    assert [f"{a.question} — {a.answer}" for a in lines if f"{a.question} — {a.answer}" not in text] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_gives_each_trial_its_verdict(fmt: Format) -> None:
    lines = summary(AT_HOME, fmt).splitlines()
    results = replayed(AT_HOME, "patient").results()
    missing = [
        r.nct_id for r in results if not any(r.nct_id in line and verdict_mark(r.verdict) in line for line in lines)
    ]
    assert missing == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_gives_the_reasons_quoting_the_criteria(fmt: Format) -> None:
    text = folded(summary(AT_HOME, fmt))
    failed = [o for r in replayed(AT_HOME, "patient").results() for o in r.failed]
    assert (
        len(failed) > 0,
        [o.criterion for o in failed if folded(o.reason) not in text or folded(o.text) not in text],
    ) == (
        True,
        [],
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_lists_what_to_confirm_for_trials_still_possible(fmt: Format) -> None:
    text = folded(summary(AT_HOME, fmt))
    unknown = [o for r in replayed(AT_HOME, "patient").results() if r.verdict != "not_eligible" for o in r.unknown]
    assert ("To confirm with the care team:" in text, [o.reason for o in unknown if folded(o.reason) not in text]) == (
        True,
        [],
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_lists_every_trial_s_contacts_and_sites(fmt: Format) -> None:
    text = summary(AT_HOME, fmt)
    trials = bundled_matcher().catalogue.trials
    wanted = [c.name for t in trials for c in t.contacts] + [s.facility for t in trials for s in t.sites]
    assert (len(wanted) > 0, [w for w in wanted if w not in text]) == (True, [])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_summary_lists_the_lab_values_to_bring_when_they_are_unknown(fmt: Format) -> None:
    text = summary(AT_HOME, fmt)
    section = text.split("Lab values to bring to your care team", 1)[-1].split("1. NCT", 1)[0]
    assert ("Lab values to bring to your care team" in text, "platelet count" in section) == (True, True)


def test_the_summary_has_no_lab_section_when_the_labs_are_known() -> None:
    assert "Lab values to bring" not in summary(COMPLETE, "markdown")


# --- the command line's exports ----------------------------------------------------------------


def test_interview_writes_the_summary_and_the_fhir_response_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary_file, fhir_file = tmp_path / "out.md", tmp_path / "out.json"
    args = ["--no-cache", "interview", "--answers", str(EXAMPLES / AT_HOME)]
    assert main([*args, "--summary", str(summary_file), "--fhir", str(fhir_file)]) == 0
    said = capsys.readouterr().err
    written = (
        summary_file.read_text(encoding="utf-8").startswith("# Trial Matcher"),
        json.loads(fhir_file.read_text(encoding="utf-8"))["resourceType"],
        str(summary_file.resolve()) in said,
        str(fhir_file.resolve()) in said,
    )
    assert written == (True, "QuestionnaireResponse", True, True)


def test_interview_writes_no_file_without_the_export_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "interview", "--answers", str(EXAMPLES / AT_HOME)]) == 0
    assert (list(tmp_path.iterdir()), "saved to" in capsys.readouterr().err) == ([], False)
