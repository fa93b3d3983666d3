"""The first screen: the language, then where the person lives (optional), before the medical questions.

The language step lists the four languages, each in its own name (digits 1–4, arrows and Enter,
or a click); it is not shown when the language was given (``--lang``, ``$TRIALMATCH_LANG``).
The country step then asks, in that language, which country the person lives in: trials with a
site there are listed first, and each result says where its nearest site is. Skipping is always
possible (Escape, the last option, or "Skip"). A kiosk shows this screen again after every
reset; a clinic that gave ``--country`` never sees the country step.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static

from questionnaires.texts import country_name
from trials.i18n import DEFAULT_LOCALE, LOCALES
from tui.screens.dialogs import language_key, language_list
from tui.texts import in_every_language, t
from tui.widgets.answer import MarkedList
from tui.widgets.footer import binding

SKIP = ""


class WelcomeScreen(ModalScreen[str | None]):
    """Which language, then which country? Dismissed with the country chosen, "" when skipped,
    or None when the country is not asked (only the language was)."""

    BINDINGS = [binding("escape", "skip", "skip_country")]

    def __init__(
        self,
        countries: list[str],
        welcome: Callable[[str], str],
        locale: str = DEFAULT_LOCALE,
        *,
        ask_language: bool = False,
        ask_country: bool = True,
        language_chosen: Callable[[str], None] | None = None,
    ) -> None:
        # No fixed id: a kiosk reset can push a new first screen while the old one is still being
        # removed (under load), and two screens with one id crash the app (DuplicateIds).
        super().__init__(classes="dialog-screen welcome")
        self.countries = countries
        self.welcome = welcome
        self.locale = locale
        self.ask_country = ask_country
        self.language_chosen = language_chosen
        self.step = "language" if ask_language else "country"

    def compose(self) -> ComposeResult:
        if self.step == "language":
            with Vertical(classes="dialog", id="welcome-dialog"):
                title = Content.assemble((in_every_language("welcome.choose_language"), "bold"))
                yield Static(title, classes="dialog-title", id="language-title", markup=False)
                yield language_list(self.locale)
            return
        locale = self.locale
        names = [country_name(c, locale) for c in self.countries] + [t("welcome.another_country", locale)]
        lines = [Content(f"{n}. {name}") for n, name in enumerate(names, 1)]
        with Vertical(classes="dialog", id="welcome-dialog"):
            yield Static(Content(self.welcome(locale)), id="welcome-text", markup=False)
            title = Content.assemble((t("welcome.country_question", locale), "bold"))
            yield Static(title, classes="dialog-title", markup=False)
            yield MarkedList(lines, id="countries")
            with Horizontal(classes="buttons"):
                yield Button(t("welcome.skip", locale), id="skip", variant="default")

    def on_mount(self) -> None:
        self._focus_list()

    def _focus_list(self) -> None:
        self.query_one(MarkedList).focus()

    def on_key(self, event: Key) -> None:
        if self.step == "language":
            chosen = language_key(event)
            if chosen is not None:
                event.stop()
                self.call_later(self._language, chosen)
            return
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.countries) + 1:
                event.stop()
                self._choose(number - 1)

    @on(OptionList.OptionSelected, "#languages")
    def _language_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.call_later(self._language, LOCALES[event.option_index])

    @on(OptionList.OptionSelected, "#countries")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    async def _language(self, locale: str | None) -> None:
        """The language is chosen (None: kept as it is): say so to the app, then ask the country in it."""
        if self.step != "language":
            return
        if locale is not None:
            self.locale = locale
            if self.language_chosen is not None:
                self.language_chosen(locale)
        if not self.ask_country:
            self.dismiss(None)
            return
        self.step = "country"
        await self.recompose()
        self._focus_list()

    def _choose(self, index: int) -> None:
        self.dismiss(self.countries[index] if index < len(self.countries) else SKIP)

    @on(Button.Pressed, "#skip")
    async def action_skip(self) -> None:
        if self.step == "language":
            await self._language(None)  # Escape keeps the language and goes on to the country
            return
        self.dismiss(SKIP)
