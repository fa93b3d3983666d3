"""The worked examples give their documented verdicts (examples/expected.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXPECTED: dict[str, dict[str, str]] = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))


def test_every_example_profile_has_documented_verdicts() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml") if p.name != "expected.yaml") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_its_documented_verdicts(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "match", "--json", str(EXAMPLES / name)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {t["nct_id"]: t["verdict"] for t in result["trials"]} == EXPECTED[name]


def test_examples_cover_every_verdict() -> None:
    verdicts = {v for per_trial in EXPECTED.values() for v in per_trial.values()}
    assert verdicts == {"eligible", "possibly_eligible", "not_eligible"}


def test_the_misspelt_drug_of_the_patient_example_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--no-cache", "match", "--json", str(EXAMPLES / "patient_at_home.yaml")])
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert notes == ["treatments[1]: read 'lenvatanib' as lenvatinib (a close spelling)"]
