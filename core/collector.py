"""Python's cyclic garbage collector paused around a batch that builds many objects at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (usable as a decorator).

    Each collection of the oldest generation walks every live object of the process, and a batch that
    allocates hundreds of thousands of rows, tuples and dataclass instances triggers several of them:
    on the optimizer run over 47,000 candidates they took half of the run's time. Reference counting
    still frees everything that is not part of a cycle; cycles made meanwhile wait for the next
    collection after the block. Nested blocks keep it paused until the outermost one ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
