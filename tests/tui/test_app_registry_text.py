"""Registry text holds [...] and backslashes: the app shows them literally and never crashes on markup."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from tui_helpers import make_app, press, run, screen_text, settle, until

from matcher.verdicts import Matcher
from trials.loader import BUNDLED_CATALOGUE, load_catalogue
from tui.screens.results import ResultsScreen
from tui.widgets.trial_card import TrialCard
from tui.widgets.trial_states import TrialStates

ACRONYM = "FLEX[/b]"
TITLE = r"Fostrox [18F] for \<60 kg [/link] patients"
SUMMARY = r"A summary with [bold]markup-like[/] text and a \ backslash [x]."
CRITERION = r"Platelets ≥ 75,000/µL [/i] \[not a tag\] [@click=quit]"
CONTACT = r"Dr. [Smith]\ [/]"


def catalogue_with_brackets(folder: Path) -> Matcher:
    for path in BUNDLED_CATALOGUE.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    target = folder / "NCT07493668.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["acronym"] = ACRONYM
    data["brief_title"] = TITLE
    data["plain_summary"] = SUMMARY
    data["contacts"][0]["name"] = CONTACT
    data["eligibility"]["inclusion"][0]["text"] = CRITERION
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalogue = load_catalogue(folder, cache_dir=None)
    assert not catalogue.errors, catalogue.errors
    return Matcher(catalogue)


def test_brackets_and_backslashes_in_registry_text_are_shown_as_written(tmp_path: Path) -> None:
    chosen = catalogue_with_brackets(tmp_path)

    async def body() -> dict[str, Any]:
        app = make_app("nurse", matcher=chosen)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            panel = app.screen.query_one(TrialStates).text()
            await press(pilot, "y")
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await pilot.press("c")  # every criterion's original text
            await settle(pilot)
            card = app.screen.query_one("#card-NCT07493668", TrialCard)
            card.scroll_visible(animate=False)
            await settle(pilot)
            return {
                "panel": panel,
                "card": card.text(),
                "criteria": card.criteria_text(),
                "screen": screen_text(app),
                "running": app.is_running,
            }

    seen = run(body)
    assert seen["running"] and f"NCT07493668 {ACRONYM}" in seen["panel"]
    assert all(text in seen["card"] for text in (ACRONYM, TITLE, SUMMARY, CONTACT))
    assert CRITERION in seen["criteria"]
    assert TITLE in seen["screen"]
