"""Whole interviews through the real widgets: typed and chosen answers, then the results on screen."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button
from tui_helpers import (
    EXAMPLES,
    button_fits,
    give,
    headless,
    make_app,
    matcher,
    profile_answers,
    run,
    screen_text,
    settle,
)

from tui.screens.results import ResultsScreen
from tui.widgets.trial_card import TrialCard
from tui.widgets.trial_states import TrialStates

AT_HOME = {
    "NCT05831969": "possibly_eligible",
    "NCT06592612": "possibly_eligible",
    "NCT06762782": "not_eligible",
    "NCT07151326": "not_eligible",
    "NCT07493668": "not_eligible",
}
BLOOD_PRESSURE = {
    "NCT05831969": "not_eligible",
    "NCT06592612": "possibly_eligible",
    "NCT06762782": "not_eligible",
    "NCT07151326": "not_eligible",
    "NCT07493668": "not_eligible",
}


async def complete_interview(pilot: Any, answers: Any, size: tuple[int, int], click_every: int) -> dict[str, Any]:
    """Answer every question (checking the screen at each one); what the results screen shows."""
    app = pilot.app
    await settle(pilot)
    seen: dict[str, Any] = {"kinds": set(), "hints": [], "clipped": [], "asked": 0}
    while app.snapshot.question is not None:
        view = app.snapshot.question
        seen["kinds"].add(view.kind)
        seen["hints"].append(str(app.screen.query_one("#hint").render()))
        seen["clipped"] += [
            (view.link_id, str(b.label)) for b in app.screen.query(Button) if b.display and not button_fits(app, b)
        ]
        raw = answers(app.session, app.session.bank[view.link_id])
        seen["asked"] += 1
        await give(pilot, raw, click_it=seen["asked"] % click_every == 0)
    await settle(pilot)
    assert isinstance(app.screen, ResultsScreen)
    cards = list(app.screen.query(TrialCard))
    seen["shown"] = {card.result.nct_id: card.result.verdict for card in cards}
    seen["cards"] = "\n".join(card.text() for card in cards)
    seen["screen"] = screen_text(app)
    seen["panel"] = app.interview.query_one(TrialStates).text()
    seen["verdicts"] = app.session.verdicts()
    seen["history"] = list(app.session.history)
    return seen


def contact_lines(nct_id: str) -> list[str]:
    """Every reachable person of the trial: name, phone numbers (international form) and e-mails."""
    from matcher.contacts import trial_people

    trial = next(c.trial for c in matcher().trials if c.trial.nct_id == nct_id)
    people = [p for p in trial_people(trial) if p.reachable]
    return (
        [p.name for p in people]
        + [ph.text() for p in people for ph in p.phones]
        + [e for p in people for e in p.emails]
    )


def test_patient_interview_at_80x24_gives_the_documented_verdicts_with_contacts_on_the_results_screen() -> None:
    answers = profile_answers(
        EXAMPLES / "patient_at_home.yaml",
        line1_drugs="lenvatanib + sintilimab",  # misspelt as the patient wrote it: "Did you mean" is confirmed
        hcc_diagnosis_basis="imaging, histology",  # ticked in a list
    )
    reference = headless(answers)

    async def body() -> dict[str, Any]:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            return await complete_interview(pilot, answers, (80, 24), click_every=3)

    seen = run(body)
    assert (seen["verdicts"], seen["shown"], seen["history"]) == (AT_HOME, AT_HOME, reference.history)
    kinds = seen["kinds"]  # typed, chosen from a list, ticked, pressed
    assert "boolean" in kinds and kinds & {"number", "date", "regimen"} and kinds & {"choice", "integer", "set"}
    assert seen["clipped"] == []
    assert "? POSSIBLY ELIGIBLE  NCT0" in seen["screen"]
    for nct_id in ("NCT05831969", "NCT06592612"):
        assert all(line in seen["cards"] for line in contact_lines(nct_id)), nct_id
    # patient wording: reasons and the panel without criterion numbers
    assert "Why not eligible:\n  ✗ Inclusion" not in seen["cards"]
    assert "? possibly eligible" in seen["panel"] and "    Inclusion" not in seen["panel"]


def test_nurse_interview_at_120x40_shows_criterion_numbers_and_the_documented_verdicts() -> None:
    answers = profile_answers(EXAMPLES / "blood_pressure_too_high.yaml")
    reference = headless(answers, "nurse")

    async def body() -> dict[str, Any]:
        app = make_app("nurse")
        async with app.run_test(size=(120, 40)) as pilot:
            return await complete_interview(pilot, answers, (120, 40), click_every=2)

    seen = run(body)
    assert (seen["verdicts"], seen["shown"], seen["history"]) == (BLOOD_PRESSURE, BLOOD_PRESSURE, reference.history)
    assert seen["clipped"] == []
    assert any("Bears on: NCT" in hint and ("Inclusion" in hint or "Exclusion" in hint) for hint in seen["hints"])
    assert "✗ Exclusion" in seen["cards"] or "✗ Inclusion" in seen["cards"]
    assert "✗ not eligible\n  NCT05831969\n    Exclusion" in seen["panel"]
    assert all(line in seen["cards"] for line in contact_lines("NCT06592612"))
