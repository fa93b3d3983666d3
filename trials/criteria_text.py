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


def split_criteria(text: str | None) -> CriteriaText:
    """The inclusion and exclusion items of a registry criteria text (empty lists for no text)."""
    sections: dict[str, list[_Item]] = {"inclusion": [], "exclusion": []}
    loose: dict[str, list[str]] = {"inclusion": [], "exclusion": []}  # unlisted lines before a section's first item
    section = "inclusion"
    top: tuple[int, str] | None = None
    current: _Item | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.expandtabs(4).rstrip()
        if not line.strip():
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
            if current is None or top is None:
                top = (indent, kind)
                current = _Item(number, marker, [rest])
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
