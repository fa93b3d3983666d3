"""Take the results away without storing anything: one QR code per trial that fits (eligible or
possibly eligible), holding its id, title and next-step contacts, read by a phone's camera off the
screen. Nothing is written to disk; a kiosk offers it as its only way to take results home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from trials.i18n import DEFAULT_LOCALE
from tui.texts import t
from tui.widgets.footer import KeyBar, binding
from tui.widgets.qr_code import qr_text


class TakeAwayScreen(Screen[None]):
    """A QR code per trial, one at a time (← →), with the text it holds beside it."""

    BINDINGS = [
        binding("escape", "close", "close_qr"),
        binding("right", "show(1)", "qr_next"),
        binding("left", "show(-1)", "qr_previous"),
    ]

    def __init__(self, texts: list[str], locale: str = DEFAULT_LOCALE) -> None:
        super().__init__(id="take-away")
        self.texts = texts
        self.locale = locale
        self.index = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="qr-layout"):
            yield Static("", id="qr-code", markup=False)
            with Vertical(id="qr-side"):
                yield Static("", id="qr-heading", markup=False)
                yield Static("", id="qr-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw()

    def action_show(self, step: int) -> None:
        if self.texts:
            self.index = (self.index + step) % len(self.texts)
            self._draw()

    def action_close(self) -> None:
        self.dismiss(None)

    def _draw(self) -> None:
        code, heading, text = (
            self.query_one("#qr-code", Static),
            self.query_one("#qr-heading", Static),
            self.query_one("#qr-text", Static),
        )
        if not self.texts:
            code.display = False
            heading.update(t("qr.none", self.locale))
            text.update("")
            return
        shown = self.texts[self.index]
        code.update(qr_text(shown))
        page = t("qr.page", self.locale, n=self.index + 1, total=len(self.texts))
        heading.update(Content.assemble((t("qr.title", self.locale), "bold"), "\n", page))
        text.update(shown)

    def code_text(self) -> str:
        """The text of the code on screen."""
        return self.texts[self.index] if self.texts else ""
