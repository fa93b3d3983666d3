"""The interview: the transcript, the question with its answer control, and the live side panel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from matcher.verdicts import Verdict
from tui.messages import InterviewReady
from tui.state import Snapshot
from tui.widgets.answer import AnswerArea
from tui.widgets.footer import KeyBar
from tui.widgets.transcript import Transcript
from tui.widgets.trial_states import TrialLabel, TrialStates


class InterviewScreen(Screen[None]):
    """One question at a time, the answers so far above it, every trial's state beside it."""

    BINDINGS = [
        Binding("escape", "app.cancel_change", "Cancel change", id="cancel_change"),
        Binding("f6", "focus_transcript", "Change an answer", show=False, id="focus_transcript"),
        # Letters answer yes/no questions wherever the focus is, except in a text field (it takes them).
        Binding("y", "press('yes')", "Yes", show=False, id="answer_yes"),
        Binding("n", "press('no')", "No", show=False, id="answer_no"),
        Binding("d", "dont_know", "I don't know", show=False, id="answer_dont_know"),
    ]

    def __init__(
        self,
        title: str,
        trials: Sequence[TrialLabel],
        drug_names: Iterable[str],
        large_text_button: bool = False,
        welcome: str = "",
    ) -> None:
        super().__init__(id="interview")
        self.welcome = welcome
        self.large_text_button = large_text_button
        self.title_text = title
        self.trials = list(trials)
        self.drug_names = list(drug_names)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(self.title_text, id="title", markup=False)
            if self.large_text_button:
                yield Button("Large text", id="large-text", compact=True)
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Transcript(self.welcome, id="transcript")
                yield AnswerArea(self.drug_names, id="answer")
            yield TrialStates(self.trials, id="trials")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#trials", TrialStates).border_title = "Trials"
        # Children are mounted (and composed) before their screen's Mount: a snapshot can be shown now.
        self.post_message(InterviewReady())

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
        states = self.query_one(TrialStates)
        states.show({t.nct_id: "possibly_eligible" for t in self.trials}, finished=False)
        states.progress_text = "Getting the first\nquestion ready…"

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
