"""Hostile and broken input (issue 14): never a traceback, never a silent verdict change.

The probe files are the reliability report's (../shared/reviews/robustness-probes/, report in
../shared/reviews/robustness.md); benchmarks/robustness_probes.py re-runs every probe of the report
through the command line. Here each kind of probe is pinned through the code it reaches.
"""

from __future__ import annotations

import builtins
import datetime as dt
import os
import shutil
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import AS_OF, bundled_matcher

from matcher.profile import ProfileError, load_profile, read_profile
from matcher.verdicts import Matcher
from questionnaires.replay import replay
from trials.loader import BUNDLED_CATALOGUE, Catalogue, load_catalogue
from trials.yaml_text import load_yaml
from tui.cli import main
from tui.screens.dialogs import PinGuard
from tui.serve import foreign_request

ROOT = Path(__file__).resolve().parents[1]
PROBES = Path(__file__).resolve().parents[2] / "shared" / "reviews" / "robustness-probes"
EXAMPLE = ROOT / "examples" / "second_line_after_atezo_bev.yaml"
PROFILE_PROBES = sorted(PROBES.glob("*.yaml")) if PROBES.is_dir() else []
needs_probes = pytest.mark.skipif(not PROFILE_PROBES, reason="the report's probe files (../shared) are not here")


# --- profiles ------------------------------------------------------------------------------------


@needs_probes
@pytest.mark.parametrize("path", PROFILE_PROBES, ids=lambda p: p.name)
def test_every_profile_probe_is_matched_or_refused_with_the_field_named(path: Path) -> None:
    started = time.monotonic()
    try:
        profile = load_profile(path)
    except ProfileError as exc:
        assert exc.problems and all(where and what for where, what in exc.problems)
        assert len(str(exc)) < 5_000 and time.monotonic() - started < 5  # no 312 MB message, no minute-long read
        return
    matcher = bundled_matcher()
    verdicts = {r.nct_id: r.verdict for r in matcher.match(profile)}
    replayed = replay(matcher, profile, "nurse").verdicts()
    assert set(verdicts) == set(replayed) == {c.trial.nct_id for c in matcher.trials}


@needs_probes
@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("alt900_uln_inf.yaml", "facts.alt"),
        ("alt900_uln_1e999.yaml", "facts.alt"),
        ("alt900_uln_1000000.yaml", "facts.alt"),
        ("alt900_uln_nan.yaml", "facts.alt"),
        ("inf_uln.yaml", "facts."),
        ("nan_uln_str.yaml", "facts."),
        ("allergy_map_no.yaml", "facts.drug_allergies"),
        ("wrong_type_drugs_map.yaml", "facts.drug_allergies"),
        ("wrong_type_drugs_int.yaml", "facts.drug_allergies"),
        ("unit_int.yaml", "facts.hemoglobin"),
        ("unit_list.yaml", "facts.weight"),
        ("superscript_int.yaml", "facts.ecog"),
        ("date_future_asof.yaml", "as_of"),
        ("date_asof_ancient.yaml", "as_of"),
        ("treat_line_bool.yaml", "treatments[1].line"),
        ("treat_prog_before_start.yaml", "treatments[1].progression_date"),
    ],
)
def test_a_value_that_would_change_a_verdict_is_refused_naming_its_field(name: str, field: str) -> None:
    with pytest.raises(ProfileError) as refused:
        load_profile(PROBES / name)
    assert any(where.startswith(field) for where, _ in refused.value.problems), refused.value.problems


@needs_probes
@pytest.mark.parametrize(
    "name",
    [
        "dup_keys.yaml",
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
    ],
)
def test_yaml_that_cannot_be_read_as_written_is_refused_with_its_line(name: str) -> None:
    with pytest.raises(ProfileError) as refused:
        load_profile(PROBES / name)
    (where, what), *_ = refused.value.problems
    assert where.startswith(f"{PROBES / name}:") and "is not valid YAML" in what


def test_an_upper_limit_of_normal_outside_the_plausible_range_is_refused() -> None:
    with pytest.raises(ProfileError, match="not a plausible upper limit of normal"):
        read_profile({"as_of": AS_OF, "facts": {"alt": {"value": 900, "unit": "U/L", "uln": 1_000_000}}})


def test_a_huge_integer_given_through_the_api_is_a_field_error() -> None:
    with pytest.raises(ProfileError, match="weight"):
        read_profile({"as_of": AS_OF, "facts": {"weight": 10**400}})


def test_as_of_far_in_the_future_or_the_past_is_refused() -> None:
    for day in (dt.date(2099, 1, 1), dt.date(1800, 1, 1)):
        with pytest.raises(ProfileError, match="as_of"):
            read_profile({"as_of": day, "facts": {}}, today=AS_OF)


