"""The Textual app: a chat-style interview for patients, nurses and clinic kiosks.

The app owns the interview :class:`Session` and adds no matching logic: widgets post what the
person did (:mod:`tui.messages`), the app changes the session in a worker thread, and the
screens draw the :class:`~tui.state.Snapshot` that comes back. Modes:

- ``patient``: plain words (the default);
- ``nurse``: clinical wording and units, criterion numbers shown;
- ``kiosk``: patient wording; writes nothing to disk, wipes the answers after an idle time
  (with an "Are you still there?" warning first), and only staff with the PIN can quit.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from matcher.catalogue_filters import ArrangedResults, site_countries
from matcher.verdicts import Matcher, Verdict
from questionnaires.bank import Mode, QuestionBank, load_bank
from questionnaires.session import Session
from questionnaires.summary import answered_lines, render_results
from trials.i18n import DEFAULT_LOCALE
from trials.loader import default_cache_dir, load_catalogue
from trials.schema import Trial
from tui.messages import (
    AnswerGiven,
    ChangeRequested,
    DontKnowGiven,
    InterviewReady,
    ResultsReady,
    SessionFailed,
    SessionUpdated,
    VerdictsUpdated,
)
from tui.screens.dialogs import ConfirmScreen, ExportScreen, HelpScreen, PinScreen, StillThereScreen
from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen
from tui.screens.welcome import WelcomeScreen
from tui.state import Snapshot, report_verdicts_first, snapshot
from tui.widgets.trial_states import TrialLabel

AppMode = Literal["patient", "nurse", "kiosk"]
APP_MODES: tuple[AppMode, ...] = ("patient", "nurse", "kiosk")
PIN_ENV = "TRIALMATCH_PIN"
DEFAULT_IDLE_SECONDS = 180.0
WARNING_SECONDS = 30.0
DEFAULT_THEME = "textual-dark"
CONTRAST_THEME = Theme(
    name="trialmatch-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#303030",
    success="#00ff66",
    warning="#ffff00",
    error="#ff7070",
    dark=True,
)
TITLES = {
    "patient": "Trial Matcher — liver cancer trials, in plain words",
    "nurse": "Trial Matcher — nurse screening (clinical wording)",
    "kiosk": "Trial Matcher — answers are wiped when you leave",
}
WELCOME = {
    "patient": "Hello. I will ask you some questions to find which liver cancer trials might suit you. "
    "Answer what you can: “I don't know” is always a fine answer, and you can change any answer later. "
    "Nothing is saved unless you choose to save a summary at the end.",
    "nurse": "Screening interview: only the questions that can still change an undecided trial are asked. "
    "Select any earlier answer to change it; F4 shows the results at any time.",
    "kiosk": "Hello. I will ask you some questions to find which liver cancer trials might suit you. "
    "Answer what you can: “I don't know” is always a fine answer. Nothing is saved, and your answers "
    "are wiped when you leave.",
}
BUSY_NOTE_AFTER = 0.25  # seconds before a slow step is said on screen
INTERVIEW_ACTIONS = {"help", "dont_know", "previous", "results", "cancel_change"}


class TrialMatcherApp(App[None], inherit_bindings=False):
    """The interview, the live trial panel and the results, over one catalogue."""

    CSS_PATH = "app.tcss"
    TITLE = "Trial Matcher"
    ENABLE_COMMAND_PALETTE = False  # its Quit and Theme commands must not reach a kiosk
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help_question_mark"),
        Binding("f2", "dont_know", "Don't know", priority=True, id="dont_know"),
        Binding("f3", "previous", "Back", id="back"),
        Binding("f4", "results", "Results", id="results"),
        Binding("f5", "start_over", "Start over", id="start_over"),
        Binding("f9", "large_text", "Large text", show=False, id="large_text"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        # Kiosk: the same keys open the staff PIN dialog, and are not shown.
        Binding("ctrl+q", "staff_exit", "Staff", show=False, priority=True, id="staff_exit"),
        Binding("ctrl+c", "help_quit", show=False, id="help_quit"),
    ]

    def __init__(
        self,
        matcher: Matcher,
        mode: AppMode = "patient",
        *,
        pin: str | None = None,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        warning_seconds: float = WARNING_SECONDS,
        export_dir: Path | None = None,
        as_of: dt.date | None = None,
        bank: QuestionBank | None = None,
        country: str | None = None,
        locale: str | None = None,
    ) -> None:
        super().__init__()
        if mode not in APP_MODES:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(APP_MODES)}")
        self.matcher = matcher
        self.mode: AppMode = mode
        self.kiosk = mode == "kiosk"
        self.nurse = mode == "nurse"
        self.pin = pin
        self.idle_seconds = idle_seconds
        self.warning_seconds = min(warning_seconds, idle_seconds / 2)
        self.export_dir = export_dir or Path.cwd()
        self.as_of = as_of
        self.bank = bank
        # The language: given (--lang, $TRIALMATCH_LANG), else chosen on the first screen.
        self.preset_locale = locale
        self.locale = locale or DEFAULT_LOCALE
        # The patient's country: the clinic's (--country), else asked once on the first screen.
        self.preset_country = country
        self.countries = site_countries(c.trial for c in matcher.trials)
        self.country_answer: str | None = None  # what the first screen was told ("" = skipped)
        self.trials: dict[str, Trial] = {c.trial.nct_id: c.trial for c in matcher.trials}
        self.session: Session | None = None
        self.snapshot: Snapshot | None = None
        self.last_results: ArrangedResults | None = None
        self.generation = 0
        self._busy = False
        self._busy_since = 0.0
        self.errors: list[str] = []
        self.large_text = False
        self.last_activity = time.monotonic()
        self.warning: StillThereScreen | None = None
        self.resets = 0
        self._interview: InterviewScreen | None = None
        self._show_results_when_finished = False

    # --- screens -------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        labels = [TrialLabel(t.nct_id, t.acronym or "") for t in self.trials.values()]
        names = {n for d in self.matcher.drugs.drugs.values() for n in (d.name, *d.brands)}
        self._interview = InterviewScreen(
            TITLES[self.mode], labels, sorted(names), large_text_button=self.kiosk, welcome=WELCOME[self.mode]
        )
        return self._interview

    @property
    def interview(self) -> InterviewScreen:
        """The interview screen (always at the bottom of the screen stack)."""
        assert self._interview is not None
        return self._interview

    def on_mount(self) -> None:
        self.register_theme(CONTRAST_THEME)
        self.theme = DEFAULT_THEME
        if self.kiosk:
            self.set_interval(min(1.0, self.warning_seconds / 4), self.check_inactivity)

    @on(InterviewReady)
    def _interview_ready(self) -> None:
        if self.generation == 0:
            self.new_session()
            self.ask_country()

    def ask_country(self) -> None:
        """The first screen: which country (optional), unless the clinic set it or no trial lists a site."""
        self.country_answer = None
        if self.preset_country or not self.countries:
            return
        self.push_screen(WelcomeScreen(self.countries, WELCOME[self.mode]), self._country_chosen)

    def _country_chosen(self, answer: str | None) -> None:
        self.country_answer = answer or ""
        session = self.session
        if session is not None and not self.busy:
            session.set_country(self.country_answer)  # else when the session arrives (_session_updated)

    # --- running the session -------------------------------------------------------------------

    def fresh_session(self) -> Session:
        """A new session in this app's wording (kiosks use the patient wording)."""
        mode: Mode = "nurse" if self.nurse else "patient"
        return Session(
            self.matcher,
            mode,
            self.bank or load_bank(),
            self.as_of or dt.date.today(),
            self.preset_country,
            self.locale,
        )

    def new_session(self) -> None:
        """Start a fresh session (at start-up and on a kiosk reset); the old one is dropped."""
        self.generation += 1
        generation = self.generation
        self.session = None
        self.snapshot = None
        self.last_results = None
        self.busy = True

        def report(verdicts: dict[str, Verdict]) -> None:
            self.post_message(VerdictsUpdated(generation, verdicts))

        def start() -> None:
            try:
                session = self.fresh_session()
                report_verdicts_first(session, report)
                message: Message = SessionUpdated(generation, snapshot(session, with_results=self.nurse))
            except Exception as exc:  # a broken core must show a message, not take a kiosk down
                message = SessionFailed(generation, f"{type(exc).__name__}: {exc}")
            self.post_message(message)

        self.run_worker(start, thread=True, group="session", exit_on_error=False)

    @property
    def busy(self) -> bool:
        """True while the session is being changed in the worker (answers wait until it is done)."""
        return self._busy

    @busy.setter
    def busy(self, value: bool) -> None:
        self._busy = value
        if value:
            self._busy_since = time.monotonic()
            self.set_timer(BUSY_NOTE_AFTER, self._note_busy)
        elif self._interview is not None and self._interview.is_mounted:
            self._interview.show_busy(False)

    def _note_busy(self) -> None:
        # Only a slow step says so (a large catalogue's planner); most steps take a few milliseconds.
        if self._busy and time.monotonic() - self._busy_since >= BUSY_NOTE_AFTER and self._interview is not None:
            self._interview.show_busy(True)

    def submit(self, work: Callable[[Session], Snapshot | ArrangedResults]) -> bool:
        """Run ``work`` on the session in a worker thread; False (and nothing done) while busy.

        ``work`` returns a snapshot (the interview goes on) or the full results (to show them).
        """
        session = self.session
        if session is None or self.busy:
            return False
        self.busy = True
        generation = self.generation

        def run() -> None:
            message: Message
            try:
                done = work(session)
                message = (
                    ResultsReady(generation, done)
                    if isinstance(done, ArrangedResults)
                    else SessionUpdated(generation, done)
                )
            except Exception as exc:  # a broken core must show a message, not take a kiosk down
                message = SessionFailed(generation, f"{type(exc).__name__}: {exc}")
            self.post_message(message)

        self.run_worker(run, thread=True, group="session", exit_on_error=False)
        return True

    def updated(
        self,
        session: Session,
        editing: str | None = None,
        confirm: str | None = None,
        message: str | None = None,
        accepted: bool = False,
    ) -> Snapshot:
        """The session as the screens show it (built in the worker thread)."""
        return snapshot(session, editing, confirm, message, accepted, with_results=self.nurse)

    def _current(self, generation: int) -> bool:
        """A worker's message is about the current session, and the screen is still there to show it."""
        return generation == self.generation and self.interview.is_attached and self.is_running

    @on(SessionUpdated)
    async def _session_updated(self, message: SessionUpdated) -> None:
        if not self._current(message.generation):
            return
        snap = message.snapshot
        self.session = snap.session
        if self.country_answer is not None and not snap.session.country_asked:
            snap.session.set_country(self.country_answer)
        self.snapshot = snap
        await self.interview.show(snap)
        self.busy = False  # only now: the next answer goes to the control on screen
        self.refresh_bindings()
        answered, self._show_results_when_finished = self._show_results_when_finished, False
        if snap.finished and answered and isinstance(self.screen, InterviewScreen):
            self.action_results()  # the last answer: straight to the results

    @on(VerdictsUpdated)
    def _verdicts_updated(self, message: VerdictsUpdated) -> None:
        if self._current(message.generation):
            self.interview.show_verdicts(message.verdicts)

    @on(ResultsReady)
    def _results_ready(self, message: ResultsReady) -> None:
        if not self._current(message.generation) or self.session is None:
            return
        self.busy = False
        self.last_results = message.arranged
        screen = ResultsScreen(
            message.arranged, self.trials, self.session.as_of, nurse=self.nurse, can_export=not self.kiosk
        )
        self.push_screen(screen)

    @on(SessionFailed)
    def _session_failed(self, message: SessionFailed) -> None:
        if message.generation != self.generation:
            return
        self.busy = False
        self.errors.append(message.error)
        self.log.error(message.error)
        self.notify(f"Sorry, something went wrong: {message.error}", severity="error", markup=False)

    # --- what the person does ------------------------------------------------------------------

    @on(AnswerGiven)
    def _answer(self, message: AnswerGiven) -> None:
        raw = message.raw
        snap = self.snapshot
        if snap is None or snap.question is None:
            return
        editing, confirm = snap.editing, snap.confirm

        def work(session: Session) -> Snapshot:
            if editing is not None and confirm is None:
                outcome = session.change(editing, raw)
            else:
                outcome = session.answer(raw)
            still_editing = editing if not outcome.accepted and not outcome.confirm else None
            return self.updated(
                session,
                editing=still_editing,
                confirm=outcome.confirm,
                message=outcome.message,
                accepted=outcome.accepted,
            )

        if self.submit(work):
            self._show_results_when_finished = True

    @on(DontKnowGiven)
    def _dont_know(self) -> None:
        self.action_dont_know()

    @on(ChangeRequested)
    def _change(self, message: ChangeRequested) -> None:
        link_id = message.link_id
        self.submit(lambda session: self.updated(session, editing=link_id))

    def action_dont_know(self) -> None:
        snap = self.snapshot
        if snap is None or snap.question is None:
            return
        editing = snap.editing

        def work(session: Session) -> Snapshot:
            outcome = session.change(editing, "I don't know") if editing else session.dont_know()
            return self.updated(session, message=outcome.message, accepted=outcome.accepted)

        if self.submit(work):
            self._show_results_when_finished = True

    def action_previous(self) -> None:
        def work(session: Session) -> Snapshot:
            session.back()
            return self.updated(session)

        self.submit(work)

    def action_cancel_change(self) -> None:
        self.submit(lambda session: self.updated(session))

    def action_help(self) -> None:
        snap = self.snapshot
        if snap is not None and snap.question is not None:
            self.push_screen(HelpScreen(snap.question.text, snap.question.help))

    def action_results(self) -> None:
        self.submit(lambda session: session.arranged_results())

    def action_start_over(self) -> None:
        def chosen(yes: bool | None) -> None:
            if not yes:
                return
            while len(self.screen_stack) > 1:
                self.pop_screen()

            def work(session: Session) -> Snapshot:
                session.restart()
                return self.updated(session)

            if self.submit(work):
                self.ask_country()

        self.push_screen(ConfirmScreen("Start over? Every answer will be forgotten.", "Start over"), chosen)

    def action_large_text(self) -> None:
        self.large_text = not self.large_text
        self.theme = CONTRAST_THEME.name if self.large_text else DEFAULT_THEME
        self.set_class(self.large_text, "-large")

    def action_staff_exit(self) -> None:
        if isinstance(self.screen, PinScreen):
            return

        def chosen(ok: bool | None) -> None:
            if ok:
                self.exit()

        self.push_screen(PinScreen(self.pin or ""), chosen)

    def action_export(self) -> None:
        if self.kiosk or self.session is None or self.last_results is None:
            return
        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        suggested = self.export_dir / f"trialmatch-summary-{stamp}.md"

        def saved(path: Path | None) -> None:
            if path is None:
                return
            if isinstance(self.screen, ResultsScreen):
                self.screen.show_saved(str(path))
            self.notify(f"Summary saved to {path}", markup=False)

        self.push_screen(ExportScreen(suggested, self.export_summary), saved)

    def export_summary(self, path: Path) -> Path:
        """Write the results and the answers as Markdown; the absolute path written."""
        if self.kiosk:
            raise PermissionError("a kiosk writes nothing to disk")
        session, arranged = self.session, self.last_results
        assert session is not None and arranged is not None
        text = render_results(
            arranged.results,
            self.trials,
            session.as_of,
            session.profile.notes,
            "markdown",
            answers=answered_lines(session.transcript()),
            vocabulary=session.matcher.vocabulary,
            where={r.nct_id: arranged.where(r.nct_id) for r in arranged.results},
        )
        path.write_text(text, encoding="utf-8")
        return path.resolve()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "help_quit"):
            return not self.kiosk
        if action == "staff_exit":
            return self.kiosk
        if action in INTERVIEW_ACTIONS:
            if not isinstance(self.screen, InterviewScreen):
                return False
            snap = self.snapshot
            if action == "cancel_change":
                return snap is not None and snap.editing is not None
            if action in ("help", "dont_know", "previous"):
                return snap is not None and snap.question is not None
        if action == "start_over":
            return isinstance(self.screen, InterviewScreen | ResultsScreen)
        if action == "export":
            return not self.kiosk and isinstance(self.screen, ResultsScreen)
        return True

    # --- the kiosk's idle reset ----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Keys typed into an Input never reach App.on_key: every input event passes through here.
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def idle_for(self) -> float:
        """Seconds since the last key press or click."""
        return time.monotonic() - self.last_activity

    def check_inactivity(self) -> None:
        """Warn before the idle time is up; wipe the answers when it is."""
        idle = self.idle_for()
        if idle >= self.idle_seconds:
            self.reset_for_next_person()
        elif idle >= self.idle_seconds - self.warning_seconds:
            if self.warning is None:
                self.warning = StillThereScreen(lambda: self.idle_seconds - self.idle_for())
                self.push_screen(self.warning, lambda _: self._warning_closed())
        elif self.warning is not None and self.screen is self.warning:
            self.warning.dismiss(None)

    def _warning_closed(self) -> None:
        self.warning = None

    def reset_for_next_person(self) -> None:
        """Wipe every answer from memory (a new session) and go back to the first question."""
        self.resets += 1
        self.warning = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.interview.clear()
        self.new_session()
        self.ask_country()
        self.last_activity = time.monotonic()


