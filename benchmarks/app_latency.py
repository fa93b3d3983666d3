"""How quickly the app answers a person: launch to the first question, and an answer to the updated panel.

For the bundled catalogue and a generated 1,000-trial one (benchmarks/catalogue_scale.py's
``build``), prints:
- launch to first question: a fresh process (interpreter start, imports, catalogue load from a
  warm cache, compiling, the first plan) until the first question is drawn on an 80×24 screen;
- answer to side panel: from the key press reaching the app to the side panel drawn with the
  new verdicts (the app reports verdicts before it plans the next question);
- answer to next question: from the key press to the next question drawn;
- where the time goes: the session's own steps (answer + plan, verdicts, progress) without the app.

Targets (issue 4): first question under 1.5 s; each panel update under 100 ms at 1,000 trials.

Run: .venv/bin/python benchmarks/app_latency.py [--sizes 0 1000] [--answers 8]   (0 = the bundled catalogue)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from catalogue_scale import build  # noqa: E402

FIRST_QUESTION = """
import sys, time, asyncio
started = float(sys.argv[1])
sys.path.insert(0, {root!r})
from pathlib import Path
from matcher.verdicts import Matcher
from trials.loader import load_catalogue
from tui.app import TrialMatcherApp

async def main():
    folder = sys.argv[2] or None
    matcher = Matcher(load_catalogue(folder, cache_dir=Path(sys.argv[3])))
    app = TrialMatcherApp(matcher, "patient", country="China", locale="en")  # a clinic preset: no first screen
    async with app.run_test(size=(80, 24)) as pilot:
        while app.snapshot is None or app.snapshot.question is None:
            await asyncio.sleep(0.002)
        drawn = asyncio.get_running_loop().create_future()
        app.call_after_refresh(lambda: drawn.set_result(time.time()))
        print(await drawn - started)

asyncio.run(main())
"""


def first_question(folder: Path | None, cache: Path, runs: int = 3) -> float:
    """Median seconds from starting a fresh process to the first question drawn."""
    code = FIRST_QUESTION.format(root=str(ROOT))
    times = []
    for _ in range(runs):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code, repr(started), str(folder or ""), str(cache)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


async def answer_latencies(folder: Path | None, answers: int) -> dict[str, list[float]]:
    """Per answer ("I don't know", F2): key press to panel drawn, and to the next question drawn."""
    from textual import events

    from matcher.verdicts import Matcher
    from trials.loader import load_catalogue
    from tui.app import TrialMatcherApp
    from tui.widgets.trial_states import TrialStates

    app = TrialMatcherApp(Matcher(load_catalogue(folder, cache_dir=None)), "patient", country="China", locale="en")
    out: dict[str, list[float]] = {"panel": [], "question": []}
    async with app.run_test(size=(80, 24)) as pilot:
        while app.snapshot is None or app.busy:
            assert app.is_running, "the app stopped"
            await asyncio.sleep(0.005)
        await pilot.pause()
        panel = app.screen.query_one(TrialStates)
        marks: dict[str, float] = {}
        real_show = panel.show
        loop = asyncio.get_running_loop()

        def show(*args: Any, **kwargs: Any) -> None:
            real_show(*args, **kwargs)
            if "panel" not in marks:
                app.call_after_refresh(lambda: marks.setdefault("panel", time.monotonic()))

        panel.show = show  # type: ignore[method-assign]
        for _ in range(answers):
            if app.snapshot.question is None:
                break
            before = app.snapshot
            marks.clear()
            app.post_message(events.Key("f2", None))  # as the terminal delivers it; Pilot's own waits would count
            while app.snapshot is before or app.busy:
                assert app.is_running, "the app stopped"
                await asyncio.sleep(0.0005)
            drawn: asyncio.Future[float] = loop.create_future()
            app.call_after_refresh(lambda done=drawn: done.set_result(time.monotonic()))
            question_at = await drawn
            pressed_at = app.last_activity  # noted by App.on_event when the key arrived
            out["panel"].append(marks.get("panel", question_at) - pressed_at)
            out["question"].append(question_at - pressed_at)
            await pilot.pause()
    return out


def session_steps(folder: Path | None, answers: int) -> dict[str, float]:
    """The session alone: median seconds per answer + plan, verdicts and progress."""
    from matcher.verdicts import Matcher
    from questionnaires.session import Session
    from trials.loader import load_catalogue

    matcher = Matcher(load_catalogue(folder, cache_dir=None))
    started = time.perf_counter()
    session = Session(matcher, "patient")
    first_plan = time.perf_counter() - started
    steps: dict[str, list[float]] = {"answer + plan": [], "verdicts": [], "progress": []}
    for _ in range(answers):
        if session.question is None:
            break
        for name, step in (
            ("answer + plan", session.dont_know),
            ("verdicts", session.verdicts),
            ("progress", session.progress),
        ):
            started = time.perf_counter()
            step()
            steps[name].append(time.perf_counter() - started)
    return {"new session (first plan)": first_plan} | {k: statistics.median(v) for k, v in steps.items() if v}


def report(name: str, folder: Path | None, cache: Path, answers: int) -> dict[str, Any]:
    first = first_question(folder, cache)
    latencies = asyncio.run(answer_latencies(folder, answers))
    steps = session_steps(folder, answers)
    panel, question = latencies["panel"], latencies["question"]
    print(f"\n{name}")
    print(f"  launch to first question (fresh process)  {first * 1000:9.0f} ms   target < 1500 ms")
    print(
        f"  answer to side panel drawn                {statistics.median(panel) * 1000:9.1f} ms median, "
        f"{max(panel) * 1000:.1f} ms max over {len(panel)} answers   target < 100 ms"
    )
    print(
        f"  answer to next question drawn             {statistics.median(question) * 1000:9.1f} ms median, "
        f"{max(question) * 1000:.1f} ms max"
    )
    for step, seconds in steps.items():
        print(f"    session: {step:30} {seconds * 1000:9.1f} ms")
    return {"first_question_s": first, "panel_s": panel, "question_s": question, "session_s": steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000], help="0 = the bundled catalogue")
    parser.add_argument("--answers", type=int, default=8, help="answers timed per catalogue")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            cache = Path(tmp) / f"cache-{size}"
            if size == 0:
                folder = None
                name = "bundled catalogue"
            else:
                folder = Path(tmp) / f"catalogue-{size}"
                folder.mkdir()
                build(folder, size)
                name = f"generated catalogue of {size:,} trials"
            from trials.loader import load_catalogue

            load_catalogue(folder, cache_dir=cache)  # warm the cache, as after the first start
            figures[name] = report(name, folder, cache, args.answers)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
