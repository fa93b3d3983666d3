"""App tests: Pilot waits for the app to be idle in 20 ms steps; 5 ms steps keep these tests quick.

Each helper still waits for the session's worker and for the screen explicitly (tui_helpers.settle).
"""

from __future__ import annotations

import pytest
import textual._wait


@pytest.fixture(autouse=True)
def quick_idle_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 1 / 200)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 1 / 200 / 20)
