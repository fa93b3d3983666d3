"""The Textual app: a chat-style interview for patients, nurses and clinic kiosks.

The app owns the interview :class:`Session` and adds no matching logic: widgets post what the
person did (:mod:`tui.messages`), the app changes the session in a worker thread, and the
screens draw the :class:`~tui.state.Snapshot` that comes back. Modes:

- ``patient``: plain words (the default);
- ``nurse``: clinical wording and units, criterion numbers shown;
- ``kiosk``: patient wording; writes nothing to disk, wipes the answers after an idle time
  (with an "Are you still there?" warning first), and only staff with the PIN can quit.

Everything is shown in the app's language (``locale``: en, ko, zh-Hans, zh-Hant): given by
``--lang`` or ``$TRIALMATCH_LANG``, else chosen on the first screen (a kiosk asks again after
every reset), and changed at any time with F8; every answer is kept. The app's own words are in
:mod:`tui.texts`; the session gives the questions, messages and reasons in its locale.
"""

from __future__ import annotations

import datetime as dt
import math
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
from questionnaires.session import DONT_KNOW_SHOWN, Session
from questionnaires.summary import answered_lines, render_results, where_words
from trials.i18n import DEFAULT_LOCALE, LOCALES
from trials.loader import default_cache_dir, load_catalogue
from trials.schema import Trial
from tui.cli import write_private
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
from tui.screens.dialogs import (
    ConfirmScreen,
    ExportScreen,
    HelpScreen,
    LanguageScreen,
    PinGuard,
    PinScreen,
    StillThereScreen,
)
from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen
from tui.screens.welcome import WelcomeScreen
from tui.state import Snapshot, report_verdicts_first, snapshot
from tui.texts import t
from tui.widgets.footer import binding
from tui.widgets.trial_states import TrialLabel

AppMode = Literal["patient", "nurse", "kiosk"]
APP_MODES: tuple[AppMode, ...] = ("patient", "nurse", "kiosk")
PIN_ENV = "TRIALMATCH_PIN"
SUMMARIES_ENV = "TRIALMATCH_SUMMARIES"  # where the app saves summaries (default ~/trialmatch-summaries)
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
BUSY_NOTE_AFTER = 0.25  # seconds before a slow step is said on screen
INTERVIEW_ACTIONS = {"help", "dont_know", "previous", "results", "cancel_change"}


