"""Split ClinicalTrials.gov ``eligibilityCriteria`` text into numbered inclusion and exclusion items.

The registry text is CommonMark written by many hands: "Inclusion Criteria:" and "Exclusion
Criteria:" headings (sometimes "Key ...", in bold, in capitals), numbered lists (``1.``, ``1)``,
``(1)``), ``*`` and ``-`` bullets, ``\\-`` escaped dashes used as bullets, nested indentation,
lettered sub-items, and paragraphs continuing an item. Each top-level item becomes a
:class:`CriterionItem` with its number (the registry's own, or 1, 2, 3... for bullets) and its
verbatim text, sub-items kept with their parent. Markdown escapes (``\\<``, ``\\[``) are shown as
the characters they stand for. Nothing is dropped: every non-blank line ends up in some item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (CommonMark)
_MARKER = re.compile(
    r"^(?P<indent>[ ]*)(?:"
    r"(?P<dec>\d{1,3}(?:\.\d{1,3})+)\.?"  # 1.1  1.2.
    r"|(?P<num>\d{1,3})[.)]"  # 1.  1)
    r"|\((?P<pnum>\d{1,3})\)"  # (1)
    r"|(?P<letter>[a-zA-Z]|[ivxIVX]{2,4})[.)]"  # a.  b)  iv.
    r"|\((?P<pletter>[a-zA-Z]|[ivxIVX]{2,4})\)"  # (a)
    r"|(?P<bullet>\\?[*\-+]|[•·▪◦●■□➢►])"  # *  -  \-  •
    r")[ ]+(?P<rest>\S.*)$"
)
_HEADING = re.compile(
    r"^[\s#*_]*(?:(?:key|main|major|general|principal|other|additional|specific)\s+)?"
    r"(?P<which>inclusion|exclusion)"
    r"(?:\s+criteri(?:a|on)\b(?P<rest>.*)|\s*:(?P<after_colon>.*))$",
    re.IGNORECASE,
)
_DECORATION = " \t*_#:"
# Words that only introduce the sub-items after them ("Adequate organ function:", "Female subjects").
_LEAD_IN = re.compile(
    r":\s*$|^\s*(?:(?:fe)?male|women|men)(?:\s+(?:subjects|patients|participants))?\s*\.?\s*$"
    r"|\b(?:the following|as follows|defined as|including)\s*\.?\s*$",
    re.IGNORECASE,
)


class CriterionItem(BaseModel):
    """One top-level item of the criteria text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    text: str  # the whole item, verbatim (markers of sub-items kept), lines joined by newlines
    parts: list[str]  # the item's own words, then each sub-item (nested lines included), then any later paragraph
    head_is_lead_in: bool = False  # the first part only introduces the sub-items ("Female subjects", "as follows:")


