"""Shared helpers: evaluate one check of one trial for a handful of facts."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import pytest

from matcher.profile import read_profile
from matcher.verdicts import Matcher, TrialResult, explain
from trials.loader import load_catalogue

AS_OF = dt.date(2026, 11, 22)


@lru_cache(maxsize=1)
def bundled_matcher() -> Matcher:
    """The bundled catalogue compiled once for the whole test session."""
    return Matcher(load_catalogue())


def result_for(
    nct_id: str, facts: dict[str, Any] | None = None, treatments: Any = None, as_of: dt.date = AS_OF
) -> TrialResult:
    """The full result of one trial for a profile made of ``facts`` (and ``treatments``, if given)."""
    matcher = bundled_matcher()
    data: dict[str, Any] = {"as_of": as_of, "facts": facts or {}}
    if treatments is not None:
        data["treatments"] = treatments
    profile = read_profile(data)
    compiled = next(c for c in matcher.trials if c.trial.nct_id == nct_id)
    return explain(compiled, matcher.values_for(profile), profile, matcher.vocabulary, matcher.drugs)


def check_status(
    nct_id: str,
    check_id: str,
    facts: dict[str, Any] | None = None,
    treatments: Any = None,
    section: str | None = None,
    as_of: dt.date = AS_OF,
) -> str:
    """'met', 'failed', 'unknown' or 'study_team' for one check (by id; give ``section`` when ids repeat).

    A window counted to a future event adds its dates: 'met from 2026-12-18', 'met until 2026-12-27'."""
    result = result_for(nct_id, facts, treatments, as_of)
    found = [
        outcome
        for group in (result.met, result.failed, result.unknown, result.study_team)
        for outcome in group
        if outcome.check == check_id and (section is None or outcome.section == section)
    ]
    assert len(found) == 1, f"{nct_id} check {check_id} ({section}) found {len(found)} times"
    outcome = found[0]
    dates = "".join(
        f" {word} {day.isoformat()}" for word, day in (("from", outcome.met_from), ("until", outcome.met_until)) if day
    )
    return outcome.status + dates


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return bundled_matcher()
