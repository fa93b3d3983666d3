"""The results as a person reads them: plain text for a terminal, Markdown for a saved summary.

Each trial: its verdict, why not, what to confirm with the care team, what the study team also
checks, the dose that fits, contacts and sites, and a note when the record is over a year old.
A session's summary also lists the answers given and the lab values worth bringing along.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matcher.facts import Vocabulary
from matcher.verdicts import VERDICT_WORDS, CheckOutcome, TrialResult
from trials.schema import Trial

Format = Literal["text", "markdown"]
STALE_AFTER_DAYS = 365
DISCLAIMER = "This is a screening aid, not a medical decision: the study team decides who can take part."
STATUS_WORDS = {
    "RECRUITING": "recruiting",
    "NOT_YET_RECRUITING": "not yet recruiting",
    "ACTIVE_NOT_RECRUITING": "active, not recruiting",
    "ENROLLING_BY_INVITATION": "enrolling by invitation",
    "COMPLETED": "completed",
    "SUSPENDED": "suspended",
    "TERMINATED": "terminated",
    "WITHDRAWN": "withdrawn",
    "UNKNOWN": "status unknown",
}
SYMBOLS = {"met": "✓", "failed": "✗", "unknown": "?", "study_team": "•"}
VERDICT_MARKS = {"eligible": "✓ ELIGIBLE", "possibly_eligible": "? POSSIBLY ELIGIBLE", "not_eligible": "✗ NOT ELIGIBLE"}
LAB_GROUP = "labs"


@dataclass(frozen=True)
class AnsweredLine:
    """One answer for the summary: the question as asked and the answer as given."""

    question: str
    answer: str


class _Writer:
    """Headings, lines and bullets, as plain text or Markdown."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.lines: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        if self.fmt == "markdown":
            self.lines += ["", "#" * level + " " + text, ""]
        else:
            self.lines += ["", text]

    def line(self, text: str, indent: int = 0) -> None:
        self.lines.append(("   " * indent if self.fmt == "text" else "") + text)

    def bullet(self, text: str, indent: int = 1, mark: str = "-") -> None:
        if self.fmt == "markdown":
            self.lines.append("  " * (indent - 1) + f"- {mark + ' ' if mark != '-' else ''}{text}")
        else:
            self.lines.append("   " * indent + f"{mark} {text}")

    def quote(self, text: str, indent: int = 2) -> None:
        folded = " ".join(text.split())
        if self.fmt == "markdown":
            self.lines.append("  " * (indent - 1) + f"  > {folded}")
        else:
            self.lines.append("   " * indent + f"“{folded}”")

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


def render_results(
    results: Sequence[TrialResult],
    trials: dict[str, Trial],
    as_of: dt.date,
    notes: Sequence[str] = (),
    fmt: Format = "text",
    show_all: bool = False,
    answers: Sequence[AnsweredLine] | None = None,
    vocabulary: Vocabulary | None = None,
    title: str = "Trial Matcher",
    where: Mapping[str, str] | None = None,
) -> str:
    """The ranked results (and, for a session, the answers given) as text or Markdown.

    ``where`` gives, per trial, where it could be done ("a site in China: ..."; see
    ``matcher.catalogue_filters.ArrangedResults.where``)."""
    out = _Writer(fmt)
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICT_WORDS}
    if fmt == "markdown":
        out.lines.append(f"# {title} — {as_of.isoformat()}")
        out.lines.append("")
    out.line(
        ("" if fmt == "markdown" else f"{title} — ")
        + f"{len(results)} trials checked on {as_of.isoformat()}: {counts['eligible']} eligible, "
        f"{counts['possibly_eligible']} possibly eligible, {counts['not_eligible']} not eligible"
    )
    out.line(DISCLAIMER if fmt == "text" else f"**{DISCLAIMER}**")
    for note in notes:
        out.line(f"Note: {note}")
    if answers is not None:
        out.heading("Your answers")
        for item in answers:
            out.bullet(f"{item.question} — {item.answer}", indent=1)
        if vocabulary is not None:
            bring = _labs_to_bring(results, vocabulary)
            if bring:
                out.heading("Lab values to bring to your care team")
                for label in bring:
                    out.bullet(label, indent=1)
    for position, result in enumerate(results, 1):
        _trial(out, position, result, trials[result.nct_id], as_of, show_all, (where or {}).get(result.nct_id))
    return out.text()


