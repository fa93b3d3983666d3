"""The answer area under the transcript: the question, the control that fits it, and the actions.

Yes/no questions get buttons; a choice gets a list (digits pick, Enter confirms); several
choices get a tick list; numbers, dates and drug names get a text field with what it accepts
shown under the question. "I don't know" and "What does this mean?" are always there.
Every control posts :class:`AnswerGiven` or :class:`DontKnowGiven`; the app does the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from matcher.locale import unit_word
from trials.i18n import DEFAULT_LOCALE
from tui.messages import AnswerGiven, DontKnowGiven
from tui.state import OptionView, QuestionView, Snapshot
from tui.texts import TEXTS, t
from tui.widgets.footer import binding

# Placeholders, what an answer looks like, are ``answer.placeholder.<kind>`` (numbers: see placeholder()).
_LAST_NAME = re.compile(r"^(?P<head>.*[+,;/]\s*|\s*)(?P<tail>[^+,;/]*)$")


class DrugSuggester(Suggester):
    """Completes the drug name being typed (the part after the last '+' or ',')."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(use_cache=True, case_sensitive=False)
        self.names = sorted({n for n in names if n}, key=lambda n: (len(n), n.lower()))

    async def get_suggestion(self, value: str) -> str | None:
        match = _LAST_NAME.match(value)
        if match is None:
            return None
        tail = match.group("tail").lstrip()
        if len(tail) < 2:
            return None
        lowered = tail.lower()
        for name in self.names:
            if name.lower().startswith(lowered) and len(name) > len(tail):
                return value + name[len(tail) :]
        return None


class MarkedList(OptionList):
    """An option list that marks the highlighted line with '▶' (not only with colour)."""

    def __init__(self, lines: Sequence[Content], *, id: str | None = None) -> None:
        self.lines = list(lines)
        self._marked: int | None = None
        super().__init__(*[Option(self._prompt(i, False)) for i in range(len(self.lines))], id=id, markup=False)

    def _mark(self, index: int) -> str:
        return ""

    def _prompt(self, index: int, highlighted: bool) -> Content:
        return Content.assemble("▶ " if highlighted else "  ", self._mark(index), self.lines[index])

    def _redraw(self, *indices: int | None) -> None:
        for index in indices:
            if index is not None and 0 <= index < len(self.lines):
                self.replace_option_prompt_at_index(index, self._prompt(index, index == self.highlighted))

    def on_mount(self) -> None:
        self._marked = self.highlighted
        self._redraw(self.highlighted)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.is_mounted:
            old, self._marked = self._marked, highlighted
            self._redraw(old, highlighted)


class ChoiceList(MarkedList):
    """Choose one answer: arrows or digits move the highlight, Enter (or a click) confirms."""

    def __init__(self, options: Sequence[OptionView], previous: str | None = None, *, id: str | None = None) -> None:
        self.options_view = list(options)
        self.typed = ""
        super().__init__([Content(o.line) for o in options], id=id)
        codes = [o.code for o in options]
        # Nothing is highlighted until the person moves or types: Enter alone must not record the
        # first answer, which is often the one that excludes ("I have heart failure").
        self.highlighted = codes.index(previous) if previous in codes else None

    def on_key(self, event: Key) -> None:
        if event.character is None or not event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        keys = [o.key for o in self.options_view]
        typed = self.typed + event.character
        if not any(k.startswith(typed) for k in keys):
            typed = event.character
        self.typed = typed
        exact = [i for i, k in enumerate(keys) if k == typed]
        starts = [i for i, k in enumerate(keys) if k.startswith(typed)]
        if exact or starts:
            self.highlighted = (exact or starts)[0]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(AnswerGiven(self.options_view[event.option_index].code))


