"""What a person does with a result, in words: the next step (whom to contact and how, what to
bring or ask) and whether the trial's record can be trusted (its status, and a warning when it is
probably out of date).

The choices are made in ``matcher.contacts`` and ``matcher.record``; this module words them in a
locale, the same for the app's card, the text output, the saved summary and the QR code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from matcher.contacts import NextStep, Person, Phone, next_step, trial_people
from matcher.facts import Vocabulary
from matcher.locale import fact_label
from matcher.record import RecordCheck, check_record
from matcher.verdicts import TrialResult
from questionnaires.texts import TEXTS, country_name, t
from trials.i18n import DEFAULT_LOCALE, format_date, format_month
from trials.schema import Site, Trial

LAB_GROUP = "labs"
LAB_FACTS = ("bilirubin", "albumin", "inr")  # the Child-Pugh labs, asked as part of a score
ASK_AT_MOST = 3  # a next step names a few things to ask; the card lists them all under "to confirm"
BRING_AT_MOST = 6  # and a few tests to take along


@dataclass(frozen=True)
class RecordWords:
    """The record's status in words, and the warning (with why) when it is probably out of date."""

    status: str
    warning: str | None = None
    why: list[str] = field(default_factory=list)

    def why_text(self, locale: str = DEFAULT_LOCALE) -> str | None:
        """ "Why: the completion date (2025-10-05) has passed; ...", or None when the record is current."""
        if not self.why:
            return None
        return t("record.why", locale, reasons=t("record.separator", locale).join(self.why))


@dataclass(frozen=True)
class NextStepWords:
    """The next step: what to do (``lead``), how to reach them (``details``), what to bring or ask."""

    step: NextStep
    lead: str
    details: list[str]
    bring: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Every line of it, the lead first."""
        return [self.lead, *self.details, *self.bring]


def status_word(status: str, locale: str = DEFAULT_LOCALE) -> str:
    """A registry status in words ("recruiting")."""
    return TEXTS.get(f"status.{status}", locale) or status.replace("_", " ").lower()


def record_words(record: RecordCheck, locale: str = DEFAULT_LOCALE) -> RecordWords:
    """ "Not yet recruiting — expected to start June 2023; record last updated 2023-03-01", and the warning."""
    status = status_word(record.status, locale)
    status = status[:1].upper() + status[1:]
    if record.status == "NOT_YET_RECRUITING" and record.start is not None:
        status = t("record.expected_start", locale, status=status, month=format_month(record.start, locale))
    if record.last_update is None:
        line = t("record.status_line_undated", locale, status=status)
    else:
        line = t("record.status_line", locale, status=status, date=format_date(record.last_update, locale))
    if not record.stale:
        return RecordWords(line)
    why: list[str] = []
    for reason in record.why:
        if reason == "completion_passed" and record.completion is not None:
            why.append(t("record.why_completion", locale, date=format_date(record.completion, locale)))
        elif reason == "start_passed" and record.start is not None:
            why.append(t("record.why_start", locale, month=format_month(record.start, locale)))
        elif reason == "update_old" and record.last_update is not None:
            why.append(t("record.why_update", locale, date=format_date(record.last_update, locale)))
        elif reason == "update_unknown":
            why.append(t("record.why_no_update", locale))
        elif reason == "verified_old" and record.last_verified is not None:
            why.append(t("record.why_verified", locale, month=format_month(record.last_verified, locale)))
    return RecordWords(line, t("record.stale", locale, address=record.address), why)


def trial_record_words(trial: Trial, as_of: dt.date, locale: str = DEFAULT_LOCALE) -> RecordWords:
    """The record's words for a trial on ``as_of``."""
    return record_words(check_record(trial, as_of), locale)


def site_place(site: Site, locale: str = DEFAULT_LOCALE) -> str:
    """ "CHA Bundang Medical Center, Seongnam-si, 대한민국": a site in words."""
    return ", ".join(x for x in (site.facility, site.city, country_name(site.country or "", locale)) if x)


def phone_text(phone: Phone, locale: str = DEFAULT_LOCALE) -> str:
    """ "Phone: +86 189 0091 7100", or the registry's writing, marked so, when it cannot be read for sure."""
    if phone.sure:
        return t("next_step.phone", locale, number=phone.text())
    return t("next_step.phone_as_listed", locale, number=phone.listed)


