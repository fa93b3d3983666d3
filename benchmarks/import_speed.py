"""Import speed: 1,000 generated ClinicalTrials.gov records through ``trialmatch import``'s code path.

The records are made from the NCT07493668 fixture (tests/fixtures/ctgov/): each gets its own NCT
id, and every number in its criteria text is scaled by one of 0.8, 0.9, 1.0, 1.1 or 1.25 at
random (thresholds vary around common cut-offs, so most criterion texts differ from record to
record). Each record is written to its own JSON file, then
all are imported into an empty folder: read, criteria split, every check drafted, YAML written
and read back and compiled. The drafter remembers the draft of each text it has seen (criteria
repeat across trials), so the import is timed again with that cache off. Then the same files
are imported again into the now full folder (the re-import path: load the existing file,
merge, nothing changed). Prints total and per-record times.

Target (issue 5): 1,000 records imported in under 10 s on this machine.

Run: .venv/bin/python benchmarks/import_speed.py [--records 1000] [--seed 5]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.drafting import Drafter  # noqa: E402
from matcher.importing import import_files  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ctgov" / "NCT07493668.json"
FACTORS = (0.8, 0.9, 1.0, 1.1, 1.25)
STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")


def scaled(text: str, generator: random.Random) -> str:
    """Every number of a text scaled by one random factor (kept whole when it was whole)."""
    factor = generator.choice(FACTORS)

    def scale(match: re.Match[str]) -> str:
        digits = match.group(0)
        value = float(digits.replace(",", "")) * factor
        return f"{value:.1f}" if "." in digits else str(round(value))

    return re.sub(r"\d+(?:,\d{3})*(?:\.\d+)?", scale, text)


def generate(count: int, folder: Path, seed: int) -> list[Path]:
    base: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    generator = random.Random(seed)
    paths = []
    for index in range(count):
        study = copy.deepcopy(base)
        protocol = study["protocolSection"]
        nct_id = f"NCT9{index:07d}"
        protocol["identificationModule"]["nctId"] = nct_id
        protocol["statusModule"]["overallStatus"] = generator.choice(STATUSES)
        eligibility = protocol["eligibilityModule"]
        eligibility["eligibilityCriteria"] = scaled(eligibility["eligibilityCriteria"], generator)
        path = folder / f"{nct_id}.json"
        path.write_text(json.dumps(study, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    today = dt.date(2026, 5, 1)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "records").mkdir()
        paths = generate(args.records, root / "records", args.seed)
        started = time.perf_counter()
        drafter = Drafter()  # a fresh drafter: nothing cached from an earlier run
        built = time.perf_counter() - started
        started = time.perf_counter()
        report = import_files(paths, root / "catalogue", today, drafter)
        first = time.perf_counter() - started
        assert not report.errors, report.errors[:3]
        created = sum(t.action == "created" for t in report.trials)
        checks = sum(sum(t.counts.values()) for t in report.trials)
        drafts = sum(t.counts["draft"] for t in report.trials)
        texts = len(drafter._cache)  # distinct (text, section) pairs drafted
        started = time.perf_counter()
        again = import_files(paths, root / "catalogue", today, drafter)
        second = time.perf_counter() - started
        unchanged = sum(t.action == "unchanged" for t in again.trials)
        started = time.perf_counter()
        import_files(paths, root / "uncached", today, Drafter(cache=False))
        uncached = time.perf_counter() - started
    print(f"records: {args.records} ({created} trial files created, {checks} checks, {drafts} drafted rules)")
    print(f"distinct criterion texts drafted: {texts}")
    print(f"drafter set-up: {built * 1000:.0f} ms")
    print(f"import into an empty folder: {first:.2f} s total, {first / args.records * 1000:.2f} ms per record")
    print(
        f"the same with the drafter's cache off (every check drafted afresh): {uncached:.2f} s total, "
        f"{uncached / args.records * 1000:.2f} ms per record"
    )
    print(
        f"re-import of the same records: {second:.2f} s total, {second / args.records * 1000:.2f} ms per record "
        f"({unchanged} unchanged)"
    )
    print(f"target: under 10 s for 1,000 records: {'met' if first * 1000 / args.records < 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
