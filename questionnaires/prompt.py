"""The line-by-line interview: plain prompts that work with a screen reader and over ssh.

Reading and writing are passed in, so tests drive it with a list of answers and the command line
with ``input`` and ``print``.
"""

from __future__ import annotations

from collections.abc import Callable

from matcher.facts import Fact
from matcher.locale import unit_word
from questionnaires.bank import Question
from questionnaires.session import Session
from questionnaires.texts import country_name, t
from questionnaires.treatment import SLOTS
from questionnaires.typed_words import is_word


def run_prompt(session: Session, read: Callable[[str], str], write: Callable[[str], None]) -> bool:
    """Ask until the interview is over; True if it finished, False if the person stopped it."""
    locale = session.locale
    write(t("prompt.commands", locale))
    if not session.country_asked and session.countries:
        if not ask_country(session, read, write):
            return False
    while session.question is not None:
        question = session.question
        answered, remaining = session.progress()
        write("")
        write(t("prompt.question", locale, number=answered + 1, remaining=remaining, text=session.text(question)))
        for line in option_lines(session, question):
            write(f"  {line}")
        hint = answer_hint(session, question)
        if hint:
            write(f"  ({hint})")
        try:
            raw = read("> ")
        except EOFError:
            write("")
            return False
        if is_word(raw, "quit", locale):
            return False
        if is_word(raw, "help", locale):
            write(session.help(question))
            continue
        if is_word(raw, "back", locale):
            session.back()
            continue
        outcome = session.answer(raw)
        while outcome.confirm:  # asked again until the reply is yes or no
            write(outcome.confirm)
            try:
                reply = read("> ")
            except EOFError:
                return False
            outcome = session.answer(reply)
        if not outcome.accepted and outcome.message:
            write(outcome.message)
    return True


def country_lines(session: Session) -> list[str]:
    """The "which country?" question and its numbered choices."""
    lines = [t("prompt.country_question", session.locale)]
    lines += [f"  {n}. {country_name(name, session.locale)}" for n, name in enumerate(session.countries, 1)]
    lines.append(f"  {len(session.countries) + 1}. {t('prompt.another_country', session.locale)}")
    return lines


def ask_country(session: Session, read: Callable[[str], str], write: Callable[[str], None]) -> bool:
    """Ask the patient's country once (optional); False if the person stopped."""
    while True:
        write("")
        for line in country_lines(session):
            write(line)
        write("  " + t("prompt.country_hint", session.locale))
        try:
            raw = read("> ")
        except EOFError:
            write("")
            return False
        if is_word(raw, "quit", session.locale):
            return False
        outcome = session.set_country(raw)
        if outcome.accepted:
            return True
        write(outcome.message or "")


def option_lines(session: Session, question: Question) -> list[str]:
    """The numbered answer options of a question, in the session's mode."""
    if not question.answerOption:
        return []
    numeric = all(o.code.lstrip("-").isdigit() for o in question.answerOption)
    lines = []
    for index, option in enumerate(question.answerOption, 1):
        key = option.code if numeric else str(index)
        lines.append(f"{key}. {question.option_label(option.code, session.mode)}")
    return lines


def answer_hint(session: Session, question: Question) -> str:
    """How to answer: the accepted forms and units."""
    locale = session.locale
    fact: Fact | None = session.matcher.vocabulary.facts.get(question.fact)
    kind = SLOTS[question.fact].type if fact is None else fact.type
    if kind == "boolean":
        never = question.never_label  # "I have never had an operation" where that means yes
        extra = f" / {getattr(never, session.mode)}" if never is not None else ""
        return t("prompt.hint.yes_no", locale) + extra
    if kind in ("number",) and fact is not None and fact.units is not None:
        units = [unit_word(u, locale) for u in fact.units.accepted()]
        if fact.units.accepted() == ["ratio"]:  # INR: a number with no unit, not "in ratio"
            return t("prompt.hint.number_no_unit", locale)
        if len(units) == 1 and not fact.uln:
            return t("prompt.hint.number_in", locale, unit=units[0])
        extra = t("answers.or_uln", locale) if fact.uln else ""
        return t("prompt.hint.number_with_unit", locale, units=", ".join(units), uln=extra)
    if kind in ("integer",) and not question.answerOption:
        return t("prompt.hint.whole_number", locale)
    if kind in ("date", "event", "stop", "set"):
        return t(f"prompt.hint.{kind}", locale)
    if kind in ("drugs", "regimen"):
        more = "prompt.hint.or_kind" if question.answerOption else "prompt.hint.or_none"
        return t("prompt.hint.names", locale) + t(more, locale)
    if kind == "choice" or question.answerOption:
        return t("prompt.hint.choice", locale)
    return ""
