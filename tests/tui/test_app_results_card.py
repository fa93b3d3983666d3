"""The results card at 80×24 in every language: the record's status, the warning when it may be out
of date, and the next step come first, visible without scrolling; the QR code to take away reads
back to its text, as a phone's camera would read it off the screen."""

from __future__ import annotations

from typing import Any

import pytest
import segno
import zxingcpp
from tui_helpers import make_app, run, screen_lines, settle, until

from trials.i18n import LOCALES
from tui.screens.results import ResultsScreen
from tui.screens.take_away import TakeAwayScreen
from tui.widgets.qr_code import QUIET_ZONE, make_code, matrix, modules_from_half_blocks
from tui.widgets.trial_card import TrialCard, plain_lines


async def _results(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("f4")  # results before any answer: every trial possibly eligible
    await until(pilot, lambda: isinstance(pilot.app.screen, ResultsScreen))
    await settle(pilot)


@pytest.mark.parametrize("locale", LOCALES)
def test_status_warning_and_next_step_of_the_first_card_show_without_scrolling(locale: str) -> None:
    async def body() -> tuple[str, list[str]]:
        app = make_app("patient", locale=locale)
        async with app.run_test(size=(80, 24)) as pilot:
            await _results(pilot)
            card = app.screen.query(TrialCard).first()
            head = [plain_lines([line]) for line in card.lines()[1:5]]  # status, warning, next step, how
            return "".join(screen_lines(app)).replace(" ", ""), head

    screen, head = run(body)
    assert [line for line in head if line.replace(" ", "")[:16] not in screen] == []


def test_the_card_puts_the_next_step_before_what_the_trial_is() -> None:
    async def body() -> list[str]:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            await _results(pilot)
            card = app.screen.query_one("#card-NCT05831969", TrialCard)
            return card.text().splitlines()

    lines = run(body)
    assert lines[1:5] == [
        "Not yet recruiting — expected to start June 2023; record last updated 2023-03-01",
        "⚠ This record may be out of date: check clinicaltrials.gov/study/NCT05831969 or ask the contact.",
        "Next step: Contact Jianhui Jia, M.B, the study's contact person:",
        "  - Phone: +86 189 0091 7100",
    ]


def _read(lines: list[str]) -> str:
    """What a phone's camera reads from the drawn code (zxing-cpp, from an image of the modules)."""
    modules = modules_from_half_blocks(lines)
    scale = 4
    size = len(modules) * scale

    class Image:
        __array_interface__ = {
            "shape": (size, len(modules[0]) * scale),
            "typestr": "|u1",
            "data": bytes(
                0 if modules[y // scale][x // scale] else 255
                for y in range(size)
                for x in range(len(modules[0]) * scale)
            ),
            "version": 3,
        }

    found = zxingcpp.read_barcodes(Image())
    return found[0].text if found else ""


@pytest.mark.parametrize("locale", ["en", "zh-Hant"])
def test_the_qr_code_on_screen_reads_back_to_the_trial_title_and_contacts(locale: str) -> None:
    async def body() -> tuple[str, list[str], bool]:
        app = make_app("kiosk", pin="2468", idle_seconds=600, locale=locale)
        async with app.run_test(size=(80, 24)) as pilot:
            await _results(pilot)
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, TakeAwayScreen))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TakeAwayScreen)
            text = screen.code_text()
            size = len(matrix(make_code(text)))
            drawn = [line[:size].ljust(size) for line in screen_lines(app)[: (size + 1) // 2]]
            same = modules_from_half_blocks(drawn)[:size] == matrix(make_code(text))
            return text, drawn, same

    text, drawn, same = run(body)
    assert same  # the screen shows segno's own matrix, quiet zone included
    assert _read(drawn) == text and text.startswith("NCT") and "\n" in text


def test_the_qr_code_holds_the_contact_in_international_form() -> None:
    async def body() -> list[str]:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            await _results(pilot)
            screen = app.screen
            assert isinstance(screen, ResultsScreen)
            return screen.take_away_texts()

    texts = run(body)
    assert any(
        t.startswith("NCT05831969: ") and "Jianhui Jia, M.B +86 189 0091 7100 xbl007jjh@163.com" in t for t in texts
    )


def test_a_long_text_is_shortened_to_fit_the_largest_code_80x24_can_show() -> None:
    from tui.widgets.qr_code import MAX_VERSION, fit_text

    text = fit_text("NCT00000000: " + "a very long title " * 20, ["Someone +82 31-780-3928 someone@example.org"])
    code = segno.make(text, error="l", micro=False, boost_error=False)
    assert code.version <= MAX_VERSION and text.endswith("someone@example.org") and "…" in text
    assert (len(matrix(code)) + 1) // 2 <= 23 and QUIET_ZONE == 2


def test_a_saved_summary_is_owner_only_has_the_country_and_is_replaced_only_when_asked_twice(tmp_path: Any) -> None:
    import stat

    from textual.widgets import Input, Static

    from tui.screens.dialogs import ExportScreen

    target = tmp_path / "private" / "summary.md"

    async def save(pilot: Any, presses: int) -> str:
        app = pilot.app
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-path", Input).value = str(target)
        message = ""
        for _ in range(presses):
            await pilot.press("enter")
            await pilot.pause()
            if isinstance(app.screen, ExportScreen):
                message = str(app.screen.query_one("#export-message", Static).render())
        await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        return message

    async def body() -> dict[str, Any]:
        app = make_app("patient", export_dir=tmp_path, country="Taiwan")
        async with app.run_test(size=(80, 24)) as pilot:
            await _results(pilot)
            await save(pilot, 1)
            first = target.read_text(encoding="utf-8")
            target.write_text("an older summary", encoding="utf-8")
            asked = await save(pilot, 2)
            return {"first": first, "asked": asked, "mode": stat.S_IMODE(target.stat().st_mode)}

    seen = run(body)
    assert "- Your country: Taiwan" in seen["first"] and "Next step:" in seen["first"]
    assert seen["asked"].startswith(f"⚠ {target} already exists") and seen["mode"] == 0o600
    assert target.read_text(encoding="utf-8") != "an older summary"  # replaced on the second Save
