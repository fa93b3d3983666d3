"""Replaying an interview from a profile gives the same verdicts as matching the profile, and
``trialmatch interview --answers`` prints the questions it asked with the results."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, bundled_matcher

from matcher.profile import Profile, load_profile, read_profile
from questionnaires.bank import Mode, load_bank
from questionnaires.replay import replay
from questionnaires.session import DONT_KNOW_SHOWN, Session
from tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROFILES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "expected.yaml")
COMPLETE = "second_line_after_atezo_bev.yaml"
MODES: tuple[Mode, ...] = ("patient", "nurse")


@cache
def replayed(name: str, mode: Mode) -> Session:
    return replay(bundled_matcher(), load_profile(EXAMPLES / name), mode)


def matched(profile: Profile) -> dict[str, str]:
    return {r.nct_id: r.verdict for r in bundled_matcher().match(profile)}


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["--no-cache", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PROFILES)
def test_replayed_verdicts_equal_the_profile_s_match(name: str, mode: Mode) -> None:
    assert replayed(name, mode).verdicts() == matched(load_profile(EXAMPLES / name))


@pytest.mark.parametrize("mode", MODES)
def test_the_complete_example_needs_fewer_questions_than_the_bank_holds(mode: Mode) -> None:
    assert len(replayed(COMPLETE, mode).transcript()) < len(load_bank())


@pytest.mark.parametrize("mode", MODES)
def test_a_profile_that_says_nothing_gets_only_dont_know_answers_and_finishes(mode: Mode) -> None:
    session = replay(bundled_matcher(), Profile(as_of=AS_OF), mode)
    answers = {t.answer for t in session.transcript()}
    assert (session.finished, answers) == (True, {DONT_KNOW_SHOWN})


def test_replay_does_not_pick_a_first_line_the_profile_leaves_open() -> None:
    profile = read_profile(
        {
            "as_of": AS_OF,
            "facts": {},
            "treatments": [{"drugs": "Tecentriq + Avastin"}, {"drugs": "lenvatinib", "started": "2026-06-01"}],
        }
    )
    replayed, full = replay(bundled_matcher(), profile, "nurse").verdicts(), matched(profile)
    # The interview records a line's drugs only once the order of the lines is known, so a rule on every
    # earlier drug (NCT05831969 inclusion 4.2, lenvatinib with a PD-1 drug in any line) stays open in the
    # replay: possibly eligible there, where the whole profile (no PD-1 drug at all) says not eligible.
    assert (replayed.pop("NCT05831969"), full.pop("NCT05831969")) == ("possibly_eligible", "not_eligible")
    assert replayed == full


@pytest.mark.parametrize(
    "treatments",
    [
        pytest.param(
            [{"drugs": "lenvatinib", "line": 2}, {"drugs": "Tecentriq + Avastin", "line": 1, "progressed": True}],
            id="line-1-listed-second",
        ),
        pytest.param(
            [{"drugs": "lenvatinib"}, {"drugs": "Tecentriq + Avastin", "line": 1, "progressed": True}],
            id="only-one-numbered",
        ),
    ],
)
def test_replay_reads_the_first_line_as_match_does(treatments: list[dict[str, Any]]) -> None:
    profile = read_profile({"as_of": AS_OF, "facts": {}, "treatments": treatments})
    assert replay(bundled_matcher(), profile, "nurse").verdicts() == matched(profile)


def test_a_history_whose_first_line_is_ambiguous_never_gets_a_more_decided_verdict_from_the_replay() -> None:
    """Two regimens both marked line 1: match leaves the first line unknown; an interview always has a first
    line, so the replay does not answer which regimen was which (never guessed) and may stay less decided."""
    treatments = [{"drugs": "Tecentriq + Avastin", "line": 1}, {"drugs": "lenvatinib", "line": 1}]
    profile = read_profile({"as_of": AS_OF, "facts": {}, "treatments": treatments})
    replayed_verdicts, expected = replay(bundled_matcher(), profile, "nurse").verdicts(), matched(profile)
    assert all(replayed_verdicts[n] in (v, "possibly_eligible") for n, v in expected.items()), replayed_verdicts


@pytest.mark.parametrize("mode", MODES)
def test_a_span_between_two_first_line_dates_is_asked_once_the_history_gates_are_answered(mode: Mode) -> None:
    # "any cancer medicines?" and "did it grow?" answered yes must not stop the planner asking both
    # dates of "progression within 3 months of starting" (NCT06592612 exclusion 2; review finding W4)
    refractory = [{"drugs": "Tecentriq + Avastin", "started": "2025-10-06", "progression_date": "2025-12-15"}]
    profile = read_profile({"as_of": AS_OF, "facts": {}, "treatments": refractory})
    asked = {turn.link_id for turn in replay(bundled_matcher(), profile, mode).transcript()}
    assert {"line1_started", "line1_progression_date"} <= asked


# --- the command line --------------------------------------------------------------------------


def test_interview_json_lists_each_question_with_its_fact_text_and_answer(capsys: pytest.CaptureFixture[str]) -> None:
    payload = cli_json(capsys, "interview", "--answers", str(EXAMPLES / COMPLETE), "--json")
    shapes = {tuple(sorted(q)) for q in payload["questions"]}
    assert (shapes, payload["questions"][0]["fact"]) == ({("answer", "fact", "text")}, "treatment_any")


@pytest.mark.parametrize("name", PROFILES)
def test_interview_json_gives_the_same_verdicts_as_match_json(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    interview = cli_json(capsys, "interview", "--answers", str(EXAMPLES / name), "--json")
    match = cli_json(capsys, "match", "--json", str(EXAMPLES / name))
    verdicts = [{t["nct_id"]: t["verdict"] for t in payload["trials"]} for payload in (interview, match)]
    assert verdicts[0] == verdicts[1]


def test_interview_json_shows_the_answers_as_given_not_internal_values(capsys: pytest.CaptureFixture[str]) -> None:
    payload = cli_json(capsys, "interview", "--answers", str(EXAMPLES / COMPLETE), "--json", "--mode", "nurse")
    answers = {q["fact"]: q["answer"] for q in payload["questions"]}
    assert (answers["line1_drugs"], "Lab(" in json.dumps(answers)) == ("atezolizumab + bevacizumab", False)


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param({"child_pugh_score": 9}, id="child-pugh-9-given"),
        pytest.param({"child_pugh_class": "C"}, id="child-pugh-class-given"),
        pytest.param({"first_line_progressed": False}, id="first-line-progression-given"),
    ],
)
def test_replay_uses_derived_facts_the_profile_gives_directly_as_match_does(facts: dict[str, Any]) -> None:
    profile = read_profile({"as_of": AS_OF, "facts": facts})
    verdicts = matched(profile)
    assert "not_eligible" in verdicts.values()  # the given fact decides something
    assert replay(bundled_matcher(), profile, "nurse").verdicts() == verdicts
