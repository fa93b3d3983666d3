"""The NCT07493668 review's proofs for windows counted to the first dose or randomisation (finding U3)
and for the dipstick that settles the 24-hour urine test (Q7): each gives the verdict the text supports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled_matcher

from matcher.profile import read_profile
from matcher.verdicts import TrialResult
from trials.yaml_text import load_yaml

PROOFS = Path(__file__).resolve().parents[2] / "shared" / "reviews" / "proofs"
FLEX = "NCT07493668"
# what a complete chart also says to questions added since the proofs were written
CHART_NEW = {
    "measurable_liver_lesion": True,
    "willing_tumour_biopsy": True,
    "current_medications": "none",
    "willing_continue_hbv_antiviral": True,
}

pytestmark = pytest.mark.skipif(not PROOFS.is_dir(), reason="the reviews' proof profiles are not beside the repository")


def flex(name: str) -> TrialResult:
    data: dict[str, Any] = load_yaml((PROOFS / name).read_text(encoding="utf-8"))
    data["facts"] = {**CHART_NEW, **(data.get("facts") or {})}
    return next(r for r in bundled_matcher().match(read_profile(data)) if r.nct_id == FLEX)


def test_three_weeks_after_the_last_infusion_flex_hcc_opens_when_the_4_week_washout_ends() -> None:
    result = flex("f_washout.yaml")  # last dose 2026-11-01, looked on 2026-11-22
    assert (result.verdict, result.eligible_from) == ("eligible", dt.date(2026, 11, 30))


def test_antivirals_started_a_week_ago_meet_the_14_days_before_randomisation_from_a_date() -> None:
    result = flex("f2_antiviral_7days.yaml")  # entecavir from 2026-11-15
    assert (result.verdict, result.eligible_from) == ("eligible", dt.date(2026, 11, 29))


def test_a_treatment_still_being_taken_leaves_the_washout_to_confirm_never_a_no() -> None:
    result = flex("f3_ongoing.yaml")
    assert result.verdict == "possibly_eligible"
    assert [(o.criterion, o.check) for o in result.unknown if o.check == "23"] == [("Exclusion 23", "23")]


def test_a_negative_dipstick_settles_the_24_hour_urine_test_the_protocol_never_orders() -> None:
    assert flex("e_dipstick_negative.yaml").verdict == "eligible"


def test_a_3_plus_dipstick_without_the_24_hour_collection_is_left_to_confirm() -> None:
    result = flex("e2_dipstick_3plus.yaml")
    assert result.verdict == "possibly_eligible" and any(o.check.startswith("21") for o in result.unknown)


def test_the_adjuvant_base_replayed_through_the_interview_gets_the_verdict_match_gives() -> None:
    """adj_replay.yaml: the reviewer's base profile for NCT06762782, replayed question by question."""
    from questionnaires.replay import replay

    data: dict[str, Any] = load_yaml((PROOFS / "adj_replay.yaml").read_text(encoding="utf-8"))
    profile = read_profile(data)
    matched = {r.nct_id: r.verdict for r in bundled_matcher().match(profile)}
    assert replay(bundled_matcher(), profile, "nurse").verdicts() == matched


def test_hepatitis_b_never_treated_with_antivirals_fails_inclusion_12_2_as_the_text_reads() -> None:
    """g_hbv_no_antiviral.yaml: HBsAg positive, never on antivirals. The text asks for antivirals started at
    least 14 days before randomisation; none started is no window that closes by itself (a care decision),
    so it fails, citing Inclusion 12."""
    result = flex("g_hbv_no_antiviral.yaml")
    assert (result.verdict, [(o.criterion, o.check) for o in result.failed]) == (
        "not_eligible",
        [("Inclusion 12", "12.2")],
    )
