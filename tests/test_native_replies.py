"""Replies typed the way a Korean, mainland Chinese or Taiwanese patient types them are read as meant
(issue 16; the findings of ../shared/reviews/translation-review-ko.md and translation-review-zh.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from conftest import AS_OF, bundled_matcher
from test_session import COMPLETE

from matcher.drugs import load_drug_vocabulary
from questionnaires.answers import AnswerError, is_dont_know, parse_answer
from questionnaires.bank import QuestionBank, load_bank
from questionnaires.coverage import never_meaning_problems
from questionnaires.session import Session
from trials.i18n import format_date

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


# --- every yes/no question, as people answer it in each language --------------------------------

# Replies as people type them, by what they say. "never" is "I never had it / there is none";
# "has" is "there is / I have" (있어요, 有), a yes only where "never had it" is a no.
NATURAL: dict[str, dict[str, list[str]]] = {
    "en": {
        "yes": ["yes", "Yes.", "yeah", "y", "yes I have"],
        "no": ["no", "No.", "nope", "n"],
        "never": ["never", "none", "never had one", "I've never had one"],
        "has": ["I have one"],
        "dont_know": ["I don't know", "not sure", "?", "dont know"],
        "not_applicable": ["not applicable", "n/a", "doesn't apply"],
    },
    "ko": {
        "yes": ["네", "예", "네 맞아요", "맞아요", "넵", "네, 맞습니다"],
        "no": ["아니요", "아뇨", "아니에요", "아니요.", "아닙니다"],
        "never": ["없어요", "한 번도 없어요", "그런 적 없어요", "없었어요", "전혀 없어요"],
        "has": ["있어요", "있었어요", "있습니다"],
        "dont_know": ["모르겠어요", "잘 모르겠어요", "몰라요", "기억이 안 나요"],
        "not_applicable": ["해당 없음", "해당 안 돼요"],
    },
    "zh-Hans": {
        "yes": ["是", "是的", "对", "对的", "没错", "是啊"],
        "no": ["否", "不是", "没有", "没有。", "不"],
        "never": ["从来没有", "从未", "没做过", "无", "一次也没有"],
        "has": ["有", "有的", "有过"],
        "dont_know": ["不知道", "不清楚", "不记得了", "不确定"],
        "not_applicable": ["不适用", "与我无关"],
    },
    "zh-Hant": {
        "yes": ["是", "是的", "對", "沒錯", "對啊"],
        "no": ["否", "不是", "沒有", "不對", "沒有。"],
        "never": ["從來沒有", "從未", "沒做過", "無", "沒用過"],
        "has": ["有", "有的", "有過"],
        "dont_know": ["不知道", "不清楚", "不記得了", "不確定"],
        "not_applicable": ["不適用", "與我無關"],
    },
}
# "Never had one" said with the question's own words (수술 받은 적 없어요, 没做过手术, 無副作用).
NEVER_IN_WORDS: dict[str, dict[str, list[str]]] = {
    "recovered_from_surgery": {
        "ko": ["수술 받은 적 없어요", "수술한 적 없어요", "수술은 받은 적이 없어요"],
        "zh-Hans": ["没做过手术", "从没做过手术", "从来没做过手术"],
        "zh-Hant": ["沒動過手術", "從來沒動過手術", "沒做過手術"],
    },
    "prior_treatment_toxicity_resolved": {
        "ko": ["부작용 없었어요", "부작용이 없어요", "항암 치료 받은 적 없어요"],
        "en": ["no side effects", "never had side effects"],
        "zh-Hans": ["无副作用", "从来没有副作用", "没有过副作用", "没有副作用"],
        "zh-Hant": ["從來沒有副作用", "沒有過副作用", "無副作用", "沒有副作用"],
    },
    "prior_toxicity_nonsignificant_or_stable": {
        "ko": ["남은 부작용 없어요", "부작용 없어요", "부작용은 없어요"],
        "en": ["none left", "no side effects left"],
        "zh-Hans": ["都没有", "副作用都没有", "无副作用", "副作用都没了"],
        "zh-Hant": ["都沒有", "副作用都沒有", "無副作用", "副作用都沒了"],
    },
}
# Words that mean yes to one question only.
YES_IN_WORDS: dict[str, dict[str, list[str]]] = {
    "hbv_infection": {
        "en": ["carrier", "I'm a carrier", "hepatitis B carrier"],
        "ko": ["보균자예요", "B형 간염 보균자", "보균자입니다"],
        "zh-Hans": ["携带者", "乙肝携带者", "小三阳"],
        "zh-Hant": ["B肝帶原者", "帶原者", "我是帶原者"],
    }
}
LOCAL = ["ko", "zh-Hans", "zh-Hant"]
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
LANGUAGES = ["en", *LOCAL]


def yes_no_questions() -> list[str]:
    return [q.linkId for q in load_bank() if q.never_means is not None]


def reading(link_id: str, locale: str, typed: str) -> object:
    """What a reply to the question becomes: True, False, None (I don't know), or "asked again"
    (as the session reads it: "I don't know" first, then the answer reader)."""
    if is_dont_know(typed, locale):
        return None
    question = load_bank(locale=locale)[link_id]
    fact = bundled_matcher().vocabulary.facts.get(question.fact)
    try:
        return parse_answer(question, fact, typed, "patient", AS_OF, load_drug_vocabulary(), locale).value
    except AnswerError:
        return "asked again"


def expected(link_id: str, kind: str) -> object:
    """The answer a reply of this kind gives, as the question's help says."""
    never = load_bank()[link_id].never_means
    return {
        "yes": True,
        "no": False,
        "dont_know": None,
        "never": {"yes": True, "no": False}.get(str(never), "asked again"),
        "has": True if never == "no" else "asked again",
        "not_applicable": "asked again",
    }[kind]


def test_the_reply_reader_is_the_sessions() -> None:
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, locale="ko")
    session.change("recovered_from_surgery", "수술 받은 적 없어요")
    assert session.answers["recovered_from_surgery"].value is reading("recovered_from_surgery", "ko", "없어요") is True


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_yes_no_question_reads_natural_replies_as_its_help_says(locale: str) -> None:
    wrong = []
    count = 0
    for link_id in yes_no_questions():
        table = {kind: list(replies) for kind, replies in NATURAL[locale].items()}
        table["never"] += NEVER_IN_WORDS.get(link_id, {}).get(locale, [])
        table["yes"] += YES_IN_WORDS.get(link_id, {}).get(locale, [])
        for kind, replies in table.items():
            for typed in replies:
                count += 1
                got = reading(link_id, locale, typed)
                if got != expected(link_id, kind):
                    wrong.append((link_id, kind, typed, got))
    assert wrong == [] and count >= len(yes_no_questions()) * 12


