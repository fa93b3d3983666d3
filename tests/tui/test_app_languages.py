"""The app in English, Korean, Simplified and Traditional Chinese: chosen on the first screen, changed
at any time with F8 (every answer kept), and every screen in the chosen language at 80×24 without
an English sentence except the registry's criterion quotes (labelled so) and names of places and
people."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Button, Input, Static
from textual.widgets._footer import FooterKey
from tui_helpers import (
    AS_OF,
    EXAMPLES,
    button_fits,
    give,
    headless,
    interview,
    make_app,
    matcher,
    overflowing,
    press,
    profile_answers,
    run,
    screen_lines,
    screen_text,
    settle,
    until,
    wait_for,
)

from questionnaires.session import Session
from questionnaires.summary import verdict_mark
from questionnaires.texts import TEXTS as INTERVIEW_TEXTS
from trials.i18n import LOCALE_NAMES, LOCALES, catalog_problems, placeholders
from tui.screens.dialogs import ExportScreen, LanguageScreen
from tui.screens.interview import InterviewScreen
from tui.screens.results import ResultsScreen
from tui.screens.welcome import WelcomeScreen
from tui.texts import TEXTS, t
from tui.widgets.transcript import Transcript
from tui.widgets.trial_card import TrialCard, criteria_lines, render_lines
from tui.widgets.trial_states import TrialStates

AT_HOME = {
    "NCT05831969": "possibly_eligible",
    "NCT06592612": "possibly_eligible",
    "NCT06762782": "not_eligible",
    "NCT07151326": "not_eligible",
    "NCT07493668": "not_eligible",
}
PANEL_INSIDE = 22  # columns inside the side panel at 80×24 with large text (25, less border and scrollbar)
KEY_OF = {locale: str(n) for n, locale in enumerate(LOCALES, 1)}  # the digit that chooses each language
ENGLISH_WORDS = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ ,][A-Za-z][A-Za-z'’]*){3,}")  # four English words in a row


def english_fragments() -> list[str]:
    """The app's English texts, cut at their placeholders: the pieces that would betray an untranslated text."""
    pieces: set[str] = set()
    for text in TEXTS.texts("en").values():
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" —:;,.()\n")
            if len(piece) >= 6 and " " in piece and piece not in ("Trial Matcher",):
                pieces.add(piece)
    return sorted(pieces)


def english_in(text: str) -> list[str]:
    """English app texts (or the interview's English verdict words) found in ``text``."""
    found = [piece for piece in english_fragments() if piece in text]
    found += [mark for mark in (verdict_mark(v) for v in AT_HOME.values()) if mark in text]
    return found


def panel_fits(app: Any) -> list[str]:
    """Side-panel lines wider than the panel's inside (they would be cut off)."""
    panel = app.screen.query_one(TrialStates)
    width = panel.scrollable_content_region.width
    return [line for line in panel.text().splitlines() if cell_len(line) > width]


def keys_fit(app: Any) -> list[str]:
    """Key-bar entries that reach past the screen's right edge."""
    width = app.size[0]
    return [key.description for key in app.screen.query(FooterKey) if key.region.right > width]


def cards_cut(app: Any) -> list[str]:
    """Cards whose text, drawn at the card's width, loses characters (cut off with "…" or cropped)."""
    out = []
    for card in app.screen.query(TrialCard):
        width = card.query_one(".summary").content_region.width
        shown = [(card.lines(), card.text())]
        if card.query_one(".criteria").display:
            shown.append((criteria_lines(card.result, card.trial, card.locale), card.criteria_text()))
        for lines, source in shown:
            console = Console(width=width, record=True, file=io.StringIO())
            console.print(render_lines(lines))
            drawn = console.export_text()
            if re.sub(r"\s+", "", drawn) != re.sub(r"\s+", "", source):
                out.append(f"card: {card.trial.nct_id}")
            out += [f"card line: {line}" for line in drawn.splitlines() if cell_len(line) > width]
    return out


def clipped(app: Any) -> list[str]:
    """Everything that does not fit on screen: text runs, buttons, key-bar entries, panel lines, the title."""
    out = [f"text: {t}" for t in overflowing(app)]
    out += [f"button: {b.label}" for b in app.screen.query(Button) if b.display and not button_fits(app, b)]
    out += [f"key: {k}" for k in keys_fit(app)]
    if isinstance(app.screen, ResultsScreen):
        out += cards_cut(app)
    if isinstance(app.screen, InterviewScreen):
        out += [f"panel: {line}" for line in panel_fits(app)]
        title = app.screen.query_one("#title", Static)
        if cell_len(str(title.render())) > title.content_region.width:
            out.append(f"title: {title.render()}")
    return out


