"""A list of answers highlights nothing until the person moves: Enter alone records nothing."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from tui_helpers import run

from tui.messages import AnswerGiven
from tui.state import OptionView
from tui.widgets.answer import ChoiceList

OPTIONS = [OptionView("1", "heart_failure", "1. I have heart failure"), OptionView("2", "none", "2. None of these")]


class _Harness(App[None]):
    def __init__(self, previous: str | None = None) -> None:
        super().__init__()
        self.previous = previous
        self.given: list[str] = []

    def compose(self) -> ComposeResult:
        yield ChoiceList(OPTIONS, self.previous, id="choices")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()

    @on(AnswerGiven)
    def _given(self, message: AnswerGiven) -> None:
        self.given.append(message.raw)


def _press(*keys: str, previous: str | None = None) -> tuple[int | None, list[str]]:
    async def body() -> tuple[int | None, list[str]]:
        app = _Harness(previous)
        async with app.run_test() as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            return app.query_one(ChoiceList).highlighted, app.given

    return run(body)


def test_enter_alone_records_nothing_because_nothing_is_highlighted() -> None:
    assert _press("enter") == (None, [])


def test_a_digit_then_enter_records_that_answer() -> None:
    assert _press("2", "enter") == (1, ["none"])


def test_changing_an_answer_starts_on_the_earlier_choice() -> None:
    assert _press("enter", previous="none") == (1, ["none"])
