"""Patients in their own language: every text in every locale, typed answers in local words,
local drug names, reasons translated beside the English criterion quotes, and the same verdicts
whatever the language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import AS_OF, bundled_matcher
from test_prompt import run_prompt
from test_session import COMPLETE

from matcher.drugs import load_drug_vocabulary
from matcher.locale import t as matcher_t
from matcher.profile import load_profile
from questionnaires.bank import load_bank
from questionnaires.session import Session
from questionnaires.texts import TEXTS, t
from questionnaires.typed_words import normalise
from trials.i18n import LOCALES, compare, format_date, load_glossary, resolve_locale
from tui.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OTHERS = [locale for locale in LOCALES if locale != "en"]
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def first_word(key: str, locale: str) -> str:
    """The first local word a person would type for ``input.<key>``."""
    return TEXTS.texts(locale)[f"input.{key}"].split(",")[0].strip()


def typed_locally(value: str, locale: str) -> str:
    """An English-form answer as a speaker of the locale would type it."""
    words = {"yes": "yes", "no": "no", "never": "never", "none": "never", "?": "dont_know"}
    if value in words:
        return first_word(words[value], locale)
    date = ISO_DATE.match(value)
    if date:
        return format_date(dt.date(*(int(p) for p in date.groups())), locale)
    return value


def test_every_patient_facing_text_is_translated_consistently(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-cache", "check"]) == 0, capsys.readouterr().out


def test_the_consistency_check_catches_a_changed_placeholder_figure_or_glossary_term() -> None:
    glossary = load_glossary("ko")
    term, rendering = next(iter(glossary.terms.items()))
    english = {"a": "Platelets at least {value} × 10⁹/L", "b": f"The {term} is checked"}
    good = {"a": "혈소판 {value} × 10⁹/L 이상", "b": f"{rendering} 확인"}
    assert compare(english, good, "ko", "x") == []
    bad = {"a": "혈소판 {amount} × ⁹/L 이상", "b": "확인"}
    problems = compare(english, bad, "ko", "x")
    assert any("placeholders" in p for p in problems)
    assert any("figures ['10']" in p for p in problems)
    assert any(f"{term!r} should be rendered" in p for p in problems)


@pytest.mark.parametrize(
    "code, locale", [("ko_KR.UTF-8", "ko"), ("zh-TW", "zh-Hant"), ("zh_CN", "zh-Hans"), ("en-GB", "en")]
)
def test_language_codes(code: str, locale: str) -> None:
    assert resolve_locale(code) == locale


def test_an_unknown_language_is_refused_with_what_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "facts"]) == 2
    assert "choose one of en, ko, zh-Hans, zh-Hant" in capsys.readouterr().err


@pytest.mark.parametrize("locale", OTHERS)
def test_local_words_dates_and_units_are_read(locale: str) -> None:
    assert normalise(first_word("yes", locale), locale) == "yes"
    assert normalise(first_word("no", locale), locale) == "no"
    assert normalise(first_word("dont_know", locale), locale) == "?"
    assert normalise(format_date(dt.date(2024, 3, 14), locale), locale) == "2024-03-14"
    three_months = f"3{first_word('months', locale)}{first_word('ago_after', locale)}"
    assert normalise(three_months, locale) == "about 3 months ago"
    assert normalise("７２ kg", locale) == "72 kg"  # full-width digits


@pytest.mark.parametrize("locale", OTHERS)
def test_every_local_drug_name_is_recognised_as_its_drug(locale: str) -> None:
    drugs = load_drug_vocabulary()
    for drug_id, names in load_glossary(locale).drugs.items():
        for name in names:
            assert drugs.recognise(name).drug_ids == [drug_id], (locale, name)


@pytest.mark.parametrize("locale", OTHERS)
def test_a_complete_interview_in_the_prompt_in_local_words_gives_the_english_verdicts(locale: str) -> None:
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, locale=locale)
    confirm_tail = t("answers.is_that_right", locale, parts="").strip()
    shown: list[str] = []

    def read(prompt: str) -> str:
        if len(shown) > 2000:
            raise EOFError
        if shown and shown[-1].endswith(confirm_tail):
            return first_word("yes", locale)
        if not session.country_asked:
            return "2"
        question = session.question
        assert question is not None
        return typed_locally(COMPLETE.get(question.linkId, "?"), locale)

    assert run_prompt(session, read, shown.append)
    profile = load_profile(EXAMPLES / "second_line_after_atezo_bev.yaml")
    assert session.verdicts() == {r.nct_id: r.verdict for r in bundled_matcher().match(profile)}
    english = [t("prompt.commands"), t("prompt.country_question"), "Question ", "Please "]
    assert [line for line in shown if any(e in line for e in english)] == []
    assert session.country == "South Korea"


@pytest.mark.parametrize("locale", OTHERS)
def test_reasons_are_translated_and_quote_the_registry_in_english(locale: str) -> None:
    profile = load_profile(EXAMPLES / "patient_at_home.yaml")
    english = {r.nct_id: r for r in bundled_matcher().match(profile)}
    local = {r.nct_id: r for r in bundled_matcher().match(profile, locale)}
    assert {n: r.verdict for n, r in local.items()} == {n: r.verdict for n, r in english.items()}
    for nct_id, result in local.items():
        for mine, theirs in zip(
            result.unknown + result.failed, english[nct_id].unknown + english[nct_id].failed, strict=True
        ):
            assert mine.text == theirs.text and mine.criterion_text == theirs.criterion_text  # quotes stay English
            assert mine.reason != theirs.reason and mine.plain != theirs.plain  # the reason is translated
        assert result.title != english[nct_id].title


def test_switching_language_keeps_every_answer_and_shows_them_in_the_new_one() -> None:
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF)
    for _ in range(6):
        question = session.question
        assert question is not None
        session.answer(COMPLETE.get(question.linkId, "?"))
    before = {k: a.value for k, a in session.answers.items()}
    next_question = session.question
    session.set_locale("zh-Hant")
    assert {k: a.value for k, a in session.answers.items()} == before
    assert session.question is not None and next_question is not None
    assert session.question.linkId == next_question.linkId
    assert session.text(session.question) != next_question.patient.text
    shown = [turn.answer for turn in session.transcript()]
    assert "yes" not in shown and "I don't know" not in shown
    assert matcher_t("value.yes", "zh-Hant") in shown  # the first answer, "yes", in the new language


def test_a_pending_did_you_mean_is_asked_again_in_the_new_language() -> None:
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF)
    session.answer("yes")
    while session.question is not None and session.question.linkId != "line1_drugs":
        session.dont_know()
    outcome = session.answer("lenvatanib")
    assert outcome.confirm is not None and session.confirmation == outcome.confirm
    session.set_locale("ko")
    assert session.confirmation is not None and session.confirmation != outcome.confirm
    assert "렌바티닙" in session.confirmation
    assert session.answer("예").accepted
    assert session.answers["line1_drugs"].value.names == ("lenvatinib",)


def test_a_check_awaiting_review_shows_its_english_not_an_older_translation() -> None:
    from trials.loader import catalogue_directory, load_catalogue
    from trials.schema import Trial
    from trials.translations import TrialTexts

    folder = catalogue_directory()
    trial = next(t for t in load_catalogue(folder).trials if t.nct_id == "NCT06762782")
    reviewed = TrialTexts(trial, folder, "ko")
    english_plain = trial.eligibility.inclusion[1].checks[0].plain
    assert reviewed.check("inclusion", "2.1", "x") != "x"
    data = trial.model_dump(mode="json", exclude_none=True)
    data["eligibility"]["inclusion"][1]["checks"][0]["status"] = "draft"  # a re-import changed its text
    drafted = TrialTexts(Trial.model_validate(data), folder, "ko")
    assert drafted.check("inclusion", "2.1", english_plain) == english_plain
    assert drafted.get("title", "x") == reviewed.get("title", "x") != "x"  # the rest stays translated
