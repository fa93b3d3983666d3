"""What a user waits for: whole-process wall time and peak resident memory, at 5, 1,000 and 10,000 trials.

For the bundled five trials and generated catalogues (the five copied under new ids with their
thresholds varied, benchmarks/catalogue_scale.py's ``build``), each figure is one fresh process,
timed from its start to its exit (or, for the app, to its first question drawn), its peak RSS
read from the operating system (``wait4``):
- ``trialmatch match PROFILE`` (text) and ``trialmatch match PROFILE --json``, with the
  parsed-catalogue cache warm (as every run after the first);
- the app's first question (Textual, headless 80×24), as benchmarks/app_latency.py measures it.

Each figure is the best of ``--repeat`` runs: the machine is shared, and the best run is the one
least disturbed by others. The table gives each figure's ratio to the five-trial figure.

Targets (issue 15): at 1,000 trials, match within 3× the five-trial time and under 150 MB; at
10,000 trials, match under 3 s and 1 GB; the app's first question at 1,000 trials within 1.5×
its time at five.

Run: .venv/bin/python benchmarks/end_to_end.py [--sizes 5 1000 10000] [--repeat 3] [--no-app]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from catalogue_scale import build  # noqa: E402

PROFILE = ROOT / "examples" / "second_line_after_atezo_bev.yaml"
BUNDLED = ROOT / "trials" / "catalogue"

APP = """
import sys, time, asyncio
started = time.time()
sys.path.insert(0, {root!r})
from pathlib import Path
from matcher.verdicts import Matcher
from trials.loader import load_catalogue
from tui.app import TrialMatcherApp

async def main():
    matcher = Matcher(load_catalogue(sys.argv[1], cache_dir=Path(sys.argv[2])))
    app = TrialMatcherApp(matcher, "patient", country="China", locale="en")  # a clinic preset: no first screen
    async with app.run_test(size=(80, 24)) as pilot:
        while app.snapshot is None or app.snapshot.question is None:
            await asyncio.sleep(0.002)
        drawn = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: drawn.set_result(time.time()))
        await drawn
        app.exit()

asyncio.run(main())
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from start to exit and peak RSS (MB) of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024  # Linux: kilobytes


def best(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    runs = [measure(command, env) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def figures(folder: Path, cache: Path, repeat: int, app: bool) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "TRIALMATCH_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "tui.cli", "--catalogue", str(folder), "match", str(PROFILE)]
    measure(cli, env)  # the first run fills the cache; the user's later runs find it warm
    out = {"match (text)": best(cli, env, repeat), "match --json": best([*cli, "--json"], env, repeat)}
    if app:
        code = APP.format(root=str(ROOT))
        out["app: first question"] = best([sys.executable, "-c", code, str(folder), str(cache)], env, repeat)
    return out


def table(results: dict[int, dict[str, tuple[float, float]]]) -> str:
    sizes = sorted(results)
    base = results[sizes[0]]
    lines = [f"{'':22}" + "".join(f"{f'{size:,} trials':>28}" for size in sizes)]
    for name in base:
        row = f"{name:22}"
        for size in sizes:
            seconds, mb = results[size][name]
            ratio = f"×{seconds / base[name][0]:.1f}" if size != sizes[0] else ""
            row += f"{f'{seconds:.2f} s {ratio:>6} {mb:6.0f} MB':>28}"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 1000, 10000], help="5 = the bundled catalogue")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--no-app", action="store_true", help="leave out the app's first question")
    args = parser.parse_args()
    results: dict[int, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            if size == 5:
                folder = BUNDLED
            else:
                folder = Path(tmp) / f"catalogue-{size}"
                folder.mkdir()
                build(folder, size)
            results[size] = figures(folder, Path(tmp) / f"cache-{size}", args.repeat, not args.no_app)
            print(f"{size:,} trials: " + ", ".join(f"{k} {s:.2f} s {m:.0f} MB" for k, (s, m) in results[size].items()))
    print(
        f"\nWall time (best of {args.repeat}, fresh process, warm cache), ratio to 5 trials, peak RSS; {PROFILE.name}"
    )
    print(table(results))


if __name__ == "__main__":
    main()
