"""Routes the events of one cloud's queue to whoever waits for them.

Every event of a cloud goes to exactly one consumer in the ABI (the pull queue here), so one
router per cloud hands each event on: request completions, stream chunks and login/provisioning
progress to the waiter of that request; everything unsolicited (state changes, credentials,
backups…) to the cloud's subscribers; log lines to ``logging``. The sync API feeds it from a pump
thread, the asyncio API from ``loop.add_reader`` on the same loop thread."""

from __future__ import annotations

import threading
from typing import Callable, Protocol

from . import _core, _logs
from .errors import InvalidArgumentError
from .events import Event, EventType

# Events that belong to one request and never go to subscribers.
_REQUEST_EVENTS = (EventType.STREAM_CHUNK, EventType.STREAM_END, EventType.REQUEST_COMPLETED)
# Events that end a request: its waiter is forgotten as soon as one is routed.
_TERMINAL = (EventType.STREAM_END, EventType.REQUEST_COMPLETED)


class Waiter(Protocol):
    """Receives the events of one request, or the error that ended it without one."""

    kind: str  # "call", "login", "connect", "provision", "stream"
    agent_id: str | None

    def deliver(self, ev: Event) -> None: ...

    def fail(self, exc: BaseException) -> None: ...


class Router:
    def __init__(self, unsolicited: Callable[[Event], None]) -> None:
        self._unsolicited = unsolicited
        self._lock = threading.Lock()
        self._pending: dict[int, Waiter] = {}
        self._closed = False

    def start(self, begin: Callable[[], int], waiter: Waiter) -> int:
        """Starts a request with ``begin()`` and registers its waiter before any of its events can
        be routed (the lock is held across both, and routing takes the same lock)."""
        with self._lock:
            if self._closed:
                raise InvalidArgumentError(
                    "the cloud is closed", status=_core.EC_ERR_INVALID_ARGUMENT
                )
            request_id = begin()
            self._pending[request_id] = waiter
            return request_id

    def forget(self, request_id: int) -> None:
        with self._lock:
            self._pending.pop(request_id, None)

    def route(self, raw: _core.Event) -> None:
        if raw.type == _core.EC_EVENT_LOG:
            _logs.logger.log(_logs._LEVELS.get(raw.log_level, 40), "%s", raw.text)
            return
        ev = Event.from_core(raw)
        with self._lock:
            targets = self._targets(ev)
        for waiter in targets:
            waiter.deliver(ev)
        if ev.type not in _REQUEST_EVENTS:
            self._unsolicited(ev)

    def _targets(self, ev: Event) -> list[Waiter]:
        waiter = self._pending.get(ev.request_id) if ev.request_id else None
        if waiter is not None:
            if ev.type in _TERMINAL:
                del self._pending[ev.request_id]
            return [waiter]
        # Progress the library reports without a request id goes to every request it concerns.
        if ev.type in (EventType.LOGIN_BROWSER_URL, EventType.LOGIN_PROGRESS):
            return [w for w in self._pending.values() if w.kind == "login"]
        if ev.type == EventType.PROVISION_PROGRESS:
            return [
                w
                for w in self._pending.values()
                if w.kind in ("connect", "provision") and w.agent_id in (None, ev.agent_id)
            ]
        return []

    def close(self, exc: BaseException) -> list[int]:
        """Ends every waiting request with ``exc`` and refuses new ones; returns the ids of the
        requests that were waiting, for the caller to cancel in the library."""
        with self._lock:
            self._closed = True
            pending = list(self._pending.items())
            self._pending.clear()
        for _, waiter in pending:
            waiter.fail(exc)
        return [request_id for request_id, _ in pending]
