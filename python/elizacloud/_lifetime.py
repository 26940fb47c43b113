"""``with`` support and a last-chance close (Closing) for objects that own library resources,
and closing every live cloud (sync or asyncio) when the interpreter exits.

atexit hooks run before finalisation, while threads may still take the GIL; closing here joins
every library thread (I/O, dispatcher) and our pump threads, so nothing is left to touch Python
once it is torn down, and exiting with live objects neither hangs nor crashes."""

from __future__ import annotations

import atexit
import weakref
from typing import Any, Protocol


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


class Closing:
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # during garbage collection nobody could handle it
            pass
