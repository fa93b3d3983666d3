"""`trialmatch` with no command starts the app; the other commands never import Textual."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from tui_helpers import ROOT

import tui.app
from tui.cli import main


def test_trialmatch_with_no_command_starts_the_app_in_patient_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tui.app, "run_app", lambda *a, **k: calls.append((a, k)) or 0)
    assert main([]) == 0
    assert calls == [
        (
            (None,),
            {"mode": "patient", "pin": None, "idle_seconds": 180.0, "no_cache": False, "country": None, "locale": None},
        )
    ]


def test_mode_pin_idle_time_and_catalogue_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tui.app, "run_app", lambda *a, **k: calls.append((a, k)) or 0)
    main(
        [
            "--catalogue",
            "/clinic/trials",
            "--mode",
            "kiosk",
            "--pin",
            "2468",
            "--idle-seconds",
            "90",
            "--country",
            "Taiwan",
        ]
    )
    expected = {
        "mode": "kiosk",
        "pin": "2468",
        "idle_seconds": 90.0,
        "no_cache": False,
        "country": "Taiwan",
        "locale": None,
    }
    assert calls == [(("/clinic/trials",), expected)]


def test_the_command_line_imports_textual_only_to_start_the_app() -> None:
    probe = "import sys, tui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