def run_app(
    catalogue: str | None = None,
    *,
    mode: AppMode = "patient",
    pin: str | None = None,
    idle_seconds: float = DEFAULT_IDLE_SECONDS,
    no_cache: bool = False,
    country: str | None = None,
    locale: str | None = None,
) -> int:
    """Load the catalogue and run the app; the exit code (errors are said, never a traceback)."""
    pin = pin or os.environ.get(PIN_ENV) or None
    if mode == "kiosk" and not pin:
        print(f"trialmatch: kiosk mode needs a staff PIN (--pin or ${PIN_ENV}) so staff can close it", file=sys.stderr)
        return 2
    if idle_seconds <= 0:
        print("trialmatch: --idle-seconds must be more than 0", file=sys.stderr)
        return 2
    cache = None if mode == "kiosk" or no_cache else default_cache_dir()  # a kiosk writes nothing
    matcher = Matcher(load_catalogue(catalogue, cache_dir=cache))
    for error in matcher.errors:
        print(f"trialmatch: warning: left out of matching: {error}", file=sys.stderr)
    if not matcher.trials:
        print("trialmatch: no trial could be loaded; run 'trialmatch check'", file=sys.stderr)
        return 1
    TrialMatcherApp(matcher, mode, pin=pin, idle_seconds=idle_seconds, country=country, locale=locale).run()
    return 0
