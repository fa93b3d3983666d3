"""How many questions an interview asks, against how many the catalogue could ask.

Replays every example profile and a few hundred generated ones through the planner (answering
from the profile, "I don't know" where it is silent) and prints, per example and in median and
worst case, the questions asked against the distinct questions of the bank. It also checks that
every replay gives the verdicts `trialmatch match` gives on the same profile.

Target (issue 3): median at most half of the distinct questions; no replay that disagrees.

Run: .venv/bin/python benchmarks/interview_length.py [--generated 300] [--mode nurse]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher.facts import load_vocabulary  # noqa: E402
from matcher.profile import Profile, load_profile, read_profile  # noqa: E402
from matcher.verdicts import Matcher  # noqa: E402
from questionnaires.bank import load_bank  # noqa: E402
from questionnaires.replay import replay  # noqa: E402
from trials.loader import load_catalogue  # noqa: E402
from trials.yaml_text import load_yaml  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REGIMENS = [
    "atezolizumab + bevacizumab",
    "durvalumab + tremelimumab",
    "nivolumab + ipilimumab",
    "lenvatinib + pembrolizumab",
    "lenvatinib + sintilimab",
    "sorafenib",
    "lenvatinib",
    "bevacizumab + sintilimab",
]


def generated_profile(rng: random.Random, base: dict[str, Any]) -> dict[str, Any]:
    """A plausible profile: the complete example's facts, some dropped, some changed, a random history."""
    vocabulary = load_vocabulary()
    facts: dict[str, Any] = {}
    for key, value in base["facts"].items():
        if rng.random() < 0.35:
            continue  # not known
        fact = vocabulary[key]
        if rng.random() < 0.3:
            value = _random_value(rng, fact, value)
        facts[key] = value
    history: Any = None
    roll = rng.random()
    if roll < 0.15:
        history = "none"
    elif roll < 0.9:
        history = [
            {
                "drugs": rng.choice(REGIMENS),
                "line": 1,
                "started": "2025-10-06",
                "stopped": "2026-09-29",
                "cycles": rng.choice([1, 2, 6, 15]),
                "progression_date": "2026-09-22",
            }
        ]
        if rng.random() < 0.25:
            history.append({"drugs": rng.choice(REGIMENS), "line": 2, "started": "2026-10-01", "ongoing": True})
    data: dict[str, Any] = {"as_of": base["as_of"], "facts": facts}
    if history is not None:
        data["treatments"] = history
    return data


def _random_value(rng: random.Random, fact: Any, value: Any) -> Any:
    if fact.type == "boolean":
        return not value if isinstance(value, bool) else rng.choice([True, False])
    if fact.type == "choice":
        return rng.choice(fact.choices)
    if fact.type == "integer" and fact.range:
        return rng.randint(int(fact.range[0]), int(fact.range[1]))
    if fact.type == "number" and fact.range and not fact.uln:
        lo, hi = fact.range
        return round(rng.uniform(lo, min(hi, lo + (hi - lo) / 4)), 2)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--mode", choices=["patient", "nurse"], default="nurse")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    matcher = Matcher(load_catalogue())
    bank = load_bank()
    distinct = len(bank)
    rng = random.Random(args.seed)
    base = load_yaml((EXAMPLES / "second_line_after_atezo_bev.yaml").read_text(encoding="utf-8"))

    runs: list[tuple[str, Profile]] = [
        (p.name, load_profile(p)) for p in sorted(EXAMPLES.glob("*.yaml")) if p.name != "expected.yaml"
    ]
    runs += [(f"generated-{i:03d}", read_profile(generated_profile(rng, base))) for i in range(args.generated)]

    counts: list[int] = []
    disagreements: list[str] = []
    worst: tuple[int, str] = (0, "")
    started = time.perf_counter()
    print(f"{len(matcher.trials)} trials; {distinct} distinct questions in the bank; mode {args.mode}\n")
    for name, profile in runs:
        session = replay(matcher, profile, args.mode, bank)
        asked = len(session.history)
        counts.append(asked)
        worst = max(worst, (asked, name))
        replayed = session.verdicts()
        matched = {r.nct_id: r.verdict for r in matcher.match(profile)}
        if replayed != matched:
            disagreements.append(f"{name}: replay {replayed} vs match {matched}")
        if not name.startswith("generated"):
            print(f"  {name:40} {asked:3} of {distinct} questions   {_verdict_line(replayed)}")
    elapsed = time.perf_counter() - started
    print(
        f"\nreplays: {len(runs)} ({len(runs) - args.generated} examples + {args.generated} generated), {elapsed:.1f} s"
    )
    print(
        f"questions asked: median {statistics.median(counts):.0f}, worst {worst[0]} ({worst[1]}), of {distinct} distinct"
    )
    examples = counts[: len(runs) - args.generated]
    generated = counts[len(runs) - args.generated :] or [0]
    print(
        f"  examples alone: median {statistics.median(examples):.1f}; generated alone: median {statistics.median(generated):.0f}"
    )
    print(f"median / distinct = {statistics.median(counts) / distinct:.2f}   (target <= 0.50)")
    print(f"replays that disagree with match: {len(disagreements)}   (target 0)")
    for line in disagreements[:10]:
        print("  " + line)


def _verdict_line(verdicts: dict[str, str]) -> str:
    short = {"eligible": "E", "possibly_eligible": "P", "not_eligible": "N"}
    return " ".join(f"{nct}={short[v]}" for nct, v in sorted(verdicts.items()))


if __name__ == "__main__":
    main()