class CriteriaText(BaseModel):
    """The criteria of one record, by section; ``preamble`` is text before the first heading that is not a list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    inclusion: list[CriterionItem]
    exclusion: list[CriterionItem]


def unescape(text: str) -> str:
    """Markdown escapes shown as the characters they stand for: ``\\<60 kg`` -> ``<60 kg``."""
    return _ESCAPE.sub(r"\1", text)


def fold(text: str) -> str:
    """Whitespace folded to single spaces, for comparing texts whose line breaks differ."""
    return " ".join(text.split())


@dataclass
class _Sub:
    marker: str
    indent: int
    lines: list[str]


@dataclass
class _Item:
    number: str | None
    marker: str
    head: list[str] = field(default_factory=list)
    blocks: list[_Sub | list[str]] = field(default_factory=list)  # sub-items and later paragraphs, in order
    sub_indent: int | None = None

    def add_sub(self, marker: str, indent: int, rest: str) -> None:
        if self.sub_indent is None or indent <= self.sub_indent + 1:
            if self.sub_indent is None:
                self.sub_indent = indent
            self.blocks.append(_Sub(marker, indent, [rest]))
            return
        last = self._last_sub()
        if last is None:  # pragma: no cover - a deeper marker always follows a first-level one
            self.blocks.append(_Sub(marker, indent, [rest]))
            return
        depth = 1 if indent - last.indent < 4 else 2
        last.lines.append("  " * depth + f"{marker} {rest}")

    def add_text(self, line: str, indent: int, top_indent: int) -> None:
        stripped = line.strip()
        if not self.blocks:
            self.head.append(stripped)
            return
        last = self.blocks[-1]
        if isinstance(last, _Sub) and indent > top_indent:
            last.lines.append(stripped)  # a paragraph of the sub-item
        elif isinstance(last, list):
            last.append(stripped)
        else:
            self.blocks.append([stripped])

    def _last_sub(self) -> _Sub | None:
        return next((b for b in reversed(self.blocks) if isinstance(b, _Sub)), None)

    def render(self) -> tuple[str, list[str], bool]:
        lines = list(self.head)
        parts = [" ".join(self.head)] if self.head else []
        for block in self.blocks:
            if isinstance(block, _Sub):
                lines.append(f"{block.marker} {block.lines[0]}")
                lines.extend(block.lines[1:])
                parts.append("\n".join(line.strip() for line in block.lines))
            else:
                lines.extend(block)
                parts.append(" ".join(block))
        head = " ".join(self.head)
        lead_in = bool(self.blocks) and bool(head) and bool(_LEAD_IN.search(head))
        return "\n".join(lines), parts, lead_in


# Classic registry layouts without list markers. The NCI PDQ layout of 1999-2000 names groups in
# capitals ("DISEASE CHARACTERISTICS:") and short labels ("Hepatic:"), one requirement a line, and
# the registry later ran those lines together and wrapped them at about 90 columns. The marks
# below find where one requirement ends and the next starts in such a paragraph.
_FORCED, _LABEL = "\x00", "\x01"  # pre-pass marks: "a top-level item", "a label for the next item"
_PDQ_HEADING = re.compile(r"^[A-Z][A-Z /&-]{3,}:")
_ITEM_ACRONYMS = frozenset(
    "WBC SGOT SGPT AST ALT ECOG AFP PT PTT INR HIV CNS LVEF ANC HCT HBsAg HCV HBV AIDS NYHA ALK".split()
)
_CONTINUES = frozenset(
    """of to with than by as for from and or nor the a an in on per including except such e.g. i.e. no not any
    all both either neither prior concurrent at within into vs versus plus via if that which who is
    are be was been has have had times than between among after before during""".split()
)
_LABEL_LINE = re.compile(r"^[A-Za-z][\w /&,()'-]{0,60}:$")


def _starts_item(previous: str, token: str) -> bool:
    """Whether ``token`` starts a new requirement in a run-together paragraph, after ``previous``."""
    if previous.endswith((":", ",", ";", "(", "-", "/", "&")) or previous.lower() in _CONTINUES:
        return False
    starts = bool(re.match(r"[A-Z][a-z]", token)) or token.rstrip(":") in _ITEM_ACRONYMS
    if not starts:
        return False
    if re.fullmatch(r"[A-Z][a-z][\w-]*", previous):  # "Performance Status", "No New York Heart Association"
        return False
    acronym = re.fullmatch(r"\(?[A-Z]{2,}[a-z]?\)?\.?", previous) and previous.strip("().") not in (
        "OR",
        "AND",
        "NOT",
        "NO",
    )
    grade = re.fullmatch(r"[A-D]|I{1,3}|IV", previous)  # "Child-Pugh grade A or B Albumin at least 25 g/L"
    unit = re.search(r"/[A-Za-z0-9]+$", previous)  # "10 g/dL Platelet count", "45 mL/min"
    return bool(re.search(r"[a-z0-9)%.\]]$", previous) or acronym or grade or unit)


def run_together_items(paragraph: str) -> list[str]:
    """A paragraph of requirements run together ("... carcinoma No major vessel involvement Disease must ...")
    split where each starts; a piece of one word stays with the one before."""
    tokens = paragraph.split()
    pieces: list[list[str]] = []
    for index, token in enumerate(tokens):
        if pieces and index > 0 and _starts_item(tokens[index - 1], token) and len(pieces[-1]) >= 2:
            pieces.append([token])
        elif pieces:
            pieces[-1].append(token)
        else:
            pieces.append([token])
    if len(pieces) > 1 and len(pieces[-1]) < 2:
        pieces[-2].extend(pieces.pop())
    return [" ".join(piece) for piece in pieces]


def _paragraphs(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _unlisted_paragraphs(lines: list[str]) -> list[str]:
    """The lines with each paragraph that has no list marker and starts at the left margin marked as
    items (``_FORCED``), or as a label for the next item (``_LABEL``, "Hepatic:"); other lines as they are.

    Such a paragraph before a section's first listed item stays as it is (the section's intro)."""
    out: list[str] = []
    paragraphs = _paragraphs(lines)
    listed_later = [False] * len(paragraphs)
    seen = False
    for index in range(len(paragraphs) - 1, -1, -1):
        if any(_heading(line) is not None for line in paragraphs[index]):
            seen = False
        listed_later[index] = seen
        seen = seen or any(_MARKER.match(line) for line in paragraphs[index])
    listed = False
    for index, paragraph in enumerate(paragraphs):
        if any(_heading(line) is not None for line in paragraph):
            listed = False
        first = paragraph[0]
        pdq = bool(_PDQ_HEADING.match(first.strip())) and _heading(first) is None
        # in a run-together paragraph a wrapped line may start with "3.0 mg/dL": not a list marker
        markers = any(_MARKER.match(line) and not (pdq and not line.startswith(" ")) for line in paragraph)
        plain_left = not markers and not first.startswith(" ") and _heading(first) is None
        if plain_left and _LABEL_LINE.match(first.strip()) and len(paragraph) == 1 and len(first.split()) <= 6:
            out.append(_LABEL + first.strip())
        elif (
            plain_left
            and (pdq or listed or not listed_later[index] or len(paragraph) > 1)
            and not paragraph[-1].rstrip().endswith(":")
        ):
            if not pdq and any(len(line) < 60 for line in paragraph[:-1]):
                out.extend(_FORCED + line.strip() for line in paragraph)  # short lines: one item a line
                out.append("")
                continue
            words = " ".join(line.strip() for line in paragraph)
            if pdq:
                label, words = words.split(":", 1)
                out.append(_LABEL + label + ":")
            out.extend(_FORCED + item for item in run_together_items(words))
        else:
            out.extend(paragraph)
        out.append("")
        listed = listed or markers
    return out


def split_criteria(text: str | None) -> CriteriaText:
    """The inclusion and exclusion items of a registry criteria text (empty lists for no text)."""
    sections: dict[str, list[_Item]] = {"inclusion": [], "exclusion": []}
    loose: dict[str, list[str]] = {"inclusion": [], "exclusion": []}  # unlisted lines before a section's first item
    section = "inclusion"
    top: tuple[int, str] | None = None
    current: _Item | None = None
    label: list[str] = []  # "Hepatic:" lines waiting for the item they name
    lines = [raw.expandtabs(4).rstrip() for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for line in _unlisted_paragraphs(lines):
        if not line.strip():
            continue
        if line.startswith(_LABEL):
            label.append(line[1:])
            continue
        if line.startswith(_FORCED):
            current = _Item(None, "", [*label, unescape(line[1:])])
            label = []
            sections[section].append(current)
            continue
        heading = _heading(line)
        if heading is not None:
            which, rest = heading
            section, top, current = which, None, None
            if not rest:
                continue
            line = rest
        match = _MARKER.match(line)
        if match is not None:
            indent = len(match["indent"])
            kind, number, marker = _kind(match)
            rest = unescape(match["rest"].strip())
            if top is None and current is not None and not label and (current.blocks or current.head[-1].endswith(":")):
                current.add_sub(marker, indent, rest)  # the sub-items of an unlisted paragraph ("... as follows:")
            elif current is None or top is None or label:
                top = (indent, kind)
                current = _Item(number, marker, [*label, rest])
                label = []
                sections[section].append(current)
            elif _same_list(top[1], kind) and indent < top[0] + 2:
                current = _Item(number, marker, [rest])
                sections[section].append(current)
            else:
                current.add_sub(marker, indent, rest)
            continue
        plain = unescape(line)
        indent = len(line) - len(line.lstrip(" "))
        if current is None:
            loose[section].append(plain.strip())
        else:
            current.add_text(plain, indent, top[0] if top else 0)
    return CriteriaText(
        inclusion=_numbered(sections["inclusion"], loose["inclusion"]),
        exclusion=_numbered(sections["exclusion"], loose["exclusion"]),
    )


def _same_list(top_kind: str, kind: str) -> bool:
    """Whether a marker continues the top-level list: the same kind, or a plain number after
    decimal ones ("1.1 ...", "1.2 ...", "2. ..."); a decimal after a plain number is a sub-item."""
    return kind == top_kind or (top_kind == "dec" and kind == "num")


def _heading(line: str) -> tuple[str, str] | None:
    """('inclusion' or 'exclusion', any criterion text after the heading's colon), for a heading line."""
    if _MARKER.match(line):
        return None
    match = _HEADING.match(line.strip())
    if match is None:
        return None
    which = match["which"].lower()
    if match["after_colon"] is not None:
        return which, unescape(match["after_colon"].strip(_DECORATION))
    rest = (match["rest"] or "").strip()
    bare = rest.strip(_DECORATION)
    if not bare or rest.rstrip(" *_").endswith(":") or (bare.startswith("(") and bare.endswith(")")):
        return which, ""  # "Inclusion Criteria:", "Inclusion criteria for cohort A:", "(all of the following)"
    if rest.startswith(":") or rest.lstrip("*_ ").startswith(":"):
        return which, unescape(bare)
    return None  # "Inclusion criteria include adults who..." is a sentence, not a heading


def _kind(match: re.Match[str]) -> tuple[str, str | None, str]:
    """The marker's kind (items of one list share it), its number if it has one, and the marker as shown."""
    if match["dec"]:
        return "dec", match["dec"], match["dec"]
    if match["num"]:
        return "num", match["num"], match.group(0).strip().split(" ", 1)[0]
    if match["pnum"]:
        return "num", match["pnum"], f"({match['pnum']})"
    if match["letter"]:
        return "letter", match["letter"], match.group(0).strip().split(" ", 1)[0]
    if match["pletter"]:
        return "letter", match["pletter"], f"({match['pletter']})"
    bullet = unescape(match["bullet"])
    return f"bullet{bullet}", None, bullet


def _numbered(items: list[_Item], loose: list[str]) -> list[CriterionItem]:
    """Items with their numbers (bullets counted 1, 2, 3...; a repeated number gets a letter)."""
    out: list[CriterionItem] = []
    if not items:
        # No list at all: every line is an item of its own.
        return [CriterionItem(number=str(i), text=line, parts=[line]) for i, line in enumerate(loose, start=1)]
    if loose:
        text = "\n".join(loose)
        out.append(CriterionItem(number="intro", text=text, parts=[" ".join(loose)]))
    seen: set[str] = {"intro"} if loose else set()
    for position, item in enumerate(items, start=1):
        number = item.number or str(position)
        unique, suffix = number, 0
        while unique in seen:
            suffix += 1
            unique = f"{number}{chr(ord('a') + suffix)}" if suffix < 26 else f"{number}-{suffix}"
        seen.add(unique)
        text, parts, lead_in = item.render()
        out.append(CriterionItem(number=unique, text=text, parts=parts, head_is_lead_in=lead_in))
    return out
