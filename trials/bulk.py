"""Keep Python's cyclic garbage collector off the catalogue while, and after, it is built.

Loading a large catalogue creates millions of long-lived objects. Left alone, the cyclic
collector walks all of them again and again, during the build and on every later full
collection (measured on 1,000 trials: a 0.35 s pause inside an unrelated small YAML read).
So the build runs with the collector off, and what it built is then frozen
(``gc.freeze``): it is still freed by reference counting when dropped, but no longer walked.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_allocation(freeze: bool = True) -> Iterator[None]:
    """Run the block with the cyclic collector off, then freeze what survived (unless ``freeze`` is
    False: for short-lived results, such as one match's, which must stay collectable) and restore
    the collector."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
