"""Driving the app as a person would: keys, clicks and typed text, through the real widgets.

The answers come from a patient profile: each question the app asks is answered with what the
profile says, typed or chosen the way a person would, or with "I don't know".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.cells import cell_len
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button

from matcher.derived import derive_all
from matcher.display import number_text
from matcher.profile import Profile, load_profile
from matcher.values import NEVER, Lab, Members
from matcher.verdicts import Matcher
from questionnaires.bank import Question
from questionnaires.replay import answer_from_profile
from questionnaires.session import Session
from questionnaires.treatment import ONGOING, RegimenAnswer
from trials.loader import load_catalogue
from tui.app import TrialMatcherApp
from tui.screens.welcome import WelcomeScreen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 22)
T = TypeVar("T")
TYPED_MAX = 12  # answers up to this long are typed key by key

_MATCHER: Matcher | None = None


def matcher() -> Matcher:
    """The bundled catalogue, compiled once for these tests."""
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = Matcher(load_catalogue(cache_dir=None))
    return _MATCHER


def make_app(mode: str = "patient", **kwargs: Any) -> TrialMatcherApp:
    """The app on the bundled catalogue (or ``matcher=``), as of the examples' date."""
    chosen = kwargs.pop("matcher", None) or matcher()
    return TrialMatcherApp(chosen, mode, as_of=AS_OF, **kwargs)  # type: ignore[arg-type]


def run(test: Callable[[], Awaitable[T]]) -> T:
    """Run an async test body from a plain pytest test."""
    return asyncio.run(test())  # type: ignore[arg-type]


async def settle(pilot: Pilot[Any], skip_welcome: bool = True) -> None:
    """Wait until the session's work is done and the screen shows it.

    The first screen's "which country?" is skipped (Escape) unless ``skip_welcome`` is False."""
    app: Any = pilot.app
    for _ in range(500):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if skip_welcome and isinstance(app.screen, WelcomeScreen):
            await pilot.press("escape")
            continue
        if app.snapshot is not None and not app.busy and not app.workers:
            break
    await pilot.pause()  # one more refresh: the layout of what was just mounted
    assert not getattr(app, "errors", []), app.errors


async def until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds (the app is given time to handle what was pressed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause()
    await settle(pilot)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds, touching nothing (the first screen stays where it is)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause()


async def answered(pilot: Pilot[Any], action: Awaitable[Any]) -> None:
    """Do something that answers (keys or a click) and wait for the session's new state on screen."""
    app: Any = pilot.app
    before = app.snapshot
    await action
    await until(pilot, lambda: app.snapshot is not before and not app.busy)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys that answer the question on screen, and wait for what follows."""
    await answered(pilot, pilot.press(*keys))


async def click(pilot: Pilot[Any], selector: str) -> None:
    """Click a control that answers the question on screen, and wait for what follows."""
    target = pilot.app.screen.query_one(selector)
    # A button ignores clicks for 0.2 s after it was pressed (Textual's "active" effect): wait that out.
    await until(pilot, lambda: not target.has_class("-active"))
    await answered(pilot, pilot.click(selector))


CELL = 12.2  # the width of one terminal cell in Rich's SVG export
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def screen_spans(app: Any) -> list[tuple[int, int, int, str]]:
    """Every run of text on screen: (line, first column, columns it takes, text), from the SVG screenshot."""
    return [
        (int(line), round(float(x) / CELL), round(float(length) / CELL), html.unescape(text).replace("\xa0", " "))
        for x, length, line, text in _SVG_TEXT.findall(app.export_screenshot())
    ]


def screen_lines(app: Any) -> list[str]:
    """What the terminal shows, line by line (read from the SVG screenshot).

    A wide character (Hangul, CJK) takes two columns: it is followed by an empty string in its
    row, so a line's length in characters is its width in columns less its wide characters."""
    width, height = app.size
    grid: list[list[str]] = [[" "] * width for _ in range(height)]
    for line, column, _, text in screen_spans(app):
        for char in text:
            cells = cell_len(char)
            if 0 <= column < width:
                grid[line][column] = char
                if cells == 2 and column + 1 < width:
                    grid[line][column + 1] = ""
            column += cells
    return ["".join(row).rstrip() for row in grid]


def overflowing(app: Any) -> list[str]:
    """Runs of text that would reach past the terminal's right edge (their columns, by cell width)."""
    width = app.size[0]
    return [text for _, column, _, text in screen_spans(app) if column + cell_len(text) > width]


def screen_text(app: Any) -> str:
    """What the terminal shows, as one string."""
    return "\n".join(screen_lines(app))


def typed_answer(session: Session, question: Question, profile: Profile, known: dict[str, Any]) -> str | None:
    """What a person would type or choose for ``question``, from the profile (None: "I don't know")."""
    value = answer_from_profile(question, profile, known)
    if value is None:
        return None
    fact = session.matcher.vocabulary.facts.get(question.fact)
    given = profile.given.get(question.fact)
    if fact is not None and fact.type == "number" and isinstance(given, str) and not given.startswith("{"):
        return given  # typed as the profile writes it: "132 lb"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is NEVER:
        return "never"
    if value == ONGOING:
        return ONGOING
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Members):
        if fact is not None and fact.type == "drugs":
            return " + ".join(sorted(value.items)) or "none"
        return ", ".join(sorted(value.items)) or "none"
    if isinstance(value, RegimenAnswer):
        return " + ".join(value.names) if value.names else ", ".join(value.classes)
    if isinstance(value, Lab):
        relative = value.relative()
        if relative is not None:
            return f"{number_text(relative)} x ULN"
        assert fact is not None and value.value is not None
        return f"{number_text(value.value)} {fact.unit}"
    if isinstance(value, float | int) and fact is not None and fact.type == "number" and fact.unit:
        return f"{number_text(float(value))} {fact.unit}"
    return str(value)


