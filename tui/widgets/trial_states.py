"""The live side panel: every trial's state, in a symbol and in words, and the interview's progress.

It draws only the lines in view (Textual's line API), so a catalogue of thousands of trials
updates as fast as one of five.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from matcher.verdicts import Verdict
from trials.i18n import DEFAULT_LOCALE
from tui.texts import t

# What each state looks like: meaning is carried by the symbol and the words (``panel.state.<state>``);
# colour only adds to it.
STATE_SYMBOLS: dict[str, str] = {"eligible": "✓", "possibly_eligible": "?", "open": "…", "not_eligible": "✗"}
STATE_ORDER = ("eligible", "possibly_eligible", "open", "not_eligible")


# The failed criteria fit the narrow panel (22 columns inside with large text, less the 4 of the
# indent), in cells: "Inclusion 3, Exclusion 12" over two lines, "제외 기준 12" as one.
WHY_WIDTH = 18


def state_words(state: str, locale: str = DEFAULT_LOCALE) -> str:
    """A panel state in words ("still open")."""
    return t(f"panel.state.{state}", locale)


def _wrap(criteria: list[str], width: int) -> list[str]:
    """Criterion names joined with commas, in lines of at most ``width`` cells (a name is never split)."""
    lines: list[str] = []
    for name in criteria:
        if lines and cell_len(lines[-1]) + 2 + cell_len(name) <= width:
            lines[-1] += ", " + name
        else:
            if lines:
                lines[-1] += ","
            lines.append(name)
    return lines


def state_of(verdict: Verdict, finished: bool) -> str:
    """The panel's state: a trial still possibly eligible while questions remain is "still open"."""
    return "open" if verdict == "possibly_eligible" and not finished else verdict


@dataclass(frozen=True)
class TrialLabel:
    """How a trial is named in the panel."""

    nct_id: str
    name: str  # the acronym, or a short title


class TrialStates(ScrollView, can_focus=True):
    """Every trial with its current state, and the progress of the interview."""

    COMPONENT_CLASSES = {
        "trial-states--heading",
        "trial-states--eligible",
        "trial-states--possibly_eligible",
        "trial-states--open",
        "trial-states--not_eligible",
        "trial-states--name",
        "trial-states--why",
    }
    BINDINGS = []  # scrolling keys come from ScrollView

    def __init__(self, trials: Sequence[TrialLabel], locale: str = DEFAULT_LOCALE, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trials = list(trials)
        self.locale = locale
        self.states: dict[str, str] = {trial.nct_id: "open" for trial in self.trials}
        self.progress: tuple[int, int, bool] | None = None  # (answered, remaining, finished); None: not yet
        self.why: dict[str, list[str]] = {}
        self._lines: list[list[tuple[str, str]]] = []
        self._build()

    def show(self, verdicts: dict[str, Verdict], finished: bool, why: dict[str, list[str]] | None = None) -> None:
        """Show new verdicts (the interview is over when ``finished``); ``why``: the failed criteria, by trial."""
        self.states = {nct_id: state_of(verdict, finished) for nct_id, verdict in verdicts.items()}
        if why is not None:
            self.why = why
        self._build()

    def show_progress(self, answered: int, remaining: int, finished: bool) -> None:
        """Questions answered, and about how many are left."""
        self.progress = (answered, remaining, finished)
        self._build()

    def clear_progress(self) -> None:
        """Back to "getting the first question ready" (a kiosk reset)."""
        self.progress = None
        self._build()

    def set_locale(self, locale: str) -> None:
        """Say everything in another language."""
        self.locale = locale
        self.border_title = t("panel.title", locale)
        self._build()

    @property
    def progress_text(self) -> str:
        """The progress lines, as shown above the trials."""
        if self.progress is None:
            return t("panel.getting_ready", self.locale)
        answered, remaining, finished = self.progress
        if finished:
            return t("panel.all_done", self.locale, answered=answered)
        return t("panel.progress", self.locale, answered=answered, remaining=remaining)

    def counts(self) -> dict[str, int]:
        """How many trials are in each state."""
        out = dict.fromkeys(STATE_ORDER, 0)
        for state in self.states.values():
            out[state] += 1
        return out

    def text(self) -> str:
        """Every line as plain text (what a screen shows, for tests and for copying)."""
        return "\n".join("".join(part for part, _ in line) for line in self._lines)

    def _build(self) -> None:
        lines: list[list[tuple[str, str]]] = [[(text, "heading")] for text in self.progress_text.split("\n")]
        lines.append([(t("panel.trials", self.locale, count=len(self.trials)), "heading")])
        counts = self.counts()
        words = {state: state_words(state, self.locale) for state in STATE_ORDER}
        for state in STATE_ORDER:
            if counts[state]:
                lines.append([(f" {STATE_SYMBOLS[state]} {counts[state]} {words[state]}", state)])
        lines.append([("", "name")])
        for trial in self.trials:
            state = self.states.get(trial.nct_id, "open")
            lines.append([(f"{STATE_SYMBOLS[state]} {words[state]}", state)])
            lines.append([(f"  {trial.nct_id} {trial.name}".rstrip(), "name")])
            if state == "not_eligible":
                lines += [[(f"    {part}", "why")] for part in _wrap(self.why.get(trial.nct_id, []), WHY_WIDTH)]
        self._lines = lines
        width = max((sum(cell_len(part) for part, _ in line) for line in lines), default=0)
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        segments = [Segment(part, base + self._style(kind)) for part, kind in self._lines[index] if part]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _style(self, kind: str) -> Style:
        return self.get_component_rich_style(f"trial-states--{kind}", partial=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
