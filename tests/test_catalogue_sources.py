"""Every criterion of every seed is in the catalogue, quoted word for word from its source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from trials.loader import load_catalogue
from trials.schema import Trial

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
# Numbered items counted by hand in each registry text (the API record is also counted below).
CRITERIA_COUNTS = {
    "NCT07493668": (16, 27),
    "NCT06762782": (11, 20),
    "NCT05831969": (13, 19),
    "NCT07151326": (14, 20),
    "NCT06592612": (8, 15),
}
_ESCAPES = str.maketrans({"\\": None})
_BULLET = re.compile(r"^\s*(?:[*•-]|\\-)\s+")

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the seed records (shared/seeds) are not beside this checkout"
)


def normalise(text: str) -> str:
    """Whitespace folded, markdown escapes (\\< \\> \\[ \\- \\^) shown as their characters."""
    return " ".join(text.translate(_ESCAPES).split())


def trials() -> list[Trial]:
    return load_catalogue().trials


def source_text(trial: Trial) -> str:
    return normalise((SEEDS / trial.source.file).read_text(encoding="utf-8"))


def test_every_seed_is_in_the_catalogue() -> None:
    assert sorted(t.nct_id for t in trials()) == sorted(CRITERIA_COUNTS)


@pytest.mark.parametrize("trial", trials(), ids=lambda t: t.nct_id)
def test_every_numbered_criterion_of_the_source_is_in_the_catalogue(trial: Trial) -> None:
    counted = (len(trial.eligibility.inclusion), len(trial.eligibility.exclusion))
    numbers = [c.number for c in trial.eligibility.inclusion], [c.number for c in trial.eligibility.exclusion]
    expected = CRITERIA_COUNTS[trial.nct_id]
    assert (counted, numbers) == (
        expected,
        ([str(i) for i in range(1, expected[0] + 1)], [str(i) for i in range(1, expected[1] + 1)]),
    )


@pytest.mark.parametrize("trial", trials(), ids=lambda t: t.nct_id)
def test_every_criterion_and_check_text_is_quoted_from_the_source(trial: Trial) -> None:
    source = source_text(trial)
    missing = []
    for criterion in [*trial.eligibility.inclusion, *trial.eligibility.exclusion]:
        for line in [criterion.text, *(c.text for c in criterion.checks)]:
            for part in line.split("\n"):
                quoted = normalise(_BULLET.sub("", part))
                if quoted and quoted not in source:
                    missing.append(f"{criterion.number}: {quoted[:80]}")
    assert missing == []


def test_the_api_record_has_as_many_numbered_items_as_the_catalogue() -> None:
    raw = (SEEDS / "000_e589ed901e78be8e.txt").read_text(encoding="utf-8")
    record = ast.literal_eval(raw[raw.index("{") :])  # a Python-literal dump: literal_eval, never eval
    text = record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    inclusion, exclusion = text.split("Exclusion Criteria:")
    count = lambda part: len(re.findall(r"^\d+\. ", part, re.M))  # noqa: E731
    assert (count(inclusion), count(exclusion)) == CRITERIA_COUNTS["NCT07493668"]
