"""Import hygiene: the core packages load without the terminal UI stack, and the layers only import downwards
(trials below matcher, both below questionnaires and tui). Each module is imported alone in a fresh interpreter."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_PACKAGES = ("trials", "matcher", "questionnaires")
UI_LIBRARIES = ("textual", "rich")

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def modules_of(package: str) -> list[str]:
    imported = __import__(package)
    names = [package]
    names += [info.name for info in pkgutil.walk_packages(imported.__path__, prefix=f"{package}.")]
    return sorted(names)


MODULES = {package: modules_of(package) for package in CORE_PACKAGES}
ALL_MODULES = [name for package in CORE_PACKAGES for name in MODULES[package]]


@lru_cache(maxsize=1)
def loaded_by_module() -> dict[str, set[str]]:
    """For every module, what a fresh interpreter has in sys.modules after importing it (run in parallel)."""
    running = {
        name: subprocess.Popen(
            [sys.executable, "-c", PROBE, name], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name in ALL_MODULES
    }
    loaded: dict[str, set[str]] = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=60)
        if process.returncode != 0:
            raise AssertionError(f"importing {name} alone failed:\n{err}")
        loaded[name] = set(json.loads(out))
    return loaded


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_every_core_package_is_walked() -> None:
    assert {"trials.loader", "matcher.evaluation", "questionnaires"} <= set(ALL_MODULES)


@pytest.mark.parametrize("module", ALL_MODULES)
def test_module_imports_without_textual_or_rich(module: str) -> None:
    assert top_level(loaded_by_module()[module]) & set(UI_LIBRARIES) == set()


@pytest.mark.parametrize("module", MODULES["trials"])
def test_trials_module_imports_neither_matcher_nor_questionnaires_nor_tui(module: str) -> None:
    assert top_level(loaded_by_module()[module]) & {"matcher", "questionnaires", "tui"} == set()


@pytest.mark.parametrize("module", MODULES["matcher"])
def test_matcher_module_imports_neither_questionnaires_nor_tui(module: str) -> None:
    assert top_level(loaded_by_module()[module]) & {"questionnaires", "tui"} == set()


def test_the_probe_sees_a_ui_library_when_one_is_imported() -> None:
    """The check above could pass vacuously if the probe never saw anything; textual must show up when imported."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "textual.app"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert {"textual", "rich"} <= top_level(set(json.loads(out)))
