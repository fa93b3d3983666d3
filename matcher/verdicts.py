"""Trial verdicts with traceable reasons.

A trial is ``not_eligible`` when any check definitely fails (every failing check is listed),
``eligible`` when every rule-based check is known and met, and ``possibly_eligible``
otherwise, with what is still to confirm. Checks judged by the study team never block
``eligible``: they are listed as what the study team will also check. So are checks not yet
reviewed (``draft`` rules, ``to_encode`` items): only reviewed rules are evaluated.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from matcher.derived import derive_all
from matcher.display import describe
from matcher.drugs import DrugVocabulary, load_drug_vocabulary
from matcher.evaluation import (
    FALSE,
    TRUE,
    UNKNOWN,
    Evaluator,
    RuleError,
    add_duration,
    compile_rule,
    date_ends,
    inputs_to_ask,
    missing_facts,
)
from matcher.facts import Vocabulary, load_vocabulary
from matcher.locale import TEXTS, drug_names, fact_label, t
from matcher.profile import Profile
from matcher.values import AS_OF, REFERENCE
from trials.bulk import bulk_allocation
from trials.i18n import DEFAULT_LOCALE, format_date
from trials.loader import SECTION_NAMES, Catalogue, CatalogueError, line_of
from trials.rules import Elapsed, facts_in, future_windows, rule_key
from trials.schema import SECTIONS, Check, Criterion, Trial
from trials.translations import TrialTexts

Verdict = Literal["eligible", "possibly_eligible", "not_eligible"]
Status = Literal["met", "failed", "unknown", "study_team"]
VERDICT_ORDER: dict[str, int] = {"eligible": 0, "possibly_eligible": 1, "not_eligible": 2}
VERDICT_WORDS: dict[str, str] = {
    "eligible": "eligible",
    "possibly_eligible": "possibly eligible",
    "not_eligible": "not eligible",
}


class CheckOutcome(BaseModel):
    """One check of one criterion, its state for this patient, and why."""

    criterion: str  # "Inclusion 9"
    section: Literal["registry", "inclusion", "exclusion"]
    number: str
    check: str
    text: str  # the check's verbatim source text
    criterion_text: str
    status: Status
    plain: str | None = None
    study_team: str | None = None
    note: str | None = None
    yours: list[str] = []
    missing: list[str] = []  # facts of the rule not (fully) known
    ask: list[str] = []  # what to ask to know them
    reason: str
    # A window counted to a future event (first dose, randomisation): met from / until this date.
    met_from: dt.date | None = None
    met_until: dt.date | None = None


class DoseLine(BaseModel):
    intervention: str
    dose: str
    applies: Literal["yes", "no", "unknown"]


class TrialResult(BaseModel):
    """A trial's verdict for one patient, with every check sorted by state."""

    nct_id: str
    acronym: str | None
    title: str
    verdict: Verdict
    failed: list[CheckOutcome]
    unknown: list[CheckOutcome]
    met: list[CheckOutcome]
    study_team: list[CheckOutcome]
    doses: list[DoseLine] = []
    # A trial ruled out is explained by its decisive reasons (``failed``) unless all reasons are asked
    # for: this many of its other checks (to confirm, or for the study team) are then not listed.
    not_explained: int = 0
    # Windows counted to a future event: the verdict holds from / until these dates (inclusive).
    eligible_from: dt.date | None = None
    eligible_until: dt.date | None = None


@dataclass(frozen=True)
class CompiledCheck:
    section: str
    criterion: Criterion
    check: Check
    evaluate: Evaluator | None  # None: judged by the study team
    key: tuple[object, ...] = ()  # equal for identical rules: they share one compiled evaluator
    windows: tuple[Elapsed, ...] = ()  # its windows counted to a future event (first dose...)


