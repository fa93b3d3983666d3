"""A yes/no question where "I never had one" means yes offers that reply as a button (issue 16)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button
from tui_helpers import click, make_app, press, run, settle


def test_the_never_had_one_button_answers_the_recovery_question_with_yes() -> None:
    async def body() -> tuple[list[str], list[str], Any]:
        app = make_app("patient")
        async with app.run_test(size=(100, 36)) as pilot:
            await settle(pilot)
            first = [str(b.label) for b in app.screen.query("#control Button")]  # "any cancer medicines?"
            while app.snapshot.question.link_id != "recovered_from_surgery":
                await press(pilot, "f2")
            buttons = [str(b.label) for b in app.screen.query("#control Button").results(Button)]
            await click(pilot, "#control #never")
            return first, buttons, app.session.answers["recovered_from_surgery"].value

    first, buttons, value = run(body)
    assert (first, buttons, value) == (["Yes", "No"], ["Yes", "No", "I have never had an operation"], True)