def test_duplicate_keys_are_refused_with_the_key_and_its_line() -> None:
    with pytest.raises(yaml.YAMLError) as refused:
        load_yaml("facts:\n  weight: 71\n  weight: 300\n")
    assert "'weight' is given twice" in str(refused.value) and refused.value.problem_mark.line == 2  # type: ignore[attr-defined]


def test_a_billion_laughs_is_refused_before_it_is_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    started = time.monotonic()
    with pytest.raises(yaml.YAMLError, match="aliases expand"):
        load_yaml("\n".join(lines))
    assert time.monotonic() - started < 2


def test_an_alias_that_contains_itself_is_refused() -> None:
    with pytest.raises(yaml.YAMLError, match="contains itself"):
        load_yaml("a: &a [*a]")


def test_a_few_aliases_still_read() -> None:
    assert load_yaml("a: &x [1, 2]\nb: *x") == {"a": [1, 2], "b": [1, 2]}


# --- catalogues ----------------------------------------------------------------------------------

TE_RULE = "{op: elapsed, fact: thromboembolism_date, cmp: le, value: 3, unit: months}"
BILI_RULE = "{op: le, fact: bilirubin, value: 2, unit: xULN}"


def _catalogue_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(BUNDLED_CATALOGUE, folder)
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN_TRIAL_FILES = {
    "impossible date": ("nct_id: NCT07151326", "nct_id: NCT07151326\nlast_update: 2025-02-30"),
    "5,000-digit integer": ("nct_id: NCT07151326", "nct_id: NCT07151326\nenrollment: {count: " + "9" * 5000 + "}"),
    "infinite elapsed window": (TE_RULE, TE_RULE.replace("value: 3", "value: .inf")),
    "100,000-year window": (TE_RULE, TE_RULE.replace("value: 3, unit: months", "value: 100000, unit: years")),
    "NaN threshold": (BILI_RULE, BILI_RULE.replace("value: 2", "value: .nan")),
    "duplicate key": ("nct_id: NCT07151326", "nct_id: NCT07151326\nnct_id: NCT07151326"),
    "billion laughs": (
        "nct_id: NCT07151326",
        "nct_id: NCT07151326\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
        + "\n".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]" for i in range(1, 8)),
    ),
}


@pytest.mark.parametrize("broken", BROKEN_TRIAL_FILES, ids=str)
def test_one_broken_trial_file_is_named_and_the_others_still_load(tmp_path: Path, broken: str) -> None:
    folder = _catalogue_copy(tmp_path)
    _replace(folder / "NCT07151326.yaml", *BROKEN_TRIAL_FILES[broken])
    catalogue = load_catalogue(folder)
    assert [e.file.name for e in catalogue.errors] and {e.file.name for e in catalogue.errors} == {"NCT07151326.yaml"}
    assert len(catalogue.trials) == 4


