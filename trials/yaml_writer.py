"""Write catalogue YAML the way people write it: block mappings, short rules and contacts in flow
style (``{op: ge, fact: age, value: 18}``), strings plain where that is safe and double-quoted
otherwise, and comments (a header, and trailing comments on chosen fields).

Only mappings, lists, strings, numbers, booleans, None and dates are written; what is written
reads back (with :func:`trials.yaml_text.load_yaml`) as the same data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

FLOW_WIDTH = 130  # a mapping or list this short (with its key) is written on one line
# Records people edit field by field stay in block style however short: these keys' mappings,
# and the items of these keys' lists. Rules, contacts, geo-points and short lists may be one line.
BLOCK_KEYS = frozenset(
    {"source", "status", "design", "sponsor", "eligibility", "arms", "interventions", "sites", "doses"}
    | {"registry", "inclusion", "exclusion", "checks"}
)
_RESOLVER = yaml.resolver.Resolver()  # the implicit types of the safe loader: a plain scalar must read as a string
_STR_TAG = "tag:yaml.org,2002:str"
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_ESCAPE_IN_QUOTES = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_IMPLICIT_FIRST = set("+-.0123456789~nNtTfFyYoO<=")  # the first characters the loader's implicit types start with


def dump_yaml(data: Mapping[str, Any], header: Sequence[str] = (), comments: Mapping[Path_, str] | None = None) -> str:
    """YAML text for a mapping, with ``header`` lines as ``#`` comments and trailing ``comments`` by field path."""
    lines = [f"# {line}".rstrip() for line in header]
    _mapping(data, 0, (), comments or {}, lines)
    return "\n".join(lines) + "\n"


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML (a string plain when it would read back as the same string)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e")  # YAML 1.1 needs the dot to read a float
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"cannot write {type(value).__name__} as YAML")
    return _string(value, flow)


@lru_cache(maxsize=65536)
def _string(value: str, flow: bool) -> str:
    if _plain_ok(value, flow):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _ESCAPE_IN_QUOTES.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\r" in text or "\t" in text:
        return False
    if text[0] in _INDICATORS:
        return False
    if text[0] in _IMPLICIT_FIRST and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:
        return False
    if ": " in text or " #" in text or text.endswith(":") or _NOT_PRINTABLE.search(text):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    return True


def _flow(value: Any) -> str | None:
    """The value on one line, if it is made only of scalars, short mappings and short lists."""
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            inner = _flow(item)
            if inner is None:
                return None
            parts.append(f"{scalar(str(key), flow=True)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        if any(isinstance(item, (dict, list)) for item in value):
            return None  # a list of mappings is written as a block, one item a line
        items = [_flow(item) for item in value]
        if any(item is None for item in items):
            return None
        return "[" + ", ".join(item for item in items if item is not None) + "]"
    if isinstance(value, str) and "\n" in value:
        return None
    return scalar(value, flow=True)


def _comment(path: Path_, comments: Mapping[Path_, str]) -> str:
    text = comments.get(path)
    return f"  # {text}" if text else ""


def _mapping(
    data: Mapping[str, Any], indent: int, path: Path_, comments: Mapping[Path_, str], lines: list[str]
) -> None:
    pad = " " * indent
    for key, value in data.items():
        here = (*path, key)
        _entry(f"{pad}{scalar(str(key))}:", value, indent, here, comments, lines)


def _entry(lead: str, value: Any, indent: int, path: Path_, comments: Mapping[Path_, str], lines: list[str]) -> None:
    """``lead`` is 'key:' (with its indentation); the value follows on the line or below it."""
    if isinstance(value, (dict, list)):
        if not value:
            lines.append(f"{lead} {'{}' if isinstance(value, dict) else '[]'}{_comment(path, comments)}")
            return
        records = isinstance(value, dict) or any(isinstance(item, dict) for item in value)
        flow = None if records and path and path[-1] in BLOCK_KEYS else _flow(value)
        if flow is not None and len(lead) + 1 + len(flow) <= FLOW_WIDTH and not _has_comments_below(path, comments):
            lines.append(f"{lead} {flow}{_comment(path, comments)}")
            return
        lines.append(f"{lead}{_comment(path, comments)}")
        if isinstance(value, dict):
            _mapping(value, indent + 2, path, comments, lines)
        else:
            _sequence(value, indent + 2, path, comments, lines)
        return
    lines.append(f"{lead} {scalar(value)}{_comment(path, comments)}")


def _sequence(items: list[Any], indent: int, path: Path_, comments: Mapping[Path_, str], lines: list[str]) -> None:
    pad = " " * indent
    for index, item in enumerate(items):
        here = (*path, index)
        if isinstance(item, dict) and item:
            flow = None if path and path[-1] in BLOCK_KEYS else _flow(item)
            if flow is not None and indent + 2 + len(flow) <= FLOW_WIDTH and not _has_comments_below(here, comments):
                lines.append(f"{pad}- {flow}{_comment(here, comments)}")
                continue
            first = True
            for key, value in item.items():
                lead = f"{pad}- " if first else f"{pad}  "
                _entry(f"{lead}{scalar(str(key))}:", value, indent + 2, (*here, key), comments, lines)
                first = False
        elif isinstance(item, list) and item:
            flow = _flow(item)
            if flow is None:
                raise ValueError("a list of long lists cannot be written")  # pragma: no cover - not in the format
            lines.append(f"{pad}- {flow}")
        else:
            _entry(f"{pad}-", item, indent + 2, here, comments, lines)


def _has_comments_below(path: Path_, comments: Mapping[Path_, str]) -> bool:
    return any(len(p) > len(path) and p[: len(path)] == path for p in comments)
