"""The results: every trial as a card, eligible first; criteria on demand; save; a QR code to take
away (nothing stored); start over."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from matcher.catalogue_filters import ArrangedResults
from matcher.facts import Vocabulary
from questionnaires.next_step import take_away_text
from questionnaires.summary import disclaimer, where_words
from trials.i18n import DEFAULT_LOCALE, format_date
from trials.schema import Trial
from trials.translations import TrialTexts
from tui.screens.take_away import TakeAwayScreen
from tui.texts import t
from tui.widgets.answer import relabel
from tui.widgets.footer import KeyBar, binding
from tui.widgets.qr_code import fit_text
from tui.widgets.trial_card import TrialCard

PAGE = 25  # cards mounted at a time: a catalogue of thousands stays quick to show


class ResultsScreen(Screen[None]):
    """Trials in order (eligible, possibly eligible, not eligible), each a card, in the app's language."""

    BINDINGS = [
        binding("escape", "back", "change_answers"),
        binding("c", "toggle_criteria", "toggle_criteria"),
        binding("s", "app.export", "export"),
        binding("q", "take_away", "take_away"),
    ]

    def __init__(
        self,
        arranged: ArrangedResults,
        trials: dict[str, Trial],
        as_of: dt.date,
        nurse: bool,
        can_export: bool,
        locale: str = DEFAULT_LOCALE,
        texts: Callable[[Trial, str], TrialTexts] | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        super().__init__(id="results")
        self.vocabulary = vocabulary
        self.trials = trials
        self.as_of = as_of
        self.nurse = nurse
        self.can_export = can_export
        self.criteria_shown = False
        self.texts = texts
        self.use(arranged, locale)

    def use(self, arranged: ArrangedResults, locale: str) -> None:
        """The results to show, and their language."""
        self.arranged = arranged
        self.results = arranged.results
        self.locale = locale
        self.mounted_cards = 0

    async def show_results(self, arranged: ArrangedResults, locale: str) -> None:
        """Show the results again (in another language): every card is rebuilt, the criteria stay as toggled."""
        self.use(arranged, locale)
        await self.recompose()
        self._start()

    def compose(self) -> ComposeResult:
        locale = self.locale
        counts = Counter(r.verdict for r in self.results)
        yield Static(
            Content.assemble(
                (t("results.heading", locale, count=len(self.results), date=format_date(self.as_of, locale)), "bold"),
                t(
                    "results.counts",
                    locale,
                    eligible=counts["eligible"],
                    possibly=counts["possibly_eligible"],
                    not_eligible=counts["not_eligible"],
                ),
                "\n",
                (disclaimer(locale), "italic"),
            ),
            id="results-summary",
        )
        with VerticalScroll(id="cards"):
            yield Button(t("results.more", locale), id="more", compact=True)
        yield Static("", id="saved", markup=False)
        with Horizontal(id="result-actions"):
            yield Button(t("results.change", locale), id="change", compact=True)
            yield Button(self._criteria_label(), id="criteria", compact=True)
            if self.can_export:
                yield Button(t("results.save", locale), id="save", compact=True)
            yield Button(t("results.take_away", locale), id="take-away-button", compact=True)
            yield Button(t("results.start_over", locale), id="start-over", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._start()

    def _start(self) -> None:
        self.query_one("#saved", Static).display = False
        self.mount_more()
        self.query_one("#cards", VerticalScroll).focus()

    def _criteria_label(self) -> str:
        return t("results.hide_criteria" if self.criteria_shown else "results.show_criteria", self.locale)

    def where(self, nct_id: str) -> str:
        """Where a trial could be done, in words, in the screen's language."""
        return where_words(self.arranged.sites.get(nct_id), self.arranged.country, self.locale)

    def mount_more(self) -> None:
        """Mount the next page of cards."""
        start = self.mounted_cards
        cards = []
        for i, result in enumerate(self.results[start : start + PAGE], start):
            trial = self.trials[result.nct_id]
            texts = self.texts(trial, self.locale) if self.texts is not None else None
            where = self.where(result.nct_id)
            cards.append(
                TrialCard(
                    i + 1,
                    result,
                    trial,
                    self.as_of,
                    self.nurse,
                    where,
                    self.locale,
                    texts,
                    self.vocabulary,
                    self.arranged.country,
                    self.arranged.near,
                )
            )
        self.mounted_cards += len(cards)
        more = self.query_one("#more", Button)
        self.query_one("#cards", VerticalScroll).mount_all(cards, before=more)
        more.display = self.mounted_cards < len(self.results)
        if self.criteria_shown:
            self.call_after_refresh(self._apply_criteria)

    def show_saved(self, path: str) -> None:
        """Say where the summary was written."""
        saved = self.query_one("#saved", Static)
        saved.update(Content.assemble((t("results.saved", self.locale) + " ", "bold"), path))
        saved.display = True

    def take_away_texts(self) -> list[str]:
        """What the QR codes hold: per eligible or possibly eligible trial, its id, title and next-step contacts."""
        out = []
        for result in self.results:
            if result.verdict == "not_eligible":
                continue
            trial = self.trials[result.nct_id]
            title = self.texts(trial, self.locale).get("title", trial.brief_title) if self.texts else None
            head, lines = take_away_text(result, trial, self.locale, self.arranged.country, self.arranged.near, title)
            out.append(fit_text(head, lines))
        return out

    def action_take_away(self) -> None:
        self.app.push_screen(TakeAwayScreen(self.take_away_texts(), self.locale))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_criteria(self) -> None:
        self.criteria_shown = not self.criteria_shown
        relabel(self.query_one("#criteria", Button), self._criteria_label())
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

    @on(Button.Pressed, "#take-away-button")
    def _take_away(self) -> None:
        self.action_take_away()

    @on(Button.Pressed, "#start-over")
    async def _start_over(self) -> None:
        await self.run_action("app.start_over")
