"""The matcher's words in each locale: verdicts, criterion labels, reasons, fact labels, values.

English fact labels, drug names and drug class labels live in the vocabularies
(``facts.yaml``, ``drugs.yaml``); the other locales translate them in
``matcher/data/locales/<locale>.yaml`` (fact labels, answer codes, classes) and in the glossary
(drug names as known locally).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from matcher.drugs import DrugVocabulary
from matcher.facts import Fact, Vocabulary
from trials.i18n import DEFAULT_LOCALE, Catalog, load_glossary

TEXTS = Catalog(Path(__file__).parent / "data" / "locales")


def t(key: str, locale: str = DEFAULT_LOCALE, /, **values: Any) -> str:
    """A matcher message in a locale."""
    return TEXTS.text(key, locale, **values)


def fact_label(fact: Fact, locale: str = DEFAULT_LOCALE) -> str:
    """How a fact is named ("platelet count")."""
    return TEXTS.texts(locale).get(f"facts.{fact.id}", fact.label) if locale != DEFAULT_LOCALE else fact.label


def unit_word(unit: str, locale: str = DEFAULT_LOCALE) -> str:
    """A unit as shown: symbols as they are (kg, mg/dL), words in the locale ("years")."""
    return TEXTS.get(f"unit.{unit}", locale) or unit


def choice_label(fact_id: str, code: str, locale: str = DEFAULT_LOCALE) -> str:
    """How an answer code is shown ("child_pugh_a" -> "child pugh a" in English)."""
    english = code.replace("_", " ")
    return TEXTS.texts(locale).get(f"choices.{fact_id}.{code}", english) if locale != DEFAULT_LOCALE else english


@lru_cache(maxsize=16)
def drug_names(drugs: DrugVocabulary, locale: str = DEFAULT_LOCALE) -> dict[str, str]:
    """Drug and drug-class ids to the names shown: local names from the glossary where it has them.

    Built once per vocabulary and locale (it is read for every trial explained); do not change it."""
    glossary = load_glossary(locale)
    local = TEXTS.texts(locale) if locale != DEFAULT_LOCALE else {}
    names = {drug_id: glossary.drug_name(drug_id) or drug.name for drug_id, drug in drugs.drugs.items()}
    names.update({class_id: local.get(f"classes.{class_id}", c.label) for class_id, c in drugs.classes.items()})
    names["checkpoint_combination"] = t("checkpoint_combination", locale)  # matcher.derived.CHECKPOINT_COMBINATION
    return names


def english_texts(vocabulary: Vocabulary, drugs: DrugVocabulary) -> dict[str, str]:
    """Every English text the locale files translate, by key (messages, fact labels, codes, classes)."""
    out = dict(TEXTS.texts(DEFAULT_LOCALE))
    for fact in vocabulary:
        out[f"facts.{fact.id}"] = fact.label
        for code in fact.choices or ():
            out[f"choices.{fact.id}.{code}"] = code.replace("_", " ")
    for class_id, drug_class in drugs.classes.items():
        out[f"classes.{class_id}"] = drug_class.label
    return out
