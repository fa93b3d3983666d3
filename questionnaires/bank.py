"""The question bank: how each fact is asked, in a patient's words and in a nurse's.

Questions are data (``questionnaires/data/questions.yaml``); the answer type, units, range and
choices come from the fact vocabulary, so a question only adds wording, help, option labels
and when it applies. Field names follow FHIR ``Questionnaire`` (``linkId``, ``enableWhen``,
``answerOption``) so the export is a direct mapping.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from trials.i18n import DEFAULT_LOCALE, LOCALES, LocaleFileError, compare, load_locale_file
from trials.yaml_text import load_yaml

QUESTIONS_FILE = Path(__file__).parent / "data" / "questions.yaml"
Mode = Literal["patient", "nurse"]
MODES: tuple[Mode, ...] = ("patient", "nurse")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wording(_Model):
    """What the question says, and the help behind "What does this mean?"."""

    text: StrictStr = Field(min_length=1)
    help: StrictStr = Field(min_length=1)


class AnswerOption(_Model):
    """One answer to choose, by its code (the fact's choice, or yes/no), labelled per mode."""

    code: StrictStr
    patient: StrictStr = Field(min_length=1)
    nurse: StrictStr = Field(min_length=1)


class NeverLabel(_Model):
    """The "I never had one" button of a yes/no question where that reply means yes."""

    patient: StrictStr = Field(min_length=1)
    nurse: StrictStr = Field(min_length=1)


NeverMeans = Literal["yes", "no", "ask"]


class EnableWhen(_Model):
    """FHIR-style condition on an earlier answer: the question applies only when it holds."""

    question: StrictStr  # a linkId
    operator: Literal["=", "!=", "exists"]
    answer: StrictBool | StrictInt | StrictStr | None = None


class Question(_Model):
    """How one fact (or one part of the treatment history) is asked."""

    linkId: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fact: StrictStr  # the fact it answers, or a treatment-history slot (see questionnaires/treatment.py)
    patient: Wording
    nurse: Wording
    answerOption: list[AnswerOption] = Field(default_factory=list)
    enableWhen: list[EnableWhen] = Field(default_factory=list)
    enableBehavior: Literal["all", "any"] = "all"
    # A yes/no question says what "I never had it" (없어요, 没做过, never) answers: "no" for "Have you
    # had a major operation?", "yes" for "Have you recovered from your last operation?", "ask" when
    # it answers neither (asked again). `trialmatch check` requires it on every yes/no question.
    never_means: NeverMeans | None = None
    never_label: NeverLabel | None = None  # the app's "never had one" button, where never_means is "yes"
    # Replies that mean yes to this question only, comma-separated ("a carrier" to "Do you have hepatitis B?").
    yes_words: StrictStr | None = None
    # Replies that say "never had it" to this question only ("no side effects", 没有副作用), comma-separated.
    never_words: StrictStr | None = None

    @model_validator(mode="after")
    def _unique_codes(self) -> Question:
        codes = [o.code for o in self.answerOption]
        if len(codes) != len(set(codes)):
            raise ValueError(f"question {self.linkId!r} lists an answer option twice")
        if (self.never_label is not None) != (self.never_means == "yes"):
            raise ValueError(
                f"question {self.linkId!r}: never_label (the 'never had one' button) goes with never_means: \"yes\", "
                "and only with it"
            )
        return self

    def wording(self, mode: Mode) -> Wording:
        """The wording for a mode."""
        return self.patient if mode == "patient" else self.nurse

    def option_label(self, code: str, mode: Mode) -> str:
        """The label of an answer option in a mode (the code itself if it has no label)."""
        for option in self.answerOption:
            if option.code == code:
                return option.patient if mode == "patient" else option.nurse
        return code.replace("_", " ")


class QuestionBank:
    """Every question, by linkId, in the order of the file (the order a person would expect)."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions: dict[str, Question] = {}
        self.by_fact: dict[str, Question] = {}
        for question in questions:
            if question.linkId in self.questions:
                raise ValueError(f"question {question.linkId!r} is defined twice")
            if question.fact in self.by_fact:
                raise ValueError(f"fact {question.fact!r} is asked by two questions")
            self.questions[question.linkId] = question
            self.by_fact[question.fact] = question
        for question in questions:
            for condition in question.enableWhen:
                if condition.question not in self.questions:
                    raise ValueError(
                        f"question {question.linkId!r}: enableWhen names unknown question {condition.question!r}"
                    )

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.questions.values())

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, link_id: str) -> Question:
        return self.questions[link_id]

    def position(self, link_id: str) -> int:
        """The question's place in the bank (earlier = asked first among equals)."""
        return list(self.questions).index(link_id)


@lru_cache(maxsize=8)
def load_bank(path: Path = QUESTIONS_FILE, locale: str = DEFAULT_LOCALE) -> QuestionBank:
    """The question bank in a locale, read and checked once (English where a text is not translated)."""
    raw = load_yaml(path.read_text(encoding="utf-8"))
    questions = [Question.model_validate(item) for item in raw["questions"]]
    if locale != DEFAULT_LOCALE:
        texts = question_texts(path, locale)
        questions = [_localized(q, texts) for q in questions]
    return QuestionBank(questions)


def locale_file(path: Path, locale: str) -> Path:
    """Where a question file's translation lives: ``data/locales/<locale>.yaml`` beside it."""
    return path.parent / "locales" / f"{locale}.yaml"


def english_question_texts(bank: QuestionBank) -> dict[str, str]:
    """Every text of the bank by translation key: ``age.patient.text``, ``sex.options.male.nurse``."""
    out: dict[str, str] = {}
    for question in bank:
        for mode in MODES:
            wording = question.wording(mode)
            out[f"{question.linkId}.{mode}.text"] = wording.text
            out[f"{question.linkId}.{mode}.help"] = wording.help
        for option in question.answerOption:
            for mode in MODES:
                out[f"{question.linkId}.options.{option.code}.{mode}"] = getattr(option, mode)
        if question.never_label is not None:
            for mode in MODES:
                out[f"{question.linkId}.never_label.{mode}"] = getattr(question.never_label, mode)
        if question.yes_words is not None:
            out[f"{question.linkId}.yes_words"] = question.yes_words
        if question.never_words is not None:
            out[f"{question.linkId}.never_words"] = question.never_words
    return out


def question_texts(path: Path, locale: str) -> dict[str, str]:
    """A locale's question texts by the same keys (empty when the locale has no file)."""
    data = load_locale_file(locale_file(path, locale))
    out: dict[str, str] = {}

    def flatten(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                flatten(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            out[prefix] = str(node)

    flatten("", data.get("questions", {}))
    return out


def _localized(question: Question, texts: dict[str, str]) -> Question:
    def get(key: str, english: str) -> str:
        return texts.get(f"{question.linkId}.{key}", english)

    update: dict[str, Any] = {
        mode: Wording(
            text=get(f"{mode}.text", question.wording(mode).text), help=get(f"{mode}.help", question.wording(mode).help)
        )
        for mode in MODES
    }
    update["answerOption"] = [
        AnswerOption(
            code=o.code,
            patient=get(f"options.{o.code}.patient", o.patient),
            nurse=get(f"options.{o.code}.nurse", o.nurse),
        )
        for o in question.answerOption
    ]
    if question.never_label is not None:
        update["never_label"] = NeverLabel(
            patient=get("never_label.patient", question.never_label.patient),
            nurse=get("never_label.nurse", question.never_label.nurse),
        )
    if question.yes_words is not None:
        update["yes_words"] = get("yes_words", question.yes_words)
    if question.never_words is not None:
        update["never_words"] = get("never_words", question.never_words)
    return question.model_copy(update=update)


def question_translation_problems(path: Path = QUESTIONS_FILE) -> list[str]:
    """Every locale's question texts against the English."""
    english = english_question_texts(load_bank(path))
    out: list[str] = []
    for locale in LOCALES[1:]:
        where = str(locale_file(path, locale))
        try:
            translated = question_texts(path, locale)
        except LocaleFileError as exc:
            out.append(str(exc))
            continue
        out += compare(english, translated, locale, where)
    return out
