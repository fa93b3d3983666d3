"""Small modal dialogs: help for a question, "start over?", the staff PIN, "are you still there?",
and where to save the summary."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class HelpScreen(ModalScreen[None]):
    """ "What does this mean?" for the question on screen."""

    BINDINGS = [Binding("escape,enter,f1,question_mark", "close", "Close", id="close_help")]

    def __init__(self, question: str, help_text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.help_text = help_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(Content.assemble(("What does this mean?", "bold")), classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(Content.assemble((self.question, "italic"), "\n\n", self.help_text), id="help-text")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question (start over?)."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="cancel_confirm")]

    def __init__(self, question: str, yes: str, no: str = "Cancel") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes = yes
        self.no = no

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


class PinScreen(ModalScreen[bool]):
    """Staff only: the PIN that allows quitting a kiosk."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_pin")]

    def __init__(self, pin: str) -> None:
        super().__init__(classes="dialog-screen")
        self._pin = pin

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pin-dialog"):
            yield Static("Staff only: enter the PIN to close the app.", classes="dialog-title", markup=False)
            yield Input(password=True, placeholder="PIN", id="pin")
            yield Static("", id="pin-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Close the app", id="pin-ok", variant="error")
                yield Button("Cancel", id="pin-cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#pin-ok")
    def _check(self) -> None:
        field = self.query_one("#pin", Input)
        if self._pin and hmac.compare_digest(field.value.encode(), self._pin.encode()):
            self.dismiss(True)
            return
        field.value = ""
        self.query_one("#pin-message", Static).update("⚠ That is not the PIN. The app stays open.")

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class StillThereScreen(ModalScreen[None]):
    """The kiosk's warning before it wipes the answers: any key or a click keeps them."""

    def __init__(self, seconds_left: Callable[[], float]) -> None:
        super().__init__(classes="dialog-screen")
        self._seconds_left = seconds_left

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="still-there"):
            yield Static(Content.assemble(("Are you still there?", "bold")), classes="dialog-title", markup=False)
            yield Static("", id="countdown", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("I'm still here", id="still-here", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#still-here", Button).focus()
        self._tick()
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        left = max(0, round(self._seconds_left()))
        self.query_one("#countdown", Static).update(
            f"For your privacy, your answers will be wiped in {left} seconds. Press any key or touch the screen to carry on."
        )

    @on(Button.Pressed, "#still-here")
    def _here(self) -> None:
        self.dismiss(None)

    def on_key(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[Path | None]):
    """Where to save the summary (Markdown); the app writes it and says where."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_export")]

    def __init__(self, suggested: Path, save: Callable[[Path], Path]) -> None:
        super().__init__(classes="dialog-screen")
        self.suggested = suggested
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(
                "Save a summary of the results and your answers (Markdown):", classes="dialog-title", markup=False
            )
            yield Input(str(self.suggested), id="export-path")
            yield Static("", id="export-message", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", id="export-save", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def _save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.query_one("#export-message", Static).update("⚠ Please give a file name.")
            return
        try:
            written = self.save(Path(text).expanduser())
        except OSError as exc:
            self.query_one("#export-message", Static).update(f"⚠ Could not save there: {exc.strerror or exc}")
            return
        self.dismiss(written)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
