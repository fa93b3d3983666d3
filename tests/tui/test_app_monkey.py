"""A monkey: a few hundred random keys and clicks; the app stays up and the session stays consistent."""

from __future__ import annotations

import random
from typing import Any

from tui_helpers import make_app, run, settle

from tui.screens.interview import InterviewScreen
from tui.widgets.transcript import Transcript

KEYS = [
    *"ynd0123456789a?",
    "enter",
    "enter",
    "space",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "escape",
    "backspace",
    "f1",
    "f2",
    "f2",
    "f3",
    "f4",
    "f5",
    "f6",
    "f8",  # another language (digits choose it): every answer kept
    "f9",
    "ctrl+c",
    "ctrl+p",
    "ctrl+q",
]
ACTIONS = 300
SEED = 20261122


def consistent(app: Any) -> list[str]:
    """What is wrong with the app's state, if anything."""
    problems = []
    session, snap = app.session, app.snapshot
    if session is None or snap is None or snap.session is not session:
        return ["no current session"]
    if len(session.history) != len(set(session.history)) or not set(session.history) <= set(session.answers):
        problems.append(f"history {session.history} does not match the answers")
    if not set(session.answers) <= set(session.bank.questions):
        problems.append("an answer to no question")
    expected = snap.editing or (session.question.linkId if session.question else None)
    if (snap.question.link_id if snap.question else None) != expected:
        problems.append(f"screen asks {snap.question} but the session asks {expected}")
    if session.locale != app.locale:
        problems.append(f"the session speaks {session.locale}, the app {app.locale}")
    if isinstance(app.screen, InterviewScreen):
        if app.screen.query_one(Transcript).turns != tuple(session.transcript()):
            problems.append("the transcript on screen is not the session's")
    return problems


def test_random_keys_and_clicks_leave_the_kiosk_running_and_consistent() -> None:
    rng = random.Random(SEED)

    async def body() -> dict[str, Any]:
        app = make_app("kiosk", pin="2468", idle_seconds=600)
        problems: list[str] = []
        most_answers = 0
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for step in range(ACTIONS):
                if rng.random() < 0.3:
                    width, height = app.size
                    await pilot.click(offset=(rng.randrange(width), rng.randrange(height)))
                else:
                    await pilot.press(rng.choice(KEYS))
                assert app.is_running, f"the app stopped at step {step}"
                if step % 25 == 24:
                    await settle(pilot)
                    problems += [f"step {step}: {p}" for p in consistent(app)]
                    most_answers = max(most_answers, len(app.session.answers))
            await settle(pilot)
            problems += consistent(app)
            return {
                "running": app.is_running,
                "errors": app.errors,
                "problems": problems,
                "answers": max(most_answers, len(app.session.answers)),
            }

    seen = run(body)
    assert (seen["running"], seen["errors"], seen["problems"]) == (True, [], [])
    assert seen["answers"] > 0  # the monkey did get through to the session
