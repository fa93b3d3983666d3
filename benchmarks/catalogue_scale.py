"""Catalogue load time and evaluation time at 1,000 and 10,000 trials.

Builds synthetic catalogues from the bundled trials (new NCT ids; every numeric threshold
scaled by one of 0.8, 0.9, 1.0, 1.1 or 1.25 at random, as real trials vary around common cut-offs),
then prints:
- cold load (parse + validate every YAML file), warm load (from the JSON cache), and the load
  after one file changed (the cache must notice);
- compiling the rules against the fact vocabulary;
- evaluating one profile against every trial: verdicts only (the per-answer path) and the
  full explanation of every trial.

Targets (issue 2, on the 2-core machine): 1,000 trials loaded in under 1 s; 10,000 trials
evaluated in under 100 ms.

Run: .venv/bin/python benchmarks/catalogue_scale.py [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.drugs import load_drug_vocabulary  # noqa: E402
from matcher.facts import load_vocabulary  # noqa: E402
from matcher.profile import read_profile  # noqa: E402
from matcher.verdicts import Matcher  # noqa: E402
from trials.loader import BUNDLED_CATALOGUE, load_catalogue, trial_files  # noqa: E402

FACTORS = (0.8, 0.9, 1.0, 1.1, 1.25)
PROFILE = {
    "as_of": "2026-11-22",
    "facts": {
        "sex": "male",
        "age": 63,
        "weight": "72 kg",
        "ecog": 1,
        "advanced_hcc": True,
        "hemoglobin": "11.2 g/dL",
        "anc": "2.1 x10^9/L",
        "platelets": "96 x10^9/L",
        "bilirubin": {"value": 1.1, "unit": "mg/dL", "uln": 1.2},
        "albumin": "3.6 g/dL",
        "inr": 1.1,
        "ascites": "none",
        "hepatic_encephalopathy": "none",
        "creatinine": {"value": 0.9, "unit": "mg/dL", "uln": 1.2},
        "ast": "1.5 x ULN",
        "alt": "1.2 x ULN",
        "systolic_bp": 138,
        "diastolic_bp": 84,
        "hiv_positive": False,
    },
    "treatments": [
        {
            "drugs": "atezolizumab + bevacizumab",
            "started": "2025-11-01",
            "stopped": "2026-09-20",
            "cycles": 14,
            "progression_date": "2026-09-15",
        }
    ],
}


def vary(node: Any, rng: random.Random) -> Any:
    """Scale numeric thresholds of compare rules; leave everything else as it is."""
    if isinstance(node, dict):
        out = {key: vary(value, rng) for key, value in node.items()}
        if (
            node.get("op") in ("lt", "le", "gt", "ge")
            and isinstance(node.get("value"), (int, float))
            and not isinstance(node.get("value"), bool)
        ):
            scaled = node["value"] * rng.choice(FACTORS)
            out["value"] = round(scaled) if isinstance(node["value"], int) else round(scaled, 2)
        return out
    if isinstance(node, list):
        return [vary(item, rng) for item in node]
    return node


def build(folder: Path, size: int, seed: int = 7) -> None:
    """Write ``size`` synthetic trial files into ``folder``."""
    rng = random.Random(seed)
    sources = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in trial_files(BUNDLED_CATALOGUE)]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for index in range(size):
        data = dict(sources[index % len(sources)])
        nct_id = f"NCT9{index:07d}"
        data["nct_id"] = nct_id
        data["eligibility"] = vary(data["eligibility"], rng)
        (folder / f"{nct_id}.yaml").write_text(
            yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


def timed(function: Any, repeat: int = 1) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


FRESH = """
import sys, time
sys.path.insert(0, {root!r})
from matcher.verdicts import Matcher
from trials.loader import load_catalogue
from pathlib import Path
start = time.perf_counter()
catalogue = load_catalogue(Path({folder!r}), cache_dir=Path({cache!r}))
loaded = time.perf_counter()
Matcher(catalogue)
print(loaded - start, time.perf_counter() - loaded)
"""


def fresh_process_start(folder: Path, cache: Path) -> tuple[float, float]:
    """Load (from the warm cache) and compile in a new process, as a person starting the program sees it."""
    root = str(Path(__file__).resolve().parents[1])
    code = FRESH.format(root=root, folder=str(folder), cache=str(cache))
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        for _ in range(3)
    ]
    loads, compiles = sorted(float(r[0]) for r in runs), sorted(float(r[1]) for r in runs)
    return loads[1], compiles[1]


def run(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalogue"
        cache = Path(tmp) / "cache"
        folder.mkdir()
        build(folder, size)
        cold, catalogue = timed(lambda: load_catalogue(folder))
        assert not catalogue.errors, catalogue.errors[:3]
        timed(lambda: load_catalogue(folder, cache_dir=cache))  # fills the cache
        warm, warm_catalogue = timed(lambda: load_catalogue(folder, cache_dir=cache), repeat=3)
        assert len(warm_catalogue.trials) == size
        changed = trial_files(folder)[0]
        changed.write_text(
            changed.read_text(encoding="utf-8").replace("brief_title:", "brief_title: Changed", 1), encoding="utf-8"
        )
        after_change, changed_catalogue = timed(lambda: load_catalogue(folder, cache_dir=cache))
        assert changed_catalogue.trials[0].brief_title.startswith("Changed"), "the cache missed a changed file"
        compile_time, matcher = timed(lambda: Matcher(warm_catalogue))
        fresh_load, fresh_compile = fresh_process_start(folder, cache)
        profile = read_profile(PROFILE)
        values = matcher.values_for(profile)
        verdict_time, verdicts = timed(lambda: matcher.verdicts(values), repeat=21)
        full_time, results = timed(lambda: matcher.match(profile))
        assert {r.nct_id: r.verdict for r in results} == verdicts, "fast path and full explanation disagree"
        counts = {v: list(verdicts.values()).count(v) for v in ("eligible", "possibly_eligible", "not_eligible")}
        print(f"\n{size:,} trials ({len(matcher._slot_checks):,} distinct checks to evaluate)")
        print(f"  load, cold (parse + validate)       {cold * 1000:9.1f} ms")
        print(f"  load, warm (JSON cache)             {warm * 1000:9.1f} ms")
        print(f"  load after one file changed         {after_change * 1000:9.1f} ms")
        print(f"  compile rules                       {compile_time * 1000:9.1f} ms")
        print(
            f"  start-up in a fresh process, warm   {(fresh_load + fresh_compile) * 1000:9.1f} ms   "
            f"({fresh_load * 1000:.0f} ms load + {fresh_compile * 1000:.0f} ms compile; target < 1000 ms at 1,000 trials)"
        )
        print(f"  evaluate one profile, verdicts      {verdict_time * 1000:9.1f} ms   target < 100 ms at 10,000 trials")
        print(f"  evaluate one profile, full reasons  {full_time * 1000:9.1f} ms")
        print(f"  verdicts: {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; bundled catalogue: {len(trial_files(BUNDLED_CATALOGUE))} trials")
    started = time.perf_counter()
    load_vocabulary()
    load_drug_vocabulary()
    print(f"fact and drug vocabularies, read once per process: {(time.perf_counter() - started) * 1000:.1f} ms")
    for size in args.sizes:
        run(size)


if __name__ == "__main__":
    main()
