"""One trial on the results screen: what it is, the verdict and why, what to confirm, whom to call.

All catalogue text goes into literal Rich ``Text`` (never markup): registry text holds ``[...]``
and backslashes that markup would otherwise try to read. Bullets hang: a wrapped reason stays
indented under its first line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from matcher.facts import Vocabulary
from matcher.verdicts import CheckOutcome, TrialResult
from questionnaires.next_step import next_step_words, other_contacts, trial_record_words
from questionnaires.summary import SYMBOLS, verdict_heading
from questionnaires.texts import country_name
from questionnaires.texts import t as qt
from trials.i18n import DEFAULT_LOCALE
from trials.schema import SECTIONS, Trial
from trials.translations import TrialTexts
from tui.texts import t

Part = str | tuple[str, str]
Line = tuple[str | None, list[tuple[str, str]]]  # (a bullet's mark, or None for a paragraph; (text, style) parts)


def reason_text(outcome: CheckOutcome, nurse: bool) -> str:
    """The reason as shown: with the criterion's number for nurses, without it for patients."""
    prefix = f"{outcome.criterion}: "
    if nurse or not outcome.reason.startswith(prefix):
        return outcome.reason
    text = outcome.reason[len(prefix) :]
    return text[:1].upper() + text[1:]


def check_state_words(status: str, locale: str = DEFAULT_LOCALE, section: str = "inclusion") -> str:
    """A check's state in words ("not known yet"); an exclusion met "does not apply", never "met"."""
    if section == "exclusion" and status in ("met", "failed"):
        return t(f"criteria.exclusion_state.{status}", locale)
    return t(f"criteria.state.{status}", locale)


def _para(*parts: Part) -> Line:
    return (None, [part if isinstance(part, tuple) else (part, "") for part in parts])


def _items(title: str, items: Iterable[str], mark: str = "-") -> list[Line]:
    items = list(items)
    if not items:
        return []
    return [_para((title, "bold")), *[(mark, [(item, "")]) for item in items]]


# Punctuation that must not begin a line (it stays with the character before it), or end one.
_NO_LINE_START = frozenset("，。、；：！？）」』】》〉,.;:!?)]}’”…%·")
_NO_LINE_END = frozenset("（「『【《〈([{‘“")


def _breaks_anywhere(char: str) -> bool:
    """A wide character a line may break after (Chinese, Japanese); Hangul breaks between words."""
    code = ord(char)
    hangul = 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7A3
    return cell_len(char) == 2 and not hangul


def _units(plain: str) -> list[tuple[int, int]]:
    """Where a line may break: each unit is a word (Latin or Hangul), or one Chinese character, with
    the punctuation and spaces that follow it; an opening bracket stays with what it opens."""
    units: list[tuple[int, int]] = []
    i, n = 0, len(plain)
    while i < n:
        j = i
        while j < n and plain[j].isspace():  # leading spaces stay with what follows them
            j += 1
        if j < n and _breaks_anywhere(plain[j]):
            j += 1
        else:
            while j < n and not plain[j].isspace() and not _breaks_anywhere(plain[j]):
                j += 1
        while j < n and plain[j] in _NO_LINE_START:
            j += 1
        while j < n and plain[j].isspace():
            j += 1
        j = max(j, i + 1)
        if units and plain[units[-1][0] : units[-1][1]].rstrip()[-1:] in _NO_LINE_END and units[-1][1] == i:
            units[-1] = (units[-1][0], j)  # "（" + "SBRT）": never "（" alone at a line's end
        else:
            units.append((i, j))
        i = j
    return units


