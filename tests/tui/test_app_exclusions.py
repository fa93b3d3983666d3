"""Exclusions read as exclusions on screen: "must not have: ..." to confirm, "does not apply" once known."""

from __future__ import annotations

from typing import Any

from tui_helpers import EXAMPLES, interview, make_app, profile_answers, run, settle, until

from tui.screens.results import ResultsScreen
from tui.widgets.trial_card import TrialCard

FLEX = "#card-NCT07493668"


def test_an_unknown_exclusion_on_the_card_reads_must_not_have() -> None:
    async def body() -> str:
        app = make_app("patient")
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await pilot.press("f4")  # the results before any answer: every exclusion still to confirm
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await settle(pilot)
            return app.screen.query_one(FLEX, TrialCard).text()

    card = run(body)
    assert ("? Must not have: a tumour grown into the main portal vein (Vp4)" in card, "? A tumour grown" in card) == (
        True,
        False,
    )


def test_the_criteria_view_says_an_exclusion_that_does_not_apply_does_not_apply_never_met() -> None:
    answers = profile_answers(EXAMPLES / "second_line_after_atezo_bev.yaml")

    async def body() -> dict[str, Any]:
        app = make_app("nurse")
        async with app.run_test(size=(120, 40)) as pilot:
            await interview(pilot, answers)
            await pilot.press("c")  # every criterion and its state
            await settle(pilot)
            card = app.screen.query_one(FLEX, TrialCard)
            return {"verdict": card.result.verdict, "criteria": card.criteria_text(), "card": card.text()}

    seen = run(body)
    criteria = seen["criteria"]
    assert (seen["verdict"], "✓ Exclusion 7 — does not apply" in criteria, "Exclusion 7 — met" in criteria) == (
        "eligible",
        True,
        False,
    )
    assert "Met, or does not apply:" in seen["card"]
