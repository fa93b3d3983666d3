"""Replies typed the way a Korean, mainland Chinese or Taiwanese patient types them are read as meant
(issue 16; the findings of ../shared/reviews/translation-review-ko.md and translation-review-zh.md)."""

from __future__ import annotations

import pytest
from conftest import AS_OF, bundled_matcher

from matcher.drugs import load_drug_vocabulary
from questionnaires.bank import QuestionBank, load_bank
from questionnaires.coverage import never_meaning_problems
from questionnaires.session import Session

# Drug lists joined the way people join them in each language: every name is kept.
JOINED = [
    ("티쎈트릭과 아바스틴", ["atezolizumab", "bevacizumab"]),
    ("렌비마와 키트루다", ["lenvatinib", "pembrolizumab"]),
    ("아테졸리주맙과 베바시주맙", ["atezolizumab", "bevacizumab"]),
    ("임핀지하고 임주도", ["durvalumab", "tremelimumab"]),
    ("티쎈트릭이랑 아바스틴", ["atezolizumab", "bevacizumab"]),
    ("옵디보랑 여보이", ["nivolumab", "ipilimumab"]),
    ("티쎈트릭 및 아바스틴", ["atezolizumab", "bevacizumab"]),
    ("泰圣奇和安维汀", ["atezolizumab", "bevacizumab"]),
    ("泰圣奇及安维汀", ["atezolizumab", "bevacizumab"]),
    ("癌自禦與癌思停", ["atezolizumab", "bevacizumab"]),
    ("癌自禦跟癌思停", ["atezolizumab", "bevacizumab"]),
    ("泰圣奇加安维汀", ["atezolizumab", "bevacizumab"]),
    ("英飞凡、替西木单抗", ["durvalumab", "tremelimumab"]),
]


def session_at(link_id: str, locale: str) -> Session:
    """A patient session in ``locale`` at question ``link_id``, every earlier question "I don't know"
    (the first, any treatment?, answered yes)."""
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, locale=locale)
    session.answer("yes")
    while session.question is not None and session.question.linkId != link_id:
        session.dont_know()
    assert session.question is not None, link_id
    return session


@pytest.mark.parametrize("typed, drug_ids", JOINED)
def test_every_name_of_a_locally_joined_list_is_kept(typed: str, drug_ids: list[str]) -> None:
    assert load_drug_vocabulary().recognise(typed).drug_ids == drug_ids


def test_a_misspelt_name_beside_a_known_one_is_asked_about_not_dropped() -> None:
    drugs = load_drug_vocabulary()
    close = drugs.recognise("Tecentrik Avastin")
    unknown = drugs.recognise("티쎈트리크 아바스틴")
    assert [(m.drug_id, m.exact) for m in close.matches if m.drug_id == "atezolizumab"] == [("atezolizumab", False)]
    assert [u.typed for u in unknown.unrecognised] == ["티쎈트리크"]


def test_korean_m1_the_suggested_example_keeps_both_drugs_of_the_first_line() -> None:
    session = session_at("line1_drugs", "ko")
    session.answer("티쎈트릭과 아바스틴")
    assert session.answers["line1_drugs"].value.names == ("atezolizumab", "bevacizumab")


def test_check_fails_when_a_yes_no_question_does_not_say_what_never_had_it_means() -> None:
    bank = load_bank()
    questions = [
        q.model_copy(update={"never_means": None}) if q.linkId == "hbv_infection" else q
        for q in bank.questions.values()
    ]
    vocabulary = bundled_matcher().vocabulary
    assert never_meaning_problems(vocabulary, bank) == []
    assert never_meaning_problems(vocabulary, QuestionBank(questions)) == [
        "question 'hbv_infection' is a yes/no question but does not say what 'I never had it' means "
        '(never_means: "yes", "no" or "ask")'
    ]