class TickList(MarkedList):
    """Tick any number of answers: Space, a digit or a click ticks; Enter confirms."""

    BINDINGS = [
        binding("space", "tick", "tick", show=False),
        binding("enter", "done", "tick_done", show=False),
    ]

    class Done(Message):
        """The person confirmed the ticked answers."""

    def __init__(self, options: Sequence[OptionView], ticked: Iterable[str] = (), *, id: str | None = None) -> None:
        self.options_view = list(options)
        self.ticked: set[str] = set(ticked) & {o.code for o in options}
        super().__init__([Content(o.line) for o in options], id=id)
        self.highlighted = 0 if options else None

    def _mark(self, index: int) -> str:
        return "[x] " if self.options_view[index].code in self.ticked else "[ ] "

    def codes(self) -> list[str]:
        """The ticked codes, in the list's order."""
        return [o.code for o in self.options_view if o.code in self.ticked]

    def toggle(self, index: int) -> None:
        """Tick or untick one answer."""
        code = self.options_view[index].code
        self.ticked ^= {code}
        self._redraw(index)

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_done(self) -> None:
        self.post_message(self.Done())

    def on_key(self, event: Key) -> None:
        if event.character is None or not event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        keys = [o.key for o in self.options_view]
        if event.character in keys:
            index = keys.index(event.character)
            self.highlighted = index
            self.toggle(index)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.toggle(event.option_index)


def relabel(button: Button, label: str) -> None:
    """A new label for a button, and its width to fit it (Textual only repaints a changed label)."""
    button.label = label
    button.refresh(layout=True)


def control_kind(view: QuestionView | None, confirm: str | None) -> tuple[object, ...] | None:
    """Questions with the same kind of control can share it (None: always build a new one)."""
    if view is None or confirm is not None:
        return None
    if view.kind == "boolean":
        return ("boolean", view.never_label)
    if view.kind in ("number", "integer", "date", "drugs") and not view.options:
        return ("typed", view.kind)
    return None


def placeholder(view: QuestionView, locale: str = DEFAULT_LOCALE) -> str:
    """What to type, in the field itself: for numbers, the units it accepts."""
    if view.kind == "number":
        units = [unit_word(unit, locale) for unit in view.units]
        if list(view.units) == ["ratio"]:  # INR: a number with no unit
            return t("answer.placeholder.number", locale)
        if len(units) == 1:
            return t("answer.placeholder.number_in", locale, unit=units[0])
        if units:
            return t("answer.placeholder.number_with_unit", locale, units=", ".join(units))
        return t("answer.placeholder.number", locale)
    return TEXTS.get(f"answer.placeholder.{view.kind}", locale) or ""


def previous_codes(view: QuestionView) -> list[str]:
    """The codes of an earlier answer to a several-choice question."""
    if not view.previous:
        return []
    return [part.strip() for part in re.split(r"[,;]", view.previous) if part.strip()]


