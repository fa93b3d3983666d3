"""Kiosk mode: idle reset with a warning, quitting only with the staff PIN, nothing written, large text."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widgets import Button, Input
from tui_helpers import button_fits, make_app, press, run, screen_text, settle, until

import tui.app
from tui.app import CONTRAST_THEME, run_app
from tui.screens.dialogs import PinScreen, StillThereScreen
from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen

PIN = "2468"


def kiosk(**kwargs: Any) -> Any:
    return make_app("kiosk", pin=PIN, **kwargs)


def test_kiosk_warns_then_wipes_every_answer_from_memory_when_nobody_is_there() -> None:
    async def body() -> dict[str, Any]:
        app = kiosk(idle_seconds=6, warning_seconds=3)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            old_session = app.session
            answered = dict(old_session.answers)
            await until(pilot, lambda: isinstance(app.screen, StillThereScreen), timeout=20)
            warning = screen_text(app)
            await until(pilot, lambda: app.resets >= 1 and app.session is not None and not app.busy, timeout=20)
            # a slow machine may already be warning the next (nobody's) session: stop the clock to look
            app.idle_seconds = 10_000
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen) and not app.busy)
            return {
                "answered": answered,
                "warning": warning,
                "after": dict(app.session.answers),
                "new_session": app.session is not old_session,
                "screen": type(app.screen),
                "question": app.snapshot.question.link_id,
                "transcript": app.screen.query_one("#transcript").text(),
            }

    seen = run(body)
    assert set(seen["answered"]) == {"treatment_any", "age"}
    assert "Are you still there?" in seen["warning"] and "wiped in" in seen["warning"]
    assert (seen["after"], seen["new_session"], seen["screen"]) == ({}, True, InterviewScreen)
    assert seen["question"] == "treatment_any" and seen["transcript"] == ""


def test_a_kiosk_left_on_its_first_screen_keeps_running_through_its_wipes() -> None:
    async def body() -> tuple[bool, int]:
        app = kiosk(idle_seconds=0.6, warning_seconds=0.3)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):  # nobody comes: the first screen is wiped, and wiped again
                if app.resets >= 2:
                    break
                await pilot.pause(0.05)
            return app.is_running, min(app.resets, 2)

    assert run(body) == (True, 2)  # it stopped at the first wipe (the first screen shown twice, DuplicateIds)


def test_a_key_during_the_warning_keeps_the_answers() -> None:
    async def body() -> tuple[int, set[str], type]:
        app = kiosk(idle_seconds=8, warning_seconds=4)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "y")
            await until(pilot, lambda: isinstance(app.screen, StillThereScreen), timeout=20)
            await pilot.press("space")
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            await pilot.pause(0.6)  # less than the time to the next warning since the key
            return app.resets, set(app.session.answers), type(app.screen)

    assert run(body) == (0, {"treatment_any"}, InterviewScreen)


def test_kiosk_quitting_is_blocked_without_the_pin_and_allowed_with_it() -> None:
    async def body() -> dict[str, Any]:
        app = kiosk()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+c")
            await pilot.press("ctrl+p")  # no command palette (its Quit command)
            await pilot.pause()
            after_keys = (app.is_running, type(app.screen))
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, PinScreen))
            await pilot.press(*"1111", "enter")
            await until(pilot, lambda: "not the PIN" in str(app.screen.query_one("#pin-message").render()))
            wrong = (app.is_running, type(app.screen), screen_text(app))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            footer = screen_text(app).splitlines()[-1]
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, PinScreen))
            await pilot.press(*PIN, "enter")
            for _ in range(250):
                if app.return_code is not None:
                    break
                await asyncio.sleep(0.02)
            return {"after_keys": after_keys, "wrong": wrong, "footer": footer, "exited": app.return_code}

    seen = run(body)
    assert seen["after_keys"] == (True, InterviewScreen)
    running, screen, text = seen["wrong"]
    assert (running, screen) == (True, PinScreen) and "That is not the PIN" in text
    assert "Quit" not in seen["footer"]
    assert seen["exited"] == 0


def test_patient_mode_quits_with_ctrl_q() -> None:
    async def body() -> int | None:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+q")
            for _ in range(250):
                if app.return_code is not None:
                    break
                await asyncio.sleep(0.02)
            return app.return_code

    assert run(body) == 0


def test_kiosk_offers_no_export_and_writes_nothing() -> None:
    async def body() -> dict[str, Any]:
        app = kiosk()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "n")
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await pilot.press("s")
            await pilot.pause()
            buttons = [str(b.label) for b in app.screen.query(Button)]
            try:
                app.export_summary(__import__("pathlib").Path("never-written.md"))
                refused = False
            except PermissionError:
                refused = True
            return {"buttons": buttons, "screen": type(app.screen), "refused": refused}

    seen = run(body)
    assert "Save summary" not in seen["buttons"] and seen["screen"] is ResultsScreen and seen["refused"]


def test_run_app_gives_a_kiosk_no_cache_and_needs_a_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    used: dict[str, Any] = {}
    real_load = tui.app.load_catalogue

    def load(directory: Any = None, cache_dir: Any = "unset") -> Any:
        used["cache_dir"] = cache_dir
        return real_load(directory, cache_dir=None)

    monkeypatch.setattr(tui.app, "load_catalogue", load)
    monkeypatch.setattr(tui.app.TrialMatcherApp, "run", lambda self: used.setdefault("mode", self.mode))
    monkeypatch.delenv(tui.app.PIN_ENV, raising=False)
    assert run_app(mode="kiosk") == 2 and "cache_dir" not in used
    monkeypatch.setenv(tui.app.PIN_ENV, PIN)
    assert run_app(mode="kiosk") == 0
    assert used == {"cache_dir": None, "mode": "kiosk"}


def test_large_text_high_contrast_theme_keeps_every_button_whole_at_80x24() -> None:
    async def body() -> dict[str, Any]:
        app = kiosk()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.click("#large-text")
            await pilot.pause()
            await press(pilot, "y")  # a text field and its buttons
            clipped = [str(b.label) for b in app.screen.query(Button) if b.display and not button_fits(app, b)]
            return {"theme": app.theme, "large": app.has_class("-large"), "clipped": clipped}

    seen = run(body)
    assert (seen["theme"], seen["large"], seen["clipped"]) == (CONTRAST_THEME.name, True, [])


def test_the_pin_field_hides_what_is_typed() -> None:
    async def body() -> bool:
        app = kiosk()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, PinScreen))
            await pilot.press(*"2468")
            return app.screen.query_one("#pin", Input).password and "2468" not in screen_text(app)

    assert run(body)
