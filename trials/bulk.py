"""Pause Python's cyclic garbage collector while building many small objects at once.

Loading a large catalogue creates millions of short-lived and long-lived objects; the cyclic
collector would walk all of them again and again (measured: 1,000 trials load 2-3× slower).
Nothing built here forms reference cycles that need collecting, so the pause is safe.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Run the block with the cyclic collector off (restored afterwards, even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
