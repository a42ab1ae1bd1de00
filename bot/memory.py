"""Giving memory back to the system after a burst.

A burst of large requests (strangers' megabyte posts to the webhook) leaves the process's heap
full of freed blocks that glibc's allocator keeps for next time: the resident memory stays at
the burst's peak for the life of the process. ``malloc_trim(0)`` returns every whole free page
to the system. It is called once, a moment after a burst has quieted, not per request: it walks
the heap, which costs a few milliseconds. Before it, the garbage collector runs once: a refused
request leaves reference cycles (an exception, its traceback and frames, the request and the
buffers they hold) that only a collection frees, and until then the pages they sit on cannot go
back (bench/webhook_abuse.py: 8 % of the memory kept after five bursts without it, none with
it; the collection takes about 10 ms, the start-up heap being frozen out of it). On a C library
without ``malloc_trim`` (musl, macOS) only the collection is done: those allocators give
memory back on their own or not at all."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


def _find_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _find_trim()


def release_free_memory() -> bool:
    """Free heap pages handed back to the system; False where the C library cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


class TrimAfterBurst:
    """``poke()`` on each sign of a burst; the memory is trimmed ``quiet`` seconds after the
    last poke, once per burst."""

    def __init__(self, quiet: float = 2.0) -> None:
        self._quiet = quiet
        self._timer: asyncio.TimerHandle | None = None

    def poke(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self._quiet, self._trim)

    def _trim(self) -> None:
        self._timer = None
        gc.collect()
        release_free_memory()
        log.debug("free memory handed back after a burst")

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
