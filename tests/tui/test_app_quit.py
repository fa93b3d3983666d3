"""ctrl+q in the interview asks before it forgets the answers; with nothing answered it quits at once."""

from __future__ import annotations

from tui_helpers import make_app, press, run, settle

from tui.screens.dialogs import ConfirmScreen


def test_ctrl_q_with_answers_asks_first_and_escape_keeps_every_answer() -> None:
    async def body() -> tuple[bool, bool, int]:
        app = make_app("patient", locale="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "f2")  # one answer: I don't know
            await settle(pilot)
            await pilot.press("ctrl+q")
            await pilot.pause()
            asked = isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")
            await settle(pilot)
            return asked, app.is_running, len(app.session.answers)

    assert run(body) == (True, True, 1)


def test_ctrl_q_twice_quits() -> None:
    async def body() -> bool:
        app = make_app("patient", locale="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "f2")
            await settle(pilot)
            await pilot.press("ctrl+q")
            await pilot.press("ctrl+q")
            await pilot.pause()
            return app.is_running

    assert run(body) is False


def test_ctrl_q_before_any_answer_quits_at_once() -> None:
    async def body() -> bool:
        app = make_app("patient", locale="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+q")
            await pilot.pause()
            return app.is_running

    assert run(body) is False
