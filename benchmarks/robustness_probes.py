"""Re-run the robustness report's probes (issue 14) and count failures, tracebacks and silent verdict changes.

The report is ../shared/reviews/robustness.md, its small probe files ../shared/reviews/robustness-probes/.
Every probe runs ``trialmatch`` in its own process (this checkout's code, ``--root``), with a timeout:

- every profile probe (``*.yaml``) through ``match P --json`` and ``interview --answers P --json``;
- every ClinicalTrials.gov probe (``*.json``) through ``import P --out DIR``;
- broken catalogues built from the bundled one (impossible date, huge integer, infinite or NaN
  rule values, duplicate keys, ``.yml``, symlink loops, a directory named like a trial) through
  ``check`` and ``match``;
- the cache cases (same-size edit with the mtime kept, another catalogue's cache, an edited entry,
  a malformed entry, a FIFO);
- the interview on piped answers ("5000 years ago"), exports to bad paths or over a file,
  ``import --out`` a file, ``serve`` on a port in use or out of range, ``--idle-seconds`` nan/-5.

A probe fails when it prints a traceback, runs past its timeout, ends with an undocumented exit
code, or gives a result other than the one the report asks for. A *silent verdict change* is a
failure where a verdict comes out different from the right one with exit 0 (the ULN, drug-mapping,
cache and NaN/infinite-rule cases).

Run: .venv/bin/python benchmarks/robustness_probes.py [--root DIR] [--only PREFIX] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBES = REPO.parent / "shared" / "reviews" / "robustness-probes"
EXAMPLE = "examples/second_line_after_atezo_bev.yaml"
# Profiles that must be refused (exit 2) with the field named, because reading them would change a verdict.
VERDICT_PROFILES = {
    "alt900_uln_inf.yaml": "facts.alt",
    "alt900_uln_1e999.yaml": "facts.alt",
    "alt900_uln_1000000.yaml": "facts.alt",
    "alt900_uln_nan.yaml": "facts.alt",
    "allergy_map_no.yaml": "facts.drug_allergies",
    "wrong_type_drugs_map.yaml": "facts.drug_allergies",
}
# Profiles the report wants refused (exit 2) although they gave no verdict change.
REFUSE_PROFILES = {
    "dup_keys.yaml",
    "wrong_type_drugs_int.yaml",
    "date_future_asof.yaml",
    "date_asof_ancient.yaml",
    "bomb_fact.yaml",
    "bomb_fact_weight.yaml",
    "bomb_fact_set.yaml",
    "huge_int.yaml",
    "huge_int_weight.yaml",
    "date_impossible_fact.yaml",
    "date_impossible_asof.yaml",
    "date_impossible_treat.yaml",
    "date_month13.yaml",
    "date_ts_bad.yaml",
    "date_year0.yaml",
    "unit_int.yaml",
    "unit_list.yaml",
    "inf_uln.yaml",
    "inf_uln_str.yaml",
    "nan_uln.yaml",
    "nan_uln_str.yaml",
}
MAX_MESSAGE = 20_000  # an error message longer than this is a failure (the report saw 312 MB)


@dataclass
class Result:
    probe: str
    ok: bool
    traceback: bool = False
    silent: bool = False
    note: str = ""


@dataclass
class Run:
    code: int | None  # None: killed after the timeout
    out: str
    err: str
    seconds: float


@dataclass
class Probes:
    root: Path
    work: Path
    timeout: float
    results: list[Result] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, PYTHONPATH=str(self.root), TRIALMATCH_CACHE_DIR=str(self.work / "cache"))
        env.pop("TRIALMATCH_CATALOGUE", None)
        env.update(extra)
        return env

    def run(self, args: list[str], stdin: str = "", timeout: float | None = None, **env: str) -> Run:
        command = [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())", *args]
        start = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=self.root,
            env=self.env(**env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        try:
            out, err = process.communicate(stdin, timeout=timeout or self.timeout)
            code: int | None = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            out, err = process.communicate()
            code = None
        return Run(code, out, err, time.monotonic() - start)


def verdicts(run: Run) -> dict[str, str]:
    try:
        return {t["nct_id"]: t["verdict"] for t in json.loads(run.out)["trials"]}
    except (ValueError, KeyError, TypeError):
        return {}


def judge(
    name: str, run: Run, want: Callable[[Run], str | None], silent_if: Callable[[Run], bool] | None = None
) -> Result:
    """``want`` returns None when the outcome is the one asked for, else what is wrong."""
    tb = "Traceback (most recent call last)" in run.err
    if run.code is None:
        return Result(name, False, note=f"timeout after {run.seconds:.0f} s")
    if tb:
        last = run.err.strip().splitlines()[-1][:160]
        return Result(name, False, traceback=True, note=last)
    if run.code not in (0, 1, 2):
        return Result(name, False, note=f"exit {run.code}")
    if len(run.err) + len(run.out) > MAX_MESSAGE and run.code != 0:
        return Result(name, False, note=f"message of {len(run.err)} characters")
    wrong = want(run)
    silent = bool(wrong) and run.code == 0 and silent_if is not None and silent_if(run)
    return Result(name, wrong is None, silent=silent, note=wrong or f"exit {run.code}")


def _first(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:160] if lines else ""


def verdict_is(wanted: str, wrong: str, nct_id: str = "NCT07151326") -> Callable[[Run], str | None]:
    def want(run: Run) -> str | None:
        got = verdicts(run).get(nct_id)
        return None if got == wanted else f"{wrong}: {nct_id} {got} (right: {wanted}) {_first(run.err)}"

    return want


def exit_is(code: int, naming: str | None = None) -> Callable[[Run], str | None]:
    def want(run: Run) -> str | None:
        if run.code != code:
            return f"exit {run.code}, expected {code}: {_first(run.err or run.out)}"
        if naming and naming not in run.err + run.out:
            return f"exit {code} but {naming!r} not named: {_first(run.err or run.out)}"
        return None

    return want


def clean(run: Run) -> str | None:
    return None if run.code in (0, 2) else f"exit {run.code}: {_first(run.err)}"


def profile_probes(p: Probes) -> list[Callable[[], Result]]:
    tasks: list[Callable[[], Result]] = []
    for path in sorted(PROBES.glob("*.yaml")):
        for command in (["match"], ["interview", "--answers"]):

            def task(path: Path = path, command: list[str] = command) -> Result:
                name = f"profile {' '.join(command)} {path.name}"
                run = p.run([*command, str(path), "--json"], timeout=60)
                if path.name in VERDICT_PROFILES:
                    return judge(name, run, exit_is(2, VERDICT_PROFILES[path.name]), lambda r: True)
                if path.name in REFUSE_PROFILES:
                    return judge(name, run, exit_is(2))
                return judge(name, run, clean)

            tasks.append(task)
    return tasks


def import_probes(p: Probes) -> list[Callable[[], Result]]:
    tasks: list[Callable[[], Result]] = []
    for index, path in enumerate(sorted(PROBES.glob("*.json"))):

        def task(path: Path = path, index: int = index) -> Result:
            out = p.work / "import" / str(index)
            return judge(f"import {path.name}", p.run(["import", str(path), "--out", str(out)]), clean)

        tasks.append(task)
    return tasks


def _catalogue(p: Probes, name: str, edit: Callable[[Path], None]) -> Path:
    folder = p.work / "cats" / name
    shutil.copytree(p.root / "trials" / "catalogue", folder)
    edit(folder)
    return folder


def _sub(folder: Path, old: str, new: str, nct: str = "NCT07151326") -> None:
    path = folder / f"{nct}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, nct)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


TE_RULE = "{op: elapsed, fact: thromboembolism_date, cmp: le, value: 3, unit: months}"
BILI_RULE = "{op: le, fact: bilirubin, value: 2, unit: xULN}"


def catalogue_probes(p: Probes) -> list[Callable[[], Result]]:
    te_profile = PROBES / "te_date.yaml"
    cases: dict[str, tuple[Callable[[Path], None], str]] = {
        "bad_date": (
            lambda f: _sub(
                f,
                "  overall: NOT_YET_RECRUITING",
                "  overall: NOT_YET_RECRUITING\n  last_update: 2025-02-30",
                "NCT07151326",
            ),
            "NCT07151326",
        ),
        "huge_int": (
            lambda f: _sub(f, "nct_id: NCT07151326", "nct_id: NCT07151326\nenrollment: {count: " + "9" * 5000 + "}"),
            "NCT07151326",
        ),
        "elapsed_inf_months": (lambda f: _sub(f, TE_RULE, TE_RULE.replace("value: 3", "value: .inf")), "NCT07151326"),
        "elapsed_huge_years": (
            lambda f: _sub(f, TE_RULE, TE_RULE.replace("value: 3, unit: months", "value: 100000, unit: years")),
            "NCT07151326",
        ),
        "elapsed_inf_weeks": (
            lambda f: _sub(f, TE_RULE, TE_RULE.replace("value: 3, unit: months", "value: .inf, unit: weeks")),
            "NCT07151326",
        ),
        "rule_nan": (lambda f: _sub(f, BILI_RULE, BILI_RULE.replace("value: 2", "value: .nan")), "NCT07151326"),
        "dup_key": (
            lambda f: _sub(f, "nct_id: NCT07151326", "nct_id: NCT07151326\nnct_id: NCT07151326"),
            "NCT07151326",
        ),
        "yml": (lambda f: (f / "NCT07151326.yaml").rename(f / "NCT07151326.yml"), "NCT07151326.yml"),
        "symlink_loop": (lambda f: (f / "NCT09999999.yaml").symlink_to("NCT09999999.yaml"), "NCT09999999"),
        "dangling": (lambda f: (f / "NCT09999998.yaml").symlink_to("missing.yaml"), "NCT09999998"),
        "directory": (lambda f: (f / "NCT09999997.yaml").mkdir(), "NCT09999997"),
    }
    tasks: list[Callable[[], Result]] = []
    for name, (edit, named) in cases.items():

        def check(name: str = name, edit: Callable[[Path], None] = edit, named: str = named) -> Result:
            folder = _catalogue(p, name, edit)
            run = p.run(["--no-cache", "--catalogue", str(folder), "check"])
            # A broken rule that check passes silently changes verdicts (always true / always false).
            return judge(
                f"catalogue check {name}", run, exit_is(1, named), lambda r: name.startswith(("rule", "elapsed"))
            )

        def match(name: str = name, named: str = named) -> Result:
            folder = p.work / "cats" / name
            for _ in range(100):
                if folder.exists():
                    break
                time.sleep(0.1)
            run = p.run(["--no-cache", "--catalogue", str(folder), "match", str(te_profile), "--json"])
            return judge(f"catalogue match {name}", run, exit_is(0, named))

        tasks.append(lambda check=check, match=match: [check(), match()])  # type: ignore[misc]
    return tasks


def _cache_file(p: Probes, cache: Path, folder: Path) -> Path:
    import hashlib

    files = list(cache.glob("catalogue-*.json"))
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    named = cache / f"catalogue-{digest}.json"
    return named if named.exists() or not files else files[0]


def cache_probes(p: Probes) -> list[Callable[[], Result]]:
    example = str(p.root / EXAMPLE)
    alt = str(PROBES / "alt900_uln_40.yaml")

    def keep_mtime_edit(path: Path, old: str, new: str) -> None:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
        assert old in text and len(old) == len(new)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    def same_size() -> list[Result]:
        cache = p.work / "cache-13"
        folder = _catalogue(p, "c13", lambda f: None)
        args = ["--catalogue", str(folder), "match", example, "--json"]
        p.run(args, TRIALMATCH_CACHE_DIR=str(cache))
        keep_mtime_edit(folder / "NCT07151326.yaml", BILI_RULE, BILI_RULE.replace("value: 2", "value: 0"))
        run = p.run(args, TRIALMATCH_CACHE_DIR=str(cache))
        right = verdict_is("not_eligible", "stale")
        results = [judge("cache same-size edit, mtime kept (5.13b)", run, right, lambda r: True)]
        keep_mtime_edit(folder / "NCT07151326.yaml", "fact: bilirubin", "fact: bilirubix")
        run = p.run(["--catalogue", str(folder), "check"], TRIALMATCH_CACHE_DIR=str(cache))
        results.append(
            judge("cache check after same-size breaking edit (5.13d2)", run, exit_is(1, "bilirubix"), lambda r: True)
        )
        return results

    def foreign() -> list[Result]:
        cache = p.work / "cache-14"
        a = _catalogue(p, "c14a", lambda f: None)
        b = p.work / "cats" / "c14b"
        shutil.copytree(a, b, copy_function=shutil.copy2)
        keep_mtime_edit(b / "NCT07151326.yaml", BILI_RULE, BILI_RULE.replace("value: 2", "value: 0"))
        p.run(["--catalogue", str(a), "match", example, "--json"], TRIALMATCH_CACHE_DIR=str(cache))
        a_cache = _cache_file(p, cache, a)
        import hashlib

        b_cache = cache / f"catalogue-{hashlib.sha256(str(b.resolve()).encode()).hexdigest()[:16]}.json"
        shutil.copy(a_cache, b_cache)
        run = p.run(["--catalogue", str(b), "match", example, "--json"], TRIALMATCH_CACHE_DIR=str(cache))
        right = verdict_is("not_eligible", "stale")
        return [judge("cache from another catalogue (5.14b)", run, right, lambda r: True)]

    def poisoned() -> list[Result]:
        cache = p.work / "cache-15"
        folder = _catalogue(p, "c15", lambda f: None)
        args = ["--catalogue", str(folder), "match", alt, "--json"]
        p.run(args, TRIALMATCH_CACHE_DIR=str(cache))
        path = _cache_file(p, cache, folder)
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = data["files"]["NCT07151326.yaml"]
        trial = json.loads(entry["trial"])

        def poison(node: object) -> None:  # the ALT limit, 5 x ULN, becomes 50 x ULN in the cache only
            if isinstance(node, dict):
                if node.get("fact") == "alt" and node.get("value") == 5:
                    node["value"] = 50
                for child in node.values():
                    poison(child)
            elif isinstance(node, list):
                for child in node:
                    poison(child)

        poison(trial)
        entry["trial"] = json.dumps(trial)
        path.write_text(json.dumps(data), encoding="utf-8")
        run = p.run(args, TRIALMATCH_CACHE_DIR=str(cache))
        right = verdict_is("not_eligible", "poisoned")
        results = [judge("cache entry edited by hand (5.15b)", run, right, lambda r: True)]
        return results

    def malformed() -> list[Result]:
        results = []
        for name, files in (("5.07 files is a list", [1, 2]), ("5.08 entry is a string", {"NCT07151326.yaml": "x"})):
            cache = p.work / f"cache-{name[:4]}"
            folder = _catalogue(p, f"c{name[:4]}", lambda f: None)
            p.run(["--catalogue", str(folder), "match", example, "--json"], TRIALMATCH_CACHE_DIR=str(cache))
            path = _cache_file(p, cache, folder)
            data = json.loads(path.read_text(encoding="utf-8"))
            data["files"] = files
            path.write_text(json.dumps(data), encoding="utf-8")
            run = p.run(["--catalogue", str(folder), "match", example, "--json"], TRIALMATCH_CACHE_DIR=str(cache))
            results.append(judge(f"cache {name}", run, verdict_is("eligible", "wrong")))
        cache = p.work / "cache-fifo"
        folder = _catalogue(p, "cfifo", lambda f: None)
        p.run(["--catalogue", str(folder), "match", example, "--json"], TRIALMATCH_CACHE_DIR=str(cache))
        path = _cache_file(p, cache, folder)
        path.unlink()
        os.mkfifo(path)
        run = p.run(
            ["--catalogue", str(folder), "match", example, "--json"], timeout=20, TRIALMATCH_CACHE_DIR=str(cache)
        )
        results.append(judge("cache path is a FIFO (5.11)", run, exit_is(0)))
        return results

    return [same_size, foreign, poisoned, malformed]  # type: ignore[list-item]


def _busy_port() -> tuple[socket.socket, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock, sock.getsockname()[1]


def misc_probes(p: Probes) -> list[Callable[[], Result]]:
    def interview_ago() -> list[Result]:
        results = []
        for answer in ("5000 years ago", "99999999999 days ago"):
            stdin = "?\n?\n" + answer + "\n" + "?\n" * 300
            run = p.run(["interview", "--country", "Taiwan"], stdin=stdin)
            results.append(judge(f"interview answer {answer!r}", run, exit_is(0)))
        return results

    def exports() -> list[Result]:
        results = []
        stdin = "?\n" * 400
        target = p.work / "exports"
        target.mkdir(exist_ok=True)
        existing = target / "existing.md"
        existing.write_text("keep me", encoding="utf-8")
        for name, args, code in (
            ("--summary into a missing folder", ["--summary", str(target / "nope" / "s.md")], 2),
            ("--summary is a folder", ["--summary", str(target)], 2),
            ("--fhir into a missing folder", ["--fhir", str(target / "nope" / "f.json")], 2),
            ("--summary over an existing file", ["--summary", str(existing)], 2),
        ):
            run = p.run(["interview", "--country", "Taiwan", *args], stdin=stdin)
            results.append(judge(f"export {name}", run, exit_is(code)))
        kept = existing.read_text(encoding="utf-8") == "keep me"
        results.append(Result("export did not overwrite an existing file", kept, note="" if kept else "overwritten"))
        return results

    def import_out() -> list[Result]:
        a_file = p.work / "a_file"
        a_file.write_text("x", encoding="utf-8")
        results = []
        for name, out in (("--out a file", a_file), ("--out below a file", a_file / "sub")):
            run = p.run(["import", str(PROBES / "good.json"), "--out", str(out)])
            results.append(judge(f"import {name}", run, exit_is(2)))
        return results

    def serve() -> list[Result]:
        sock, port = _busy_port()
        results = []
        try:
            for name, args in (
                ("serve on a port in use", ["serve", "--host", "127.0.0.1", "--port", str(port)]),
                ("serve --port 99999", ["serve", "--host", "127.0.0.1", "--port", "99999"]),
                ("serve --port -1", ["serve", "--host", "127.0.0.1", "--port", "-1"]),
                (
                    "serve --idle-seconds -5",
                    ["--idle-seconds", "-5", "serve", "--host", "127.0.0.1", "--port", str(port)],
                ),
                (
                    "serve --idle-seconds nan",
                    ["--idle-seconds", "nan", "serve", "--host", "127.0.0.1", "--port", str(port)],
                ),
                ("serve --pin 12", ["--pin", "12", "serve", "--host", "127.0.0.1", "--port", str(port)]),
            ):
                run = p.run(args, timeout=15, TRIALMATCH_PIN="2468")
                results.append(judge(name, run, exit_is(2)))
        finally:
            sock.close()
        return results

    def kiosk() -> list[Result]:
        folder = p.work / "cats" / "bad_date"
        for _ in range(300):
            if folder.exists():
                break
            time.sleep(0.1)
        results = []
        for name, args in (
            ("kiosk --idle-seconds nan", ["--mode", "kiosk", "--pin", "2468", "--idle-seconds", "nan"]),
            ("kiosk --pin 12", ["--mode", "kiosk", "--pin", "12"]),
        ):
            run = p.run(args, timeout=15)
            results.append(judge(name, run, exit_is(2)))
        return results

    return [interview_ago, exports, import_out, serve, kiosk]  # type: ignore[list-item]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the checkout to probe (default: this one)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--only", default="", help="only the groups whose name starts so: profile, import, catalogue, cache, misc"
    )
    parser.add_argument("--json", type=Path, help="also write every result here")
    args = parser.parse_args()
    if not PROBES.is_dir():
        print(f"the probe files are not at {PROBES}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="tm-probes-") as work:
        p = Probes(args.root.resolve(), Path(work), args.timeout)
        (p.work / "cats").mkdir()
        groups = {
            "profile": profile_probes,
            "import": import_probes,
            "catalogue": catalogue_probes,
            "cache": cache_probes,
            "misc": misc_probes,
        }
        tasks = [task for name, make in groups.items() if name.startswith(args.only) for task in make(p)]
        with ThreadPoolExecutor(args.jobs) as pool:
            for outcome in pool.map(lambda task: task(), tasks):
                for result in outcome if isinstance(outcome, list) else [outcome]:
                    p.results.append(result)
    failed = [r for r in p.results if not r.ok]
    for r in failed:
        flags = ("TRACEBACK " if r.traceback else "") + ("SILENT " if r.silent else "")
        print(f"FAIL {flags}{r.probe}: {r.note}")
    tracebacks = sum(r.traceback for r in p.results)
    silent = sum(r.silent for r in p.results)
    print(
        f"{len(p.results)} probes: {len(p.results) - len(failed)} pass, {len(failed)} fail, {tracebacks} with a traceback, {silent} silent verdict changes"
    )
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in p.results], indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
