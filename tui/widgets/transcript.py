"""The chat-style transcript: each question the app asked and the person's answer.

Selecting an answer (Enter, or a click) asks to change it. Answers set aside because the
question no longer applies stay visible, marked as such.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from questionnaires.session import Turn
from trials.i18n import DEFAULT_LOCALE
from tui.messages import ChangeRequested
from tui.texts import t


def turn_content(number: int, turn: Turn, locale: str = DEFAULT_LOCALE) -> Content:
    """One question and its answer, as two short paragraphs (registry and patient text kept literal)."""
    answer = Content.assemble(("  " + t("transcript.you", locale) + " ", "bold"), turn.answer)
    if not turn.applies:
        answer = Content.assemble(answer, ("  " + t("transcript.set_aside", locale), "italic"))
    return Content.assemble((f"{number}. ", "bold"), turn.question, "\n", answer)


class Transcript(OptionList):
    """The questions and answers so far; Enter or a click on one changes that answer."""

    def __init__(self, welcome: str = "", locale: str = DEFAULT_LOCALE, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.welcome = welcome
        self.locale = locale
        self.border_title = t("transcript.title", locale)
        self.turns: tuple[Turn, ...] = ()

    def set_locale(self, locale: str, welcome: str) -> None:
        """Say everything in another language (the turns follow with the session's next snapshot)."""
        self.locale = locale
        self.welcome = welcome
        self.border_title = t("transcript.title", locale)
        self.show(self.turns, again=True)

    def show(self, turns: Sequence[Turn], again: bool = False) -> None:
        """Show these turns, keeping the highlight on the same answer where it still exists."""
        turns = tuple(turns)
        if turns == self.turns and self.option_count and not again:
            return
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        self.turns = turns
        self.set_options(Option(turn_content(i, turn, self.locale), id=turn.link_id) for i, turn in enumerate(turns, 1))
        if not turns and self.welcome:
            self.add_option(Option(Content(self.welcome), disabled=True))
        ids = [t.link_id for t in turns]
        if kept in ids:
            self.highlighted = ids.index(kept)
        elif turns:
            self.highlighted = len(turns) - 1
        self.call_after_refresh(self.scroll_end, animate=False)

    def on_mount(self) -> None:
        self.show(())

    def text(self) -> str:
        """The transcript as plain text."""
        return "\n".join(turn_content(i, turn, self.locale).plain for i, turn in enumerate(self.turns, 1))

    @on(OptionList.OptionSelected)
    def _change(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(ChangeRequested(event.option_id))
