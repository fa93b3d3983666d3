"""Can a trial's registry record be trusted? Its dates say when it is probably out of date.

A record is probably out of date when, on the day of the match, its completion date has passed
(and it does not say it is closed), its start date has passed while it still says "not yet
recruiting", or it was last updated or last verified more than 12 months ago. Words for these
are in ``questionnaires.summary`` (``record_words``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from trials.schema import Trial

STALE_AFTER_DAYS = 365
REGISTRY_ADDRESS = "clinicaltrials.gov/study/{nct_id}"  # shown as text: the app never goes online
StaleWhy = Literal["completion_passed", "start_passed", "update_old", "update_unknown", "verified_old"]
_CLOSED = frozenset({"COMPLETED", "TERMINATED", "WITHDRAWN", "SUSPENDED"})
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class RecordCheck:
    """The record's status and dates, and why it may be out of date (empty ``why``: current)."""

    nct_id: str
    status: str
    last_update: dt.date | None  # None: the record shows no update date (none is invented)
    last_verified: dt.date | None
    start: dt.date | None
    completion: dt.date | None
    why: list[StaleWhy] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        """The record is probably out of date."""
        return bool(self.why)

    @property
    def address(self) -> str:
        """The record's page on the registry, as text."""
        return REGISTRY_ADDRESS.format(nct_id=self.nct_id)


def verified_date(text: str | None) -> dt.date | None:
    """The registry's "verified" month ("2023-03", or a full date) as the first day it names."""
    match = _MONTH.match((text or "").strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None


def check_record(trial: Trial, as_of: dt.date) -> RecordCheck:
    """What the record's dates say on ``as_of``."""
    status = trial.status
    verified = verified_date(status.verified)
    why: list[StaleWhy] = []
    if status.completion_date is not None and status.completion_date < as_of and status.overall not in _CLOSED:
        why.append("completion_passed")
    if status.overall == "NOT_YET_RECRUITING" and status.start_date is not None and status.start_date < as_of:
        why.append("start_passed")
    if status.last_update is None:
        why.append("update_unknown")  # no date to judge by: it may be out of date
    elif (as_of - status.last_update).days > STALE_AFTER_DAYS:
        why.append("update_old")
    if verified is not None and _months_between(verified, as_of) > 12:
        why.append("verified_old")
    return RecordCheck(
        trial.nct_id, status.overall, status.last_update, verified, status.start_date, status.completion_date, why
    )


def _months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (a month-only date counts whole)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def is_stale(trial: Trial, as_of: dt.date) -> bool:
    """The record is probably out of date on ``as_of``."""
    return check_record(trial, as_of).stale