def profile_answers(path: Path, **overrides: str) -> Callable[[Session, Question], str | None]:
    """A function answering each question from the profile file at ``path`` (or ``overrides``, by linkId)."""
    profile = load_profile(path)
    known = derive_all(profile, matcher().drugs)

    def answer(session: Session, question: Question) -> str | None:
        if question.linkId in overrides:
            return overrides[question.linkId]
        return typed_answer(session, question, profile, known)

    return answer


def headless(answers: Callable[[Session, Question], str | None], mode: str = "patient") -> Session:
    """The same interview without the app: the reference the app must agree with."""
    session = Session(matcher(), "nurse" if mode == "nurse" else "patient", as_of=AS_OF)  # type: ignore[arg-type]
    for _ in range(400):
        question = session.question
        if question is None:
            return session
        raw = answers(session, question)
        outcome = session.dont_know() if raw is None else session.answer(raw)
        if outcome.confirm:
            outcome = session.answer("yes")
        assert outcome.accepted, (question.linkId, raw, outcome)
    raise AssertionError("the headless interview did not finish")


async def give(pilot: Pilot[Any], raw: str | None, click_it: bool = False) -> None:
    """Answer the question on screen with ``raw`` through its control (keys, or clicks with ``click_it``)."""
    app: Any = pilot.app
    view = app.snapshot.question
    screen = app.screen
    if raw is None:
        await (click(pilot, "#dont-know") if click_it else press(pilot, "f2"))
    elif app.snapshot.confirm is not None or view.kind == "boolean":
        yes = raw in ("yes", "y")
        await (click(pilot, f"#control #{'yes' if yes else 'no'}") if click_it else press(pilot, "y" if yes else "n"))
    elif view.choose_one:
        key = next(o.key for o in view.options if o.code == raw)
        await press(pilot, *key, "enter")
    elif view.choose_several or (
        view.kind == "regimen" and all(o in {v.code for v in view.options} for o in raw.split(", "))
    ):
        codes = [] if raw == "none" else raw.split(", ")
        ticks = screen.query_one("#ticks")
        ticks.focus()
        for code in codes:
            await pilot.press(next(o.key for o in view.options if o.code == code))
        await press(pilot, "enter")
    elif raw == "never" and view.kind == "event":
        await click(pilot, "#control #never")
    elif raw == ONGOING:
        await click(pilot, "#control #option-ongoing")
    else:
        field = screen.query_one("#typed")
        field.focus()
        field.value = ""
        if len(raw) <= TYPED_MAX:
            await pilot.press(*raw)
        else:  # longer answers are pasted, as people do (typing them key by key is slow under Pilot)
            app.post_message(events.Paste(raw))
            await until(pilot, lambda: field.value == raw)
        await (click(pilot, "#control #ok") if click_it else press(pilot, "enter"))
    if app.snapshot.confirm is not None:
        await give(pilot, "yes", click_it)


async def interview(pilot: Pilot[Any], answers: Callable[[Session, Question], str | None], click_every: int = 0) -> int:
    """Answer every question until the results show; the number of questions answered."""
    app: Any = pilot.app
    await settle(pilot)
    asked = 0
    while app.snapshot.question is not None:
        question = app.session.bank[app.snapshot.question.link_id]
        raw = answers(app.session, question)
        asked += 1
        await give(pilot, raw, click_it=bool(click_every) and asked % click_every == 0)
        assert asked < 400, "the interview did not finish"
    await settle(pilot)
    return asked


def button_fits(app: Any, button: Button) -> bool:
    """The button is wholly on screen: inside the screen and every container around it, label included."""
    region = button.region
    room = button.content_region.width - 2 * button.styles.line_pad  # the label is padded inside the button
    if region.width <= 0 or room < max(map(cell_len, str(button.label).splitlines() or [""])):
        return False
    node = button.parent
    while node is not None and node is not app:
        if hasattr(node, "region") and not node.region.contains_region(region):
            return False
        node = node.parent
    return True
