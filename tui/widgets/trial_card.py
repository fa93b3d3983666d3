"""One trial on the results screen: what it is, the verdict and why, what to confirm, whom to call.

All catalogue text goes into literal Rich ``Text`` (never markup): registry text holds ``[...]``
and backslashes that markup would otherwise try to read. Bullets hang: a wrapped reason stays
indented under its first line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from matcher.verdicts import CheckOutcome, TrialResult
from questionnaires.summary import SYMBOLS, is_stale, status_word, verdict_mark
from trials.schema import Trial

Part = str | tuple[str, str]
Line = tuple[str | None, list[tuple[str, str]]]  # (a bullet's mark, or None for a paragraph; (text, style) parts)
STATE_WORDS = {"met": "met", "failed": "not met", "unknown": "not known yet", "study_team": "the study team checks"}
SECTIONS = ("registry", "inclusion", "exclusion")


def reason_text(outcome: CheckOutcome, nurse: bool) -> str:
    """The reason as shown: with the criterion's number for nurses, without it for patients."""
    prefix = f"{outcome.criterion}: "
    if nurse or not outcome.reason.startswith(prefix):
        return outcome.reason
    text = outcome.reason[len(prefix) :]
    return text[:1].upper() + text[1:]


def _para(*parts: Part) -> Line:
    return (None, [part if isinstance(part, tuple) else (part, "") for part in parts])


def _items(title: str, items: Iterable[str], mark: str = "-") -> list[Line]:
    items = list(items)
    if not items:
        return []
    return [_para((title, "bold")), *[(mark, [(item, "")]) for item in items]]


def render_lines(lines: list[Line]) -> Group:
    """Paragraphs, and bullets whose wrapped lines hang under their text (literal text: never markup)."""
    out: list[Text | Table] = []
    grid: Table | None = None
    for mark, parts in lines:
        text = Text.assemble(*parts)
        if mark is None:
            grid = None
            out.append(text)
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1)
            out.append(grid)
        grid.add_row(Text(" " + mark), text)
    return Group(*out)


def plain_lines(lines: list[Line]) -> str:
    """The same lines as plain text (bullets indented by two spaces)."""
    return "\n".join(("" if mark is None else f"  {mark} ") + "".join(t for t, _ in parts) for mark, parts in lines)


def card_lines(
    position: int, result: TrialResult, trial: Trial, as_of: dt.date, nurse: bool, where: str | None = None
) -> list[Line]:
    """The card: verdict, title, summary, treatment, reasons, contacts, sites, status."""
    name = trial.nct_id + (f" ({trial.acronym})" if trial.acronym else "")
    lines = [
        _para((f"{position}. {verdict_mark(result.verdict)}", "bold reverse"), ("  " + name, "bold")),
        _para((trial.brief_title, "bold")),
        _para(trial.plain_summary),
    ]
    doses = [d for d in result.doses if d.applies != "no"]
    lines += _items(
        "Treatment:",
        (
            f"{d.intervention}: {d.dose}" + (" (depends on your weight)" if d.applies == "unknown" else "")
            for d in doses
        ),
    )
    lines += _items("Why not eligible:", (reason_text(o, nurse) for o in result.failed), SYMBOLS["failed"])
    if result.verdict != "not_eligible":
        lines += _items(
            "To confirm with your care team:", (reason_text(o, nurse) for o in result.unknown), SYMBOLS["unknown"]
        )
        lines += _items(
            "The study team will also check:", (reason_text(o, nurse) for o in result.study_team), SYMBOLS["study_team"]
        )
        if result.met:
            lines.append(_para(f"Met: {len(result.met)} checks"))
    else:
        other = len(result.unknown) + len(result.study_team)
        if other:
            lines.append(_para(f"({other} other checks not needed now that this trial is ruled out)"))
    contacts = list(trial.contacts) + [c for site in trial.sites for c in site.contacts if c.phone or c.email]
    lines += _items(
        "Contacts:",
        (
            c.name + (": " + ", ".join(x for x in (c.phone, c.email) if x) if c.phone or c.email else "")
            for c in contacts
        ),
    )
    if where:
        lines.append(_para(("Where: ", "bold"), where))
    lines += _items("Sites:", (", ".join(x for x in (s.facility, s.city, s.country) if x) for s in trial.sites))
    status = f"{status_word(trial.status.overall)}; record last updated {trial.status.last_update.isoformat()}"
    lines.append(_para(("Status: ", "bold"), status))
    if is_stale(trial, as_of):
        lines.append(
            _para(("⚠ This record is more than a year old; ask the study team if it is still current.", "bold"))
        )
    return lines


def criteria_lines(result: TrialResult, trial: Trial) -> list[Line]:
    """Every criterion's original text and its state for this patient (the check states under it)."""
    outcomes = [*result.failed, *result.unknown, *result.met, *result.study_team]
    lines = [_para(("Every criterion, as the registry words it, and its state:", "bold"))]
    for section in SECTIONS:
        for criterion in getattr(trial.eligibility, section):
            mine = [o for o in outcomes if o.section == section and o.number == criterion.number]
            if not mine:
                continue
            states = {o.status for o in mine}
            state = next(s for s in ("failed", "unknown", "met", "study_team") if s in states)
            lines += [_para(""), _para((f"{SYMBOLS[state]} {mine[0].criterion} — {STATE_WORDS[state]}", "bold"))]
            lines.append(_para(criterion.text))
            if len(mine) > 1:
                lines += [(SYMBOLS[o.status], [(f"{STATE_WORDS[o.status]}: ", "italic"), (o.text, "")]) for o in mine]
    return lines


class TrialCard(Vertical):
    """A trial's card; its criteria (original text and state) show when toggled."""

    def __init__(
        self, position: int, result: TrialResult, trial: Trial, as_of: dt.date, nurse: bool, where: str | None = None
    ) -> None:
        super().__init__(classes=f"card {result.verdict}", id=f"card-{trial.nct_id}")
        self.position = position
        self.result = result
        self.trial = trial
        self.as_of = as_of
        self.nurse = nurse
        self.where = where
        self.criteria_built = False

    def compose(self) -> ComposeResult:
        yield Static(render_lines(self.lines()), classes="summary")
        criteria = Static("", classes="criteria")
        criteria.display = False
        yield criteria

    def show_criteria(self, shown: bool) -> None:
        """Show or hide the criteria."""
        criteria = self.query_one(".criteria", Static)
        if shown and not self.criteria_built:
            criteria.update(render_lines(criteria_lines(self.result, self.trial)))
            self.criteria_built = True
        criteria.display = shown

    def lines(self) -> list[Line]:
        """The card's lines."""
        return card_lines(self.position, self.result, self.trial, self.as_of, self.nurse, self.where)

    def text(self) -> str:
        """The card as plain text."""
        return plain_lines(self.lines())

    def criteria_text(self) -> str:
        """The criteria as plain text."""
        return plain_lines(criteria_lines(self.result, self.trial))