async def first_screen(pilot: Any) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen), timeout=15)


async def shows(pilot: Any, text: str) -> str:
    """Wait until ``text`` is on screen (a screen just pushed is drawn a little later); the screen."""
    try:
        await wait_for(pilot, lambda: text in screen_text(pilot.app), timeout=15)
    except AssertionError:
        raise AssertionError(f"{text!r} not on screen:\n{screen_text(pilot.app)}\nscreen={pilot.app.screen}") from None
    return screen_text(pilot.app)


def test_every_app_text_exists_in_every_language_with_the_same_placeholders() -> None:
    assert catalog_problems(TEXTS) == []
    english = TEXTS.texts("en")
    for locale in LOCALES:
        texts = TEXTS.texts(locale)
        assert set(texts) == set(english), locale
        assert all(placeholders(texts[k]) == placeholders(english[k]) for k in english), locale
    # short enough for 80 columns: the title bar (beside the kiosk's button), the side panel's lines
    for locale in LOCALES:
        assert all(cell_len(t(f"app.title.{mode}", locale)) <= 64 for mode in ("patient", "nurse", "kiosk")), locale
        panel = [f" ✓ 9 {t(f'panel.state.{s}', locale)}" for s in ("eligible", "possibly_eligible", "open")]
        panel += [f"✗ {t('panel.state.not_eligible', locale)}", t("panel.trials", locale, count=9999)]
        panel += t("panel.progress", locale, answered=99, remaining=999).splitlines()
        panel += t("panel.all_done", locale, answered=999).splitlines()
        panel += t("panel.getting_ready", locale).splitlines()
        assert [line for line in panel if cell_len(line) > PANEL_INSIDE] == [], locale
    # every key the app binds is named in the texts (the key bar names keys by binding id)
    app = make_app()
    ids = {b.id for b in app.BINDINGS if hasattr(b, "id") and b.id and b.description}  # type: ignore[union-attr]
    assert ids <= {k.removeprefix("keys.") for k in english if k.startswith("keys.")}