@dataclass
class CompiledTrial:
    trial: Trial
    checks: list[CompiledCheck]
    rule_checks: list[tuple[Evaluator, bool]] = field(default_factory=list)  # (evaluator, is_exclusion)
    # Criteria not yet reviewed (drafts, to encode) may be ones a patient fails: such a trial is at
    # best "possibly eligible", never "eligible".
    unreviewed: bool = False
    doses: list[tuple[str, str, Evaluator | None]] = field(default_factory=list)
    # Checks with windows counted to a future event: (evaluator, is_exclusion, windows).
    future: list[tuple[Evaluator, bool, tuple[Elapsed, ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """When the checks counted to a future event all hold: from ``start`` (the assessment date or
    later) until ``until`` (inclusive; None: no end)."""

    start: dt.date
    until: dt.date | None
    as_of: dt.date

    @property
    def later(self) -> dt.date | None:
        """The date the checks will hold from, when that is after the assessment date."""
        return self.start if self.start > self.as_of else None


def window_span(checks: list[tuple[Evaluator, bool, tuple[Elapsed, ...]]], values: dict[str, Any]) -> Span | None:
    """The first stretch of dates, from the assessment date on, on which the future event (first dose,
    randomisation, enrolment) could fall with none of these checks failing; None when there is none.

    A check's state can only change where one of its windows opens or closes, so the dates just
    around each window's boundary are the only ones to try."""
    as_of: dt.date = values[AS_OF]
    candidates = {as_of}
    for _evaluate, _is_exclusion, windows in checks:
        for window in windows:
            for start in date_ends(values.get(window.fact)):
                if isinstance(start, dt.date):
                    boundary = add_duration(start, window.value, window.unit)
                    candidates.update(boundary + dt.timedelta(days=d) for d in (-1, 0, 1))
    ordered = sorted(day for day in candidates if day >= as_of)

    def holds(day: dt.date) -> bool:
        at = {**values, REFERENCE: day}
        return all(check_state(evaluate, is_exclusion, at) != FALSE for evaluate, is_exclusion, _ in checks)

    start = next((day for day in ordered if holds(day)), None)
    if start is None:
        return None
    closes = next((day for day in ordered if day > start and not holds(day)), None)
    return Span(start, closes - dt.timedelta(days=1) if closes else None, as_of)


class Matcher:
    """The catalogue compiled against the fact vocabulary, ready to judge profiles.

    Trials whose rules do not fit the vocabulary are left out and reported in ``errors``
    (file, criterion, field); the others still match.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        vocabulary: Vocabulary | None = None,
        drugs: DrugVocabulary | None = None,
    ) -> None:
        self.catalogue = catalogue
        with bulk_allocation():
            self.vocabulary = vocabulary or load_vocabulary()
            self.drugs = drugs or load_drug_vocabulary()
        self.errors: list[CatalogueError] = list(catalogue.errors)
        self.trials: list[CompiledTrial] = []
        # Identical checks across trials ("ECOG 0 or 1", "Child-Pugh A") are evaluated once per
        # profile: each distinct (rule, inclusion/exclusion) pair gets one slot.
        self._slots: dict[tuple[object, ...], int] = {}
        self._slot_checks: list[tuple[Evaluator, bool]] = []
        self._trial_slots: list[tuple[str, Callable[[list[int]], Any]]] = []
        self._texts: dict[tuple[str, str], TrialTexts] = {}
        with bulk_allocation():
            self._compile(catalogue)

    def _compile(self, catalogue: Catalogue) -> None:
        memo: dict[tuple[object, ...], Evaluator] = {}
        for trial in catalogue.trials:
            compiled, errors = compile_trial(
                trial, self.vocabulary, self.drugs, catalogue.files.get(trial.nct_id), memo
            )
            if errors:
                self.errors.extend(errors)
                continue
            self.trials.append(compiled)
            indices = []
            for item in compiled.checks:
                if item.evaluate is None or item.check.rule is None:
                    continue
                is_exclusion = item.section == "exclusion"
                key = (is_exclusion, item.key)
                if key not in self._slots:
                    self._slots[key] = len(self._slot_checks)
                    self._slot_checks.append((item.evaluate, is_exclusion))
                indices.append(self._slots[key])
            if compiled.unreviewed:
                indices.append(self._always_unknown_slot())
            pick = (
                operator.itemgetter(*indices)
                if len(indices) > 1
                else (lambda states, i=indices: tuple(states[j] for j in i))
            )
            self._trial_slots.append((trial.nct_id, pick))

    def _always_unknown_slot(self) -> int:
        """The slot of 'a criterion not yet reviewed': unknown, whatever the answers."""
        key: tuple[object, ...] = (False, ("unreviewed",))
        if key not in self._slots:
            self._slots[key] = len(self._slot_checks)
            self._slot_checks.append((lambda values: UNKNOWN, False))
        return self._slots[key]

    def values_for(self, profile: Profile) -> dict[str, Any]:
        """Every known value of a profile, derived facts included."""
        return derive_all(profile, self.drugs)

    def verdicts(self, values: dict[str, Any]) -> dict[str, Verdict]:
        """Only the verdicts, by NCT id: the fast path for re-planning after each answer."""
        states = [check_state(evaluate, is_exclusion, values) for evaluate, is_exclusion in self._slot_checks]
        words: tuple[Verdict, Verdict, Verdict] = ("not_eligible", "possibly_eligible", "eligible")
        out: dict[str, Verdict] = {}
        for (nct_id, pick), compiled in zip(self._trial_slots, self.trials, strict=True):
            worst = min(pick(states), default=TRUE)
            # a window counted to a future event that fails today may hold by then
            out[nct_id] = fast_verdict(compiled, values) if worst == FALSE and compiled.future else words[worst]
        return out

    def match(self, profile: Profile, locale: str = DEFAULT_LOCALE, all_reasons: bool = True) -> list[TrialResult]:
        """Every trial's result, eligible first, then possibly eligible, then not eligible.

        Without ``all_reasons``, a trial ruled out is explained by its decisive reasons only (the
        checks it fails), which is what a person reads of it; the others are explained in full.
        In another locale the reasons, plain words and doses are translated (where the trial's
        translation has them); the criterion quotes stay as the registry wrote them."""
        values = self.values_for(profile)
        verdicts = self.verdicts(values) if not all_reasons else {}
        # The collector is paused, not frozen: results are dropped after use, and frozen objects
        # would never be collected (memory grew by ~150 kB a match).
        with bulk_allocation(freeze=False):
            results = [
                explain(
                    c,
                    values,
                    profile,
                    self.vocabulary,
                    self.drugs,
                    locale,
                    self.texts(c.trial, locale),
                    decisive_only=verdicts.get(c.trial.nct_id) == "not_eligible",
                )
                for c in self.trials
            ]
        return rank(results)

    def texts(self, trial: Trial, locale: str) -> TrialTexts:
        """A trial's patient-facing texts in a locale (English where not translated)."""
        key = (trial.nct_id, locale)
        if key not in self._texts:
            self._texts[key] = TrialTexts(trial, self.catalogue.directory, locale)
        return self._texts[key]


def rank(results: list[TrialResult]) -> list[TrialResult]:
    """Eligible, then possibly eligible (fewest things to confirm first), then not eligible; within a
    verdict, trials open now before those open from a later date."""
    return sorted(
        results,
        key=lambda r: (
            VERDICT_ORDER[r.verdict],
            r.eligible_from or dt.date.min,
            len(r.unknown),
            len(r.failed),
            r.nct_id,
        ),
    )


def compile_trial(
    trial: Trial,
    vocabulary: Vocabulary,
    drugs: DrugVocabulary,
    path: Any = None,
    memo: dict[tuple[object, ...], Evaluator] | None = None,
) -> tuple[CompiledTrial, list[CatalogueError]]:
    """Compile every rule of a trial; errors name the file, the criterion and the field.

    ``memo`` shares compiled rules between trials: a rule written the same way is compiled once.
    """
    memo = {} if memo is None else memo
    file = Path(path) if path else Path(f"{trial.nct_id}.yaml")
    errors: list[CatalogueError] = []
    checks: list[CompiledCheck] = []
    compiled = CompiledTrial(trial=trial, checks=checks)
    for section in SECTIONS:
        for index, criterion in enumerate(getattr(trial.eligibility, section)):
            for check_index, check in enumerate(criterion.checks):
                evaluator = None
                key: tuple[object, ...] = ()
                if check.rule is not None and check.status == "reviewed":  # drafts are never evaluated
                    key = rule_key(check.rule)
                    try:
                        evaluator = memo.get(key) or compile_rule(check.rule, vocabulary, drugs, "rule")
                        memo[key] = evaluator
                    except RuleError as exc:
                        loc = ("eligibility", section, index, "checks", check_index, *_field_parts(exc.field))
                        errors.append(
                            CatalogueError(
                                file,
                                exc.message,
                                line=line_of(file, loc),
                                criterion=f"{SECTION_NAMES[section]} {criterion.number}, check {check.id}",
                                field=".".join(map(str, loc)),
                            )
                        )
                        continue
                    compiled.rule_checks.append((evaluator, section == "exclusion"))
                windows: tuple[Elapsed, ...] = ()
                if evaluator is not None and check.rule is not None:
                    windows = tuple(future_windows(check.rule))
                    if windows:
                        compiled.future.append((evaluator, section == "exclusion", windows))
                checks.append(CompiledCheck(section, criterion, check, evaluator, key, windows))
                compiled.unreviewed = compiled.unreviewed or check.status != "reviewed"
    for i, intervention in enumerate(trial.interventions):
        for j, dose in enumerate(intervention.doses):
            evaluator = None
            if dose.when is not None:
                try:
                    evaluator = compile_rule(dose.when, vocabulary, drugs, "when")
                except RuleError as exc:
                    loc = ("interventions", i, "doses", j, *_field_parts(exc.field))
                    errors.append(
                        CatalogueError(file, exc.message, line=line_of(file, loc), field=".".join(map(str, loc)))
                    )
                    continue
            compiled.doses.append((intervention.name, dose.dose, evaluator))
    return compiled, errors


def criterion_label(section: str, number: str, locale: str = DEFAULT_LOCALE) -> str:
    """'Inclusion 9', 'Registry age' (a registry item's name in the locale's words)."""
    shown = number if number[:1].isdigit() else (TEXTS.get(f"registry_item.{number}", locale) or number)
    return f"{t('section.' + section, locale)} {shown}"


def study_team_item(
    check: Check, locale: str = DEFAULT_LOCALE, plain: str | None = None, study_team: str | None = None
) -> str:
    """What the study team will check for a check the matcher does not evaluate.

    A reviewed study-team item gives its reason; a draft says it is one (its proposed rule in
    words, or its proposed study-team item); a check still to encode quotes its text.
    ``plain`` and ``study_team`` are the check's words in ``locale`` when translated.
    """
    plain = plain if plain is not None else check.plain
    study_team = study_team if study_team is not None else check.study_team
    if check.status == "to_encode":
        return t("study_team_item.to_encode", locale, text=check.text)
    if check.status == "draft":
        if check.rule is not None:
            return t("study_team_item.draft_rule", locale, plain=plain)
        return t("study_team_item.draft", locale, what=study_team)
    return str(study_team)


def _field_parts(field: str) -> list[str | int]:
    """'rule.rules.0.value' as a location path: ['rule', 'rules', 0, 'value']."""
    return [int(part) if part.isdigit() else part for part in field.split(".")]


def check_state(evaluate: Evaluator, is_exclusion: bool, values: dict[str, Any]) -> int:
    """TRUE when the check is met (an inclusion holds, an exclusion does not), FALSE when it fails."""
    outcome = evaluate(values)
    return TRUE - outcome if is_exclusion else outcome


def fast_verdict(
    compiled: CompiledTrial,
    values: dict[str, Any],
    state_of: Callable[[Evaluator, bool], int] | None = None,
) -> Verdict:
    """The verdict alone, stopping at the first failing check (``state_of``: a check's state, when the
    caller remembers them across trials)."""
    worst = UNKNOWN if compiled.unreviewed else TRUE
    future = {evaluate for evaluate, _, _ in compiled.future}
    waits = False  # a window counted to a future event fails today: it may hold later
    for evaluate, is_exclusion in compiled.rule_checks:
        state = state_of(evaluate, is_exclusion) if state_of else check_state(evaluate, is_exclusion, values)
        if state == FALSE and evaluate in future:
            waits = True
            continue
        if state == FALSE:
            return "not_eligible"
        if state < worst:
            worst = state
    if waits:
        span = window_span(compiled.future, values)
        if span is None:
            return "not_eligible"
        at = {**values, REFERENCE: span.start}
        worst = min([worst, *(check_state(e, x, at) for e, x, _ in compiled.future)])
    return "eligible" if worst == TRUE else "possibly_eligible"


def explain(
    compiled: CompiledTrial,
    values: dict[str, Any],
    profile: Profile | None,
    vocabulary: Vocabulary,
    drugs: DrugVocabulary,
    locale: str = DEFAULT_LOCALE,
    texts: TrialTexts | None = None,
    decisive_only: bool = False,
) -> TrialResult:
    """The full result: every check's state with a reason that quotes the criterion and the patient's values.

    ``texts`` (the trial in ``locale``) gives the translated plain words; quotes stay verbatim.
    ``decisive_only`` (for a trial known to be ruled out): only the failing checks are explained;
    the checks to confirm or for the study team are counted in ``not_explained``."""
    # Outcomes are built with model_construct: every field comes from validated catalogue data
    # and this function, and validating ~60 models per trial again dominated the full match.
    groups: dict[str, list[CheckOutcome]] = {"met": [], "failed": [], "unknown": [], "study_team": []}
    given = profile.given if profile else {}
    # Windows counted to a future event (first dose...) are judged on the first date they can all
    # hold; the other checks do not depend on that date.
    span = window_span(compiled.future, values) if compiled.future else None
    judged = {**values, REFERENCE: span.start} if span is not None else values
    names = drug_names(drugs, locale)
    separator = t("reason.list_separator", locale)
    values_separator = t("reason.value_separator", locale)
    not_explained = 0
    for item in compiled.checks:
        if decisive_only:
            if item.evaluate is None or item.check.rule is None:
                not_explained += 1
                continue
            state = check_state(item.evaluate, item.section == "exclusion", judged)
            if state != FALSE:
                not_explained += state == UNKNOWN
                continue
        label = criterion_label(item.section, item.criterion.number, locale)
        plain = item.check.plain
        team = item.check.study_team
        if texts is not None:
            if plain is not None and item.check.rule is not None:
                plain = texts.check(item.section, item.check.id, plain)
            if team is not None:
                team = texts.check(item.section, item.check.id, team)
        base: dict[str, Any] = {
            "criterion": label,
            "section": item.section,
            "number": item.criterion.number,
            "check": item.check.id,
            "text": item.check.text,
            "criterion_text": item.criterion.text,
            "plain": plain,
            "study_team": team,
            "note": item.check.note,
        }
        if item.evaluate is None or item.check.rule is None:
            what = study_team_item(item.check, locale, plain, team)
            base["study_team"] = what
            reason = t("reason.study_team", locale, label=label, what=what)
            groups["study_team"].append(CheckOutcome.model_construct(**base, status="study_team", reason=reason))
            continue
        state = check_state(item.evaluate, item.section == "exclusion", judged)
        window = ""
        if item.windows and state != FALSE:
            own = window_span([(item.evaluate, item.section == "exclusion", item.windows)], values)
            if own is not None:
                base["met_from"], base["met_until"] = own.later, own.until
                window = window_note(own, item.windows[0].before or "", locale)
        yours = [
            describe(vocabulary[f], values[f], given.get(f), names, locale)
            for f in facts_in(item.check.rule)
            if f in vocabulary and values.get(f) is not None
        ]
        if state == UNKNOWN:
            missing = missing_facts(item.check.rule, values)
            ask = inputs_to_ask(missing, values, vocabulary)
            wanted = separator.join(
                fact_label(vocabulary[f], locale) if f in vocabulary else t("reason.treatment_history", locale)
                for f in ask
            )
            so_far = t("reason.known_so_far", locale, values=values_separator.join(yours)) if yours else ""
            exclusion = item.section == "exclusion"  # an exclusion reads as one: "must not have: ..."
            key = "reason.unknown_exclusion" if exclusion else "reason.unknown"
            reason = t(key, locale, label=label, plain=plain, wanted=wanted, so_far=so_far) + window
            groups["unknown"].append(
                CheckOutcome.model_construct(
                    **base, status="unknown", yours=yours, missing=missing, ask=ask, reason=reason
                )
            )
            continue
        status: Status = "met" if state == TRUE else "failed"
        shown = values_separator.join(yours) or t("reason.as_answered", locale)
        key = "reason.decided"
        if item.section == "exclusion":  # "must not have: ... — does not apply", never "met"
            key = "reason.not_applying" if status == "met" else "reason.excluded"
        reason = t(key, locale, label=label, plain=plain, values=shown) + window
        groups[status].append(CheckOutcome.model_construct(**base, status=status, yours=yours, reason=reason))
    if decisive_only and not groups["failed"]:  # pragma: no cover - the caller's verdict said it fails
        return explain(compiled, values, profile, vocabulary, drugs, locale, texts)
    open_items = groups["unknown"] or compiled.unreviewed
    verdict: Verdict = "not_eligible" if groups["failed"] else "possibly_eligible" if open_items else "eligible"
    doses = []
    numbered: dict[str, int] = {}
    for name, dose, evaluate in compiled.doses:
        n = numbered[name] = numbered.get(name, -1) + 1  # the dose's place among its intervention's doses
        if texts is not None:
            dose = texts.get(f"interventions.{name}.doses.{n}", dose)
            name = texts.get(f"interventions.{name}.name", name)
        applies = "yes" if evaluate is None else {TRUE: "yes", FALSE: "no", UNKNOWN: "unknown"}[evaluate(judged)]
        doses.append(DoseLine(intervention=name, dose=dose, applies=applies))
    trial = compiled.trial
    return TrialResult(
        nct_id=trial.nct_id,
        acronym=trial.acronym,
        title=texts.get("title", trial.brief_title) if texts is not None else trial.brief_title,
        verdict=verdict,
        failed=groups["failed"],
        unknown=groups["unknown"],
        met=groups["met"],
        study_team=groups["study_team"],
        doses=doses,
        not_explained=not_explained,
        eligible_from=span.later if span is not None and verdict != "not_eligible" else None,
        eligible_until=span.until if span is not None and verdict != "not_eligible" else None,
    )


def window_note(span: Span, event: str, locale: str = DEFAULT_LOCALE) -> str:
    """' — from 18 Dec 2026 (counted to the first dose)', ' — until ...', or both; '' when neither."""
    what = t(f"future_event.{event}", locale) if event else ""
    parts = []
    if span.later is not None:
        parts.append(t("reason.window_from", locale, date=format_date(span.later, locale)))
    if span.until is not None:
        parts.append(t("reason.window_until", locale, date=format_date(span.until, locale)))
    if not parts:
        return ""
    return t("reason.window", locale, when=t("reason.list_separator", locale).join(parts), event=what)
