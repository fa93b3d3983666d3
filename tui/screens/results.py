"""The results: every trial as a card, eligible first; criteria on demand; save; start over."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from matcher.catalogue_filters import ArrangedResults
from questionnaires.summary import disclaimer
from trials.schema import Trial
from tui.widgets.footer import KeyBar
from tui.widgets.trial_card import TrialCard

PAGE = 25  # cards mounted at a time: a catalogue of thousands stays quick to show


class ResultsScreen(Screen[None]):
    """Trials in order (eligible, possibly eligible, not eligible), each a card."""

    BINDINGS = [
        Binding("escape", "back", "Change answers", id="change_answers"),
        Binding("c", "toggle_criteria", "Criteria", id="toggle_criteria"),
        Binding("s", "app.export", "Save summary", id="export"),
    ]

    def __init__(
        self, arranged: ArrangedResults, trials: dict[str, Trial], as_of: dt.date, nurse: bool, can_export: bool
    ) -> None:
        super().__init__(id="results")
        self.arranged = arranged
        self.results = arranged.results
        self.trials = trials
        self.as_of = as_of
        self.nurse = nurse
        self.can_export = can_export
        self.criteria_shown = False
        self.mounted_cards = 0

    def compose(self) -> ComposeResult:
        counts = Counter(r.verdict for r in self.results)
        yield Static(
            Content.assemble(
                (f"Results: {len(self.results)} trials checked on {self.as_of.isoformat()}", "bold"),
                f" — ✓ {counts['eligible']} eligible, ? {counts['possibly_eligible']} possibly eligible, "
                f"✗ {counts['not_eligible']} not eligible\n",
                (disclaimer(), "italic"),
            ),
            id="results-summary",
        )
        with VerticalScroll(id="cards"):
            yield Button("Show more trials", id="more", compact=True)
        yield Static("", id="saved", markup=False)
        with Horizontal(id="result-actions"):
            yield Button("Change answers", id="change", compact=True)
            yield Button("Show criteria", id="criteria", compact=True)
            if self.can_export:
                yield Button("Save summary", id="save", compact=True)
            yield Button("Start over", id="start-over", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#saved", Static).display = False
        self.mount_more()
        self.query_one("#cards", VerticalScroll).focus()

    def mount_more(self) -> None:
        """Mount the next page of cards."""
        start = self.mounted_cards
        cards = [
            TrialCard(i + 1, r, self.trials[r.nct_id], self.as_of, self.nurse, self.arranged.where(r.nct_id))
            for i, r in enumerate(self.results[start : start + PAGE], start)
        ]
        self.mounted_cards += len(cards)
        more = self.query_one("#more", Button)
        self.query_one("#cards", VerticalScroll).mount_all(cards, before=more)
        more.display = self.mounted_cards < len(self.results)
        if self.criteria_shown:
            self.call_after_refresh(self._apply_criteria)

    def show_saved(self, path: str) -> None:
        """Say where the summary was written."""
        saved = self.query_one("#saved", Static)
        saved.update(Content.assemble(("Saved: ", "bold"), path))
        saved.display = True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_criteria(self) -> None:
        self.criteria_shown = not self.criteria_shown
        self.query_one("#criteria", Button).label = "Hide criteria" if self.criteria_shown else "Show criteria"
        self._apply_criteria()

    def _apply_criteria(self) -> None:
        for card in self.query(TrialCard):
            card.show_criteria(self.criteria_shown)

    @on(Button.Pressed, "#more")
    def _more(self) -> None:
        self.mount_more()

    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#criteria")
    def _criteria(self) -> None:
        self.action_toggle_criteria()

    @on(Button.Pressed, "#save")
    async def _save(self) -> None:
        await self.run_action("app.export")

    @on(Button.Pressed, "#start-over")
    async def _start_over(self) -> None:
        await self.run_action("app.start_over")
