"""The first screen: where the person lives (optional), asked once before the medical questions.

Trials with a site in that country are listed first, and each result says where its nearest
site is. Skipping is always possible (Escape, the last option, or "Skip"). A kiosk shows this
screen again after every reset; a clinic that gave ``--country`` never sees it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static

from questionnaires.prompt import ANOTHER_COUNTRY, COUNTRY_QUESTION
from tui.widgets.answer import MarkedList

SKIP = ""


class WelcomeScreen(ModalScreen[str]):
    """Which country? Dismissed with the country chosen, or "" when skipped."""

    BINDINGS = [Binding("escape", "skip", "Skip", id="skip_country")]

    def __init__(self, countries: list[str], welcome: str) -> None:
        super().__init__(classes="dialog-screen", id="welcome")
        self.countries = countries
        self.welcome = welcome

    def compose(self) -> ComposeResult:
        lines = [Content(f"{n}. {name}") for n, name in enumerate([*self.countries, ANOTHER_COUNTRY], 1)]
        with Vertical(classes="dialog", id="welcome-dialog"):
            yield Static(Content(self.welcome), id="welcome-text", markup=False)
            yield Static(Content.assemble((COUNTRY_QUESTION, "bold")), classes="dialog-title", markup=False)
            yield MarkedList(lines, id="countries")
            with Horizontal(classes="buttons"):
                yield Button("Skip", id="skip", variant="default")

    def on_mount(self) -> None:
        self.query_one("#countries", MarkedList).focus()

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.countries) + 1:
                event.stop()
                self._choose(number - 1)

    @on(OptionList.OptionSelected, "#countries")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        self.dismiss(self.countries[index] if index < len(self.countries) else SKIP)

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.dismiss(SKIP)
