"""The first screen asks the language, then the patient's country once (optional): trials with a
site there come first and each card says where its nearest site is; a kiosk asks again after a
reset; a clinic's --country (and --lang) skip the questions."""

from __future__ import annotations

import asyncio
from typing import Any

from tui_helpers import make_app, run, screen_text

from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen
from tui.screens.welcome import WelcomeScreen
from tui.widgets.trial_card import TrialCard


async def wait(pilot: Any, condition: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause()


def test_the_country_chosen_first_puts_trials_with_a_site_there_first_and_names_the_site() -> None:
    async def body() -> dict[str, Any]:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, WelcomeScreen))
            await pilot.press("1")  # English: the language step comes first
            await wait(pilot, lambda: app.screen.query("#countries"))
            await pilot.pause()
            await pilot.pause()
            first_screen = screen_text(app)
            await pilot.press("3")  # Taiwan
            await wait(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.session is not None)
            await wait(pilot, lambda: not app.busy)
            await pilot.press("f4")
            await wait(pilot, lambda: isinstance(app.screen, ResultsScreen))
            await pilot.pause()
            cards = {card.trial.nct_id: card.text() for card in app.screen.query(TrialCard)}
            return {
                "first": first_screen,
                "country": app.session.country,
                "order": [r.nct_id for r in app.screen.results],
                "verdicts": [r.verdict for r in app.screen.results],
                "cards": cards,
            }

    seen = run(body)
    assert "Which country do you live in?" in seen["first"]
    assert "1. China" in seen["first"] and "4. Another country, or skip" in seen["first"]
    assert seen["country"] == "Taiwan"
    taiwan = [n for n, text in seen["cards"].items() if "Where: a site in Taiwan: " in text]
    assert taiwan == ["NCT07151326"]  # the one trial with a site in Taiwan says so
    assert "Where: no site in Taiwan; site: " in seen["cards"]["NCT07493668"]
    # Within the same verdict, the trial with a site in Taiwan comes first.
    same = [
        n
        for n, v in zip(seen["order"], seen["verdicts"], strict=True)
        if v == seen["verdicts"][seen["order"].index(taiwan[0])]
    ]
    assert same[0] == taiwan[0]


def test_skipping_the_country_and_the_kiosk_asking_it_again_after_a_reset() -> None:
    async def body() -> dict[str, Any]:
        app = make_app("kiosk", pin="2468", idle_seconds=600)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait(pilot, lambda: isinstance(app.screen, WelcomeScreen))
            await pilot.press("escape")  # the language stays as it is
            await wait(pilot, lambda: app.screen.query("#countries"))
            await pilot.press("escape")  # and the country is skipped
            await wait(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.session is not None)
            await wait(pilot, lambda: not app.busy)
            skipped = (app.session.country, app.session.country_asked)
            app.reset_for_next_person()
            await wait(pilot, lambda: isinstance(app.screen, WelcomeScreen))
            await pilot.press("1")  # English
            await wait(pilot, lambda: app.screen.query("#countries"))
            await pilot.press("2")
            await wait(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.session is not None)
            await wait(pilot, lambda: not app.busy and app.session.country_asked)
            return {"skipped": skipped, "after_reset": app.session.country}

    seen = run(body)
    assert seen == {"skipped": (None, True), "after_reset": "South Korea"}


def test_a_clinic_s_country_and_language_are_used_without_asking() -> None:
    async def body() -> tuple[type, str | None]:
        app = make_app("kiosk", pin="2468", idle_seconds=600, country="South Korea", locale="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait(pilot, lambda: app.snapshot is not None and not app.busy)
            await pilot.pause()
            return type(app.screen), app.session.country

    assert run(body) == (InterviewScreen, "South Korea")
