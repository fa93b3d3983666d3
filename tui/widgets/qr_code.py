"""A QR code drawn in terminal half-block characters, so a phone camera can read it off the screen.

Each character cell holds two modules, one above the other (``▀``, ``▄``, ``█`` or a space), drawn
black on white whatever the theme, with a white quiet zone around the symbol. Nothing is written to
disk: the code is made in memory (segno) and drawn as text.

At 80×24 the code may be at most 23 rows high (the key bar takes the last row): a version 6 symbol
(41 modules) with a quiet zone of 2 modules is 45 modules, 23 rows. Error correction L (7 %): a
screen is a clean surface, and L leaves the most room for the text (134 bytes at version 6).
"""

from __future__ import annotations

import segno
from rich.text import Text

MAX_VERSION = 6
QUIET_ZONE = 2  # modules of white around the symbol (the standard's 4 would not fit 24 rows)
STYLE = "#000000 on #ffffff"
_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


class TooLong(ValueError):
    """The text does not fit the largest code that fits the screen."""


def make_code(text: str, max_version: int = MAX_VERSION) -> segno.QRCode:
    """The QR code (byte mode, UTF-8, error correction L) for ``text``, at most ``max_version``."""
    try:
        code = segno.make(text, error="l", micro=False, boost_error=False, encoding="utf-8")
    except segno.DataOverflowError as exc:
        raise TooLong(str(exc)) from exc
    if code.version > max_version:  # type: ignore[operator]
        raise TooLong(f"needs version {code.version}, at most {max_version} fits")
    return code


def fit_text(head: str, lines: list[str], max_version: int = MAX_VERSION) -> str:
    """``head`` and ``lines`` joined by newlines, ``head`` (then the last lines) shortened with "…"
    until the code fits ``max_version``."""

    def fits(text: str) -> bool:
        try:
            make_code(text, max_version)
        except TooLong:
            return False
        return True

    body = list(lines)
    while True:
        full = "\n".join([head, *body])
        if fits(full):
            return full
        low, high = 0, len(head)  # the longest head that fits: a binary search
        while low < high:
            middle = (low + high + 1) // 2
            if fits("\n".join([head[:middle] + "…", *body])):
                low = middle
            else:
                high = middle - 1
        if low >= min(len(head), 12):  # at least the trial id and a little of the title
            return "\n".join([head[:low] + "…", *body])
        if not body:
            raise TooLong(head)
        last = body.pop()
        if len(last) > 1:
            body.append(last[: len(last) // 2] + "…")


def matrix(code: segno.QRCode, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The code's modules (True: dark), with ``border`` light modules all around."""
    return [[bool(v) for v in row] for row in code.matrix_iter(scale=1, border=border)]


def half_blocks(modules: list[list[bool]]) -> list[str]:
    """Two rows of modules per line of text (an odd last row is paired with a light one)."""
    rows = modules + ([[False] * len(modules[0])] if len(modules) % 2 else [])
    return [
        "".join(_CELLS[(top, bottom)] for top, bottom in zip(rows[y], rows[y + 1], strict=True))
        for y in range(0, len(rows), 2)
    ]


def modules_from_half_blocks(lines: list[str]) -> list[list[bool]]:
    """The modules a drawing shows (for checking it: the inverse of :func:`half_blocks`)."""
    cells = {char: pair for pair, char in _CELLS.items()}
    out: list[list[bool]] = []
    for line in lines:
        pairs = [cells[char] for char in line]
        out += [[p[0] for p in pairs], [p[1] for p in pairs]]
    return out


def qr_text(text: str, max_version: int = MAX_VERSION) -> Text:
    """``text`` as a QR code in half blocks, black on white."""
    return Text("\n".join(half_blocks(matrix(make_code(text, max_version)))), style=STYLE, no_wrap=True)