class AnswerArea(Vertical):
    """The question being asked and the control to answer it."""

    def __init__(self, drug_names: Iterable[str] = (), locale: str = DEFAULT_LOCALE, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drug_names = list(drug_names)
        self.locale = locale
        self.shown: tuple[str | None, str | None, str | None] | None = None
        self.control_kind: tuple[object, ...] | None = None
        self.view: QuestionView | None = None
        self.confirm: str | None = None
        self.kept_typing: tuple[str, str] | None = None  # (question, what was typed) across a language change

    def compose(self) -> ComposeResult:
        locale = self.locale
        with VerticalScroll(id="ask", can_focus=False):
            yield Static(t("answer.getting_ready", locale), id="question", markup=False)
            yield Static(id="hint", markup=False)
            yield Vertical(id="control")
            yield Static(id="message", markup=False)
            yield Static(t("answer.busy", locale), id="busy", markup=False)
        with Horizontal(id="actions"):
            yield Button(t("answer.dont_know", locale), id="dont-know", compact=True)
            yield Button(t("answer.what_means", locale), id="help", compact=True)
            yield Button(t("answer.back", locale), id="back", compact=True)

    def set_locale(self, locale: str) -> None:
        """Say everything in another language; the control is rebuilt with the next snapshot
        (what was typed in a text field is kept)."""
        self.locale = locale
        self.query_one("#busy", Static).update(t("answer.busy", locale))
        relabel(self.query_one("#dont-know", Button), t("answer.dont_know", locale))
        relabel(self.query_one("#help", Button), t("answer.what_means", locale))
        relabel(self.query_one("#back", Button), t("answer.back", locale))
        if self.view is None and self.shown is None:
            self.query_one("#question", Static).update(t("answer.getting_ready", locale))
        fields = self.query("#typed")
        if fields and self.view is not None:
            self.kept_typing = (self.view.link_id, fields.first(Input).value)
        self.shown = None  # the same question, in other words: rebuild its control
        self.control_kind = None

    def clear(self) -> None:
        """Back to "getting the first question ready" (a kiosk reset)."""
        self.query_one("#question", Static).update(t("answer.getting_ready", self.locale))

    # --- showing a question ------------------------------------------------------------------

    async def show(self, snapshot: Snapshot, asked: int) -> None:
        """Show the snapshot's question (the control is rebuilt only when the question changes)."""
        view = snapshot.question
        key = (view.link_id if view else None, snapshot.confirm, snapshot.editing)
        self.view = view
        self.confirm = snapshot.confirm
        question = self.query_one("#question", Static)
        hint = self.query_one("#hint", Static)
        locale = self.locale
        if view is None:
            question.update(Content.assemble((t("answer.finished", locale), "bold")))
            hint.update(Content(t("answer.finished_hint", locale)))
        else:
            changing = snapshot.editing or view.previous is not None
            where = t("answer.changing", locale) if changing else t("answer.question", locale, number=asked)
            question.update(Content.assemble((where + " ", "bold"), (view.text, "bold")))
            parts = [t("answer.answer_with", locale, hint=view.hint) if view.hint else ""]
            if snapshot.editing:
                parts.append(t("answer.escape_keeps", locale))
            if view.criteria:
                criteria = "; ".join(view.criteria[:6]) + (" …" if len(view.criteria) > 6 else "")
                parts.append(t("answer.bears_on", locale, criteria=criteria))
            hint.update(Content("  ".join(p for p in parts if p)))
        self.set_message(snapshot.message)
        self.query_one("#dont-know", Button).display = view is not None
        self.query_one("#help", Button).display = view is not None
        if key != self.shown:
            self.shown = key
            kind = control_kind(view, snapshot.confirm)
            if kind is not None and kind == self.control_kind:
                self._reuse(view)  # the same control for the next question: no remounting
            else:
                self.control_kind = kind
                await self._rebuild(view, snapshot.confirm)

    def on_mount(self) -> None:
        self.query_one("#busy", Static).display = False

    def show_busy(self, busy: bool) -> None:
        """Show or hide the "working out the next question" line."""
        self.query_one("#busy", Static).display = busy

    def set_message(self, message: str | None) -> None:
        """The inline message under the control (a bad answer, a note); None clears it."""
        widget = self.query_one("#message", Static)
        widget.update(Content.assemble(("⚠ ", "bold"), message) if message else "")
        widget.display = bool(message)

    def _reuse(self, view: QuestionView | None) -> None:
        """Keep the control (yes/no buttons, a text field) for a new question of the same kind."""
        if view is None:
            return
        fields = self.query("#typed")
        if fields:
            field = fields.first(Input)
            field.value = view.previous or ""
            field.placeholder = placeholder(view, self.locale)
        self.call_after_refresh(self.scroll_question_into_view)

    def scroll_question_into_view(self) -> None:
        """Show a new question from its first line."""
        self.query_one("#ask", VerticalScroll).scroll_home(animate=False)

    async def _rebuild(self, view: QuestionView | None, confirm: str | None) -> None:
        # Awaited, so the old control is gone before the new one (with the same ids) is mounted.
        control = self.query_one("#control", Vertical)
        await control.remove_children()
        await control.mount_all(list(self._controls(view, confirm)))
        self.focus_control()

    def _controls(self, view: QuestionView | None, confirm: str | None) -> Iterable[Widget]:
        locale = self.locale
        if view is None:
            yield Horizontal(
                Button(t("answer.see_results", locale), id="see-results", variant="primary"), classes="buttons"
            )
            return
        if confirm:
            yield Static(Content(confirm), id="confirm", markup=False)
            yield Horizontal(
                Button(t("answer.yes_right", locale), id="yes", variant="primary"),
                Button(t("answer.no", locale), id="no"),
                classes="buttons",
            )
            return
        if view.kind == "boolean":
            # "I've never had an operation" where that reply means yes (never_means in questions.yaml)
            never = [Button(Content(view.never_label), id="never")] if view.never_label else []
            yield Horizontal(
                Button(t("answer.yes", locale), id="yes", variant="primary"),
                Button(t("answer.no", locale), id="no"),
                *never,
                classes="buttons",
            )
        elif view.choose_one:
            yield ChoiceList(view.options, view.previous, id="choices")
        elif view.choose_several:
            yield TickList(view.options, previous_codes(view), id="ticks")
            yield Horizontal(Button(t("answer.done", locale), id="done", variant="primary"), classes="buttons")
        else:
            value = view.previous or ""
            kept, self.kept_typing = self.kept_typing, None
            if kept is not None and kept[0] == view.link_id:
                value = kept[1]  # typed before the language changed, not sent yet
            suggester = DrugSuggester(self.drug_names) if view.kind in ("regimen", "drugs") else None
            buttons = [Button(t("answer.ok", locale), id="ok", variant="primary")]
            if view.kind == "event":
                buttons.append(Button(t("answer.never", locale), id="never"))
            for option in view.options if view.kind == "stop" else ():
                buttons.append(Button(Content(option.line.split(". ", 1)[-1]), id="option-" + option.code))
            yield Horizontal(
                Input(value, placeholder=placeholder(view, locale), suggester=suggester, id="typed"),
                *buttons,
                classes="typed-row",
            )
            if view.kind == "regimen" and view.options:
                yield Static(t("answer.or_kinds", locale), classes="or", markup=False)
                yield TickList(view.options, previous_codes(view), id="ticks")

    def focus_control(self) -> None:
        """Put the keyboard on the control (the text field, the list, or the first button)."""
        for selector in ("#typed", "#choices", "#ticks", "#control Button"):
            found = self.query(selector)
            if found:
                found.first().focus()
                return

    # --- answering ---------------------------------------------------------------------------

    def action_press(self, which: str) -> None:
        found = self.query(f"#control #{which}")
        if found:
            found.first(Button).press()

    def action_dont_know(self) -> None:
        if self.view is not None:
            self.post_message(DontKnowGiven())

    @on(Button.Pressed, "#yes, #no, #never")
    def _word(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(AnswerGiven(str(event.button.id)))  # the button's id is the answer: yes, no, never

    @on(Button.Pressed, "#dont-know")
    def _dont_know(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_dont_know()

    @on(Button.Pressed, "#control Button")
    def _option_button(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("option-"):
            event.stop()
            self.post_message(AnswerGiven(event.button.id.removeprefix("option-")))

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#typed")
    def _typed(self, event: Message) -> None:
        event.stop()
        self.submit_typed()

    @on(Button.Pressed, "#done")
    @on(TickList.Done)
    def _ticked(self, event: Message) -> None:
        event.stop()
        if self.query("#typed"):
            self.submit_typed()
            return
        ticks = self.query_one("#ticks", TickList)
        self.post_message(AnswerGiven(", ".join(ticks.codes()) or "none"))

    def submit_typed(self) -> None:
        """Send what is typed (or, for a regimen, the kinds ticked when no name is typed)."""
        typed = self.query_one("#typed", Input).value
        if not typed.strip() and self.query("#ticks"):
            codes = self.query_one("#ticks", TickList).codes()
            if codes:
                self.post_message(AnswerGiven(", ".join(codes)))
                return
        self.post_message(AnswerGiven(typed))
