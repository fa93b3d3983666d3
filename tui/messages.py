"""The app's messages: widgets post what the person did; the worker posts what the session now says.

Widgets never change the session themselves: they post :class:`AnswerGiven`,
:class:`DontKnowGiven` or :class:`ChangeRequested`, and the app (which owns the session) acts.
Messages from the worker carry the session's generation, so a late message about a session
already wiped (a kiosk reset) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from matcher.catalogue_filters import ArrangedResults
from matcher.verdicts import Verdict
from tui.state import Snapshot


@dataclass
class AnswerGiven(Message):
    """The person answered the question on screen (typed, chosen or pressed)."""

    raw: str


@dataclass
class DontKnowGiven(Message):
    """The person chose "I don't know"."""


@dataclass
class ChangeRequested(Message):
    """The person selected an earlier answer in the transcript to change it."""

    link_id: str


@dataclass
class InterviewReady(Message):
    """The interview screen and every widget in it are mounted: the session can start."""


@dataclass
class SessionUpdated(Message):
    """A change to the session is complete: the next question, progress, transcript and verdicts."""

    generation: int
    snapshot: Snapshot


@dataclass
class VerdictsUpdated(Message):
    """The verdicts after an answer, sent before the next question is planned."""

    generation: int
    verdicts: dict[str, Verdict]


@dataclass
class ResultsReady(Message):
    """Every trial's full result, ranked, for the results screen."""

    generation: int
    arranged: ArrangedResults


@dataclass
class SessionFailed(Message):
    """A change to the session raised an error (a bug): said on screen, the app carries on."""

    generation: int
    error: str