def test_korean_from_the_first_screen_to_the_exported_summary_through_the_widgets(tmp_path: Path) -> None:
    answers = profile_answers(
        EXAMPLES / "patient_at_home.yaml",
        line1_drugs="lenvatanib + sintilimab",  # misspelt: "Did you mean" is confirmed (in Korean)
        hcc_diagnosis_basis="imaging, histology",  # ticked in a list
    )
    english = headless(answers)
    korean = Session(matcher(), "patient", as_of=AS_OF, locale="ko")
    screens: list[str] = []

    def answer_and_look(session: Session, question: Any) -> str | None:
        screens.append(screen_text(app))  # the question on screen, before it is answered
        return answers(session, question)

    app = make_app("patient", export_dir=tmp_path)
    target = tmp_path / "요약.md"

    async def body() -> dict[str, Any]:
        async with app.run_test(size=(80, 24)) as pilot:
            await first_screen(pilot)
            language_step = await shows(pilot, "4. 繁體中文")
            await pilot.press(KEY_OF["ko"])
            country_step = await shows(pilot, "4. 다른 나라")
            await pilot.press("2")  # 대한민국
            asked = await interview(pilot, answer_and_look, click_every=4)
            assert isinstance(app.screen, ResultsScreen)
            cards = list(app.screen.query(TrialCard))
            results_screen = await shows(pilot, "f8 언어")
            await pilot.press("c")  # the criteria: the registry's English, labelled in Korean
            await settle(pilot)
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, ExportScreen))
            export_dialog = (screen_text(app), clipped(app))
            app.screen.query_one("#export-path", Input).value = str(target)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            return {
                "export_dialog": export_dialog,
                "saved": str(app.screen.query_one("#saved", Static).render()),
                "language_step": language_step,
                "country_step": country_step,
                "asked": asked,
                "locale": (app.locale, app.session.locale, app.screen.locale),
                "country": app.session.country,
                "verdicts": {card.result.nct_id: card.result.verdict for card in cards},
                "history": list(app.session.history),
                "cards": "\n".join(card.text() for card in cards),
                "criteria": cards[0].criteria_text(),
                "first_trial": cards[0].trial,
                "results_screen": results_screen,
                "clipped": clipped(app),
                "transcript": app.interview.query_one(Transcript).text(),
            }

    seen = run(body)
    for _ in range(400):  # the same interview without the app, in Korean
        question = korean.question
        if question is None:
            break
        raw = answers(korean, question)
        outcome = korean.dont_know() if raw is None else korean.answer(raw)
        if outcome.confirm:
            korean.answer("yes")
    assert all(name in seen["language_step"] for name in LOCALE_NAMES.values())
    assert "어느 나라에 사세요?" in seen["country_step"] and "2. 대한민국" in seen["country_step"]
    assert english_in(seen["country_step"]) == []
    assert seen["locale"] == ("ko", "ko", "ko") and seen["country"] == "South Korea"
    # the same verdicts and the same questions as in English and in a Korean session without the app
    assert seen["verdicts"] == AT_HOME == {r.nct_id: r.verdict for r in korean.results()}
    assert seen["history"] == english.history == korean.history and seen["asked"] == len(english.history)
    # no English sentence on any interview screen (names of trials and drugs are not sentences)
    assert len(screens) == seen["asked"]
    for screen in screens:
        assert english_in(screen) == [], screen
        assert ENGLISH_WORDS.findall(screen) == [], screen
    assert "질문 1:" in screens[0] and "모르겠어요" in screens[0] and "f8 언어" in screens[0]
    # the results: Korean verdicts, headings and the trials' own texts; English only in quotes
    assert "? 참여 가능성 있음" in seen["results_screen"] and "2026년 11월 22일" in seen["results_screen"]
    assert english_in(seen["results_screen"]) == [] and english_in(seen["cards"]) == []
    assert "담당 의료진과 확인할 사항:" in seen["cards"] and "참여하면 하게 되는 일:" in seen["cards"]
    for card_trial in (c.trial for c in matcher().trials):
        assert card_trial.plain_summary not in seen["cards"]  # translated
    assert "등록 원문(영어): " in seen["criteria"]
    quoted = [c.text for c in seen["first_trial"].eligibility.inclusion if c.text in seen["criteria"]]
    assert quoted and all(f"등록 원문(영어): {text}" in seen["criteria"] for text in quoted)
    assert "나: 예" in seen["transcript"]
    assert seen["clipped"] == []
    # nothing of the English results: reasons, titles, summaries
    english_results = english.results()
    assert [o.reason for r in english_results for o in r.failed + r.unknown if o.reason in seen["cards"]] == []
    assert [r.title for r in english_results if r.title in seen["cards"]] == []
    # the summary saved, in Korean: headings, answers as given, verdicts; criteria quoted, labelled
    dialog, dialog_clipped = seen["export_dialog"]
    assert "요약을 저장해요" in dialog and english_in(dialog) == [] and dialog_clipped == []
    assert seen["saved"] == f"저장됨: {target}"
    summary = target.read_text(encoding="utf-8")
    assert "## 내 답변" in summary and "— 예" in summary and "? 참여 가능성 있음" in summary
    assert "> 등록 원문(영어): " in summary and english_in(summary) == []


