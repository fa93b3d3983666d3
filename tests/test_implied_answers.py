"""Answers implied by others, declared once in matcher/data/facts.yaml (``implied``), used by the evaluator,
the planner and the question bank check: no trial waits for a question that will never be asked."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled_matcher, check_status

import trials
from matcher.derived import apply_implications, derive_all
from matcher.facts import FACTS_FILE, load_vocabulary
from matcher.profile import read_profile
from matcher.values import AS_OF, Interval
from matcher.verdicts import Matcher
from questionnaires.bank import load_bank
from questionnaires.coverage import switched_off_problems
from questionnaires.planner import Planner
from questionnaires.session import Session
from trials.loader import load_catalogue

VOCABULARY = load_vocabulary()


def derived(facts: dict[str, Any]) -> dict[str, Any]:
    return derive_all(read_profile({"as_of": "2026-11-22", "facts": facts}))


# --- the evaluator -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "fact", "value"),
    [
        ({"brain_metastases": False}, "brain_metastases_bleeding", False),
        ({"sex": "male"}, "pregnant", False),
        ({"sex": "male"}, "breastfeeding", False),
        ({"sex": "male"}, "childbearing_potential", False),
        ({"sex": "female", "postmenopausal": True}, "childbearing_potential", False),
        ({"progressing_organs": ["liver", "brain"]}, "brain_metastases", True),
    ],
)
def test_an_answer_implies_another(facts: dict[str, Any], fact: str, value: Any) -> None:
    assert derived(facts)[fact] == value


def test_nothing_is_implied_by_the_other_answer() -> None:
    values = derived({"brain_metastases": True, "sex": "female", "postmenopausal": False})
    assert {"brain_metastases_bleeding", "pregnant", "childbearing_potential"} & set(values) == set()


def test_an_answer_given_directly_wins_over_an_implied_one() -> None:
    assert derived({"sex": "male", "pregnant": True})["pregnant"] is True


def test_a_dipstick_below_2_plus_implies_a_24_hour_protein_below_1_g_never_a_made_up_figure() -> None:
    value = derived({"urine_protein_dipstick": "1+"})["urine_protein_24h"]
    assert isinstance(value, Interval) and value.lo == 0 and value.hi < 1


def test_implications_chain_until_nothing_changes() -> None:
    values: dict[str, Any] = {AS_OF: dt.date(2026, 11, 22), "sex": "male"}
    filled = apply_implications(values, VOCABULARY, bundled_matcher().drugs)
    assert set(filled) == {"pregnant", "breastfeeding", "childbearing_potential"}


@pytest.mark.parametrize(
    ("nct", "section", "check", "facts", "expected"),
    [
        # NCT06592612 Exclusion 4 reads the bleeding follow-up only: "no brain metastases" now settles it
        ("NCT06592612", "exclusion", "4", {"brain_metastases": False}, "met"),
        ("NCT06592612", "exclusion", "4", {"brain_metastases": True}, "unknown"),
        ("NCT06592612", "exclusion", "4", {"brain_metastases": True, "brain_metastases_bleeding": True}, "failed"),
        # NCT07493668 Exclusion 21: the 24-hour collection is ordered only above 2+ on the dipstick
        ("NCT07493668", "exclusion", "21.1", {"urine_protein_dipstick": "negative"}, "met"),
        ("NCT07493668", "exclusion", "21.1", {"urine_protein_dipstick": "2+"}, "unknown"),
        (
            "NCT07493668",
            "exclusion",
            "21.1",
            {"urine_protein_dipstick": "1+", "urine_protein_24h": "1.2 g/24h"},
            "failed",
        ),
        # NCT07151326 10.9 orders the 24-hour test from 2+: the implication does not reach it
        ("NCT07151326", "inclusion", "10.9", {"urine_protein_dipstick": "2+"}, "unknown"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_implied_answers_decide_criteria(
    nct: str, section: str, check: str, facts: dict[str, Any], expected: str
) -> None:
    assert check_status(nct, check, facts, section=section) == expected


# --- the planner --------------------------------------------------------------------------------------


def test_after_no_brain_metastases_no_criterion_waits_for_the_bleeding_answer() -> None:
    counts, _ = Planner(bundled_matcher(), load_bank(), "nurse").open_inputs(derived({"brain_metastases": False}))
    assert "brain_metastases_bleeding" not in counts


def test_the_24_hour_urine_question_waits_for_the_dipstick() -> None:
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=dt.date(2026, 11, 22))
    order = [c.question.fact for c in session.candidates()]
    assert order.index("urine_protein_dipstick") < order.index("urine_protein_24h")


# --- the check ------------------------------------------------------------------------------------------


def test_the_shipped_bank_has_no_question_switched_off_while_a_rule_waits_for_it() -> None:
    assert switched_off_problems(bundled_matcher(), load_bank()) == []


def test_the_check_fails_on_a_switched_off_question_nothing_implies(tmp_path: Path) -> None:
    text = FACTS_FILE.read_text(encoding="utf-8")
    implied = ', implied: [{when: {op: eq, fact: brain_metastases, value: false}, value: false, why: "no brain metastases, so none has bled"}]'
    assert implied in text
    facts = tmp_path / "facts.yaml"
    facts.write_text(text.replace(implied, ""), encoding="utf-8")
    # Exclusion 4 as first encoded (review finding W3): the bleeding answer read alone, not behind
    # "brain metastases: yes", so only the implication keeps the trial from waiting for it
    catalogue = tmp_path / "catalogue"
    shutil.copytree(Path(trials.__file__).parent / "catalogue", catalogue)
    trial = catalogue / "NCT06592612.yaml"
    encoded = trial.read_text(encoding="utf-8")
    guarded = "rules:\n              - {op: eq, fact: brain_metastases, value: true}\n              - {op: eq, fact: brain_metastases_bleeding, value: true}"
    assert guarded in encoded
    trial.write_text(
        encoded.replace(guarded, "rules:\n              - {op: eq, fact: brain_metastases_bleeding, value: true}"),
        encoding="utf-8",
    )
    matcher = Matcher(load_catalogue(catalogue, cache_dir=None), vocabulary=load_vocabulary(facts))
    problems = switched_off_problems(matcher, load_bank())
    assert len(problems) == 1 and "'brain_metastases_bleeding'" in problems[0] and "NCT06592612" in problems[0]


def test_the_current_medicines_question_comes_before_the_steroid_question_it_can_settle() -> None:
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=dt.date(2026, 11, 22))
    order = [c.question.fact for c in session.candidates()]
    assert order.index("current_medications") < order.index("systemic_steroids")


def test_check_reports_no_question_switched_off_while_a_rule_waits(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    main(["check"])
    assert "Question bank: 0 question(s) the interview can switch off" in capsys.readouterr().out


def test_an_implied_yes_opens_the_follow_up_question_it_would_open_if_answered() -> None:
    """Brain among the growing organs implies brain metastases: "treated and stable?" must then be
    asked, or NCT07151326 would wait for a question the interview never asks."""
    session = Session(bundled_matcher(), "nurse", load_bank(), as_of=dt.date(2026, 11, 22))
    session.change("progressing_organs", "brain")
    assert session.applies(session.bank["brain_metastases_treated_stable"])
