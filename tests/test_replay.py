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
