"""The line-by-line prompt, driven by a script of typed lines: what it shows, and how it reacts to
"help", "back", "quit", a bad answer and the end of the interview."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import AS_OF, bundled_matcher
from test_session import COMPLETE

from matcher.profile import load_profile
from questionnaires.bank import Mode, Question, load_bank
from questionnaires.prompt import run_prompt
from questionnaires.session import Session
from questionnaires.summary import where_words

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Script:
    """``read`` answers from a list, then raises EOFError; ``write`` collects every line shown."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        self.shown: list[str] = []

    def read(self, prompt: str) -> str:
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def write(self, text: str) -> None:
        self.shown.append(text)

    def asked(self) -> list[str]:
        """The question lines shown, without their 'Question N (about M left):' prefix."""
        return [line.split(": ", 1)[1] for line in self.shown if line.startswith("Question ")]


def new_session(mode: Mode = "patient", ask_country: bool = False) -> Session:
    session = Session(bundled_matcher(), mode, load_bank(), as_of=AS_OF)
    session.country_asked = not ask_country  # most tests are about the medical questions
    return session


def skip_until(session: Session, wanted: Callable[[Question], bool]) -> Question:
    """Answer "I don't know" until the current question is one that ``wanted`` picks."""
    for _ in range(len(session.bank)):
        question = session.question
        assert question is not None, "no such question was asked"
        if wanted(question):
            return question
        session.dont_know()
    raise AssertionError("no such question was asked")


def run(session: Session, lines: list[str]) -> tuple[bool, Script]:
    script = Script(lines)
    finished = run_prompt(session, script.read, script.write)
    return finished, script


def test_a_choice_question_shows_its_options_numbered() -> None:
    session = new_session("patient")
    question = skip_until(session, lambda q: bool(q.answerOption) and not all(o.code.isdigit() for o in q.answerOption))
    _, script = run(session, ["quit"])
    expected = [f"  {i}. {o.patient}" for i, o in enumerate(question.answerOption, 1)]
    assert [line for line in expected if line not in script.shown] == []


def test_a_lab_question_shows_the_units_it_accepts() -> None:
    session = new_session("nurse")
    skip_until(session, lambda q: q.linkId == "platelets")
    _, script = run(session, ["quit"])
    units = bundled_matcher().vocabulary["platelets"].units
    assert units is not None
    hint = f"  (a number with its unit: {', '.join(units.accepted())})"
    assert hint in script.shown


def test_a_yes_no_question_says_how_to_answer() -> None:
    _, script = run(new_session("patient"), ["quit"])
    assert "  (yes / no)" in script.shown


def test_help_shows_what_the_question_means_and_asks_it_again() -> None:
    session = new_session("patient")
    first = session.question
    assert first is not None
    _, script = run(session, ["help", "quit"])
    assert (session.help(first) in script.shown, script.asked()) == (True, [session.text(first)] * 2)


def test_a_bad_answer_is_explained_and_the_question_asked_again() -> None:
    session = new_session("patient")
    first = session.question
    assert first is not None
    _, script = run(session, ["maybe", "quit"])
    assert ('Please answer yes or no (or "I don\'t know").' in script.shown, script.asked()) == (
        True,
        [session.text(first)] * 2,
    )


def test_back_asks_the_previous_question_again() -> None:
    session = new_session("patient")
    first = session.question
    assert first is not None
    _, script = run(session, ["yes", "back", "quit"])
    asked = script.asked()
    assert (len(asked), asked[0], asked[2], asked[1] != asked[0]) == (3, session.text(first), session.text(first), True)


def test_quit_stops_the_interview_and_returns_false() -> None:
    finished, script = run(new_session("patient"), ["yes", "quit"])
    assert (finished, len(script.asked())) == (False, 2)


def test_the_end_of_input_stops_the_interview_and_returns_false() -> None:
    finished, _ = run(new_session("patient"), [])
    assert finished is False


