"""Large catalogues: a trial ruled out is explained by its decisive reasons, JSON is compact unless
asked to be indented, and matching again and again does not keep what earlier matches built."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from matcher.profile import load_profile
from tests.conftest import bundled_matcher
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
HIGH_BP = ROOT / "examples" / "blood_pressure_too_high.yaml"


def match_json(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, dict[str, dict[str, object]]]:
    assert main(["--no-cache", "match", str(HIGH_BP), "--json", *extra]) == 0
    out = capsys.readouterr().out
    return out, {t["nct_id"]: t for t in json.loads(out)["trials"]}


def test_a_trial_ruled_out_is_explained_by_the_criteria_it_fails(capsys: pytest.CaptureFixture[str]) -> None:
    _, trials = match_json(capsys)
    ruled_out = trials["NCT07493668"]
    assert ruled_out["verdict"] == "not_eligible" and ruled_out["failed"]
    assert ruled_out["unknown"] == ruled_out["met"] == [] and ruled_out["not_explained"] > 0


def test_all_reasons_explains_a_trial_ruled_out_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    _, trials = match_json(capsys, "--all-reasons")
    ruled_out = trials["NCT07493668"]
    assert ruled_out["unknown"] and "not_explained" not in ruled_out


def test_trials_not_ruled_out_are_explained_in_full_either_way(capsys: pytest.CaptureFixture[str]) -> None:
    _, short = match_json(capsys)
    _, full = match_json(capsys, "--all-reasons")
    assert short["NCT06592612"]["verdict"] == "possibly_eligible"
    assert short["NCT06592612"] == full["NCT06592612"]


def test_json_is_compact_unless_an_indent_is_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    compact, _ = match_json(capsys)
    indented, _ = match_json(capsys, "--indent", "2")
    assert compact.count("\n") == 1 and '\n  "as_of"' in indented
    assert json.loads(compact) == json.loads(indented)


def test_the_text_output_still_counts_what_a_ruled_out_trial_leaves_open(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "match", str(HIGH_BP)]) == 0
    assert "not needed" in capsys.readouterr().out.lower()


def test_matching_again_and_again_freezes_nothing() -> None:
    matcher = bundled_matcher()
    profile = load_profile(HIGH_BP)
    matcher.match(profile)
    before = gc.get_freeze_count()
    for _ in range(5):
        matcher.match(profile)
        matcher.match(profile, all_reasons=False)
    assert gc.get_freeze_count() == before
