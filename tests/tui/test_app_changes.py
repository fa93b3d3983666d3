"""Changing answers, going back, starting over, bad input, "Did you mean ...?", help and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Static
from tui_helpers import click, make_app, press, run, screen_text, settle, until

from tui.screens.dialogs import ConfirmScreen, ExportScreen, HelpScreen
from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen
from tui.widgets.transcript import Transcript
from tui.widgets.trial_states import TrialStates


def panel(app: Any) -> str:
    return app.screen.query_one(TrialStates).text()


def test_selecting_an_earlier_answer_re_asks_it_and_the_verdicts_and_next_question_follow_at_once() -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "n")  # no cancer medicines: every trial but the adjuvant one is ruled out
            before = (panel(app), app.snapshot.question.link_id)
            await press(pilot, "f6", "up", "enter")  # the transcript, its only answer: change it
            asked_again = (
                app.snapshot.editing,
                app.snapshot.question.link_id,
                str(app.screen.query_one("#question").render()),
            )
            await click(pilot, "#control #yes")
            return {
                "before": before,
                "asked_again": asked_again,
                "after": (panel(app), app.snapshot.question.link_id, app.session.answers["treatment_any"].value),
                "transcript": app.screen.query_one(Transcript).text(),
            }

    seen = run(body)
    assert "✗ 4 not eligible" in seen["before"][0]
    assert seen["asked_again"][:2] == ("treatment_any", "treatment_any")
    assert seen["asked_again"][2].startswith("Changing your answer:")
    after_panel, next_question, value = seen["after"]
    assert (value, "✗ 4 not eligible" in after_panel, next_question != seen["before"][1]) == (True, False, True)
    assert "You: yes" in seen["transcript"] and "You: no" not in seen["transcript"]


def test_back_re_asks_the_previous_question_with_the_answer_given_kept_in_the_field() -> None:
    async def body() -> tuple[str, str, str]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await press(pilot, *"64", "enter")  # age
            await click(pilot, "#back")
            return (
                app.snapshot.question.link_id,
                app.screen.query_one("#typed", Input).value,
                app.snapshot.question.kind,
            )

    assert run(body) == ("age", "64", "number")


def test_start_over_asks_first_then_forgets_every_answer() -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            await pilot.press("f5")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await click(pilot, "#confirm-yes")
            return {
                "answers": dict(app.session.answers),
                "question": app.snapshot.question.link_id,
                "transcript": app.screen.query_one(Transcript).text(),
                "panel": panel(app),
            }

    seen = run(body)
    assert seen["answers"] == {} and seen["question"] == "treatment_any"
    assert seen["transcript"] == "" and "Answered: 0" in seen["panel"]


def test_a_bad_number_shows_the_sessions_message_and_keeps_what_was_typed_and_every_answer() -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await press(pilot, *"sixty", "enter")
            bad = {
                "question": app.snapshot.question.link_id,
                "typed": app.screen.query_one("#typed", Input).value,
                "answers": {k: a.value for k, a in app.session.answers.items()},
                "screen": screen_text(app),
            }
            await press(pilot, *(["backspace"] * 5), *"61", "enter")
            return {"bad": bad, "fixed": app.session.answers["age"].value, "message": app.snapshot.message}

    seen = run(body)
    bad = seen["bad"]
    assert (bad["question"], bad["typed"], bad["answers"]) == ("age", "sixty", {"treatment_any": True})
    assert "⚠ 'sixty' is not a number" in bad["screen"]
    assert (seen["fixed"], seen["message"]) == (61, None)


def test_a_misspelt_medicine_is_confirmed_with_yes_and_no_buttons_and_no_asks_again() -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            for _ in range(4):  # "I don't know": progression, variceal bleeding, ECOG, diagnosis
                await press(pilot, "f2")
            await press(pilot, *"lenvatnib", "enter")
            asked = (app.snapshot.confirm, screen_text(app))
            await click(pilot, "#control #no")
            again = (app.snapshot.question.link_id, app.snapshot.message, "line1_drugs" in app.session.answers)
            await press(pilot, *"lenvatnib", "enter")
            await press(pilot, "y")
            return {"asked": asked, "again": again, "answer": app.session.answers["line1_drugs"].shown}

    seen = run(body)
    confirm, screen = seen["asked"]
    assert "lenvatinib" in confirm and "Yes, that's right" in screen
    assert seen["again"][0] == "line1_drugs" and "type the name again" in seen["again"][1] and not seen["again"][2]
    assert seen["answer"] == "lenvatinib"


def test_dont_know_and_help_are_there_for_every_kind_of_question() -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            help_text = screen_text(app)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            kinds = set()
            for turn in range(12):  # "I don't know" by key, then by button, and so on
                kinds.add(app.snapshot.question.kind)
                await (press(pilot, "f2") if turn % 2 else click(pilot, "#dont-know"))
            return {
                "help": help_text,
                "kinds": kinds,
                "dont_know": sum(a.value is None for a in app.session.answers.values()),
            }

    seen = run(body)
    assert "What does this mean?" in seen["help"] and "cancer medicines" in seen["help"]
    assert seen["dont_know"] == 12 and {"boolean", "number", "event"} <= seen["kinds"]


def test_export_writes_the_markdown_summary_with_the_answers_and_shows_the_path(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"

    async def body() -> dict[str, Any]:
        app = make_app(export_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "n")
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, ExportScreen))
            field = app.screen.query_one("#export-path", Input)
            suggested = field.value
            field.value = str(target)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            return {"suggested": suggested, "saved": str(app.screen.query_one("#saved", Static).render())}

    seen = run(body)
    assert seen["suggested"].startswith(str(tmp_path)) and seen["suggested"].endswith(".md")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Trial Matcher — 2026-11-22")
    assert "## Your answers" in text and "— no" in text
    assert "NCT06762782" in text and "✗ NOT ELIGIBLE" in text
    assert seen["saved"] == f"Saved: {target}"
