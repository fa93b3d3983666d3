"""Reading YAML safely and fast: the C safe loader where PyYAML has it, the pure-Python one otherwise.

Both are safe loaders: no tags, no Python objects, only mappings, lists and scalars.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C one is several times faster


def load_yaml(text: str) -> Any:
    """Parse YAML text with a safe loader; raises ``yaml.YAMLError`` with a problem mark on bad input."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
