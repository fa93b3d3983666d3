"""The results as a person reads them: plain text for a terminal, Markdown for a saved summary.

Each trial: its verdict, its status and a warning when the record is probably out of date, the
next step (whom to contact and how, what to bring or ask), why not, what to confirm with the care
team, what the study team also checks, the dose that fits, and the sites.
A session's summary also lists the answers given and the lab values worth bringing along.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from matcher.catalogue_filters import SiteChoice
from matcher.facts import Vocabulary
from matcher.locale import fact_label
from matcher.verdicts import VERDICT_WORDS, CheckOutcome, TrialResult
from questionnaires.next_step import (
    NextStepWords,
    is_lab,
    next_step_words,
    other_contacts,
    trial_record_words,
)
from questionnaires.texts import country_name, t
from trials.i18n import DEFAULT_LOCALE, format_date
from trials.schema import Trial
from trials.translations import TrialTexts

Format = Literal["text", "markdown"]
SYMBOLS = {"met": "✓", "failed": "✗", "unknown": "?", "study_team": "•"}


def disclaimer(locale: str = DEFAULT_LOCALE) -> str:
    """This is a screening aid, not a medical decision."""
    return t("summary.disclaimer", locale)


def verdict_mark(verdict: str, locale: str = DEFAULT_LOCALE) -> str:
    """ "✓ ELIGIBLE": the verdict with its symbol (meaning never rests on colour)."""
    return t(f"verdict_mark.{verdict}", locale)


def verdict_heading(result: TrialResult, locale: str = DEFAULT_LOCALE) -> str:
    """ "✓ ELIGIBLE from 2026-12-18": the verdict, and the dates a window counted to the first dose
    (or randomisation, enrolment) sets on it."""
    mark = verdict_mark(result.verdict, locale)
    start, until = result.eligible_from, result.eligible_until
    if start is not None and until is not None:
        when = t("summary.window_between", locale, start=format_date(start, locale), until=format_date(until, locale))
    elif start is not None:
        when = t("summary.window_from", locale, date=format_date(start, locale))
    elif until is not None:
        when = t("summary.window_until", locale, date=format_date(until, locale))
    else:
        return mark
    return f"{mark} {when}"


def where_words(choice: SiteChoice | None, country: str | None, locale: str = DEFAULT_LOCALE) -> str:
    """Where a trial could be done, in words ("a site in Taiwan: ...", "no site in Japan; site: ...")."""
    if choice is None or choice.site is None:
        return t("where.none_listed", locale)
    site = choice.site
    place = ", ".join(x for x in (site.facility, site.city, country_name(site.country or "", locale)) if x)
    country = country_name(country, locale) if country else country
    km = f"{choice.distance_km:,.0f}" if choice.distance_km is not None else None
    if choice.in_country:
        away = t("where.away", locale, km=km) if km is not None else ""
        return t("where.in_country", locale, country=country_name(site.country or "", locale), away=away, place=place)
    if km is not None:
        return t("where.nearest", locale, km=km, place=place)
    if country:
        return t("where.not_in_country", locale, country=country, place=place)
    return t("where.site", locale, place=place)


@dataclass(frozen=True)
class AnsweredLine:
    """One answer for the summary: the question as asked and the answer as given."""

    question: str
    answer: str


class _Writer:
    """Headings, lines and bullets, as plain text or Markdown."""

    def __init__(self, fmt: Format, locale: str = DEFAULT_LOCALE) -> None:
        self.fmt = fmt
        self.locale = locale
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
        if self.locale != DEFAULT_LOCALE:  # criterion quotes stay in the registry's English, labelled so
            folded = f"{t('summary.registry_quote', self.locale)}: {folded}"
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
    title: str | None = None,
    where: Mapping[str, str] | None = None,
    locale: str = DEFAULT_LOCALE,
    texts: Mapping[str, TrialTexts] | None = None,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> str:
    """The ranked results (and, for a session, the answers given) as text or Markdown.

    ``where`` gives, per trial, where it could be done (see ``ArrangedResults.where``); ``texts``
    the trials' texts in ``locale`` (criterion quotes stay in the registry's English, labelled so);
    ``country`` and ``near`` (the patient's) choose each next step's contact, and a session's
    summary says the country answered."""
    out = _Writer(fmt, locale)
    title = title or t("summary.title", locale)
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICT_WORDS}
    day = format_date(as_of, locale)
    if fmt == "markdown":
        out.lines.append(f"# {title} — {day}")
        out.lines.append("")
    checked = t(
        "summary.checked",
        locale,
        count=len(results),
        date=day,
        eligible=counts["eligible"],
        possibly=counts["possibly_eligible"],
        not_eligible=counts["not_eligible"],
    )
    out.line(("" if fmt == "markdown" else f"{title} — ") + checked)
    out.line(disclaimer(locale) if fmt == "text" else f"**{disclaimer(locale)}**")
    for note in notes:
        out.line(t("summary.note", locale, note=note))
    if answers is not None:
        out.heading(t("summary.your_answers", locale))
        for item in answers:
            out.bullet(f"{item.question} — {item.answer}", indent=1)
        given = country_name(country, locale) if country else t("summary.country_not_given", locale)
        out.bullet(t("summary.your_country", locale, country=given), indent=1)
        if vocabulary is not None:
            bring = _labs_to_bring(results, vocabulary, locale)
            if bring:
                out.heading(t("summary.labs_to_bring", locale))
                for label in bring:
                    out.bullet(label, indent=1)
    for position, result in enumerate(results, 1):
        trial = trials[result.nct_id]
        trial_texts = (texts or {}).get(result.nct_id) or TrialTexts(trial, None, DEFAULT_LOCALE)
        step = next_step_words(result, trial, locale, vocabulary, country, near)
        _trial(out, position, result, trial, as_of, show_all, (where or {}).get(result.nct_id), trial_texts, step)
    return out.text()


def _trial(
    out: _Writer,
    position: int,
    result: TrialResult,
    trial: Trial,
    as_of: dt.date,
    show_all: bool,
    where: str | None,
    texts: TrialTexts,
    step: NextStepWords | None = None,
) -> None:
    locale = out.locale
    name = trial.nct_id + (f" ({trial.acronym})" if trial.acronym else "")
    if out.fmt == "markdown":
        out.heading(f"{position}. {name} — {verdict_heading(result, locale)}")
    else:
        out.lines += ["", f"{position}. {name} — {verdict_heading(result, locale)}"]
    out.line(texts.get("title", trial.brief_title), 1)
    out.line(t("summary.in_plain_words", locale, summary=texts.get("plain_summary", trial.plain_summary)), 1)
    record = trial_record_words(trial, as_of, locale)
    out.line(record.status, 1)
    if record.warning:
        out.line(record.warning, 1)
        out.line(record.why_text(locale) or "", 1)
    if step is not None:
        _next_step(out, step)
    _section(out, t("summary.why_not", locale), result.failed)
    ruled_out = result.verdict == "not_eligible" and not show_all
    if ruled_out:
        # Someone scanning a ruled-out trial needs the reasons, not every open question.
        other = len(result.unknown) + len(result.study_team) + result.not_explained
        if other:
            out.line(t("summary.not_needed", locale, count=other), 1)
    else:
        _section(out, t("summary.to_confirm", locale), result.unknown)
    if show_all:
        _section(out, t("summary.met", locale), result.met)
    elif result.met and not ruled_out:
        out.line(t("summary.met_count", locale, count=len(result.met)), 1)
    if not ruled_out:
        _section(out, t("summary.study_team_checks", locale), result.study_team, quote=False)
    doses = [d for d in result.doses if d.applies != "no"]
    if doses:
        out.line(t("summary.treatment", locale), 1)
        for dose in doses:
            which = t("summary.depends_on_weight", locale) if dose.applies == "unknown" else ""
            out.bullet(f"{dose.intervention}: {dose.dose}{which}", 2)
    contacts = other_contacts(trial, step, locale)
    if contacts:
        out.line(t("summary.contacts", locale), 1)
        for line in contacts:
            out.bullet(line, 2)
    if where:
        out.line(t("summary.where", locale, where=where), 1)
    if trial.sites:
        out.line(t("summary.sites", locale), 1)
        for site in trial.sites:
            place = ", ".join(x for x in (site.city, country_name(site.country or "", locale)) if x)
            out.bullet(f"{site.facility}, {place}", 2)


def _next_step(out: _Writer, step: NextStepWords) -> None:
    """The next step: whom to contact and how, what to bring or ask."""
    heading = t("next_step.heading", out.locale)
    out.line(heading + ("" if heading.endswith("：") else " ") + step.lead, 1)
    for line in [*step.details, *step.bring]:
        out.bullet(line, 2)


def _section(out: _Writer, title: str, outcomes: list[CheckOutcome], quote: bool = True) -> None:
    if not outcomes:
        return
    out.line(f"{title}:", 1)
    for outcome in outcomes:
        out.bullet(outcome.reason, 2, SYMBOLS[outcome.status])
        if quote:
            out.quote(outcome.text, 3)


def _labs_to_bring(results: Sequence[TrialResult], vocabulary: Vocabulary, locale: str = DEFAULT_LOCALE) -> list[str]:
    """Lab tests still unknown for trials that are not ruled out."""
    wanted: dict[str, None] = {}
    for result in results:
        if result.verdict == "not_eligible":
            continue
        for outcome in result.unknown:
            for fact_id in outcome.ask:
                if is_lab(fact_id, vocabulary):
                    wanted.setdefault(fact_label(vocabulary[fact_id], locale))
    return list(wanted)


def answered_lines(turns: Sequence[Any]) -> list[AnsweredLine]:
    """Transcript turns that still apply, as summary lines."""
    return [AnsweredLine(turn.question, turn.answer) for turn in turns if turn.applies]
