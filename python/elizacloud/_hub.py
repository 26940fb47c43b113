"""The sync API's consumer of one cloud's events: a pump thread that sleeps in ``poll()`` on the
cloud's wake fd (plus the log queue's fd and a stop pipe) with the GIL released, and routes what
it drains. No library thread ever calls into Python this way, so nothing can hang when the
interpreter exits. User callbacks run on a separate thread, in order, so a callback may call any
blocking method of the cloud without starving the pump that must deliver its answer."""

from __future__ import annotations

import os
import queue
import select
import threading
from typing import Callable, Iterable

from . import _core, _logs
from ._router import Router
from .errors import ElizaCloudError
from .events import Event, EventType

Callback = Callable[[Event], object]

_END = object()  # sentinel closing subscriber queues and the callback thread


class SyncHub:
    def __init__(self, core: _core.Cloud, observe: Callable[[Event], None]) -> None:
        self._core = core
        self._observe = observe  # the cloud's own bookkeeping (environment export)
        self.router = Router(self._unsolicited)
        self._lock = threading.Lock()
        self._subscribers: list[queue.SimpleQueue[object]] = []
        self._callbacks: list[tuple[Callback, frozenset[int] | None]] = []
        self._callback_queue: queue.SimpleQueue[object] | None = None
        self._callback_thread: threading.Thread | None = None
        self._stop_read, self._stop_write = os.pipe()
        self._pump = threading.Thread(target=self._run, name="elizacloud-events", daemon=True)
        self._pump.start()

    # ---- pump ----------------------------------------------------------------------------------

    def _run(self) -> None:
        event_fd, log_fd = self._core.event_fd, _logs.log_fd()
        poller = select.poll()
        for fd in (event_fd, log_fd, self._stop_read):
            poller.register(fd, select.POLLIN)
        while True:
            ready = {fd for fd, _ in poller.poll()}
            if self._stop_read in ready:
                break
            if log_fd in ready:
                _logs.drain()
            if event_fd in ready and not self._drain():
                break
        _logs.drain()

    def _drain(self) -> bool:
        try:
            while (raw := self._core.next_event()) is not None:
                try:
                    self.router.route(raw)
                except Exception:  # a bug here must not kill the pump
                    _logs.logger.exception("elizacloud: failed to route an event")
        except ElizaCloudError:  # the handle closed under us
            return False
        return True

    def _unsolicited(self, ev: Event) -> None:
        self._observe(ev)
        with self._lock:
            subscribers = list(self._subscribers)
            callbacks = self._callback_queue
        for sub in subscribers:
            sub.put(ev)
        if callbacks is not None:
            callbacks.put(ev)

    # ---- subscribers and callbacks ------------------------------------------------------------

    def subscribe(self) -> queue.SimpleQueue[object]:
        sub: queue.SimpleQueue[object] = queue.SimpleQueue()
        with self._lock:
            self._subscribers.append(sub)
        return sub

    def unsubscribe(self, sub: queue.SimpleQueue[object]) -> None:
        with self._lock:
            if sub in self._subscribers:
                self._subscribers.remove(sub)

    def add_callback(self, fn: Callback, types: Iterable[EventType] | None) -> Callable[[], None]:
        entry = (fn, frozenset(int(t) for t in types) if types is not None else None)
        with self._lock:
            self._callbacks.append(entry)
            if self._callback_thread is None:
                self._callback_queue = queue.SimpleQueue()
                self._callback_thread = threading.Thread(
                    target=self._run_callbacks, name="elizacloud-callbacks", daemon=True
                )
                self._callback_thread.start()

        def remove() -> None:
            with self._lock:
                if entry in self._callbacks:
                    self._callbacks.remove(entry)

        return remove

    def _run_callbacks(self) -> None:
        assert self._callback_queue is not None
        while (item := self._callback_queue.get()) is not _END:
            assert isinstance(item, Event)
            with self._lock:
                callbacks = list(self._callbacks)
            for fn, types in callbacks:
                if types is not None and int(item.type) not in types:
                    continue
                try:
                    fn(item)
                except Exception:
                    _logs.logger.exception("elizacloud: event callback %r raised", fn)

    # ---- shutdown ------------------------------------------------------------------------------

    def stop_pump(self) -> None:
        """Stops the pump (joined unless called from it). The handle must still be open."""
        try:
            os.write(self._stop_write, b"x")
        except OSError:
            pass
        if threading.current_thread() is not self._pump:
            self._pump.join()

    def close(self) -> None:
        """After the handle is closed: ends iterators and the callback thread."""
        with self._lock:
            subscribers, self._subscribers = self._subscribers, []
            callbacks, thread = self._callback_queue, self._callback_thread
        for sub in subscribers:
            sub.put(_END)
        if callbacks is not None:
            callbacks.put(_END)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10.0)  # a stuck user callback must not hang close() forever
        for fd in (self._stop_read, self._stop_write):
            try:
                os.close(fd)
            except OSError:
                pass
        _logs.drain()