def _trial(
    out: _Writer, position: int, result: TrialResult, trial: Trial, as_of: dt.date, show_all: bool, where: str | None
) -> None:
    name = trial.nct_id + (f" ({trial.acronym})" if trial.acronym else "")
    if out.fmt == "markdown":
        out.heading(f"{position}. {name} — {VERDICT_MARKS[result.verdict]}")
    else:
        out.lines += ["", f"{position}. {name} — {VERDICT_MARKS[result.verdict]}"]
    out.line(trial.brief_title, 1)
    out.line(f"In plain words: {trial.plain_summary}", 1)
    age = (as_of - trial.status.last_update).days
    stale = (
        " — this record is more than a year old; ask the study team if it is still current"
        if age > STALE_AFTER_DAYS
        else ""
    )
    out.line(
        f"Status: {STATUS_WORDS[trial.status.overall]}; record last updated {trial.status.last_update.isoformat()}{stale}",
        1,
    )
    _section(out, "Why not eligible", result.failed)
    ruled_out = result.verdict == "not_eligible" and not show_all
    if ruled_out:
        # Someone scanning a ruled-out trial needs the reasons, not every open question.
        other = len(result.unknown) + len(result.study_team)
        if other:
            out.line(f"({other} other checks not needed now that this trial is ruled out)", 1)
    else:
        _section(out, "To confirm with the care team", result.unknown)
    if show_all:
        _section(out, "Met", result.met)
    elif result.met and not ruled_out:
        out.line(f"Met: {len(result.met)} checks", 1)
    if not ruled_out:
        _section(out, "The study team will also check", result.study_team, quote=False)
    doses = [d for d in result.doses if d.applies != "no"]
    if doses:
        out.line("Treatment:", 1)
        for dose in doses:
            which = " (depends on your weight)" if dose.applies == "unknown" else ""
            out.bullet(f"{dose.intervention}: {dose.dose}{which}", 2)
    contacts = list(trial.contacts) + [c for site in trial.sites for c in site.contacts if c.phone or c.email]
    if contacts:
        out.line("Contacts:", 1)
        for contact in contacts:
            details = ", ".join(x for x in (contact.phone, contact.email) if x)
            out.bullet(contact.name + (f": {details}" if details else ""), 2)
    if where:
        out.line(f"Where: {where}", 1)
    if trial.sites:
        out.line("Sites:", 1)
        for site in trial.sites:
            place = ", ".join(x for x in (site.city, site.country) if x)
            out.bullet(f"{site.facility}, {place}", 2)


def _section(out: _Writer, title: str, outcomes: list[CheckOutcome], quote: bool = True) -> None:
    if not outcomes:
        return
    out.line(f"{title}:", 1)
    for outcome in outcomes:
        out.bullet(outcome.reason, 2, SYMBOLS[outcome.status])
        if quote:
            out.quote(outcome.text, 3)


def _labs_to_bring(results: Sequence[TrialResult], vocabulary: Vocabulary) -> list[str]:
    """Lab tests still unknown for trials that are not ruled out."""
    wanted: dict[str, None] = {}
    for result in results:
        if result.verdict == "not_eligible":
            continue
        for outcome in result.unknown:
            for fact_id in outcome.ask:
                fact = vocabulary.facts.get(fact_id)
                if fact is not None and fact.group == LAB_GROUP or fact_id in ("bilirubin", "albumin", "inr"):
                    wanted.setdefault(vocabulary[fact_id].label)
    return list(wanted)


def answered_lines(turns: Sequence[Any]) -> list[AnsweredLine]:
    """Transcript turns that still apply, as summary lines."""
    return [AnsweredLine(t.question, t.answer) for t in turns if t.applies]
