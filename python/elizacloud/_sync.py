"""Waiting for one request in the sync API: a queue the router feeds, read by the calling thread
with a deadline. Blocking in ``SimpleQueue.get`` releases the GIL and stays interruptible, so
Ctrl-C or a timeout cancels the request in the library instead of abandoning it."""

from __future__ import annotations

import queue
import time
from typing import Any, Callable

from . import _core
from .errors import TimeoutError
from .events import Event, EventType


class QueueWaiter:
    def __init__(self, kind: str = "call", agent_id: str | None = None) -> None:
        self.kind = kind
        self.agent_id = agent_id
        self._queue: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()

    def deliver(self, ev: Event) -> None:
        self._queue.put(ev)

    def fail(self, exc: BaseException) -> None:
        self._queue.put(exc)

    def next(self, deadline: float | None) -> Event:
        """The next event; raises the delivered error, or TimeoutError at the deadline."""
        try:
            if deadline is None:
                item = self._queue.get()
            else:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(
                "timed out waiting for the cloud", status=_core.EC_ERR_TIMEOUT
            ) from None
        if isinstance(item, BaseException):
            raise item
        return item

    def result(self, deadline: float | None, on_event: Callable[[Event], object] | None) -> Any:
        """Waits for REQUEST_COMPLETED and returns its parsed JSON, or raises its error. Other
        events of the request (progress) go to on_event on this thread."""
        while True:
            ev = self.next(deadline)
            if ev.type == EventType.REQUEST_COMPLETED:
                error = ev.error
                if error is not None:
                    raise error
                return ev.data
            if on_event is not None:
                on_event(ev)


def deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


def timeout_ms(timeout: float | None) -> int:
    """Seconds (None = the operation's own limits) as the ABI's timeout_ms (-1 = no limit)."""
    if timeout is None:
        return -1
    return max(0, min(int(timeout * 1000), 2**31 - 1))
