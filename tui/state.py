"""What the screens show of an interview, read from a :class:`Session` in one go.

The app never reads the session while it is being changed: every change runs in a worker
thread that ends by building a :class:`Snapshot`, and the screens draw only snapshots. The
planner can take seconds on a large catalogue, so :class:`PanelFirst` reports the verdicts as
soon as the answers are read, before the next question is planned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matcher.facts import TREATMENTS
from matcher.verdicts import TrialResult, Verdict
from questionnaires.bank import Question
from questionnaires.planner import Choice, Planner
from questionnaires.prompt import answer_hint, option_lines
from questionnaires.session import Session, Turn
from questionnaires.treatment import SLOTS


@dataclass(frozen=True)
class OptionView:
    """One answer option: the key shown before it, its code, and the whole line as shown."""

    key: str
    code: str
    line: str


@dataclass(frozen=True)
class QuestionView:
    """The question being asked, with everything its answer control needs."""

    link_id: str
    text: str
    help: str
    kind: str  # the fact's or slot's type: boolean, choice, set, number, integer, date, event, stop, regimen, drugs
    hint: str
    options: tuple[OptionView, ...] = ()
    units: tuple[str, ...] = ()
    previous: str | None = None  # the answer given before, when changing it ("" for "I don't know")
    criteria: tuple[str, ...] = ()  # nurse mode: "NCT07493668 Inclusion 9" for the criteria it bears on
    never_label: str | None = None  # a yes/no question's "never had one" button, where that reply means yes

    @property
    def choose_one(self) -> bool:
        """Answered by picking one option from a list."""
        return bool(self.options) and self.kind in ("choice", "integer")

    @property
    def choose_several(self) -> bool:
        """Answered by ticking options (any number of them)."""
        return bool(self.options) and self.kind == "set"


@dataclass(frozen=True)
class Snapshot:
    """The interview as the screens show it after one change."""

    session: Session
    question: QuestionView | None
    answered: int
    remaining: int
    transcript: tuple[Turn, ...]
    verdicts: dict[str, Verdict]
    editing: str | None = None
    confirm: str | None = None
    message: str | None = None
    accepted: bool = False
    results: list[TrialResult] | None = field(default=None, compare=False)

    @property
    def finished(self) -> bool:
        """No question is left to ask (and none is being changed)."""
        return self.question is None


def question_kind(session: Session, question: Question) -> str:
    """The answer type of a question: its fact's type, or its treatment slot's."""
    fact = session.matcher.vocabulary.facts.get(question.fact)
    if fact is None:
        return SLOTS[question.fact].type if question.fact in SLOTS else "text"
    return fact.type


def question_view(session: Session, question: Question, results: list[TrialResult] | None = None) -> QuestionView:
    """Everything needed to ask ``question`` in the session's mode."""
    fact = session.matcher.vocabulary.facts.get(question.fact)
    lines = option_lines(session, question)
    options = tuple(
        OptionView(line.split(".", 1)[0], option.code, line)
        for option, line in zip(question.answerOption, lines, strict=True)
    )
    units: tuple[str, ...] = ()
    if fact is not None and fact.units is not None and fact.type == "number":
        units = tuple(fact.units.accepted()) + (("× ULN",) if fact.uln else ())
    previous = session.answers.get(question.linkId)
    # An earlier "I don't know" is an answer to change, but nothing to put back in the field.
    previous_raw = None if previous is None else "" if previous.value is None else previous.raw
    return QuestionView(
        link_id=question.linkId,
        text=session.text(question),
        help=session.help(question),
        kind=question_kind(session, question),
        hint=answer_hint(session, question),
        options=options,
        units=units,
        previous=previous_raw,
        criteria=criteria_for(question, results) if results is not None else (),
        never_label=getattr(question.never_label, session.mode) if question.never_label is not None else None,
    )


def criteria_for(question: Question, results: list[TrialResult]) -> tuple[str, ...]:
    """The still-open criteria (of trials not ruled out) that this question's answer bears on."""
    wanted = TREATMENTS if question.fact in SLOTS else question.fact
    found: dict[str, None] = {}
    for result in results:
        if result.verdict == "not_eligible":
            continue
        for outcome in result.unknown:
            if wanted in outcome.ask or wanted in outcome.missing:
                found.setdefault(f"{result.nct_id} {outcome.criterion}")
    return tuple(found)


def snapshot(
    session: Session,
    editing: str | None = None,
    confirm: str | None = None,
    message: str | None = None,
    accepted: bool = False,
    with_results: bool = False,
) -> Snapshot:
    """Read the session once (called in the worker thread that changed it)."""
    results = session.results() if with_results else None
    current = session.bank[editing] if editing is not None else session.question
    answered, remaining = session.progress()
    return Snapshot(
        session=session,
        question=question_view(session, current, results) if current is not None else None,
        answered=answered,
        remaining=remaining,
        transcript=tuple(session.transcript()),
        verdicts=session.verdicts(),
        editing=editing,
        confirm=confirm,
        message=message,
        accepted=accepted,
        results=results,
    )


class PanelFirst(Planner):
    """The session's planner, reporting the verdicts before it plans the next question.

    It wraps the planner the session built (nothing is computed twice); everything but
    :meth:`next` is the wrapped planner's.
    """

    def __init__(self, inner: Planner, report: Callable[[dict[str, Verdict]], None]) -> None:
        # Deliberately no super().__init__(): attributes are looked up on the wrapped planner.
        self._inner = inner
        self._report = report

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        # The session sets ``planner.bank`` when its language changes: that is the wrapped planner's.
        if name in ("_inner", "_report"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._inner, name, value)

    def next(
        self,
        profile: Any,
        values: dict[str, Any],
        settled: set[str],
        enabled: Callable[[Question], bool],
        slot_answers: dict[str, Any],
    ) -> Choice | None:
        """Report the verdicts for these values, then plan as the wrapped planner does."""
        self._report(self._inner.matcher.verdicts(values))
        return self._inner.next(profile, values, settled, enabled, slot_answers)

    def remaining(self, values: dict[str, Any], settled: set[str], enabled: Callable[[Question], bool]) -> int:
        """As the wrapped planner."""
        return self._inner.remaining(values, settled, enabled)


def report_verdicts_first(session: Session, report: Callable[[dict[str, Verdict]], None]) -> None:
    """Make the session report verdicts as soon as an answer is read (see :class:`PanelFirst`)."""
    if not isinstance(session.planner, PanelFirst):
        session.planner = PanelFirst(session.planner, report)