def test_changing_the_language_mid_interview_keeps_every_answer_and_the_next_question() -> None:
    told: list[str] = []

    async def body() -> dict[str, Any]:
        app = make_app("patient")
        notify = app.notify
        app.notify = lambda message, **kw: told.append(message) or notify(message, **kw)  # type: ignore[method-assign]
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)  # the first screen skipped: English
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            for _ in range(30):  # "I don't know" until the first treatment's medicines are asked
                if app.snapshot.question.link_id == "line1_drugs":
                    break
                await press(pilot, "f2")
            await press(pilot, *"lenvatnib", "enter")  # "Did you mean lenvatinib?" asked in English
            before = {
                "answers": {k: a.value for k, a in app.session.answers.items()},
                "history": list(app.session.history),
                "question": app.snapshot.question.link_id,
                "confirm": app.snapshot.confirm,
            }
            await pilot.press("f8")
            await until(pilot, lambda: isinstance(app.screen, LanguageScreen))
            dialog = await shows(pilot, "4. 繁體中文")
            await pilot.press(KEY_OF["zh-Hant"])
            await until(pilot, lambda: app.session.locale == "zh-Hant" and isinstance(app.screen, InterviewScreen))
            await shows(pilot, "f8 語言")
            after = {
                "answers": {k: a.value for k, a in app.session.answers.items()},
                "history": list(app.session.history),
                "question": app.snapshot.question.link_id,
                "confirm": app.snapshot.confirm,
                "screen": screen_text(app),
                "clipped": clipped(app),
                "question_text": app.snapshot.question.text,
                "bank_text": app.session.text(app.session.bank[app.snapshot.question.link_id]),
            }
            await pilot.press("ctrl+c")  # Textual's "press ctrl+q to quit", in the app's language
            await wait_for(pilot, lambda: bool(told))
            await give(pilot, "yes")  # the confirmation, now in Traditional Chinese
            confirmed = app.session.answers["line1_drugs"].shown
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            results_before = app.screen.query_one(TrialCard).text()
            await pilot.press("f8")
            await until(pilot, lambda: isinstance(app.screen, LanguageScreen))
            await pilot.press(KEY_OF["ko"])
            await until(
                pilot,
                lambda: isinstance(app.screen, ResultsScreen) and app.screen.locale == "ko" and not app.busy,
            )
            await settle(pilot)
            results_after = app.screen.query_one(TrialCard).text()
            results_screen = await shows(pilot, "f8 언어")
            await pilot.press("escape")  # back to the interview: in Korean too
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            await settle(pilot)
            await shows(pilot, "f8 언어")
            return {
                "before": before,
                "dialog": dialog,
                "after": after,
                "confirmed": confirmed,
                "results": (results_before, results_after, results_screen),
                "interview": screen_text(app),
                "answers_at_end": set(app.session.answers),
            }

    seen = run(body)
    before, after = seen["before"], seen["after"]
    assert all(f"{n}. {name}" in seen["dialog"] for n, name in zip("1234", LOCALE_NAMES.values(), strict=True))
    assert (after["answers"], after["history"], after["question"]) == (
        before["answers"],
        before["history"],
        before["question"],
    )
    # the pending "did you mean" is asked again in the new language; the question is the localized bank's
    assert before["confirm"] and after["confirm"] and after["confirm"] != before["confirm"]
    assert "樂衛瑪" in after["confirm"] and after["question_text"] == after["bank_text"]
    assert english_in(after["screen"]) == [] and after["clipped"] == []
    assert "f8 語言" in after["screen"] and "尚未確定" in after["screen"] and "不知道" in after["screen"]
    assert seen["confirmed"] == "樂衛瑪" and told == ["按 ctrl+q 結束程式。"]
    results_before, results_after, results_screen = seen["results"]
    assert "符合資格" in results_before or "可能符合" in results_before
    assert "참여" in results_after and english_in(results_screen) == []
    assert "f8 언어" in seen["interview"] and "임상시험" in seen["interview"]
    # every answer given before the switches, and the confirmed medicines: nothing lost, nothing added
    assert seen["answers_at_end"] == set(before["answers"]) | {"line1_drugs"}
    assert {"treatment_any", "age"} <= seen["answers_at_end"]


def test_a_kiosk_reset_returns_to_the_language_step_and_a_given_language_skips_it() -> None:
    async def body() -> dict[str, Any]:
        app = make_app("kiosk", pin="2468", idle_seconds=600)
        async with app.run_test(size=(80, 24)) as pilot:
            await first_screen(pilot)
            await pilot.press(KEY_OF["zh-Hans"])
            chinese_country_step = await shows(pilot, "4. 其他国家或地区")
            await pilot.press("escape")
            await settle(pilot)
            await press(pilot, "y")
            await shows(pilot, "f8 语言")
            first_person = (app.locale, app.session.locale, set(app.session.answers), screen_text(app))
            app.reset_for_next_person()
            await first_screen(pilot)
            reset = (app.locale, app.screen.step, await shows(pilot, "4. 繁體中文"))
            await pilot.press(KEY_OF["ko"])
            await wait_for(pilot, lambda: bool(app.screen.query("#countries")))
            await pilot.press("2")
            await settle(pilot)
            second_person = (app.locale, app.session.locale, app.session.country, dict(app.session.answers))
        given = make_app("kiosk", pin="2468", idle_seconds=600, locale="zh-Hant")
        async with given.run_test(size=(80, 24)) as pilot:
            await first_screen(pilot)
            given_step = (given.screen.step, await shows(pilot, "4. 其他國家"))
            await settle(pilot)
            given_session = given.session.locale
        return {
            "chinese": chinese_country_step,
            "first": first_person,
            "reset": reset,
            "second": second_person,
            "given": given_step,
            "given_session": given_session,
        }

    seen = run(body)
    assert "您住在哪个国家或地区？" in seen["chinese"] and english_in(seen["chinese"]) == []
    locale, session_locale, answers, screen = seen["first"]
    assert (locale, session_locale, answers) == ("zh-Hans", "zh-Hans", {"treatment_any"})
    assert "f8 语言" in screen and english_in(screen) == []
    locale, step, screen = seen["reset"]
    assert (locale, step) == ("en", "language") and all(name in screen for name in LOCALE_NAMES.values())
    assert seen["second"] == ("ko", "ko", "South Korea", {})
    step, screen = seen["given"]
    assert step == "country" and "您住在哪個國家？" in screen and "繁體中文" not in screen
    assert seen["given_session"] == "zh-Hant"


