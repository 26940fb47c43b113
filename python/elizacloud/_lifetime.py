"""Closes every live cloud (sync or asyncio) when the interpreter exits.

atexit hooks run before finalisation, while threads may still take the GIL; closing here joins
every library thread (I/O, dispatcher) and our pump threads, so nothing is left to touch Python
once it is torn down, and exiting with live objects neither hangs nor crashes."""

from __future__ import annotations

import atexit
import weakref
from typing import Protocol


class Closable(Protocol):
    def close(self) -> None: ...


_live: weakref.WeakSet[Closable] = weakref.WeakSet()


def track(obj: Closable) -> None:
    _live.add(obj)


def untrack(obj: Closable) -> None:
    _live.discard(obj)


@atexit.register
def _close_all() -> None:
    for obj in list(_live):
        try:
            obj.close()
        except Exception:  # exiting anyway: one failure must not keep the others open
            pass
