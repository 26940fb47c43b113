"""How the events of a cloud reach whoever waits for them, for both APIs.

Every event of a cloud goes to exactly one consumer in the ABI (the pull queue here), so one
:class:`Router` per cloud hands each event on: request completions, stream chunks and
login/provisioning progress to the waiter of that request; everything unsolicited (state
changes, credentials, backups…) to the cloud's subscribers; log lines to ``logging``.

Blocking API: :class:`SyncHub` is a pump thread that sleeps in ``poll()`` on the cloud's wake fd
(plus the log queue's fd and a stop pipe) with the GIL released, and routes what it drains. No
library thread ever calls into Python this way, so nothing can hang when the interpreter exits.
User callbacks run on a separate thread, in order, so a callback may call any blocking method of
the cloud without starving the pump that must deliver its answer. A request waits in a
:class:`QueueWaiter`: a queue the router feeds, read by the calling thread with a deadline;
blocking in ``SimpleQueue.get`` releases the GIL and stays interruptible, so Ctrl-C or a timeout
cancels the request in the library instead of abandoning it.

asyncio API: the router is fed from ``loop.add_reader`` on the loop thread; a request waits in an
:class:`AsyncWaiter` (which may be failed from any thread: closing, cancelling); one
:class:`LogReader` per event loop drains the log queue."""

from __future__ import annotations

import asyncio
import builtins
import collections
import inspect
import os
import queue
import select
import threading
import time
from typing import Any, Awaitable, Callable, Iterable, Protocol

from . import _core, _logs
from .errors import ElizaCloudError, InvalidArgumentError, TimeoutError
from .events import Event, EventType

Callback = Callable[[Event], object]

_END = object()  # sentinel closing subscriber queues and the callback thread

# Events that belong to one request and never go to subscribers.
_REQUEST_EVENTS = (EventType.STREAM_CHUNK, EventType.STREAM_END, EventType.REQUEST_COMPLETED)
# Events that end a request: its waiter is forgotten as soon as one is routed.
_TERMINAL = (EventType.STREAM_END, EventType.REQUEST_COMPLETED)
_CHUNK = _core.EC_EVENT_STREAM_CHUNK


class Waiter(Protocol):
    """Receives the events of one request, or the error that ended it without one."""

    def deliver(self, ev: Event) -> None: ...

    def deliver_chunks(self, chunks: list[_core.Event]) -> None:
        """Stream chunks, in order, as the library's records."""

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

    def route_all(self, items: list[_core.Event | tuple[int, list[_core.Event]]]) -> None:
        """Routes a batch drained at once (``_core.Cloud.next_events``); a failure of one event
        does not lose the others.

        The hot path of a stream: each run of one stream's chunks comes grouped as
        ``(request_id, [chunks])`` and goes to its stream in one call, as the library's records
        (``type``, ``text``, ``json``, ``raw``), without building an Event per chunk."""
        for item in items:
            if type(item) is tuple:
                request_id, chunks = item
                with self._lock:
                    waiter = self._pending.get(request_id)
                if waiter is not None:
                    waiter.deliver_chunks(chunks)
                continue
            try:
                self.route(item)  # type: ignore[arg-type]
            except Exception:  # a bug here must not kill the delivery of the rest
                _logs.logger.exception("elizacloud: failed to route an event")

    def route(self, raw: _core.Event) -> None:
        if raw.type == _CHUNK:
            return self.route_all([(raw.request_id, [raw])])
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
        # Events of a request always carry its id (login, provisioning progress of a connect or
        # a provision call); one without an id is unsolicited (a reconnect's progress).
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
            while batch := self._core.next_events():
                self.router.route_all(batch)
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


class QueueWaiter:
    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()

    def deliver(self, ev: Event) -> None:
        self._queue.put(ev)

    def deliver_chunks(self, chunks: list[_core.Event]) -> None:
        for chunk in chunks:
            self._queue.put(chunk)  # type: ignore[arg-type]  # read by ChunkStream only

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


class AsyncWaiter:
    """The events of one request, fed by the router on the loop thread (a stream's chunks as the
    library's records, see Router.route). Items wait in a deque; a reader that finds it empty
    awaits one future, set by the next item, so a burst of chunks costs no asyncio machinery
    per chunk (``take_nowait``)."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop if loop is not None else asyncio.get_running_loop()
        # Events, errors, and stream chunks as the library's records (_core.Event).
        self._items: collections.deque[Any] = collections.deque()
        self._wakeup: asyncio.Future[None] | None = None

    def deliver(self, ev: Event) -> None:
        self._append(ev)  # the router runs on the loop thread (loop.add_reader)

    def deliver_chunks(self, chunks: list[_core.Event]) -> None:
        self._items.extend(chunks)  # read by AsyncChunkStream only
        wakeup = self._wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)

    def fail(self, exc: BaseException) -> None:
        # A close() or cancel() may come from another thread: it goes through the loop.
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._append(exc)
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._append, exc)

    def _append(self, item: Event | BaseException) -> None:
        self._items.append(item)
        wakeup = self._wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)

    def take_nowait(self) -> Event | None:
        """The next item if one is waiting (raising a delivered error), else None."""
        if not self._items:
            return None
        item: Event | BaseException = self._items.popleft()
        if isinstance(item, BaseException):
            raise item
        return item

    async def next(self) -> Event:
        while not self._items:
            self._wakeup = self._loop.create_future()
            try:
                await self._wakeup
            finally:
                self._wakeup = None
        item: Event | BaseException = self._items.popleft()
        if isinstance(item, BaseException):
            raise item
        return item

    async def result(self, on_event: Callable[[Event], Any] | None) -> Any:
        while True:
            ev = await self.next()
            if ev.type == EventType.REQUEST_COMPLETED:
                error = ev.error
                if error is not None:
                    raise error
                return ev.data
            if on_event is not None:
                await maybe_await(on_event(ev))


async def maybe_await(value: Any) -> Any:
    """Lets callbacks be plain functions or coroutine functions."""
    if inspect.isawaitable(value):
        return await value
    return value


async def with_timeout(awaitable: Awaitable[Any], timeout: float | None) -> Any:
    """Awaits with an optional limit; the limit raises elizacloud.TimeoutError."""
    if timeout is None:
        return await awaitable
    try:
        async with asyncio.timeout(timeout):
            return await awaitable
    except builtins.TimeoutError as exc:
        if isinstance(exc, TimeoutError):
            raise
        raise TimeoutError("timed out waiting for the cloud", status=_core.EC_ERR_TIMEOUT) from None


class LogReader:
    """One add_reader on the process-wide log queue fd per event loop, shared by its clouds."""

    _users: dict[asyncio.AbstractEventLoop, int] = {}

    @classmethod
    def attach(cls, loop: asyncio.AbstractEventLoop) -> None:
        count = cls._users.get(loop, 0)
        if count == 0:
            loop.add_reader(_logs.log_fd(), _logs.drain)
        cls._users[loop] = count + 1

    @classmethod
    def detach(cls, loop: asyncio.AbstractEventLoop) -> None:
        count = cls._users.get(loop, 0) - 1
        if count > 0:
            cls._users[loop] = count
            return
        cls._users.pop(loop, None)
        if not loop.is_closed():
            loop.remove_reader(_logs.log_fd())
