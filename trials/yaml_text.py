"""Reading YAML safely and fast: the C safe loader where PyYAML has it, the pure-Python one otherwise.

Both are safe loaders: no tags, no Python objects, only mappings, lists and scalars. On top of
that, every YAML this program reads (profiles, trial files, its own data) is read strictly:

- a key given twice in one mapping is refused (the last one would silently win);
- aliases are limited before anything walks the document: at most :data:`MAX_ALIASES` uses and
  :data:`MAX_EXPANDED_NODES` nodes once expanded (a "billion laughs" file is refused at once),
  and an alias that contains itself is refused;
- a value the safe loader cannot build (``2026-02-30``, a time ``25:61:00``, a whole number of
  thousands of digits) is a YAML error with its line, not a Python exception.

Every refusal is a ``yaml.YAMLError`` (with a ``problem`` and a ``problem_mark``), the one error
the readers already report with file and line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C one is several times faster

MAX_ALIASES = 100
MAX_EXPANDED_NODES = 100_000
MAX_INT_DIGITS = 30  # far beyond any count or measurement; Python refuses 4,300 with its own error


class _StrictLoader(SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise ConstructorError(
                            "while reading a mapping",
                            node.start_mark,
                            f"the key {key_node.value[:80]!r} is given twice (give each key once)",
                            key_node.start_mark,
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _guarded(name: str, build: Any) -> Any:
    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        value = str(node.value)
        if name == "whole number" and sum(c.isdigit() for c in value) > MAX_INT_DIGITS:
            raise ConstructorError(
                None, None, f"a whole number of more than {MAX_INT_DIGITS} digits is not accepted", node.start_mark
            )
        try:
            return build(loader, node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(
                None, None, f"{value[:40]!r} is not a valid {name}: {exc}", node.start_mark
            ) from None

    return construct


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _guarded("whole number", SafeLoader.construct_yaml_int))
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _guarded("number", SafeLoader.construct_yaml_float))
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _guarded("date", SafeLoader.construct_yaml_timestamp))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_aliases(root: yaml.Node) -> None:
    """Refuse a composed document whose aliases are too many, expand too far, or contain themselves."""
    done: dict[int, int] = {}  # node id -> expanded size
    open_nodes: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            size = 1 + sum(done[id(c)] for c in _children(node))
            if size > MAX_EXPANDED_NODES and aliases:
                raise ConstructorError(
                    None,
                    None,
                    f"its aliases expand to more than {MAX_EXPANDED_NODES:,} values; write the values out instead",
                    node.start_mark,
                )
            done[key] = size
            open_nodes.discard(key)
            continue
        if key in open_nodes:
            raise ConstructorError(None, None, "an alias that contains itself is not accepted", node.start_mark)
        if key in done:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise ConstructorError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name) are not accepted", node.start_mark
                )
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def load_yaml(text: str) -> Any:
    """Parse YAML text strictly with a safe loader; raises ``yaml.YAMLError`` with a problem mark on bad input."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
