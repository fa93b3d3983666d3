"""The line-by-line interview: plain prompts that work with a screen reader and over ssh.

Reading and writing are passed in, so tests drive it with a list of answers and the command line
with ``input`` and ``print``.
"""

from __future__ import annotations

from collections.abc import Callable

from matcher.facts import Fact
from questionnaires.bank import Question
from questionnaires.session import Session
from questionnaires.treatment import SLOTS

COUNTRY_QUESTION = "Which country do you live in? Trials with a site there are listed first. (optional)"
ANOTHER_COUNTRY = "Another country, or skip"
COMMANDS = "Type your answer and press Enter. '?' = I don't know, 'help' = what does this mean, 'back' = previous question, 'quit' = stop."


def run_prompt(session: Session, read: Callable[[str], str], write: Callable[[str], None]) -> bool:
    """Ask until the interview is over; True if it finished, False if the person stopped it."""
    write(COMMANDS)
    if not session.country_asked and session.countries:
        if not ask_country(session, read, write):
            return False
    while session.question is not None:
        question = session.question
        answered, remaining = session.progress()
        write("")
        write(f"Question {answered + 1} (about {remaining} left): {session.text(question)}")
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
        command = raw.strip().lower()
        if command in ("quit", "exit", "q"):
            return False
        if command in ("help", "h"):
            write(session.help(question))
            continue
        if command == "back":
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
    lines = [COUNTRY_QUESTION]
    lines += [f"  {n}. {name}" for n, name in enumerate(session.countries, 1)]
    lines.append(f"  {len(session.countries) + 1}. {ANOTHER_COUNTRY}")
    return lines


def ask_country(session: Session, read: Callable[[str], str], write: Callable[[str], None]) -> bool:
    """Ask the patient's country once (optional); False if the person stopped."""
    while True:
        write("")
        for line in country_lines(session):
            write(line)
        write("  (a number, the country's name, or Enter to skip)")
        try:
            raw = read("> ")
        except EOFError:
            write("")
            return False
        if raw.strip().lower() in ("quit", "exit", "q"):
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
    fact: Fact | None = session.matcher.vocabulary.facts.get(question.fact)
    kind = SLOTS[question.fact].type if fact is None else fact.type
    if kind == "boolean":
        return "yes / no"
    if kind in ("number",) and fact is not None and fact.units is not None:
        units = fact.units.accepted()
        if len(units) == 1 and not fact.uln:
            return f"a number, in {units[0]}"
        extra = ", or as '2 x ULN'" if fact.uln else ""
        return f"a number with its unit: {', '.join(units)}{extra}"
    if kind in ("integer",) and not question.answerOption:
        return "a whole number"
    if kind == "date":
        return "a date like 2025-03-14, or 'about 3 months ago'"
    if kind == "event":
        return "a date like 2025-03-14, 'about 3 months ago', or 'never'"
    if kind == "stop":
        return "a date like 2025-03-14, 'about 3 months ago', or choose 'still taking it'"
    if kind == "set":
        return "one or more numbers, separated by commas, or 'none'"
    if kind in ("drugs", "regimen"):
        return "the names as on the box or letter, separated by '+' or ','" + (
            "; or the number of the kind of medicine" if question.answerOption else "; or 'none'"
        )
    if kind == "choice" or question.answerOption:
        return "the number of your answer"
    return ""