# --- the reviews' MEANING findings, one by one ---------------------------------------------------

MEANING = [
    # M2 / H-M2 / T-M1: "none" to "have the side effects gone?" is yes (the help says so)
    ("M2", "ko", "prior_treatment_toxicity_resolved", "없어요", True),
    ("M2", "ko", "prior_treatment_toxicity_resolved", "있어요", "asked again"),  # "some remain": not a yes
    ("M3", "ko", "prior_toxicity_nonsignificant_or_stable", "없어요", True),
    ("M3", "ko", "prior_toxicity_nonsignificant_or_stable", "있어요", "asked again"),
    ("M4", "ko", "recovered_from_surgery", "받은 적 없어요", True),
    ("M4", "ko", "recovered_from_surgery", "없음", True),
    ("M4", "en", "recovered_from_surgery", "never", True),
    ("M5", "ko", "postmenopausal", "없었어요", "asked again"),  # was stored as 아니요
    ("M5", "ko", "postmenopausal", "있었어요", "asked again"),  # was stored as 예
    ("H-M1", "zh-Hans", "willing_contraception", "不适用", "asked again"),  # was 否: 4 trials lost
    ("H-M1", "zh-Hans", "resection_margin_negative", "不适用", "asked again"),
    ("H-M1", "en", "willing_contraception", "not applicable", "asked again"),
    ("H-M2", "zh-Hans", "recovered_from_surgery", "没做过", True),
    ("H-M2", "zh-Hans", "prior_treatment_toxicity_resolved", "没用过", True),
    ("H-M2", "zh-Hans", "prior_treatment_toxicity_resolved", "无", True),
    ("H-M2", "zh-Hans", "prior_toxicity_nonsignificant_or_stable", "无", True),
    ("T-M1", "zh-Hant", "recovered_from_surgery", "沒做過", True),
    ("T-M1", "zh-Hant", "prior_treatment_toxicity_resolved", "沒用過", True),
    ("T-M1", "zh-Hant", "prior_toxicity_nonsignificant_or_stable", "無", True),
    ("T-M1", "zh-Hant", "hbv_infection", "無", False),  # and "none" to "do you have ...?" stays a no
]