def test_a_close_drug_spelling_is_confirmed_in_the_prompt() -> None:
    session = new_session("patient")
    session.answer("yes")
    skip_until(session, lambda q: q.linkId == "line1_drugs")
    _, script = run(session, ["lenvatanib", "yes", "quit"])
    confirmations = [line for line in script.shown if line.startswith("I read 'lenvatanib' as lenvatinib")]
    assert (len(confirmations), session.answers["line1_drugs"].value.names) == (1, ("lenvatinib",))


def test_an_unclear_reply_to_a_confirmation_asks_the_confirmation_again() -> None:
    session = new_session("patient")
    session.answer("yes")
    skip_until(session, lambda q: q.linkId == "line1_drugs")
    _, script = run(session, ["lenvatanib", "maybe", "yes", "quit"])
    confirmation = "I read 'lenvatanib' as lenvatinib (Lenvima). Is that right? (yes / no)"
    assert script.shown.count(confirmation) == 2


class Typist:
    """Answers whatever the prompt asks from a dict of typed answers ("?" for the rest); says yes to confirmations."""

    def __init__(self, session: Session, typed: dict[str, str]) -> None:
        self.session = session
        self.typed = typed
        self.last = ""
        self.reads = 0

    def read(self, prompt: str) -> str:
        self.reads += 1
        if self.reads > 3 * len(self.session.bank):
            raise EOFError
        if self.last.endswith("Is that right? (yes / no)"):
            return "yes"
        question = self.session.question
        assert question is not None
        return self.typed.get(question.linkId, "?")

    def write(self, text: str) -> None:
        self.last = text


def test_a_complete_scripted_patient_interview_finishes_with_the_profile_s_verdicts() -> None:
    session = new_session("patient")
    typist = Typist(session, COMPLETE)
    finished = run_prompt(session, typist.read, typist.write)
    profile = load_profile(EXAMPLES / "second_line_after_atezo_bev.yaml")
    expected = {r.nct_id: r.verdict for r in bundled_matcher().match(profile)}
    assert (finished, session.verdicts()) == (True, expected)


def test_the_country_is_asked_once_first_and_orders_the_results() -> None:
    session = new_session(ask_country=True)
    assert session.countries == ["China", "South Korea", "Taiwan"]
    finished, script = run(session, ["9", "korea", "quit"])
    assert not finished
    assert script.shown[2].startswith("Which country do you live in?")
    assert "  2. South Korea" in script.shown and "  4. Another country, or skip" in script.shown
    assert "Please choose a number from 1 to 4, or press Enter to skip." in script.shown  # "9"
    assert session.country == "South Korea" and session.country_asked
    assert sum(line.startswith("Which country") for line in script.shown) == 2  # asked again after "9" only
    arranged = session.arranged_results()
    korean = [r.nct_id for r in arranged.results if arranged.sites[r.nct_id].in_country]
    assert korean and all(
        where_words(arranged.sites[n], arranged.country).startswith("a site in South Korea: ") for n in korean
    )
    first_other = next(i for i, r in enumerate(arranged.results) if r.nct_id not in korean)
    same_verdict_later = [
        r.nct_id
        for r in arranged.results[first_other:]
        if r.nct_id in korean and r.verdict == arranged.results[first_other].verdict
    ]
    assert same_verdict_later == []  # within a verdict, trials with a site in the country come first


def test_the_country_can_be_skipped_and_start_over_asks_it_again() -> None:
    session = new_session(ask_country=True)
    _, script = run(session, ["", "quit"])
    assert session.country is None and session.country_asked
    assert any(line.startswith("Question 1 ") for line in script.shown)
    session.restart()
    assert not session.country_asked
    preset = Session(bundled_matcher(), "patient", load_bank(), as_of=AS_OF, preset_country="Taiwan")
    preset.set_country("China")
    preset.restart()
    assert (preset.country, preset.country_asked) == ("Taiwan", True)  # a kiosk's preset survives a reset
