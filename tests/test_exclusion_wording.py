"""An exclusion reads as an exclusion wherever a person reads it: "must not have: ..." while it is to
confirm, "does not apply" once it is known not to, never "met"; in every language, in the text
output, the saved summary and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import AS_OF, bundled_matcher

from questionnaires.summary import render_results
from tui.cli import main

# Nothing rules FLEX-HCC (NCT07493668) out: its exclusion 7 (main portal vein) is still to confirm,
# its exclusion 6 (brain metastases) is known not to apply.
PROFILE = f"as_of: {AS_OF.isoformat()}\nfacts:\n  age: 60\n  brain_metastases: no\n"
FLEX = "NCT07493668"


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def flex_section(out: str) -> str:
    """The FLEX-HCC trial's part of the text output."""
    start = out.index(f"{FLEX} (FLEX-HCC)")
    end = out.find("\n\n", start)
    return out[start : end if end > 0 else None]


def match_text(profile: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--no-cache", *args, "match", "--met", str(profile)]) == 0
    return flex_section(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("lang", "to_confirm", "does_not_apply"),
    [
        pytest.param(
            "en",
            "? Exclusion 7: must not have: a tumour grown into the main portal vein (Vp4) — not known yet",
            "✓ Exclusion 6: does not apply — must not have: cancer that has spread to the brain — yours:",
            id="en",
        ),
        pytest.param("ko", "? 제외 기준 7: 해당하면 안 됨: ", "✓ 제외 기준 6: 해당 없음 — 해당하면 안 됨: ", id="ko"),
        pytest.param("zh-Hans", "? 排除标准 7：不能有：", "✓ 排除标准 6：不适用——不能有：", id="zh-Hans"),
        pytest.param("zh-Hant", "? 排除條件 7：不能有：", "✓ 排除條件 6：不適用 — 不能有：", id="zh-Hant"),
    ],
)
def test_match_text_reads_exclusions_as_exclusions(
    profile: Path, capsys: pytest.CaptureFixture[str], lang: str, to_confirm: str, does_not_apply: str
) -> None:
    out = match_text(profile, capsys, "--lang", lang)
    assert [line for line in (to_confirm, does_not_apply) if line not in out] == []


def test_match_text_never_says_an_exclusion_is_met(profile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = match_text(profile, capsys)
    exclusion_lines = [line.strip() for line in out.splitlines() if line.strip()[2:].startswith("Exclusion")]
    assert (
        exclusion_lines
        and [line for line in exclusion_lines if "must not have:" not in line and "study team" not in line] == []
    )


def test_match_json_reasons_read_exclusions_as_exclusions(profile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "match", "--json", str(profile)]) == 0
    trial = next(t for t in json.loads(capsys.readouterr().out)["trials"] if t["nct_id"] == FLEX)
    unknown = {i["criterion"]: i["reason"] for i in trial["unknown"] if i["section"] == "exclusion"}
    met = {i["criterion"]: i["reason"] for i in trial["met"] if i["section"] == "exclusion"}
    assert (unknown["Exclusion 7"].startswith("Exclusion 7: must not have: a tumour grown"), met["Exclusion 6"]) == (
        True,
        "Exclusion 6: does not apply — must not have: cancer that has spread to the brain"
        " — yours: brain or other central nervous system metastases no",
    )


def test_the_saved_summary_reads_exclusions_as_exclusions(profile: Path) -> None:
    from matcher.profile import load_profile

    matcher = bundled_matcher()
    results = [r for r in matcher.match(load_profile(profile)) if r.nct_id == FLEX]
    trials = {c.trial.nct_id: c.trial for c in matcher.trials}
    summary = render_results(results, trials, AS_OF, fmt="markdown", show_all=True)
    expected = [
        "- ? Exclusion 7: must not have: a tumour grown into the main portal vein (Vp4)",
        "Met, or does not apply:",
        "- ✓ Exclusion 6: does not apply — must not have: cancer that has spread to the brain",
    ]
    assert [line for line in expected if line not in summary] == []