@pytest.mark.parametrize("finding, locale, link_id, typed, answer", MEANING)
def test_a_meaning_finding_reply_is_read_as_meant(
    finding: str, locale: str, link_id: str, typed: str, answer: object
) -> None:
    assert reading(link_id, locale, typed) == answer


def test_m5_the_menopause_question_asks_without_a_negation_in_every_language() -> None:
    texts = {loc: load_bank(locale=loc)["postmenopausal"].patient.text for loc in LANGUAGES}
    assert ["없었" in texts["ko"], "没有来月经" in texts["zh-Hans"], "沒有月經" in texts["zh-Hant"]] == [False] * 3


def test_m6_the_minor_cancer_question_says_every_other_cancer_was_minor() -> None:
    texts = {loc: load_bank(locale=loc)["other_cancer_minor"].patient.text for loc in LANGUAGES}
    assert [
        w in texts[loc] for loc, w in [("en", "all"), ("ko", "모두"), ("zh-Hans", "全都"), ("zh-Hant", "全都")]
    ] == [True] * 4


def test_h_m3_t_m2_substance_use_is_not_taking_medicines() -> None:
    hans = load_bank(locale="zh-Hans")["substance_use_disorder"].patient.text
    hant = load_bank(locale="zh-Hant")["substance_use_disorder"].patient.text
    assert ("吸毒" in hans and "用药方面" not in hans, "吸毒" in hant and "用藥物方面" not in hant) == (True, True)


def test_t_u1_taiwan_brand_names_are_recognised_and_shown_in_zh_hant() -> None:
    from matcher.locale import drug_names

    drugs = load_drug_vocabulary()
    typed = [drugs.recognise(name).drug_ids for name in ("樂衛瑪", "蕾莎瓦", "癌瑞格", "癌必定")]
    shown = [drug_names(drugs, "zh-Hant")[d] for d in ("lenvatinib", "sorafenib", "regorafenib", "cabozantinib")]
    assert (typed, shown) == (
        [["lenvatinib"], ["sorafenib"], ["regorafenib"], ["cabozantinib"]],
        ["樂衛瑪", "蕾莎瓦", "癌瑞格", "癌必定"],
    )


# --- everyday forms of the UNCLEAR findings ------------------------------------------------------

EVERYDAY = [
    ("U13", "ko", "age", "만 64세", 64.0),
    ("U14", "ko", "tumour_count", "2개", 2),
    ("U14", "ko", "line1_cycles", "6번", 6),
    ("U14", "zh-Hans", "progressive_lesion_count", "2处", 2),
    ("U12", "ko", "urine_protein_dipstick", "미량", "trace"),
    ("U12", "ko", "urine_protein_dipstick", "±", "trace"),
    ("H-S8", "zh-Hans", "urine_protein_dipstick", "弱阳性", "trace"),
    ("U10", "ko", "line1_stopped", "계속 맞고 있어요", "ongoing"),
    ("U9", "ko", "live_vaccine_date", "한 달 전", dt.date(2026, 10, 23)),
    ("U9", "ko", "live_vaccine_date", "반년 전", dt.date(2026, 5, 23)),
    ("U9", "zh-Hans", "live_vaccine_date", "三个月前", dt.date(2026, 8, 23)),
    ("T-U3", "zh-Hant", "line1_started", "民國 114/03/14", dt.date(2025, 3, 14)),
    ("T-U3", "zh-Hant", "line1_started", "114.03.14", dt.date(2025, 3, 14)),
    ("H-U4", "zh-Hans", "hbv_dna", "5.32E+04 IU/mL", 53200.0),
    ("T-U5", "zh-Hant", "hbv_dna", "2.35E+03 IU/mL", 2350.0),
]


@pytest.mark.parametrize("finding, locale, link_id, typed, value", EVERYDAY)
def test_an_everyday_form_is_read(finding: str, locale: str, link_id: str, typed: str, value: object) -> None:
    assert reading(link_id, locale, typed) == value


def test_u11_an_upper_limit_in_local_words_gives_the_same_lab_as_in_english() -> None:
    english = reading("bilirubin", "en", "25 µmol/L, upper limit 21")
    assert [reading("bilirubin", "ko", "25 µmol/L, 상한 21"), reading("bilirubin", "zh-Hans", "25 µmol/L，上限21")] == [
        english
    ] * 2


