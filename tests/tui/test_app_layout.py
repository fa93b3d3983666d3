"""What a person sees at 80×24 and 120×40: the interview, the side panel, the results; no button cut off."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Input
from tui_helpers import button_fits, make_app, press, run, screen_lines, settle, until

from tui.screens.results import ResultsScreen

SIZES = [(80, 24), (120, 40)]


def clipped(app: Any) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button) if b.display and not button_fits(app, b)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_interview_side_panel_and_results_fit_the_terminal(size: tuple[int, int]) -> None:
    async def body() -> dict[str, Any]:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            seen: dict[str, Any] = {"first": screen_lines(app), "clipped": {"first": clipped(app)}}
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            for _ in range(30):  # "I don't know" until the first treatment's medicines are asked
                if app.snapshot.question.link_id == "line1_drugs":
                    break
                await press(pilot, "f2")
            # the longest question and control of the bank: the first treatment, names or kinds
            seen["regimen"] = screen_lines(app)
            seen["clipped"]["regimen"] = clipped(app)
            field = app.screen.query_one("#typed", Input)
            seen["field_on_screen"] = app.screen.region.contains_region(field.region)
            await press(pilot, "f2")
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            seen["results"] = screen_lines(app)
            seen["clipped"]["results"] = clipped(app)
            return seen

    seen = run(body)
    width, height = size
    assert seen["clipped"] == {"first": [], "regimen": [], "results": []}
    for name in ("first", "regimen", "results"):
        assert len(seen[name]) == height and all(len(line) <= width for line in seen[name])
    first = "\n".join(seen["first"])
    assert "Question 1: Have you had any cancer medicines" in first
    assert all(f"NCT0{n}" in first for n in ("5831969", "6592612", "6762782", "7151326", "7493668"))
    assert "… 5 still open" in first and "Answered: 0" in first
    assert "I don't know" in first and "What does this mean?" in first and "Back" in first
    regimen = "\n".join(seen["regimen"])
    assert "What was the FIRST cancer medicine" in regimen and seen["field_on_screen"]
    assert "I don't know" in seen["regimen"][-2] and "Back" in seen["regimen"][-2]
    results = "\n".join(seen["results"])
    assert "Results: 5 trials checked on 2026-11-22" in results and "1. ? POSSIBLY ELIGIBLE" in results
    assert "Change answers" in results and "Save summary" in results and "Start over" in results


def test_side_panel_states_are_in_words_and_symbols_not_colour_alone() -> None:
    async def body() -> str:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press(pilot, "n")
            return "\n".join(screen_lines(app))

    screen = run(body)
    assert "✗ 4 not eligible" in screen and "… 1 still open" in screen
    assert screen.count("✗ not eligible") == 4 and screen.count("… still open") == 1