@pytest.mark.parametrize(
    ("mode", "locale"),
    [
        ("kiosk", "ko"),
        ("kiosk", "zh-Hant"),
        ("kiosk", "zh-Hans"),
        ("kiosk", "en"),
        ("nurse", "ko"),
        ("nurse", "zh-Hant"),
    ],
)
def test_every_screen_fits_80x24_in_each_language(mode: str, locale: str) -> None:
    async def body() -> dict[str, Any]:
        app = make_app(mode, pin="2468", idle_seconds=600, locale=locale)
        seen: dict[str, Any] = {}
        async with app.run_test(size=(80, 24)) as pilot:
            await first_screen(pilot)  # the country step, in the given language
            await shows(pilot, t("welcome.skip", locale))
            seen["welcome"] = (screen_lines(app), clipped(app))
            await settle(pilot)
            seen["first"] = (screen_lines(app), clipped(app))
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
            await shows(pilot, "4. 繁體中文")
            seen["language"] = (screen_lines(app), clipped(app))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            await pilot.press("f9")  # large text: bigger buttons
            await pilot.pause()
            seen["large"] = (screen_lines(app), clipped(app))
            await pilot.press("f9")
            await pilot.pause()
            await press(pilot, "y")
            await press(pilot, *"64", "enter")
            seen["regimen"] = (screen_lines(app), clipped(app))  # the longest question and control
            await pilot.press("f9")  # large text: the side panel is narrower
            await pilot.pause()
            seen["regimen_large"] = (screen_lines(app), clipped(app))
            await pilot.press("f9")
            await pilot.pause()
            await press(pilot, "f6", "up", "enter")  # changing an answer: the key bar's longest
            seen["changing"] = (screen_lines(app), clipped(app))
            await press(pilot, "escape")
            await pilot.press("f4")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
            seen["results"] = (screen_lines(app), clipped(app))
            await pilot.press("c")
            await settle(pilot)
            seen["criteria"] = (screen_lines(app), clipped(app))
            seen["cards"] = "\n".join(card.text() for card in app.screen.query(TrialCard))
        return seen

    seen = run(body)
    names = ("welcome", "first", "language", "large", "regimen", "regimen_large", "changing", "results", "criteria")
    for name in names:
        lines, problems = seen[name]
        assert problems == [], (name, problems)
        assert len(lines) == 24 and all(cell_len(line) <= 80 for line in lines), name
    results = "\n".join(seen["results"][0])
    mark = verdict_mark("possibly_eligible", locale)
    assert f"1. {mark}  NCT0" in results
    assert INTERVIEW_TEXTS.text("summary.disclaimer", locale)[:10] in results
    if locale != "en":
        assert english_in(results) == [] and english_in("\n".join(seen["criteria"][0])) == []


def test_languages_are_chosen_with_arrows_and_enter_or_with_the_mouse() -> None:
    async def body() -> tuple[str, str, str]:
        app = make_app("patient")
        async with app.run_test(size=(80, 24)) as pilot:
            await first_screen(pilot)
            await pilot.press("down", "down", "enter")  # English, 한국어, 简体中文
            await wait_for(pilot, lambda: bool(app.screen.query("#countries")))
            by_keys = app.locale
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
            await shows(pilot, "4. 繁體中文")
            languages = app.screen.query_one("#languages")
            row = next(n for n, line in enumerate(screen_lines(app)) if "4. 繁體中文" in line)
            await pilot.click(languages, offset=(6, row - languages.region.y))
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.session.locale == "zh-Hant")
            by_mouse = app.locale
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
            await pilot.press("escape")  # keeps the language
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            return by_keys, by_mouse, app.session.locale

    assert run(body) == ("zh-Hans", "zh-Hant", "zh-Hant")
