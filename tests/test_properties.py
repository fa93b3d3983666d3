"""Properties of matching over the bundled catalogue, for random profiles of valid values.

Profiles are drawn two ways: any subset of the vocabulary with random valid values, and a complete
FLEX-HCC-eligible profile with random facts dropped or redrawn (so that every verdict occurs).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from conftest import AS_OF, bundled_matcher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.drugs import load_drug_vocabulary
from matcher.evaluation import TRUE, UNKNOWN
from matcher.facts import Fact, load_vocabulary
from matcher.profile import read_profile
from matcher.verdicts import check_state, explain, fast_verdict
from trials.rules import facts_in

VOCABULARY = load_vocabulary()
FACTS: list[Fact] = sorted(VOCABULARY, key=lambda f: f.id)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EARLIEST = dt.date(1901, 1, 1)


@lru_cache(maxsize=1)
def drug_names() -> list[str]:
    """Real names people type: generic names and brands."""
    vocabulary = load_drug_vocabulary()
    return sorted(
        {d.name for d in vocabulary.drugs.values()} | {b for d in vocabulary.drugs.values() for b in d.brands}
    )


def past_dates(start: dt.date = EARLIEST) -> st.SearchStrategy[str]:
    return st.dates(min_value=start, max_value=AS_OF).map(dt.date.isoformat)


def value_for(fact: Fact) -> st.SearchStrategy[Any]:
    """A valid value of ``fact`` as a profile would give it."""
    if fact.type == "number":
        lo, hi = fact.range or (0.0, 1000.0)
        number = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)
        if not fact.uln:
            return number
        return st.one_of(
            number,
            st.builds(
                lambda v, u: {"value": v, "uln": u}, number, st.floats(min_value=max(lo, 0.01), max_value=hi or 1.0)
            ),
            st.builds(lambda x: {"xuln": x}, st.floats(min_value=0, max_value=50)),
        )
    if fact.type == "integer":
        lo, hi = fact.range or (0, 20)
        return st.integers(min_value=int(lo), max_value=int(hi))
    if fact.type == "boolean":
        return st.booleans()
    if fact.type == "choice":
        return st.sampled_from(fact.choices)
    if fact.type == "set":
        return st.lists(st.sampled_from(fact.choices), unique=True, max_size=len(fact.choices))
    if fact.type == "date":
        return past_dates()
    if fact.type == "event":
        return st.one_of(st.just("never"), past_dates(dt.date(2015, 1, 1)), past_dates())
    if fact.type == "drugs":
        return st.lists(st.sampled_from(drug_names()), max_size=3)
    raise AssertionError(f"no strategy for {fact.type}")  # pragma: no cover


@st.composite
def regimens(draw: st.DrawFn) -> dict[str, Any]:
    regimen: dict[str, Any] = {}
    names = draw(st.lists(st.sampled_from(drug_names() + ["Zorblax"]), min_size=0, max_size=3))
    classes = draw(st.lists(st.sampled_from(sorted(load_drug_vocabulary().classes)), max_size=2, unique=True))
    if not names and not classes:
        names = [draw(st.sampled_from(drug_names()))]
    if names:
        regimen["drugs"] = " + ".join(names)
    if classes:
        regimen["classes"] = classes
    if draw(st.booleans()):
        regimen["line"] = draw(st.integers(min_value=1, max_value=4))
    if draw(st.booleans()):
        started = draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=AS_OF))
        regimen["started"] = started.isoformat()
        if draw(st.booleans()):
            regimen["stopped"] = draw(st.dates(min_value=started, max_value=AS_OF)).isoformat()
    if draw(st.booleans()):
        regimen["cycles"] = draw(st.integers(min_value=0, max_value=40))
    progressed = draw(st.sampled_from([None, True, False, "date"]))
    if progressed == "date":  # on this regimen: not before it started
        regimen["progression_date"] = draw(past_dates(dt.date.fromisoformat(regimen.get("started", "2015-01-01"))))
    elif progressed is not None:
        regimen["progressed"] = progressed
    return regimen


TREATMENT_HISTORIES = st.one_of(st.none(), st.just("none"), st.lists(regimens(), max_size=3))

# Every fact FLEX-HCC reads, known and qualifying (see tests/test_trial_NCT07493668.py).
ELIGIBLE_FACTS: dict[str, Any] = {
    "date_of_birth": "1961-03-14",
    "sex": "male",
    "weight": 72,
    "advanced_hcc": True,
    "hcc_diagnosis_basis": ["imaging"],
    "hcc_subtype": "conventional",
    "measurable_disease": True,
    "measurable_liver_lesion": True,
    "curative_treatment_possible": False,
    "ecog": 1,
    "hemoglobin": 12.4,
    "anc": 2800,
    "platelets": 142000,
    "creatinine": {"value": 0.9, "uln": 1.2},
    "ast": {"xuln": 1.6},
    "alt": {"xuln": 1.3},
    "bilirubin": {"value": 0.9, "uln": 1.2},
    "inr": 1.1,
    "prothrombin_time": {"xuln": 1.0},
    "aptt": {"xuln": 0.9},
    "albumin": 3.8,
    "ascites": "none",
    "hepatic_encephalopathy": "none",
    "hepatic_encephalopathy_date": "never",
    "hiv_positive": False,
    "hbv_infection": False,
    "hcv_infection": False,
    "prior_treatment_toxicity_resolved": True,
    "variceal_bleeding_date": "never",
    "willing_contraception": True,
    "drug_allergies": [],
    "current_medications": ["entecavir"],
    "brain_metastases": False,
    "portal_vein_invasion": "none",
    "nyha_class": "none",
    "unstable_angina": False,
    "myocardial_infarction_date": "never",
    "arrhythmia_uncontrolled": False,
    "qtcf": 430,
    "allogeneic_stem_cell_transplant": False,
    "solid_organ_transplant": False,
    "active_infection": False,
    "major_surgery_date": "never",
    "surgery_planned": False,
    "other_cancer_date": "never",
    "varices_needing_treatment": False,
    "bleeding_or_clotting_disorder": False,
    "blood_thinners": [],
    "systolic_bp": 130,
    "diastolic_bp": 80,
    "urine_protein_24h": 0.2,
    "vascular_disease_date": "never",
    "locoregional_therapy_date": "never",
    "investigational_drug_date": "never",
    "in_other_interventional_trial": False,
    "can_swallow_tablets": True,
}
ELIGIBLE_TREATMENTS = [
    {
        "drugs": "Tecentriq + Avastin",
        "line": 1,
        "started": "2025-10-06",
        "stopped": "2026-09-28",
        "cycles": 16,
        "progression_date": "2026-09-21",
    }
]


@st.composite
def random_profiles(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(FACTS), unique_by=lambda f: f.id, max_size=40))
    facts = {fact.id: draw(value_for(fact)) for fact in chosen}
    return {"as_of": AS_OF, "facts": facts, "treatments": draw(TREATMENT_HISTORIES)}


@st.composite
def near_eligible_profiles(draw: st.DrawFn) -> dict[str, Any]:
    facts = dict(ELIGIBLE_FACTS)
    if draw(st.booleans()):
        del facts[draw(st.sampled_from(sorted(facts)))]
    if draw(st.booleans()):
        fact = draw(st.sampled_from(FACTS))
        facts[fact.id] = draw(value_for(fact))
    keep_history = draw(st.booleans()) or draw(st.booleans())  # three times in four
    treatments = ELIGIBLE_TREATMENTS if keep_history else draw(TREATMENT_HISTORIES)
    return {"as_of": AS_OF, "facts": facts, "treatments": treatments}


PROFILES = st.one_of(random_profiles(), near_eligible_profiles())


@lru_cache(maxsize=1)
def facts_read_by_rules() -> frozenset[str]:
    return frozenset(
        fact
        for compiled in bundled_matcher().trials
        for check in compiled.checks
        if check.check.rule
        for fact in facts_in(check.check.rule)
    )


def values_of(data: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    profile = read_profile(data)
    return profile, bundled_matcher().values_for(profile)


@PROPERTY_SETTINGS
@given(PROFILES)
def test_matching_never_raises_for_any_mix_of_known_and_unknown_facts(data: dict[str, Any]) -> None:
    profile, _ = values_of(data)
    results = bundled_matcher().match(profile)
    assert len(results) == len(bundled_matcher().trials)


@PROPERTY_SETTINGS
@given(PROFILES)
def test_a_trial_is_never_eligible_while_a_rule_check_is_unknown(data: dict[str, Any]) -> None:
    profile, values = values_of(data)
    matcher = bundled_matcher()
    for compiled in matcher.trials:
        result = explain(compiled, values, profile, matcher.vocabulary, matcher.drugs)
        if result.verdict == "eligible":
            states = [check_state(evaluate, is_exclusion, values) for evaluate, is_exclusion in compiled.rule_checks]
            assert (result.unknown, UNKNOWN in states, all(s == TRUE for s in states)) == ([], False, True), (
                compiled.trial.nct_id
            )


@st.composite
def profile_and_one_more_fact(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    data = draw(PROFILES)
    _, values = values_of(data)
    unknown = [fact for fact in FACTS if fact.id not in values]
    if unknown and draw(st.booleans()):  # half the time, a fact some trial actually reads
        read = [fact for fact in unknown if fact.id in facts_read_by_rules()]
        unknown = read or unknown
    if data["treatments"] is None:
        choice = draw(st.sampled_from([*unknown, "treatments"]))
    elif unknown:
        choice = draw(st.sampled_from(unknown))
    else:  # pragma: no cover - every fact already known: nothing left to learn
        return data, data
    if choice == "treatments":
        more = {**data, "treatments": draw(st.lists(regimens(), max_size=3))}
    else:
        more = {**data, "facts": {**data["facts"], choice.id: draw(value_for(choice))}}
    return data, more


@PROPERTY_SETTINGS
@given(profile_and_one_more_fact())
def test_learning_one_more_fact_never_turns_not_eligible_into_eligible(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    before, after = pair
    matcher = bundled_matcher()
    verdicts_before = matcher.verdicts(values_of(before)[1])
    verdicts_after = matcher.verdicts(values_of(after)[1])
    flipped = [
        nct
        for nct, verdict in verdicts_before.items()
        if verdict == "not_eligible" and verdicts_after[nct] == "eligible"
    ]
    assert flipped == []


@PROPERTY_SETTINGS
@given(profile_and_one_more_fact())
def test_learning_one_more_fact_never_unsettles_a_settled_verdict(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    matcher = bundled_matcher()
    verdicts_before = matcher.verdicts(values_of(before)[1])
    verdicts_after = matcher.verdicts(values_of(after)[1])
    changed = [
        nct
        for nct, verdict in verdicts_before.items()
        if verdict != "possibly_eligible" and verdicts_after[nct] != verdict
    ]
    assert changed == []


@PROPERTY_SETTINGS
@given(PROFILES)
def test_the_fast_verdict_equals_the_explained_verdict_for_every_trial(data: dict[str, Any]) -> None:
    profile, values = values_of(data)
    matcher = bundled_matcher()
    mismatched = [
        c.trial.nct_id
        for c in matcher.trials
        if fast_verdict(c, values) != explain(c, values, profile, matcher.vocabulary, matcher.drugs).verdict
    ]
    assert mismatched == []


def test_the_base_profile_of_the_near_eligible_strategy_is_eligible_for_flex_hcc() -> None:
    """Guards the strategy: without an eligible base, the properties above would never see 'eligible'."""
    _, values = values_of({"as_of": AS_OF, "facts": ELIGIBLE_FACTS, "treatments": ELIGIBLE_TREATMENTS})
    assert bundled_matcher().verdicts(values)["NCT07493668"] == "eligible"
