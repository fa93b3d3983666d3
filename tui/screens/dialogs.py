"""Small modal dialogs: help for a question, "start over?", the staff PIN, "are you still there?",
where to save the summary, and the language. Each is in the app's language (``locale``)."""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static

from trials.i18n import DEFAULT_LOCALE, LOCALE_NAMES, LOCALES
from tui.texts import t
from tui.widgets.answer import MarkedList
from tui.widgets.footer import binding


class HelpScreen(ModalScreen[None]):
    """ "What does this mean?" for the question on screen."""

    BINDINGS = [binding("escape,enter,f1,question_mark", "close", "close_help")]

    def __init__(self, question: str, help_text: str, locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.help_text = help_text
        self.locale = locale

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            title = Content.assemble((t("dialogs.help_title", self.locale), "bold"))
            yield Static(title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content.assemble((self.question, "italic"), "\n\n", self.help_text), id="help-text")
            with Horizontal(classes="buttons"):
                yield Button(t("dialogs.close", self.locale), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question (start over?)."""

    BINDINGS = [binding("escape", "answer(False)", "cancel_confirm")]

    def __init__(self, question: str, yes: str, no: str | None = None, locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes = yes
        self.no = no if no is not None else t("dialogs.cancel", locale)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="confirm-yes", variant="error")
                yield Button(self.no, id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class PinGuard:
    """Wrong PIN tries, kept for the app's whole run: the first wrong try (a typo) costs nothing, each
    next one makes the next try wait longer (1 s, 2 s, 4 s ... up to 5 minutes), so a PIN cannot be
    guessed by trying them all."""

    MAX_DELAY = 300.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = 0
        self.locked_until = 0.0
        self._clock = clock

    def wait(self) -> float:
        """Seconds before the next try is accepted (0: now)."""
        return max(0.0, self.locked_until - self._clock())

    def failed(self) -> None:
        self.failures += 1
        if self.failures > 1:
            self.locked_until = self._clock() + min(2.0 ** (self.failures - 2), self.MAX_DELAY)

    def succeeded(self) -> None:
        self.failures, self.locked_until = 0, 0.0


class PinScreen(ModalScreen[bool]):
    """Staff only: the PIN that allows quitting a kiosk."""

    BINDINGS = [binding("escape", "cancel", "cancel_pin")]

    def __init__(self, pin: str, locale: str = DEFAULT_LOCALE, guard: PinGuard | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self._pin = pin
        self.locale = locale
        self.guard = guard or PinGuard()

    def compose(self) -> ComposeResult:
        locale = self.locale
        with Vertical(classes="dialog", id="pin-dialog"):
            yield Static(t("dialogs.pin_title", locale), classes="dialog-title", markup=False)
            yield Input(password=True, placeholder=t("dialogs.pin_placeholder", locale), id="pin")
            yield Static("", id="pin-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("dialogs.pin_ok", locale), id="pin-ok", variant="error")
                yield Button(t("dialogs.cancel", locale), id="pin-cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#pin-ok")
    def _check(self) -> None:
        field = self.query_one("#pin", Input)
        wait = self.guard.wait()
        if wait > 0:  # not even read: a try during the delay does not count, right or wrong
            field.value = ""
            self.query_one("#pin-message", Static).update(t("dialogs.pin_wait", self.locale, seconds=math.ceil(wait)))
            return
        if self._pin and hmac.compare_digest(field.value.encode(), self._pin.encode()):
            self.guard.succeeded()
            self.dismiss(True)
            return
        self.guard.failed()
        field.value = ""
        self.query_one("#pin-message", Static).update(t("dialogs.pin_wrong", self.locale))

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class StillThereScreen(ModalScreen[None]):
    """The kiosk's warning before it wipes the answers: any key or a click keeps them."""

    def __init__(self, seconds_left: Callable[[], float], locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(classes="dialog-screen")
        self._seconds_left = seconds_left
        self.locale = locale

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="still-there"):
            title = Content.assemble((t("dialogs.still_there", self.locale), "bold"))
            yield Static(title, classes="dialog-title", markup=False)
            yield Static("", id="countdown", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("dialogs.still_here", self.locale), id="still-here", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#still-here", Button).focus()
        self._tick()
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        left = max(0, round(self._seconds_left()))
        self.query_one("#countdown", Static).update(t("dialogs.countdown", self.locale, seconds=left))

    @on(Button.Pressed, "#still-here")
    def _here(self) -> None:
        self.dismiss(None)

    def on_key(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[Path | None]):
    """Where to save the summary (Markdown); the app writes it and says where."""

    BINDINGS = [binding("escape", "cancel", "cancel_export")]

    def __init__(self, suggested: Path, save: Callable[[Path, bool], Path], locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(classes="dialog-screen")
        self.suggested = suggested
        self.save = save
        self.locale = locale
        self.replace: Path | None = None  # the existing file the person was asked about

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(t("dialogs.export_title", self.locale), classes="dialog-title", markup=False)
            yield Input(str(self.suggested), id="export-path")
            yield Static("", id="export-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("dialogs.export_save", self.locale), id="export-save", variant="primary")
                yield Button(t("dialogs.cancel", self.locale), id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def _save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-message", Static).update(t("dialogs.export_no_name", self.locale))
            return
        path = Path(text).expanduser()
        try:
            written = self.save(path, path == self.replace)
        except FileExistsError:
            self.replace = path  # asked: Save again replaces it
            message = t("dialogs.export_exists", self.locale, path=path)
            self.query_one("#export-message", Static).update(message)
            return
        except OSError as exc:
            message = t("dialogs.export_failed", self.locale, error=exc.strerror or exc)
            self.query_one("#export-message", Static).update(message)
            return
        self.dismiss(written)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class LanguageScreen(ModalScreen[str | None]):
    """Another language, at any time (F8): the four languages, each in its own name.

    Digits 1–4 choose at once; arrows and Enter, or a click, too. Escape keeps the language."""

    BINDINGS = [binding("escape", "cancel", "cancel_language")]

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(classes="dialog-screen", id="language")
        self.locale = locale

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="language-dialog"):
            title = Content.assemble((t("language.title", self.locale), "bold"))
            yield Static(title, classes="dialog-title", markup=False)
            yield language_list(self.locale)
            with Horizontal(classes="buttons"):
                yield Button(t("dialogs.cancel", self.locale), id="language-cancel")

    def on_mount(self) -> None:
        self.query_one("#languages", MarkedList).focus()

    def on_key(self, event: Key) -> None:
        chosen = language_key(event)
        if chosen is not None:
            event.stop()
            self.dismiss(chosen)

    @on(OptionList.OptionSelected, "#languages")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(LOCALES[event.option_index])

    @on(Button.Pressed, "#language-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def language_list(current: str) -> MarkedList:
    """The four languages, numbered, each in its own name; the current one highlighted."""
    lines = [Content(f"{n}. {LOCALE_NAMES[locale]}") for n, locale in enumerate(LOCALES, 1)]
    found = MarkedList(lines, id="languages")
    found.highlighted = LOCALES.index(current) if current in LOCALES else 0
    return found


def language_key(event: Key) -> str | None:
    """The language a digit key chooses (1–4), if it is one."""
    if event.character and event.character.isdigit() and 1 <= int(event.character) <= len(LOCALES):
        return LOCALES[int(event.character) - 1]
    return None
