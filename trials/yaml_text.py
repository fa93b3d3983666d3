"""Reading YAML safely and fast: the C safe loader where PyYAML has it, the pure-Python one otherwise.

Both are safe loaders: no tags, no Python objects, only mappings, lists and scalars.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # several times faster; both are safe loaders
    SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    SafeLoader = yaml.SafeLoader


def load_yaml(text: str) -> Any:
    """Parse YAML text with a safe loader; raises ``yaml.YAMLError`` with a problem mark on bad input."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
