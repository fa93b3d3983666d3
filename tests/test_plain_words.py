"""Patient wording never leaves a lab abbreviation without its plain words, in any language.

Every text a patient reads (each check's plain words, each fact label that a reason names, each
question as it is shown: its text, help and answer options) that holds one of these abbreviations
also says what it is: "AST" comes with "liver enzyme", "INR" with "clotting".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import bundled_matcher

from matcher.locale import fact_label
from questionnaires.bank import load_bank
from trials.i18n import DEFAULT_LOCALE

LOCALES = ("en", "ko", "zh-Hans", "zh-Hant")
LIVER_ENZYME = {
    "en": ("liver enzyme", "enzyme from the liver"),
    "ko": ("간 효소", "간에서 나오는 효소", "간과 뼈에서 나오는 효소"),
    "zh-Hans": ("肝酶", "来自肝脏"),
    "zh-Hant": ("肝臟酵素", "肝酵素", "肝指數", "來自肝臟"),
}
CLOTTING = {
    "en": ("clot",),
    "ko": ("응고", "피가 굳", "피가 얼마나 빨리 굳"),
    "zh-Hans": ("凝血", "凝固"),
    "zh-Hant": ("凝血", "凝固"),
}
TUMOUR_MARKER = {
    "en": ("marker", "alpha-fetoprotein"),
    "ko": ("표지자", "알파태아단백"),
    "zh-Hans": ("标志物", "甲胎蛋白"),
    "zh-Hant": ("標記", "胎兒蛋白", "甲型胎兒蛋白"),
}
HEPATITIS_B = {"en": ("hepatitis B",), "ko": ("B형 간염",), "zh-Hans": ("乙肝", "乙型肝炎"), "zh-Hant": ("B型肝炎",)}
HEPATITIS_C = {"en": ("hepatitis C",), "ko": ("C형 간염",), "zh-Hans": ("丙肝", "丙型肝炎"), "zh-Hant": ("C型肝炎",)}
# Each lab abbreviation a patient may meet, and the plain words (any one of them) that must come with it.
ABBREVIATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "ALT": LIVER_ENZYME,
    "AST": LIVER_ENZYME,
    "ALP": LIVER_ENZYME,
    "INR": CLOTTING,
    "PT": CLOTTING,
    "aPTT": CLOTTING,
    "ANC": {"en": ("neutrophil",), "ko": ("호중구",), "zh-Hans": ("中性粒细胞",), "zh-Hant": ("嗜中性",)},
    "WBC": {"en": ("white",), "ko": ("백혈구",), "zh-Hans": ("白细胞",), "zh-Hant": ("白血球",)},
    "Hb": {"en": ("haemoglobin",), "ko": ("혈색소", "헤모글로빈"), "zh-Hans": ("血红蛋白",), "zh-Hant": ("血紅素",)},
    "AFP": TUMOUR_MARKER,
    "DCP": TUMOUR_MARKER,
    "QTcF": {"en": ("heart",), "ko": ("심장", "심전도"), "zh-Hans": ("心",), "zh-Hant": ("心",)},
    "HBV": HEPATITIS_B,
    "HBsAg": HEPATITIS_B,
    "HCV": HEPATITIS_C,
    "ULN": {"en": ("upper limit",), "ko": ("정상 상한",), "zh-Hans": ("正常值上限",), "zh-Hant": ("正常值上限",)},
}
PATTERNS = {a: re.compile(rf"(?<![A-Za-z0-9-]){re.escape(a)}(?![A-Za-z0-9-])") for a in ABBREVIATIONS}


def patient_texts(locale: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a patient reads, in ``locale``."""
    matcher = bundled_matcher()
    for compiled in matcher.trials:
        texts = matcher.texts(compiled.trial, locale)
        for item in compiled.checks:
            if item.check.rule is not None and item.check.plain:
                plain = texts.check(item.section, item.check.id, item.check.plain)
                yield f"{compiled.trial.nct_id} {item.section} {item.check.id} plain", plain
    for fact in matcher.vocabulary:
        yield f"fact {fact.id} label", fact_label(fact, locale)
        if locale == DEFAULT_LOCALE:
            yield f"fact {fact.id} plain", fact.plain
    for question in load_bank(locale=locale):
        shown = [question.patient.text, question.patient.help, *(o.patient for o in question.answerOption)]
        yield f"question {question.linkId}", "\n".join(shown)


def bare_abbreviations(text: str, locale: str) -> list[str]:
    """The abbreviations in ``text`` that come without any of their plain words."""
    return [
        abbreviation
        for abbreviation, pattern in PATTERNS.items()
        if pattern.search(text) and not any(w.lower() in text.lower() for w in ABBREVIATIONS[abbreviation][locale])
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_patient_text_has_a_lab_abbreviation_without_its_plain_words(locale: str) -> None:
    bare = {where: found for where, text in patient_texts(locale) if (found := bare_abbreviations(text, locale))}
    assert bare == {}


def test_the_scan_finds_a_bare_abbreviation() -> None:
    assert (
        bare_abbreviations("ALT at most 3 times normal", "en"),
        bare_abbreviations("ALT (a liver enzyme)", "en"),
    ) == (
        ["ALT"],
        [],
    )
