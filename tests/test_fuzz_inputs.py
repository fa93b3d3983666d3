"""Fuzzing the three readers of outside input (issue 14): whatever comes in, the only exception is the
documented input error, and what is accepted can be matched.

- the profile reader (a profile file's YAML, then its values): ``yaml.YAMLError`` or ``ProfileError``;
- the typed-answer parser (any text for any question, in any language): ``AnswerError``;
- the catalogue loader (a real trial file with one line or one value changed): ``TrialFileError``.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import yaml
from conftest import AS_OF, bundled_matcher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.profile import ProfileError, read_profile
from matcher.verdicts import Matcher
from questionnaires.answers import AnswerError, parse_answer
from questionnaires.bank import load_bank
from trials.i18n import LOCALES
from trials.loader import BUNDLED_CATALOGUE, Catalogue, TrialFileError, load_trial_file
from trials.yaml_text import load_yaml

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MATCHER = bundled_matcher()
FACT_IDS = sorted(f.id for f in MATCHER.vocabulary)
BANK = load_bank()
QUESTIONS = sorted(BANK, key=lambda q: q.linkId)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["unknown", "never", "none", "yes", "no", "1e999", "inf", "nan", "2 x ULN", "12 g/dL", "-0"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | scalars, inner, max_size=4),
    max_leaves=12,
)
lab_values = st.fixed_dictionaries(
    {"value": values},
    optional={"unit": values, "uln": values, "xuln": values, "extra": values},
)


@st.composite
def profiles(draw: st.DrawFn) -> dict[Any, Any]:
    facts = draw(st.dictionaries(st.sampled_from(FACT_IDS) | st.text(max_size=10), values | lab_values, max_size=8))
    data: dict[Any, Any] = {"facts": facts}
    if draw(st.booleans()):
        data["as_of"] = draw(values)
    if draw(st.booleans()):
        regimen = st.dictionaries(
            st.sampled_from(["drugs", "classes", "line", "started", "stopped", "ongoing", "cycles", "progressed"]),
            values,
            max_size=5,
        )
        data["treatments"] = draw(st.lists(regimen | values, max_size=3) | values)
    if draw(st.booleans()):
        data[draw(st.text(max_size=8))] = draw(values)
    return data


@FUZZ
@given(profiles())
def test_any_profile_is_matched_or_refused_with_a_profile_error(data: dict[Any, Any]) -> None:
    try:
        profile = read_profile(data, today=AS_OF)
    except ProfileError as exc:
        assert exc.problems
        return
    assert all(not isinstance(v, float) or math.isfinite(v) for v in profile.values.values())
    assert set(MATCHER.verdicts(MATCHER.values_for(profile))) == {c.trial.nct_id for c in MATCHER.trials}


@FUZZ
@given(st.text(max_size=200) | st.binary(max_size=120).map(lambda b: b.decode("latin-1")))
def test_any_profile_text_is_read_or_refused_as_yaml_or_as_a_profile(text: str) -> None:
    try:
        data = load_yaml(text)
        read_profile(data if data is not None else {}, today=AS_OF)
    except (yaml.YAMLError, ProfileError):
        pass


typed_answers = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"(about )?[0-9]{1,15}(\.[0-9]{1,3})? (day|week|month|year)s? ago", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,400}([.,][0-9]{1,5})? ?(kg|lb|g/dL|mg/dL|U/L|x ULN|%|mmHg|cm)?", fullmatch=True),
    st.sampled_from(["1e999", "nan", "inf", "-inf", "²", "１２", "٣", "0000-01-01", "2026-02-30", "9999-12-31"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(QUESTIONS), typed_answers, st.sampled_from(["patient", "nurse"]), st.sampled_from(LOCALES))
def test_any_typed_answer_is_read_or_refused_with_an_answer_error(
    question: Any, raw: str, mode: Any, locale: str
) -> None:
    fact = MATCHER.vocabulary.facts.get(question.fact)
    try:
        parse_answer(question, fact, raw, mode, AS_OF, MATCHER.drugs, locale)
    except AnswerError as exc:
        assert str(exc)


TRIAL = BUNDLED_CATALOGUE / "NCT07151326.yaml"
TRIAL_LINES = TRIAL.read_text(encoding="utf-8").splitlines()
replacements = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [".inf", ".nan", "-.inf", "2025-02-30", "9" * 5000, "&a [*a]", "*missing", "{", "- x", "null", "[]", "{}"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(TRIAL_LINES) - 1), replacements, st.booleans())
def test_any_change_to_a_trial_file_loads_or_is_reported_and_what_loads_matches(
    tmp_path_factory: Any, line: int, text: str, value_only: bool
) -> None:
    lines = list(TRIAL_LINES)
    if value_only and ": " in lines[line]:
        lines[line] = lines[line].split(": ", 1)[0] + ": " + text
    else:
        lines[line] = text
    path: Path = tmp_path_factory.mktemp("fuzz") / TRIAL.name
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        trial = load_trial_file(path)
    except TrialFileError as exc:
        assert exc.errors and all(e.file == path for e in exc.errors)
        return
    matcher = Matcher(Catalogue(path.parent, [trial], {trial.nct_id: path}), MATCHER.vocabulary, MATCHER.drugs)
    profile = read_profile({"as_of": AS_OF, "facts": {"thromboembolism_date": "2026-10-01", "bilirubin": "1 x ULN"}})
    matcher.match(profile)
