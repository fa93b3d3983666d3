"""The live side panel: every trial's state, in a symbol and in words, and the interview's progress.

It draws only the lines in view (Textual's line API), so a catalogue of thousands of trials
updates as fast as one of five.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from matcher.verdicts import Verdict

# What each state looks like: meaning is carried by the symbol and the words; colour only adds to it.
STATE_MARKS: dict[str, tuple[str, str]] = {
    "eligible": ("✓", "eligible"),
    "possibly_eligible": ("?", "possibly eligible"),
    "open": ("…", "still open"),
    "not_eligible": ("✗", "not eligible"),
}
STATE_ORDER = ("eligible", "possibly_eligible", "open", "not_eligible")


WHY_WIDTH = 19  # the failed criteria fit the narrow panel: "Inclusion 3, Exclusion 12" over two lines


def _wrap(criteria: list[str], width: int) -> list[str]:
    """Criterion names joined with commas, in lines of at most ``width`` (a name is never split)."""
    lines: list[str] = []
    for name in criteria:
        if lines and len(lines[-1]) + 2 + len(name) <= width:
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

    def __init__(self, trials: Sequence[TrialLabel], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trials = list(trials)
        self.states: dict[str, str] = {t.nct_id: "open" for t in self.trials}
        self.progress_text = "Getting the first\nquestion ready…"
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
        if finished:
            self.progress_text = f"All done: {answered} answered"
        else:
            self.progress_text = f"Answered: {answered}\nAbout {remaining} left"
        self._build()

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
        lines.append([(f"Trials: {len(self.trials)}", "heading")])
        counts = self.counts()
        for state in STATE_ORDER:
            if counts[state]:
                symbol, words = STATE_MARKS[state]
                lines.append([(f" {symbol} {counts[state]} {words}", state)])
        lines.append([("", "name")])
        for trial in self.trials:
            state = self.states.get(trial.nct_id, "open")
            symbol, words = STATE_MARKS[state]
            lines.append([(f"{symbol} {words}", state)])
            lines.append([(f"  {trial.nct_id} {trial.name}".rstrip(), "name")])
            if state == "not_eligible":
                lines += [[(f"    {part}", "why")] for part in _wrap(self.why.get(trial.nct_id, []), WHY_WIDTH)]
        self._lines = lines
        width = max((sum(len(part) for part, _ in line) for line in lines), default=0)
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
