"""Pieces of the asyncio API: the waiter a request awaits, the shared log reader, streams and
event iterators. Everything here runs on the event loop's thread, except that a waiter may be
failed (closing, cancelling) from any thread."""

from __future__ import annotations

import asyncio
import builtins
import inspect
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from . import _core, _logs
from .errors import CancelledError, TimeoutError
from .events import Event, EventType

if TYPE_CHECKING:
    from .aio import AsyncCloud

_END = object()


class AsyncWaiter:
    """The events of one request, fed by the router on the loop thread."""

    def __init__(
        self,
        kind: str = "call",
        agent_id: str | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.kind = kind
        self.agent_id = agent_id
        self._loop = loop if loop is not None else asyncio.get_running_loop()
        self._queue: asyncio.Queue[Event | BaseException] = asyncio.Queue()

    def deliver(self, ev: Event) -> None:
        self._put(ev)

    def fail(self, exc: BaseException) -> None:
        self._put(exc)

    def _put(self, item: Event | BaseException) -> None:
        # asyncio.Queue is not thread-safe and a put from another thread would not wake the
        # loop: a close() or cancel() from another thread goes through the loop.
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._queue.put_nowait(item)
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    async def next(self) -> Event:
        item = await self._queue.get()
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


class AsyncStream(AsyncIterator[str]):
    """The text chunks of one streamed reply (``async for chunk in proxy.stream(text)``)."""

    def __init__(self, cloud: AsyncCloud, begin: Callable[[], int], timeout: float | None) -> None:
        self._cloud = cloud
        self._timeout = timeout
        self._waiter = AsyncWaiter("stream", loop=cloud._loop)
        self._finished = False
        self.chunks: list[str] = []
        self.request_id = cloud._router.start(begin, self._waiter)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def __aiter__(self) -> AsyncStream:
        return self

    async def __anext__(self) -> str:
        if self._finished:
            raise StopAsyncIteration
        try:
            ev: Event = await with_timeout(self._waiter.next(), self._timeout)
        except BaseException:
            self.cancel()
            raise
        if ev.type == EventType.STREAM_CHUNK:
            self.chunks.append(ev.text)
            return ev.text
        self._finish()
        error = ev.error
        if error is not None:
            raise error
        raise StopAsyncIteration

    def _finish(self) -> None:
        self._finished = True
        self._cloud._router.forget(self.request_id)

    def cancel(self) -> None:
        """Cancels the stream (any thread); a task awaiting its next chunk gets CancelledError."""
        if not self._finished:
            self._finish()
            cancelled = CancelledError("the stream was cancelled", status=_core.EC_ERR_CANCELLED)
            self._waiter.fail(cancelled)
            self._cloud._cancel_quietly(self.request_id)

    async def aclose(self) -> None:
        self.cancel()

    async def __aenter__(self) -> AsyncStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.cancel()


class AsyncEventIterator(AsyncIterator[Event]):
    """Unsolicited events of one cloud (``async for ev in cloud.events()``)."""

    def __init__(
        self, subscribers: list[asyncio.Queue[object]], types: Any, timeout: float | None
    ) -> None:
        self._subscribers = subscribers
        self._types = frozenset(int(t) for t in types) if types is not None else None
        self._timeout = timeout
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        subscribers.append(self._queue)
        self._closed = False

    def __aiter__(self) -> AsyncEventIterator:
        return self

    async def __anext__(self) -> Event:
        while not self._closed:
            try:
                item = await with_timeout(self._queue.get(), self._timeout)
            except TimeoutError:
                break
            if item is _END:
                break
            assert isinstance(item, Event)
            if self._types is None or int(item.type) in self._types:
                return item
        self.close()
        raise StopAsyncIteration

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self._queue in self._subscribers:
                self._subscribers.remove(self._queue)

    async def aclose(self) -> None:
        self.close()