@pytest.mark.parametrize("kind", ["yml", "symlink loop", "dangling symlink", "folder"])
def test_check_names_what_looks_like_a_trial_file_but_is_not_read(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _catalogue_copy(tmp_path)
    if kind == "yml":
        (folder / "NCT07151326.yaml").rename(folder / "NCT09999999.yml")
    elif kind == "symlink loop":
        (folder / "NCT09999999.yaml").symlink_to("NCT09999999.yaml")
    elif kind == "dangling symlink":
        (folder / "NCT09999999.yaml").symlink_to("nowhere.yaml")
    else:
        (folder / "NCT09999999.yaml").mkdir()
    assert main(["--catalogue", str(folder), "check"]) == 1
    assert "NCT09999999" in capsys.readouterr().out


def test_a_trial_file_that_crashes_anything_while_loading_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trials.loader as loader

    folder = _catalogue_copy(tmp_path)
    real = loader.load_trial_file

    def crashing(path: Path, content: bytes | None = None) -> object:
        if path.name == "NCT07151326.yaml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, content)

    monkeypatch.setattr(loader, "load_trial_file", crashing)
    catalogue = load_catalogue(folder)
    assert (len(catalogue.trials), [e.file.name for e in catalogue.errors]) == (4, ["NCT07151326.yaml"])


# --- the cache -----------------------------------------------------------------------------------


def _eligible(catalogue: Catalogue) -> str:
    profile = load_profile(EXAMPLE)
    return {r.nct_id: r.verdict for r in Matcher(catalogue).match(profile)}["NCT07151326"]


def _same_size_edit_keeping_mtime(path: Path, old: str, new: str) -> None:
    info = path.stat()
    _replace(path, old, new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


def test_a_same_size_edit_that_keeps_the_mtime_is_seen(tmp_path: Path) -> None:
    folder, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    assert _eligible(load_catalogue(folder, cache_dir=cache)) == "eligible"
    _same_size_edit_keeping_mtime(folder / "NCT07151326.yaml", BILI_RULE, BILI_RULE.replace("value: 2", "value: 0"))
    assert _eligible(load_catalogue(folder, cache_dir=cache)) == "not_eligible"


def test_another_catalogues_cache_file_is_not_trusted(tmp_path: Path) -> None:
    a, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    b = tmp_path / "b"
    shutil.copytree(a, b, copy_function=shutil.copy2)
    _same_size_edit_keeping_mtime(b / "NCT07151326.yaml", BILI_RULE, BILI_RULE.replace("value: 2", "value: 0"))
    load_catalogue(a, cache_dir=cache)
    (a_cache,) = cache.glob("catalogue-*.json")
    load_catalogue(b, cache_dir=cache)
    (b_cache,) = set(cache.glob("catalogue-*.json")) - {a_cache}
    shutil.copy(a_cache, b_cache)
    assert _eligible(load_catalogue(b, cache_dir=cache)) == "not_eligible"


def test_a_hand_edited_cache_entry_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    import json

    folder, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    load_catalogue(folder, cache_dir=cache)
    (path,) = cache.glob("catalogue-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["files"]["NCT07151326.yaml"]
    entry["trial"] = entry["trial"].replace('"fact":"bilirubin","value":2', '"fact":"bilirubin","value":20')
    assert '"value":20' in entry["trial"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_catalogue(folder, cache_dir=cache).get("NCT07151326") == load_catalogue(folder).get("NCT07151326")


@pytest.mark.parametrize("files", [[1, 2], {"NCT07151326.yaml": "x"}, {"NCT07151326.yaml": {"source": 1}}])
def test_a_malformed_cache_is_ignored(tmp_path: Path, files: object) -> None:
    import json

    folder, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    load_catalogue(folder, cache_dir=cache)
    (path,) = cache.glob("catalogue-*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["files"] = files
    path.write_text(json.dumps(data), encoding="utf-8")
    assert len(load_catalogue(folder, cache_dir=cache).trials) == 5


def test_a_fifo_at_the_cache_path_is_not_read(tmp_path: Path) -> None:
    folder, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    load_catalogue(folder, cache_dir=cache)
    (path,) = cache.glob("catalogue-*.json")
    path.unlink()
    os.mkfifo(path)
    assert len(load_catalogue(folder, cache_dir=cache).trials) == 5  # returns: reading a FIFO would block


def test_check_reports_a_same_size_breaking_edit_although_the_cache_is_warm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, cache = _catalogue_copy(tmp_path), tmp_path / "cache"
    monkeypatch.setenv("TRIALMATCH_CACHE_DIR", str(cache))
    load_catalogue(folder, cache_dir=cache)
    _same_size_edit_keeping_mtime(folder / "NCT07151326.yaml", "fact: bilirubin", "fact: bilirubix")
    assert main(["--catalogue", str(folder), "check"]) == 1
    assert "bilirubix" in capsys.readouterr().out


# --- the interview and its exports ---------------------------------------------------------------


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the person types at the prompt, answer by answer (then the end of input)."""
    answers: list[str] = []

    def fake_input(prompt: str = "") -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(builtins, "input", fake_input)
    yield answers


@pytest.mark.parametrize("answer", ["5000 years ago", "99999999999 days ago"])
def test_a_date_too_long_ago_is_asked_again_and_nothing_is_lost(
    typed: list[str], answer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    typed.extend(["?", "?", answer, *["?"] * 400])
    assert main(["--no-cache", "interview", "--country", "Taiwan"]) == 0
    out = capsys.readouterr().out
    assert f"'{answer}' is not a date" in out and "trials checked" in out  # said, asked again, and on to the end


@pytest.mark.parametrize(
    ("where", "said"),
    [("missing/s.md", "does not exist"), (".", "is a folder"), ("existing.md", "add --force")],
)
def test_an_export_that_cannot_be_written_is_refused_before_any_question(
    tmp_path: Path, typed: list[str], where: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "existing.md").write_text("keep me", encoding="utf-8")
    typed.extend(["?"] * 400)
    assert main(["--no-cache", "interview", "--summary", str(tmp_path / where)]) == 2
    err = capsys.readouterr().err
    assert said in err and len(typed) == 400  # nothing asked
    assert (tmp_path / "existing.md").read_text(encoding="utf-8") == "keep me"


def test_the_answers_profile_is_never_overwritten_by_an_export(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    shutil.copy(EXAMPLE, profile)
    assert main(["--no-cache", "interview", "--answers", str(profile), "--summary", str(profile), "--force"]) == 2
    assert profile.read_bytes() == EXAMPLE.read_bytes()


def test_exports_are_private_and_replace_a_file_only_with_force(tmp_path: Path) -> None:
    summary, fhir = tmp_path / "s.md", tmp_path / "f.json"
    summary.write_text("old", encoding="utf-8")
    summary.chmod(0o644)
    args = ["--no-cache", "interview", "--answers", str(EXAMPLE), "--summary", str(summary), "--fhir", str(fhir)]
    assert main([*args, "--force"]) == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (summary, fhir)}
    assert (modes, summary.read_text(encoding="utf-8") != "old") == ({0o600}, True)


@pytest.mark.parametrize("below", [False, True])
def test_import_out_a_file_is_refused_with_exit_2(tmp_path: Path, below: bool) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("x", encoding="utf-8")
    source = ROOT / "tests" / "fixtures" / "ctgov" / "NCT07493668.json"
    assert main(["import", str(source), "--out", str(a_file / "sub" if below else a_file)]) == 2
    assert a_file.read_text(encoding="utf-8") == "x"


@needs_probes
@pytest.mark.parametrize("path", sorted(PROBES.glob("*.json")) if PROBES.is_dir() else [], ids=lambda p: p.name)
def test_every_import_probe_is_imported_or_reported(tmp_path: Path, path: Path) -> None:
    assert main(["import", str(path), "--out", str(tmp_path / "out")]) in (0, 2)


@needs_probes
def test_an_impossible_update_date_in_a_record_is_said_not_passed_off_as_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(PROBES / "bad_dates.json"), "--out", str(tmp_path)]) == 0
    assert "last-update date '2026-02-30' is not a date" in capsys.readouterr().out


@needs_probes
def test_an_nct_id_with_look_alike_digits_is_not_imported(tmp_path: Path) -> None:
    assert main(["import", str(PROBES / "trav4.json"), "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


# --- serve and the kiosk -------------------------------------------------------------------------


def test_serve_on_a_port_in_use_says_so_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("textual_serve")
    monkeypatch.setenv("TRIALMATCH_PIN", "2468")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--host", "127.0.0.1", "--port", str(port)]) == 2
    assert "give another port" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "99999"],
        ["serve", "--port", "-1"],
        ["--idle-seconds", "nan", "serve"],
        ["--idle-seconds", "inf", "serve"],
        ["--idle-seconds", "-5", "serve"],
        ["--idle-seconds", "nan", "--mode", "kiosk"],
    ],
)
def test_an_impossible_port_or_idle_time_is_refused_with_exit_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(args)
    assert refused.value.code == 2


@pytest.mark.parametrize("pin", ["12", "abcd", "１２３４"])
def test_a_kiosk_pin_must_be_at_least_4_digits(pin: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pin", pin, "serve", "--port", "8000"]) == 2
    assert main(["--pin", pin, "--mode", "kiosk"]) == 2
    assert "at least 4 digits" in capsys.readouterr().err


def test_a_page_from_elsewhere_cannot_reach_the_served_app() -> None:
    refused = [
        foreign_request("rebind.evil.example:8000", None, 8000),
        foreign_request("localhost:8000", "http://evil.example", 8000),
        foreign_request("localhost:8000", "http://localhost:9999", 8000),
        foreign_request(None, None, 8000),
    ]
    allowed = [
        foreign_request("localhost:8000", "http://localhost:8000", 8000),
        foreign_request("127.0.0.1:8000", None, 8000),
        foreign_request("[::1]:8000", "http://[::1]:8000", 8000),
    ]
    assert all(refused) and allowed == [None, None, None]


def test_wrong_pins_make_the_next_try_wait_longer_and_longer() -> None:
    now = [0.0]
    guard = PinGuard(clock=lambda: now[0])
    waits = []
    for _ in range(5):
        guard.failed()
        waits.append(guard.wait())
        now[0] += 1000
    guard.succeeded()
    assert (waits, guard.wait()) == ([0.0, 1.0, 2.0, 4.0, 8.0], 0.0)


# --- memory --------------------------------------------------------------------------------------


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the memory in use from /proc")
def test_memory_stays_flat_over_two_thousand_matches() -> None:
    full = bundled_matcher().catalogue
    trial = full.get("NCT07493668")
    assert trial is not None
    small = trial.model_copy(  # a short trial: the growth per match is the same, the test takes a second
        update={
            "eligibility": trial.eligibility.model_copy(
                update={"inclusion": trial.eligibility.inclusion[:3], "exclusion": trial.eligibility.exclusion[:2]}
            )
        }
    )
    matcher = Matcher(Catalogue(full.directory, [small], {small.nct_id: full.files[small.nct_id]}))
    profile = read_profile({"as_of": AS_OF, "facts": {"ecog": 1}})
    for _ in range(100):
        matcher.match(profile)
    before = _rss_mb()
    for _ in range(2000):
        matcher.match(profile)
    assert _rss_mb() - before < 5  # it grew by 25 MB when each match froze its results