def test_t_u3_a_minguo_date_is_shown_back_as_the_western_date() -> None:
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, locale="zh-Hant")
    session.change("line1_started", "民國 114/03/14")
    assert session.answers["line1_started"].shown == "2025年3月14日"


def test_a_short_korean_date_is_not_read_as_a_minguo_year() -> None:
    assert reading("line1_started", "ko", "24.3.14") == "asked again"


# --- a whole interview typed as people type in each language -------------------------------------

DRUGS_TYPED = {"ko": "티쎈트릭과 아바스틴", "zh-Hans": "泰圣奇和安维汀", "zh-Hant": "癌自禦、癌思停"}
UPPER_LIMIT = {"ko": "상한", "zh-Hans": "上限", "zh-Hant": "上限"}
COUNTER = {"ko": "개", "zh-Hans": "处", "zh-Hant": "處"}
TIMES = {"ko": "번", "zh-Hans": "次", "zh-Hant": "次"}
AGE = {"ko": "만 {}세", "zh-Hans": "{}岁", "zh-Hant": "{}歲"}
KILOS = {"ko": "{}킬로", "zh-Hans": "{}公斤", "zh-Hant": "{}公斤"}


def natural(link_id: str, value: str, locale: str, turn: int) -> str:
    """An answer of the English run (tests/test_session.py COMPLETE) as a native speaker types it."""
    question = load_bank()[link_id]
    if question.never_means is not None and value in ("yes", "no"):
        said = {"yes": "yes", "no": "no"}[value]
        if question.never_means == value:  # "never had one" says it: 없어요, 没做过手术
            replies = NATURAL[locale]["never"] + NEVER_IN_WORDS.get(link_id, {}).get(locale, [])
        else:
            replies = NATURAL[locale][said] + (YES_IN_WORDS.get(link_id, {}).get(locale, []) if said == "yes" else [])
        return replies[turn % len(replies)]
    labels = {o.code: o.patient for o in load_bank(locale=locale)[link_id].answerOption}
    if labels and all(code in labels for code in value.split(", ")):  # the option as the list shows it
        return ("、" if locale.startswith("zh") else ", ").join(labels[code] for code in value.split(", "))
    match value:
        case "never" | "none":
            return NATURAL[locale]["never"][turn % 2]
        case "Tecentriq + Avastin":
            return DRUGS_TYPED[locale]
    if link_id == "age":
        return AGE[locale].format(value)
    if link_id == "weight":
        return KILOS[locale].format(value.split()[0])
    if link_id in ("progressive_lesion_count", "progressive_organ_count"):
        return value + COUNTER[locale]
    if link_id == "line1_cycles":
        return value + TIMES[locale]
    if "upper limit" in value:
        return value.replace("upper limit", UPPER_LIMIT[locale])
    day = ISO.match(value)
    if day and locale == "zh-Hant":  # as Taiwan's papers print it
        return f"民國 {int(day[1]) - 1911}/{day[2]}/{day[3]}"
    if day:
        return format_date(dt.date.fromisoformat(value), locale)
    return value


def interview(locale: str, typed: Callable[[str, str, int], str]) -> tuple[dict[str, str], list[str]]:
    """Verdicts of an interview answered by ``typed(link_id, english_value, turn)``, and what was refused."""
    session = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, locale=locale)
    refused = []
    for turn in range(400):
        question = session.question
        if question is None:
            break
        value = COMPLETE.get(question.linkId)
        outcome = session.answer(typed(question.linkId, value, turn) if value is not None else "?")
        if outcome.confirm:
            outcome = session.answer(NATURAL[locale]["yes"][0])
        if not outcome.accepted:
            refused.append(f"{question.linkId}: {outcome.message}")
            session.dont_know()
    return session.verdicts(), refused


@pytest.mark.parametrize("locale", LOCAL)
def test_a_whole_interview_in_natural_local_replies_gives_the_english_verdicts(locale: str) -> None:
    english, _ = interview("en", lambda link_id, value, turn: value)
    local, refused = interview(locale, lambda link_id, value, turn: natural(link_id, value, locale, turn))
    assert (local, refused) == (english, [])


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_never_had_one_label_typed_is_that_answer(locale: str) -> None:
    label = load_bank(locale=locale)["recovered_from_surgery"].never_label
    assert label is not None
    assert [
        reading("recovered_from_surgery", locale, label.patient),
        reading("recovered_from_surgery", locale, label.nurse),
    ] == [True, True]