def wrap_text(text: Text, width: int) -> list[Text]:
    """``text`` in lines of at most ``width`` cells, broken between words and between CJK characters
    (Rich breaks only at spaces: a Chinese sentence would be cut off or pushed whole to the next line)."""
    width = max(width, 2)
    out: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        plain = paragraph.plain
        offsets: list[int] = []
        column = 0
        for start, end in _units(plain):
            unit = plain[start:end]
            shown = cell_len(unit.rstrip())
            if column and column + shown > width:
                offsets.append(start)
                column = 0
            if shown > width:  # longer than a line: folded wherever it must be
                for k in range(start, end):
                    cells = cell_len(plain[k])
                    if column and column + cells > width and not plain[k].isspace():
                        offsets.append(k)
                        column = 0
                    column += cells
                continue
            column += cell_len(unit)
        for line in paragraph.divide(offsets):
            line.rstrip()
            out.append(line)
    return out


class Wrapped:
    """A text that wraps between CJK characters too (see :func:`wrap_text`); nothing is ever cut off."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_text(self.text, options.max_width):
            line.end = "\n"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        widest = max((cell_len(plain[s:e].rstrip()) for s, e in _units(plain)), default=1)
        longest = max((cell_len(line) for line in plain.split("\n")), default=1)
        return Measurement(min(widest, options.max_width), min(max(longest, 1), options.max_width))


def render_lines(lines: list[Line]) -> Group:
    """Paragraphs, and bullets whose wrapped lines hang under their text (literal text: never markup)."""
    out: list[Wrapped | Table] = []
    grid: Table | None = None
    for mark, parts in lines:
        text = Wrapped(Text.assemble(*parts))
        if mark is None:
            grid = None
            out.append(text)
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1, overflow="fold")
            out.append(grid)
        grid.add_row(Text(" " + mark), text)
    return Group(*out)


def plain_lines(lines: list[Line]) -> str:
    """The same lines as plain text (bullets indented by two spaces)."""
    return "\n".join(
        ("" if mark is None else f"  {mark} ") + "".join(text for text, _ in parts) for mark, parts in lines
    )


def card_lines(
    position: int,
    result: TrialResult,
    trial: Trial,
    as_of: dt.date,
    nurse: bool,
    where: str | None = None,
    locale: str = DEFAULT_LOCALE,
    texts: TrialTexts | None = None,
    vocabulary: Vocabulary | None = None,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> list[Line]:
    """The card: verdict; the record's status and, when it is probably out of date, a warning; the
    next step (whom to contact and how, what to bring or ask); title, summary, what taking part
    involves, treatment, reasons, other contacts, sites; in ``locale`` (``texts``: the trial's own
    texts in it; reasons and doses come translated in ``result``; ``vocabulary`` names the tests to
    take along; ``country`` and ``near`` choose the contact)."""
    texts = texts or TrialTexts(trial, None, DEFAULT_LOCALE)
    name = trial.nct_id + (f" ({trial.acronym})" if trial.acronym else "")
    record = trial_record_words(trial, as_of, locale)
    lines = [
        _para((f"{position}. {verdict_heading(result, locale)}", "bold reverse"), ("  " + name, "bold")),
        _para(record.status),
    ]
    if record.warning:
        lines.append(_para((record.warning, "bold")))
    step = next_step_words(result, trial, locale, vocabulary, country, near)
    if step is not None:
        heading = qt("next_step.heading", locale)
        lines.append(_para((heading + ("" if heading.endswith("：") else " "), "bold"), step.lead))
        lines += [("-", [(line, "")]) for line in [*step.details, *step.bring]]
    lines += [
        _para((texts.get("title", trial.brief_title), "bold")),
        _para(texts.get("plain_summary", trial.plain_summary)),
    ]
    lines += _items(
        t("card.taking_part", locale),
        (texts.get(f"participation.{n}", line) for n, line in enumerate(trial.participation)),
    )
    doses = [d for d in result.doses if d.applies != "no"]
    weight = t("card.depends_on_weight", locale)
    lines += _items(
        t("card.treatment", locale),
        (f"{d.intervention}: {d.dose}" + (weight if d.applies == "unknown" else "") for d in doses),
    )
    lines += _items(t("card.why_not", locale), (reason_text(o, nurse) for o in result.failed), SYMBOLS["failed"])
    if result.verdict != "not_eligible":
        lines += _items(
            t("card.to_confirm", locale), (reason_text(o, nurse) for o in result.unknown), SYMBOLS["unknown"]
        )
        lines += _items(
            t("card.study_team", locale), (reason_text(o, nurse) for o in result.study_team), SYMBOLS["study_team"]
        )
        if result.met:
            lines.append(_para(t("card.met", locale, count=len(result.met))))
    else:
        other = len(result.unknown) + len(result.study_team)
        if other:
            lines.append(_para(t("card.not_needed", locale, count=other)))
    lines += _items(t("card.contacts", locale), other_contacts(trial, step, locale))
    if where:
        lines.append(_para((t("card.where", locale) + " ", "bold"), where))
    lines += _items(
        t("card.sites", locale),
        (", ".join(x for x in (s.facility, s.city, country_name(s.country or "", locale)) if x) for s in trial.sites),
    )
    why = record.why_text(locale)
    if why:
        lines.append(_para(why))
    return lines


def criteria_lines(result: TrialResult, trial: Trial, locale: str = DEFAULT_LOCALE) -> list[Line]:
    """Every criterion's original text (the registry's English, labelled so) and its state for this
    patient (the check states under it)."""
    outcomes = [*result.failed, *result.unknown, *result.met, *result.study_team]
    quoted = t("criteria.registry_text", locale) + ": "
    lines = [_para((t("criteria.heading", locale), "bold"))]
    for section in SECTIONS:
        for criterion in getattr(trial.eligibility, section):
            mine = [o for o in outcomes if o.section == section and o.number == criterion.number]
            if not mine:
                continue
            states = {o.status for o in mine}
            state = next(s for s in ("failed", "unknown", "met", "study_team") if s in states)
            heading = f"{SYMBOLS[state]} {mine[0].criterion} — {check_state_words(state, locale, section)}"
            lines += [_para(""), _para((heading, "bold"))]
            lines.append(_para((quoted, "italic"), criterion.text))
            if len(mine) > 1:
                lines += [
                    (SYMBOLS[o.status], [(f"{check_state_words(o.status, locale, section)}: ", "italic"), (o.text, "")])
                    for o in mine
                ]
    return lines


class TrialCard(Vertical):
    """A trial's card; its criteria (original text and state) show when toggled."""

    def __init__(
        self,
        position: int,
        result: TrialResult,
        trial: Trial,
        as_of: dt.date,
        nurse: bool,
        where: str | None = None,
        locale: str = DEFAULT_LOCALE,
        texts: TrialTexts | None = None,
        vocabulary: Vocabulary | None = None,
        country: str | None = None,
        near: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(classes=f"card {result.verdict}", id=f"card-{trial.nct_id}")
        self.vocabulary = vocabulary
        self.country = country
        self.near = near
        self.position = position
        self.result = result
        self.trial = trial
        self.as_of = as_of
        self.nurse = nurse
        self.where = where
        self.locale = locale
        self.texts = texts
        self.criteria_built = False

    def compose(self) -> ComposeResult:
        yield Static(render_lines(self.lines()), classes="summary")
        criteria = Static("", classes="criteria")
        criteria.display = False
        yield criteria

    def show_criteria(self, shown: bool) -> None:
        """Show or hide the criteria."""
        criteria = self.query_one(".criteria", Static)
        if shown and not self.criteria_built:
            criteria.update(render_lines(criteria_lines(self.result, self.trial, self.locale)))
            self.criteria_built = True
        criteria.display = shown

    def lines(self) -> list[Line]:
        """The card's lines."""
        return card_lines(
            self.position,
            self.result,
            self.trial,
            self.as_of,
            self.nurse,
            self.where,
            self.locale,
            self.texts,
            self.vocabulary,
            self.country,
            self.near,
        )

    def text(self) -> str:
        """The card as plain text."""
        return plain_lines(self.lines())

    def criteria_text(self) -> str:
        """The criteria as plain text."""
        return plain_lines(criteria_lines(self.result, self.trial, self.locale))
