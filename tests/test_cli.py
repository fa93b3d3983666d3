"""The trialmatch command line: output a nurse can read, JSON a script can use, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trials.loader import BUNDLED_CATALOGUE
from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMPLETE = ROOT / "examples" / "second_line_after_atezo_bev.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess, as a nurse or a script runs it."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_match_prints_verdicts_reasons_quotes_contacts_and_sites(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "match", str(COMPLETE)]) == 0
    out = capsys.readouterr().out
    expected = [
        "1. NCT07151326 — ✓ ELIGIBLE",
        "2. NCT07493668 (FLEX-HCC) — ✓ ELIGIBLE",
        "✗ Inclusion 1: able to carry on normal activity",  # NCT06592612 fails on Karnofsky 70
        "The study team will also check:",
        "Next step: Contact Hong Jae Chon, MD, PhD, the study's contact person:",
        "- Phone: +82 31-780-3928",
        "- E-mail: hongjaechon@gmail.com",
        "CHA Bundang Medical Center, Seongnam-si, South Korea",
        "Lenvatinib: 12 mg once daily (weight 60 kg or more)",
        "This is a screening aid, not a medical decision",
    ]
    assert [line for line in expected if line not in out] == []


def test_match_shows_only_the_dose_for_the_patients_weight(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", str(COMPLETE)])
    assert "8 mg once daily (weight under 60 kg)" not in capsys.readouterr().out


def test_match_says_when_a_record_may_be_out_of_date_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", str(COMPLETE)])
    out = capsys.readouterr().out
    expected = [
        "Not yet recruiting — expected to start June 2023; record last updated 2023-03-01",
        "⚠ This record may be out of date: check clinicaltrials.gov/study/NCT05831969 or ask the contact.",
        "Why: its completion date (2025-10-05) has passed; it was to start in June 2023 and still says not yet "
        "recruiting; it was last updated on 2023-03-01, more than 12 months ago; it was last verified in March 2023, "
        "more than 12 months ago.",
    ]
    assert [line for line in expected if line not in out] == []


def test_match_json_names_the_criterion_of_every_item(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", "--json", str(COMPLETE)])
    trials = json.loads(capsys.readouterr().out)["trials"]
    items = [item for t in trials for group in ("failed", "unknown", "met", "study_team") for item in t[group]]
    assert items and all(
        item["criterion"].split()[0] in ("Inclusion", "Exclusion", "Registry") and item["text"] for item in items
    )


def test_match_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", "--json", str(COMPLETE)])
    trial = json.loads(capsys.readouterr().out)["trials"][0]
    assert {"nct_id", "verdict", "failed", "unknown", "met", "study_team"} <= set(trial)


def test_a_bad_profile_exits_2_naming_each_field_without_a_traceback(tmp_path: Path) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text("facts:\n  weight: 900 kg\n  platelets: lots\n  smoker: yes\n", encoding="utf-8")
    result = run("--no-cache", "match", str(profile))
    assert (result.returncode, "Traceback" in result.stderr, result.stdout) == (2, False, "")
    assert [f for f in ("facts.weight", "facts.platelets", "facts.smoker") if f not in result.stderr] == []


def test_a_profile_that_is_not_yaml_exits_2_with_the_line(tmp_path: Path) -> None:
    profile = tmp_path / "broken.yaml"
    profile.write_text("facts:\n  weight: [71\n", encoding="utf-8")
    result = run("--no-cache", "match", str(profile))
    assert result.returncode == 2 and f"{profile}:" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_profile_exits_2() -> None:
    result = run("--no-cache", "match", "no/such/profile.yaml")
    assert result.returncode == 2 and "cannot be read" in result.stderr


def test_check_counts_rules_and_study_team_items_per_trial() -> None:
    result = run("--no-cache", "check")
    assert result.returncode == 0
    assert "NCT07493668: 43 criteria (16 inclusion, 27 exclusion, +1 registry)" in result.stdout


def test_check_json_accounts_for_every_check_as_rule_or_study_team(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "check", "--json"])
    rows = json.loads(capsys.readouterr().out)["trials"]
    assert len(rows) == 5 and all(r["rules"] + r["study_team"] == r["checks"] for r in rows)


def broken_catalogue(tmp_path: Path) -> Path:
    """A copy of the bundled catalogue with one rule that names a fact that does not exist."""
    folder = tmp_path / "catalogue"
    shutil.copytree(BUNDLED_CATALOGUE, folder)
    path = folder / "NCT07493668.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fact: hiv_positive", "fact: hiv_postive", 1), encoding="utf-8")
    return folder


def test_check_on_a_broken_trial_exits_1_naming_file_line_criterion_and_field(tmp_path: Path) -> None:
    result = run("--no-cache", "--catalogue", str(broken_catalogue(tmp_path)), "check")
    assert result.returncode == 1
    assert (
        "NCT07493668.yaml:" in result.stdout
        and "Inclusion 11, check 11: field 'eligibility.inclusion.10.checks.0.rule.fact'" in result.stdout
    )


def test_the_other_trials_still_match_when_one_file_is_broken(tmp_path: Path) -> None:
    result = run("--no-cache", "--catalogue", str(broken_catalogue(tmp_path)), "match", "--json", str(COMPLETE))
    ids = [t["nct_id"] for t in json.loads(result.stdout)["trials"]]
    assert (result.returncode, sorted(ids)) == (0, ["NCT05831969", "NCT06592612", "NCT06762782", "NCT07151326"])


def test_the_catalogue_folder_can_come_from_the_environment(tmp_path: Path) -> None:
    result = run("--no-cache", "check", env={"TRIALMATCH_CATALOGUE": str(broken_catalogue(tmp_path))})
    assert result.returncode == 1


def test_a_missing_catalogue_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = run("--no-cache", "--catalogue", str(tmp_path / "nowhere"), "check")
    assert result.returncode == 1 and "does not exist" in result.stdout and "Traceback" not in result.stderr


def test_facts_lists_every_fact_with_type_unit_range_and_derivation(capsys: pytest.CaptureFixture[str]) -> None:
    main(["facts", "--json"])
    facts = {f["id"]: f for f in json.loads(capsys.readouterr().out)["facts"]}
    assert (facts["hemoglobin"]["unit"], facts["hemoglobin"]["range"], facts["child_pugh_class"]["derived"]) == (
        "g/dL",
        [2, 25],
        True,
    )


def test_the_cache_is_written_only_where_asked_and_used_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run("match", "--json", str(COMPLETE), env={"TRIALMATCH_CACHE_DIR": str(cache)})
    second = run("match", "--json", str(COMPLETE), env={"TRIALMATCH_CACHE_DIR": str(cache)})
    assert (first.stdout == second.stdout, len(list(cache.glob("catalogue-*.json")))) == (True, 1)


def test_check_never_reads_nor_writes_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run("check", env={"TRIALMATCH_CACHE_DIR": str(cache)})
    assert not cache.exists()


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run("--no-cache", "check", env={"TRIALMATCH_CACHE_DIR": str(cache)})
    assert not cache.exists()


def test_the_command_line_does_not_import_textual_for_matching() -> None:
    code = "import sys; from tui.cli import main; main(['--no-cache', 'check']); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "False"