class TrialMatcherApp(App[None], inherit_bindings=False):
    """The interview, the live trial panel and the results, over one catalogue."""

    CSS_PATH = "app.tcss"
    TITLE = t("app.name")
    ENABLE_COMMAND_PALETTE = False  # its Quit and Theme commands must not reach a kiosk
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        binding("f1", "help", "help"),
        binding("question_mark", "help", "help_question_mark", show=False),
        binding("f2", "dont_know", "dont_know", priority=True),
        binding("f3", "previous", "back"),
        binding("f4", "results", "results"),
        binding("f5", "start_over", "start_over"),
        binding("f8", "language", "language"),
        binding("f9", "large_text", "large_text", show=False),
        binding("ctrl+q", "quit", "quit", priority=True),
        # Kiosk: the same keys open the staff PIN dialog, and are not shown.
        binding("ctrl+q", "staff_exit", "staff_exit", show=False, priority=True),
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
        if locale is not None and locale not in LOCALES:
            raise ValueError(f"unknown locale {locale!r}; use one of {', '.join(LOCALES)}")
        self.matcher = matcher
        self.mode: AppMode = mode
        self.kiosk = mode == "kiosk"
        self.nurse = mode == "nurse"
        self.pin = pin
        self.pin_guard = PinGuard()  # wrong tries count across every opening of the PIN dialog
        self.idle_seconds = idle_seconds
        self.warning_seconds = min(warning_seconds, idle_seconds / 2)
        self.export_dir = export_dir or summaries_dir()
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
        self._relocalizing = False  # a language change is being applied to the session
        self._refreshing_results = False  # the results on screen are being rebuilt (a language change)

    # --- screens -------------------------------------------------------------------------------

    def title_text(self, locale: str) -> str:
        """The title bar in a locale (it says the mode)."""
        return t(f"app.title.{self.mode}", locale)

    def welcome_text(self, locale: str) -> str:
        """The welcome in a locale (shown on the first screen and before the first answer)."""
        return t(f"app.welcome.{self.mode}", locale)

    def get_default_screen(self) -> Screen[None]:
        labels = [TrialLabel(trial.nct_id, trial.acronym or "") for trial in self.trials.values()]
        names = {n for d in self.matcher.drugs.drugs.values() for n in (d.name, *d.brands)}
        self._interview = InterviewScreen(
            self.title_text,
            labels,
            sorted(names),
            large_text_button=self.kiosk,
            welcome=self.welcome_text,
            locale=self.locale,
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
            self.ask_first_screen()

    def ask_first_screen(self) -> None:
        """The first screen: the language (unless it was given), then which country (optional;
        unless the clinic set it or no trial lists a site)."""
        self.country_answer = None
        ask_language = self.preset_locale is None
        ask_country = not self.preset_country and bool(self.countries)
        if not (ask_language or ask_country):
            return
        screen = WelcomeScreen(
            self.countries,
            self.welcome_text,
            self.locale,
            ask_language=ask_language,
            ask_country=ask_country,
            language_chosen=self.change_locale,
        )
        self.push_screen(screen, self._country_chosen)

    def _country_chosen(self, answer: str | None) -> None:
        if answer is None:
            return  # only the language was asked
        self.country_answer = answer
        session = self.session
        if session is not None and not self.busy:
            session.set_country(self.country_answer)  # else when the session arrives (_session_updated)

    # --- the language --------------------------------------------------------------------------

    def change_locale(self, locale: str) -> None:
        """Show everything in ``locale`` from now on; every answer is kept.

        The app's own words change at once; the session's (questions, answers shown back, reasons)
        with the snapshot that follows, and the results are rebuilt if they are open."""
        if locale not in LOCALES:
            raise ValueError(f"unknown locale {locale!r}")
        if locale != self.locale:
            self.locale = locale
            if self._interview is not None and self._interview.is_mounted:
                self._interview.set_locale(locale)
            self.refresh_bindings()
        self.sync_locale()

    def sync_locale(self) -> None:
        """Bring the session to the app's language (run like any other change to the session)."""
        session, snap = self.session, self.snapshot
        if session is None or snap is None or self.busy or session.locale == self.locale:
            return  # when busy: again when the session's next snapshot arrives
        locale = self.locale

        def work(session: Session) -> Snapshot:
            session.set_locale(locale)  # a pending "Did you mean ...?" is asked again in the new language
            return self.updated(session, editing=snap.editing, confirm=session.confirmation)

        if self.submit(work):
            self._relocalizing = True

    def action_language(self) -> None:
        if isinstance(self.screen, LanguageScreen):
            return

        def chosen(locale: str | None) -> None:
            if locale is not None:
                self.change_locale(locale)

        self.push_screen(LanguageScreen(self.locale), chosen)

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
        relocalized, self._relocalizing = self._relocalizing, False
        if snap.session.locale != self.locale:
            self.sync_locale()  # the language changed while the session was busy
        elif relocalized and any(isinstance(s, ResultsScreen) for s in self.screen_stack):
            self._refresh_results()  # the results in the new language
        elif snap.finished and answered and isinstance(self.screen, InterviewScreen):
            self.action_results()  # the last answer: straight to the results

    @on(VerdictsUpdated)
    def _verdicts_updated(self, message: VerdictsUpdated) -> None:
        if self._current(message.generation):
            self.interview.show_verdicts(message.verdicts)

    def _refresh_results(self) -> None:
        if self.submit(lambda session: session.arranged_results()):
            self._refreshing_results = True

    @on(ResultsReady)
    async def _results_ready(self, message: ResultsReady) -> None:
        refresh, self._refreshing_results = self._refreshing_results, False
        if not self._current(message.generation) or self.session is None:
            return
        self.busy = False
        self.last_results = message.arranged
        shown = [s for s in self.screen_stack if isinstance(s, ResultsScreen)]
        if refresh:
            for screen in shown:  # rebuilt where it is (a dialog may be open over it)
                await screen.show_results(message.arranged, self.session.locale)
        elif not shown:
            self.push_screen(
                ResultsScreen(
                    message.arranged,
                    self.trials,
                    self.session.as_of,
                    nurse=self.nurse,
                    can_export=not self.kiosk,
                    locale=self.session.locale,
                    texts=self.matcher.texts,
                    vocabulary=self.matcher.vocabulary,
                )
            )
        if self.session.locale != self.locale:
            self.sync_locale()

    @on(SessionFailed)
    def _session_failed(self, message: SessionFailed) -> None:
        if message.generation != self.generation:
            return
        self.busy = False
        self._relocalizing = self._refreshing_results = False
        self.errors.append(message.error)
        self.log.error(message.error)
        self.notify(t("app.error", self.locale, error=message.error), severity="error", markup=False)

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
            outcome = session.change(editing, DONT_KNOW_SHOWN) if editing else session.dont_know()
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
            self.push_screen(HelpScreen(snap.question.text, snap.question.help, self.locale))

    def action_results(self) -> None:
        self.submit(lambda session: session.arranged_results())

    async def action_quit(self) -> None:
        """Quit; with answers given, first ask: quitting forgets them (nothing is written to disk)."""
        snap = self.snapshot
        if snap is None or not snap.answered or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.exit()

        question = ConfirmScreen(
            t("dialogs.quit_question", self.locale), t("dialogs.quit", self.locale), locale=self.locale
        )
        self.push_screen(question, chosen)

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
                self.ask_first_screen()

        question = ConfirmScreen(
            t("dialogs.start_over_question", self.locale), t("dialogs.start_over", self.locale), locale=self.locale
        )
        self.push_screen(question, chosen)

    def action_large_text(self) -> None:
        self.large_text = not self.large_text
        self.theme = CONTRAST_THEME.name if self.large_text else DEFAULT_THEME
        self.set_class(self.large_text, "-large")

    def action_help_quit(self) -> None:
        # Textual's own says it in English: ctrl+c no longer quits, ctrl+q does.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    t("app.help_quit", self.locale, key=key),
                    title=t("app.help_quit_title", self.locale),
                    markup=False,
                )
                return

    def action_staff_exit(self) -> None:
        if isinstance(self.screen, PinScreen):
            return

        def chosen(ok: bool | None) -> None:
            if ok:
                self.exit()

        self.push_screen(PinScreen(self.pin or "", self.locale, self.pin_guard), chosen)

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
            self.notify(t("app.saved", self.locale, path=path), markup=False)

        self.push_screen(ExportScreen(suggested, self.export_summary, self.locale), saved)

    def export_summary(self, path: Path, replace: bool = False) -> Path:
        """Write the results, the answers and the country answered as Markdown, readable by its owner
        only (0600); the absolute path written. An existing file is replaced only when ``replace``
        (the dialog asks first): FileExistsError otherwise."""
        if self.kiosk:
            raise PermissionError("a kiosk writes nothing to disk")
        session, arranged = self.session, self.last_results
        assert session is not None and arranged is not None
        locale = session.locale
        text = render_results(
            arranged.results,
            self.trials,
            session.as_of,
            session.profile.notes,
            "markdown",
            answers=answered_lines(session.transcript()),
            vocabulary=session.matcher.vocabulary,
            where={
                r.nct_id: where_words(arranged.sites.get(r.nct_id), arranged.country, locale) for r in arranged.results
            },
            locale=locale,
            texts={r.nct_id: self.matcher.texts(self.trials[r.nct_id], locale) for r in arranged.results},
            country=arranged.country,
        )
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the summaries folder, owner only
        write_private(path, text, force=replace)  # 0600; an existing file only when the dialog asked
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
        if action in ("start_over", "language"):
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
                self.warning = StillThereScreen(lambda: self.idle_seconds - self.idle_for(), self.locale)
                self.push_screen(self.warning, lambda _: self._warning_closed())
        elif self.warning is not None and self.screen is self.warning:
            self.warning.dismiss(None)

    def _warning_closed(self) -> None:
        self.warning = None

    def reset_for_next_person(self) -> None:
        """Wipe every answer from memory (a new session) and go back to the first question."""
        self.last_activity = time.monotonic()  # no second wipe while this one runs
        self.warning = None
        self.run_worker(self._reset_for_next_person(), group="reset", exclusive=True)

    async def _reset_for_next_person(self) -> None:
        while len(self.screen_stack) > 1:
            # each screen is gone before the first screen comes back: a kiosk left idle on the first
            # screen would otherwise show it twice, with one id, and stop (DuplicateIds)
            await self.pop_screen()
        self._relocalizing = self._refreshing_results = False
        first = self.preset_locale or DEFAULT_LOCALE
        if self.locale != first:
            self.locale = first  # the next person chooses again: nothing of this one's stays
            self.interview.set_locale(first)
        self.interview.clear()
        self.new_session()
        self.ask_first_screen()
        self.last_activity = time.monotonic()
        self.resets += 1


def summaries_dir() -> Path:
    """The folder the app saves summaries in: $TRIALMATCH_SUMMARIES, else ~/trialmatch-summaries."""
    return Path(os.environ.get(SUMMARIES_ENV) or Path.home() / "trialmatch-summaries").expanduser()


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
    said = locale or DEFAULT_LOCALE
    pin = pin or os.environ.get(PIN_ENV) or None
    if mode == "kiosk" and not pin:
        print(t("app.start.needs_pin", said, env=PIN_ENV), file=sys.stderr)
        return 2
    if not math.isfinite(idle_seconds) or idle_seconds <= 0:
        print(t("app.start.idle_seconds", said), file=sys.stderr)
        return 2
    cache = None if mode == "kiosk" or no_cache else default_cache_dir()  # a kiosk writes nothing
    matcher = Matcher(load_catalogue(catalogue, cache_dir=cache))
    for error in matcher.errors:
        print(t("app.start.left_out", said, error=error), file=sys.stderr)
    if not matcher.trials:
        print(t("app.start.no_trials", said), file=sys.stderr)
        return 1
    TrialMatcherApp(matcher, mode, pin=pin, idle_seconds=idle_seconds, country=country, locale=locale).run()
    return 0