def _reach(person: Person, locale: str) -> list[str]:
    return [phone_text(p, locale) for p in person.phones] + [
        t("next_step.email", locale, email=e) for e in person.emails
    ]


def other_contacts(trial: Trial, step: NextStepWords | None, locale: str = DEFAULT_LOCALE) -> list[str]:
    """Everyone else the record lists with a phone or an e-mail, one line each ("Name: +82 31-780-3928, a@b")."""
    named = {p.name for p in step.step.people} if step is not None and step.step.kind != "ask_doctor" else set()
    out: list[str] = []
    for person in trial_people(trial):
        if person.reachable and person.name not in named:
            ways = [p.text() for p in person.phones] + person.emails
            out.append(f"{person.name}: {', '.join(ways)}")
    return out


def _named(person: Person, locale: str) -> str:
    where = site_place(person.site, locale) if person.site is not None else person.affiliation
    key = "next_step.investigator" if person.role == "principal_investigator" else "next_step.official"
    return t(key + ("_at" if where else ""), locale, name=person.name, place=where or "")


def next_step_words(
    result: TrialResult,
    trial: Trial,
    locale: str = DEFAULT_LOCALE,
    vocabulary: Vocabulary | None = None,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> NextStepWords | None:
    """The next step for an eligible or possibly eligible result (None for a trial ruled out)."""
    if result.verdict == "not_eligible":
        return None
    step = next_step(trial, country, near)
    details: list[str] = []
    if step.kind == "ask_doctor":
        lead = t("next_step.ask_doctor", locale)
        details = [_named(p, locale) for p in step.people]
        details.append(t("next_step.sponsor", locale, name=step.sponsor))
    else:
        names = [p.name for p in step.people]
        if step.kind == "contact":
            lead = t("next_step.contact", locale, name=names[0])
        else:
            site = step.people[0].site
            place = site_place(site, locale) if site is not None else ""
            lead = t("next_step.site_contact", locale, name=names[0], place=place)
        for person in step.people:
            if len(step.people) > 1:
                details.append(person.name + ":")
            details += _reach(person, locale)
    bring = _bring_and_ask(result, vocabulary, locale) if result.verdict == "possibly_eligible" else []
    return NextStepWords(step, lead, details, bring)


def is_lab(fact_id: str, vocabulary: Vocabulary) -> bool:
    """A lab test's value (the tests to take along)."""
    fact = vocabulary.facts.get(fact_id)
    return (fact is not None and fact.group == LAB_GROUP) or fact_id in LAB_FACTS


def _bring_and_ask(result: TrialResult, vocabulary: Vocabulary | None, locale: str) -> list[str]:
    if vocabulary is None:
        return []
    labs: dict[str, None] = {}
    other: dict[str, None] = {}
    for outcome in result.unknown:
        for fact_id in outcome.ask:
            if fact_id not in vocabulary.facts:
                continue
            label = fact_label(vocabulary[fact_id], locale)
            (labs if is_lab(fact_id, vocabulary) else other).setdefault(label)
    out: list[str] = []
    if labs:
        out.append(t("next_step.bring", locale, tests=_few(list(labs), BRING_AT_MOST, locale)))
    if other:
        out.append(t("next_step.ask", locale, items=_few(list(other), ASK_AT_MOST, locale)))
    return out


def _few(items: list[str], most: int, locale: str) -> str:
    """ "a, b, c and 4 more"."""
    more = len(items) - most
    text = t("next_step.list_separator", locale).join(items[:most])
    return text + (t("next_step.more", locale, count=more) if more > 0 else "")


def take_away_text(
    result: TrialResult,
    trial: Trial,
    locale: str = DEFAULT_LOCALE,
    country: str | None = None,
    near: tuple[float, float] | None = None,
    title: str | None = None,
) -> tuple[str, list[str]]:
    """What a QR code holds for one trial: its id and title (one line, to be shortened when space is
    short), and the next step's contacts in as few words as possible."""
    head = f"{trial.nct_id}: {title or trial.brief_title}"
    step = next_step(trial, country, near)
    if step.kind == "ask_doctor":
        names = [p.name for p in step.people] + [step.sponsor]
        return head, [t("next_step.qr_ask_doctor", locale, names="; ".join(names))]
    return head, [" ".join([p.name, *(ph.text() for ph in p.phones), *p.emails]) for p in step.people]
