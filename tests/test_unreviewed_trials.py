"""A trial with criteria not yet reviewed (drafts, to encode) is never 'eligible': they may be failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import AS_OF

from matcher.profile import read_profile
from matcher.verdicts import Matcher
from trials.loader import BUNDLED_CATALOGUE, load_catalogue

COMPLETE = Path(__file__).resolve().parents[1] / "examples" / "second_line_after_atezo_bev.yaml"


def catalogue_with_a_draft(tmp_path: Path, status: str) -> Path:
    """FLEX-HCC with its QTcF exclusion turned back into a draft (or an item still to encode)."""
    folder = tmp_path / "catalogue"
    folder.mkdir()
    shutil.copy(BUNDLED_CATALOGUE / "NCT07493668.yaml", folder)
    path = folder / "NCT07493668.yaml"
    text = path.read_text(encoding="utf-8")
    old = "          rule: {op: gt, fact: qtcf, value: 470, unit: ms}\n"
    assert old in text
    if status == "draft":
        new = old + "          status: draft\n"
    else:
        new = "          status: to_encode\n"
        text = text.replace("          plain: QTcF on the heart tracing (ECG) above 470 ms\n", "", 1)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def verdicts(folder: Path) -> tuple[str, str]:
    matcher = Matcher(load_catalogue(folder))
    profile = read_profile({**yaml.safe_load(COMPLETE.read_text(encoding="utf-8")), "as_of": AS_OF})
    full = {r.nct_id: r.verdict for r in matcher.match(profile)}
    fast = matcher.verdicts(matcher.values_for(profile))
    return full["NCT07493668"], fast["NCT07493668"]


def test_the_complete_example_is_eligible_for_flex_hcc_when_every_criterion_is_reviewed(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    folder.mkdir()
    shutil.copy(BUNDLED_CATALOGUE / "NCT07493668.yaml", folder)
    assert verdicts(folder) == ("eligible", "eligible")


def test_a_draft_criterion_keeps_a_trial_at_possibly_eligible(tmp_path: Path) -> None:
    assert verdicts(catalogue_with_a_draft(tmp_path, "draft")) == ("possibly_eligible", "possibly_eligible")


def test_a_criterion_still_to_encode_keeps_a_trial_at_possibly_eligible(tmp_path: Path) -> None:
    assert verdicts(catalogue_with_a_draft(tmp_path, "to_encode")) == ("possibly_eligible", "possibly_eligible")
