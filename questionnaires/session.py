"""An interview session, independent of any screen: the prompt, the app and the tests all drive it.

The session holds the answers, asks the planner for the next question, validates what is typed
(a bad answer gets a message and a re-ask; nothing already answered is lost), lets the person go
back and change any answer, and gives the current verdicts, the transcript and the results.
Answers to questions that no longer apply (a pregnancy question after "male") are set aside, not
deleted: they count again if the question applies again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from matcher.catalogue_filters import ArrangedResults, arrange, match_country, site_countries
from matcher.derived import derive_all
from matcher.display import window_text
from matcher.locale import drug_names
from matcher.locale import t as mt
from matcher.profile import Profile, ProfileError, read_treatments, split_blood_pressure
from matcher.values import NEVER, EventWindow, Members
from matcher.verdicts import Matcher, TrialResult, Verdict
from questionnaires.answers import AnswerError, Parsed, is_dont_know, parse_answer, set_shown, shown_answer
from questionnaires.bank import QUESTIONS_FILE, EnableWhen, Mode, Question, QuestionBank, load_bank
from questionnaires.planner import Choice, Planner
from questionnaires.texts import country_name, t
from questionnaires.treatment import ONGOING, SLOTS, RegimenAnswer, treatments_from_slots
from questionnaires.typed_words import normalise, words
from trials.i18n import DEFAULT_LOCALE, format_date

BLOOD_PRESSURE = ("systolic_bp", "diastolic_bp")  # "135/85" typed to either answers both
DONT_KNOW_SHOWN = t("session.dont_know")  # in English; t("session.dont_know", locale) in a session's language


@dataclass
class Answer:
    """One answer: what was typed, what it means (None for "don't know") and how it is shown back."""

    link_id: str
    raw: str
    value: Any
    shown: str


@dataclass(frozen=True)
class Outcome:
    """What happened to an input: taken, or a message to show before asking again."""

    accepted: bool
    message: str | None = None
    confirm: str | None = None  # a yes/no question to confirm what was read


@dataclass(frozen=True)
class Turn:
    """One line of the transcript."""

    link_id: str
    question: str
    answer: str
    applies: bool


@dataclass
class _Pending:
    link_id: str
    raw: str
    parsed: Parsed


@dataclass
class Session:
    """One person's interview against a catalogue."""

    matcher: Matcher
    mode: Mode = "patient"
    bank: QuestionBank = field(default_factory=load_bank)
    as_of: dt.date = field(default_factory=dt.date.today)
    # The patient's country, asked once and optional (or set by the clinic): trials with a site
    # there are listed first and each result says where the nearest site is. Not a medical fact:
    # no criterion reads it.
    preset_country: str | None = None
    # The language everything is shown in (questions, messages, reasons); answers do not depend on it.
    locale: str = DEFAULT_LOCALE
    # Facts known before the interview that no question asks (a replayed profile's Child-Pugh score
    # or first-line progression, written directly): used as match uses them.
    carried: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.locale != DEFAULT_LOCALE:
            self.bank = load_bank(QUESTIONS_FILE, self.locale)
        self.planner = Planner(self.matcher, self.bank, self.mode)
        self.countries = site_countries(c.trial for c in self.matcher.trials)
        self.restart()

    # --- state ---------------------------------------------------------------------------------

    def set_locale(self, locale: str) -> None:
        """Show everything in another language from now on; every answer is kept."""
        if locale == self.locale:
            return
        self.locale = locale
        self.bank = load_bank(QUESTIONS_FILE, locale)
        self.planner.bank = self.bank
        for link_id, answer in self.answers.items():  # answers shown back in the new language
            answer.shown = self._shown_again(self.bank[link_id], answer)
        pending = self._pending
        self._refresh()
        if pending is not None:  # "Did you mean ...?" asked again in the new language
            self.change(pending.link_id, pending.raw)

    @property
    def confirmation(self) -> str | None:
        """The yes/no question awaiting a reply ("I read 'lenvatanib' as lenvatinib... Is that right?")."""
        return self._pending.parsed.confirm if self._pending is not None else None

    def _shown_again(self, question: Question, answer: Answer) -> str:
        """An answer as shown in the session's language (what was typed, for numbers and names)."""
        value = answer.value
        if value is None:
            return t("session.dont_know", self.locale)
        fact = self.matcher.vocabulary.facts.get(question.fact)
        if fact is not None and fact.type == "set" and isinstance(value, Members):
            return set_shown(question, value, self.mode, self.locale)
        if fact is not None and fact.type not in ("drugs", "set", "number"):
            return shown_answer(question, fact, value, answer.shown, self.mode, self.locale)
        if isinstance(value, bool):
            return mt("value.yes" if value else "value.no", self.locale)
        if isinstance(value, dt.date):
            return format_date(value, self.locale)
        if value is ONGOING:
            return question.option_label(ONGOING, self.mode)
        if value is NEVER:
            return mt("value.never", self.locale)
        if isinstance(value, RegimenAnswer):
            names = drug_names(self.matcher.drugs, self.locale)
            return " + ".join(
                [names[d] for d in value.names]
                + [question.option_label(c, self.mode) for c in value.classes]
                + [t("answers.not_recognised", self.locale, name=u) for u in value.unrecognised]
            )
        return answer.shown

    def restart(self) -> None:
        """Forget every answer (kiosk reset, "start over"); the country goes back to the clinic's preset."""
        self.country: str | None = self.preset_country
        self.country_asked = self.preset_country is not None
        self.answers: dict[str, Answer] = {}
        self.history: list[str] = []
        self._revisit: int | None = None
        self._pending: _Pending | None = None
        self._refresh()

    @property
    def question(self) -> Question | None:
        """The question to ask now, or None when the interview is over."""
        if self._pending is not None:
            return self.bank[self._pending.link_id]
        if self._revisit is not None:
            return self.bank[self.history[self._revisit]]
        return self._choice.question if self._choice else None

    @property
    def choice(self) -> Choice | None:
        """Why the planner chose the current question (None when revisiting or finished)."""
        return self._choice

    @property
    def finished(self) -> bool:
        """True when no question can change any undecided trial any more."""
        return self.question is None

    def text(self, question: Question) -> str:
        """The question in this session's mode."""
        return question.wording(self.mode).text

    def help(self, question: Question) -> str:
        """ "What does this mean?" for the question in this session's mode."""
        return question.wording(self.mode).help

    # --- answering -----------------------------------------------------------------------------

    def answer(self, raw: str) -> Outcome:
        """Answer the current question with what the person typed (or "I don't know")."""
        question = self.question
        if question is None:
            return Outcome(False, t("session.finished_change", self.locale))
        if self._pending is not None:
            return self._settle_confirmation(raw)
        return self._take(question, raw)

    def dont_know(self) -> Outcome:
        """Answer the current question with "I don't know"."""
        question = self.question
        if question is None:
            return Outcome(False, t("session.finished", self.locale))
        self._pending = None
        shown = t("session.dont_know", self.locale)
        return self._store(Answer(question.linkId, shown, None, shown))

    def change(self, link_id: str, raw: str) -> Outcome:
        """Change the answer to any question (asked before or not); the plan follows."""
        if link_id not in self.bank.questions:
            return Outcome(False, t("session.no_question", self.locale, link_id=repr(link_id)))
        self._pending = None
        return self._take(self.bank[link_id], raw)

    def set_value(self, link_id: str, value: Any, shown: str) -> None:
        """Record an already-understood answer (a replayed profile, a choice made on screen)."""
        self._pending = None
        self._store(Answer(link_id, shown, value, shown))

    def back(self) -> Question | None:
        """Go back to the previous answered question; its answer stays until it is changed."""
        if not self.history:
            return self.question
        self._pending = None
        position = len(self.history) - 1 if self._revisit is None else max(self._revisit - 1, 0)
        self._revisit = position
        return self.question

    def _take(self, question: Question, raw: str) -> Outcome:
        if is_dont_know(raw, self.locale):
            return self._store(Answer(question.linkId, raw, None, t("session.dont_know", self.locale)))
        pair = split_blood_pressure(raw) if question.fact in BLOOD_PRESSURE else None
        if pair is not None and all(fact in self.bank.by_fact for fact in BLOOD_PRESSURE):
            return self._take_blood_pressure(pair)
        fact = self.matcher.vocabulary.facts.get(question.fact)
        try:
            parsed = parse_answer(question, fact, raw, self.mode, self.as_of, self.matcher.drugs, self.locale)
        except AnswerError as exc:
            return Outcome(False, str(exc))
        if parsed.confirm:
            self._pending = _Pending(question.linkId, raw, parsed)
            return Outcome(False, confirm=parsed.confirm)
        return self._store(Answer(question.linkId, raw, parsed.value, parsed.shown))

    def _settle_confirmation(self, raw: str) -> Outcome:
        assert self._pending is not None
        word = normalise(raw, self.locale).strip().lower()
        pending = self._pending
        if word in words("yes", self.locale):
            self._pending = None
            return self._store(Answer(pending.link_id, pending.raw, pending.parsed.value, pending.parsed.shown))
        if word in words("no", self.locale):
            self._pending = None
            return Outcome(False, t("session.retype_name", self.locale))
        return Outcome(False, confirm=pending.parsed.confirm)

    def _take_blood_pressure(self, pair: tuple[str, str]) -> Outcome:
        """'135/85' answers both blood-pressure questions; neither is stored unless both can be read."""
        parsed = []
        for fact_id, typed in zip(BLOOD_PRESSURE, pair, strict=True):
            question = self.bank.by_fact[fact_id]
            fact = self.matcher.vocabulary.facts.get(fact_id)
            try:
                value = parse_answer(question, fact, typed, self.mode, self.as_of, self.matcher.drugs, self.locale)
            except AnswerError as exc:
                return Outcome(False, str(exc))
            parsed.append((question, typed, value))
        for question, typed, value in parsed:
            self.answers[question.linkId] = Answer(question.linkId, typed, value.value, value.shown)
            if question.linkId not in self.history:
                self.history.append(question.linkId)
        self._revisit = None
        self._refresh()
        return Outcome(True)

    def _store(self, answer: Answer) -> Outcome:
        self.answers[answer.link_id] = answer
        if answer.link_id in self.history:
            self.history.remove(answer.link_id)
        self.history.append(answer.link_id)
        self._revisit = None
        self._refresh()
        return Outcome(True)

    # --- what the answers mean -----------------------------------------------------------------

    def applies(self, question: Question) -> bool:
        """Whether the question applies given the other answers (FHIR enableWhen)."""
        if not question.enableWhen:
            return True
        results = [self._condition(c) for c in question.enableWhen]
        return all(results) if question.enableBehavior == "all" else any(results)

    def _condition(self, condition: EnableWhen) -> bool:
        answer = self.answers.get(condition.question)
        known = answer is not None and answer.value is not None and self.applies(self.bank[condition.question])
        # An answer other answers imply counts as given (brain among the growing organs: brain metastases
        # "yes" opens "were they treated and stable?"), or a trial would wait for a question never asked.
        implied = None if known else self._implied_answer(condition.question)
        if condition.operator == "exists":
            return (known or implied is not None) == bool(condition.answer)
        if not known and implied is None:
            return False  # an unanswered condition keeps the question closed (FHIR)
        given = answer.value if known and answer is not None else implied
        value = "never" if given is NEVER else given
        if isinstance(value, dt.date):
            value = value.isoformat()
        matches = value == condition.answer
        return matches if condition.operator == "=" else not matches

    def _implied_answer(self, link_id: str) -> Any:
        """The value of an unanswered question's fact when other answers imply it (yes/no and choices only)."""
        fact = self.matcher.vocabulary.facts.get(self.bank[link_id].fact)
        if fact is None or not fact.implied:
            return None
        value = getattr(self, "_values", {}).get(fact.id)
        return value if isinstance(value, (bool, str)) else None

    def _known(self) -> dict[str, Any]:
        """Known answers of questions that apply, by fact or slot."""
        out = {}
        for link_id, answer in self.answers.items():
            question = self.bank[link_id]
            if answer.value is not None and self.applies(question):
                out[question.fact] = answer.value
        return out

    def _refresh(self) -> None:
        known = self._known()
        facts = {**self.carried, **{k: v for k, v in known.items() if k not in SLOTS}}
        slots = {k: v for k, v in known.items() if k in SLOTS}
        raw_treatments, complete = treatments_from_slots(slots)
        try:
            treatments = (
                None if raw_treatments is None else read_treatments(raw_treatments, self.as_of, self.matcher.drugs)
            )
        except ProfileError:
            treatments = None  # answers that contradict each other leave the history unknown
        given = {
            self.bank[link_id].fact: answer.raw
            for link_id, answer in self.answers.items()
            if answer.value is not None and self.bank[link_id].fact in facts
        }
        self._profile = Profile(
            as_of=self.as_of, values=facts, given=given, treatments=treatments, treatments_complete=complete
        )
        self._slots = slots
        self._values = derive_all(self._profile, self.matcher.drugs)
        self._choice = self.planner.next(self._profile, self._values, self._settled(), self.applies, slots)

    def candidates(self) -> list[Choice]:
        """Every question the planner could ask now, in the order it would ask them."""
        return self.planner.candidates(self._profile, self._values, self._settled(), self.applies, self._slots)

    def _settled(self) -> set[str]:
        return set(self.answers)

    # --- results -------------------------------------------------------------------------------

    @property
    def profile(self) -> Profile:
        """The answers as a matcher profile (only answers that apply)."""
        return self._profile

    def verdicts(self) -> dict[str, Verdict]:
        """Every trial's current verdict, by NCT id."""
        return self.matcher.verdicts(self._values)

    def results(self) -> list[TrialResult]:
        """Every trial's full result with reasons, ranked, in the session's language."""
        return self.matcher.match(self._profile, self.locale)

    def set_country(self, raw: str | None) -> Outcome:
        """The answer to "which country do you live in?": a listed country, another name, or none
        (skipped, "I don't know"). Asked once: any answer closes the question."""
        text = normalise(raw or "", self.locale).strip()
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(self.countries) + 1:
                return Outcome(False, t("session.country_range", self.locale, count=len(self.countries) + 1))
            text = self.countries[number - 1] if number <= len(self.countries) else ""
        if not text or is_dont_know(text, self.locale):
            self.country = None
        else:
            local = {country_name(c, self.locale).casefold(): c for c in self.countries}
            self.country = local.get(text.casefold()) or match_country(text, self.countries) or " ".join(text.split())
        self.country_asked = True
        return Outcome(True)

    def arranged_results(self, results: list[TrialResult] | None = None) -> ArrangedResults:
        """The results as a patient is shown them: closed trials left out, trials with a site in the
        patient's country first (records probably out of date last), and each trial's site to mention."""
        trials = {c.trial.nct_id: c.trial for c in self.matcher.trials}
        return arrange(self.results() if results is None else results, trials, self.country, as_of=self.as_of)

    def progress(self) -> tuple[int, int]:
        """(questions answered, about how many are left)."""
        remaining = self.planner.remaining(self._values, self._settled(), self.applies)
        return len(self.history), remaining

    def transcript(self) -> list[Turn]:
        """The questions asked and their answers, in order; set-aside answers are marked."""
        return [
            Turn(link_id, self.text(self.bank[link_id]), self.answers[link_id].shown, self.applies(self.bank[link_id]))
            for link_id in self.history
        ]


def shown_value(value: Any) -> str:
    """A short text for a value set directly (replays)."""
    if isinstance(value, EventWindow):
        return value.said or window_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is NEVER:
        return "never"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Members):
        return ", ".join(sorted(value.items)) or "none"
    if isinstance(value, RegimenAnswer):
        return " + ".join([*value.names, *value.classes])
    return str(value)
