"""The interview: the transcript, the question with its answer control, and the live side panel."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from matcher.verdicts import Verdict
from trials.i18n import DEFAULT_LOCALE
from tui.messages import InterviewReady
from tui.state import Snapshot
from tui.texts import t
from tui.widgets.answer import AnswerArea, relabel
from tui.widgets.footer import KeyBar, binding
from tui.widgets.transcript import Transcript
from tui.widgets.trial_states import TrialLabel, TrialStates


class InterviewScreen(Screen[None]):
    """One question at a time, the answers so far above it, every trial's state beside it."""

    BINDINGS = [
        # Not in the key bar (no room at 80 columns): the hint under a question being changed says it.
        binding("escape", "app.cancel_change", "cancel_change", show=False),
        binding("f6", "focus_transcript", "focus_transcript", show=False),
        # Letters answer yes/no questions wherever the focus is, except in a text field (it takes them).
        binding("y", "press('yes')", "answer_yes", show=False),
        binding("n", "press('no')", "answer_no", show=False),
        binding("d", "dont_know", "answer_dont_know", show=False),
    ]

    def __init__(
        self,
        title: Callable[[str], str],
        trials: Sequence[TrialLabel],
        drug_names: Iterable[str],
        large_text_button: bool = False,
        welcome: Callable[[str], str] | None = None,
        locale: str = DEFAULT_LOCALE,
    ) -> None:
        super().__init__(id="interview")
        self.welcome = welcome or (lambda locale: "")
        self.large_text_button = large_text_button
        self.title_text = title
        self.trials = list(trials)
        self.drug_names = list(drug_names)
        self.locale = locale

    def compose(self) -> ComposeResult:
        locale = self.locale
        with Horizontal(id="top-bar"):
            yield Static(self.title_text(locale), id="title", markup=False)
            if self.large_text_button:
                yield Button(t("interview.large_text", locale), id="large-text", compact=True)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Transcript(self.welcome(locale), locale, id="transcript")
                yield AnswerArea(self.drug_names, locale, id="answer")
            yield TrialStates(self.trials, locale, id="trials")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#trials", TrialStates).border_title = t("panel.title", self.locale)
        # Children are mounted (and composed) before their screen's Mount: a snapshot can be shown now.
        self.post_message(InterviewReady())

    def set_locale(self, locale: str) -> None:
        """Say everything in another language: the screen's own words now, the session's (question,
        transcript, panel) with its next snapshot."""
        self.locale = locale
        self.query_one("#title", Static).update(self.title_text(locale))
        for button in self.query("#large-text").results(Button):
            relabel(button, t("interview.large_text", locale))
        self.query_one(Transcript).set_locale(locale, self.welcome(locale))
        self.query_one(AnswerArea).set_locale(locale)
        self.query_one(TrialStates).set_locale(locale)
        self.refresh_bindings()  # the key bar names the keys in the new language

    async def show(self, snapshot: Snapshot) -> None:
        """Show a snapshot: transcript, question and control, side panel and progress."""
        self.query_one(Transcript).show(snapshot.transcript)
        await self.query_one(AnswerArea).show(snapshot, snapshot.answered + 1)
        states = self.query_one(TrialStates)
        why = None
        if snapshot.results is not None:  # nurse mode: the criteria that rule each trial out
            why = {r.nct_id: list(dict.fromkeys(o.criterion for o in r.failed)) for r in snapshot.results}
        states.show(snapshot.verdicts, snapshot.finished, why)
        states.show_progress(snapshot.answered, snapshot.remaining, snapshot.finished)

    def show_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        """The verdicts after an answer, before the next question is ready."""
        self.query_one(TrialStates).show(verdicts, finished=False)

    def show_busy(self, busy: bool) -> None:
        """Say that the next question is being worked out (only slow steps call this with True)."""
        self.query_one(AnswerArea).show_busy(busy)

    def clear(self) -> None:
        """Forget everything shown (a kiosk reset)."""
        self.query_one(Transcript).show(())
        self.query_one(AnswerArea).clear()
        states = self.query_one(TrialStates)
        states.show({trial.nct_id: "possibly_eligible" for trial in self.trials}, finished=False)
        states.clear_progress()

    def action_press(self, which: str) -> None:
        self.query_one(AnswerArea).action_press(which)

    def action_dont_know(self) -> None:
        self.query_one(AnswerArea).action_dont_know()

    def action_focus_transcript(self) -> None:
        self.query_one(Transcript).focus()

    @on(Button.Pressed, "#help")
    async def _help(self) -> None:
        await self.run_action("app.help")

    @on(Button.Pressed, "#back")
    async def _back(self) -> None:
        await self.run_action("app.previous")

    @on(Button.Pressed, "#see-results")
    async def _results(self) -> None:
        await self.run_action("app.results")

    @on(Button.Pressed, "#large-text")
    async def _large(self) -> None:
        await self.run_action("app.large_text")
        self.query_one(AnswerArea).focus_control()
