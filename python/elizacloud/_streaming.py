"""The iterators of both APIs: the text chunks of one streamed reply (Stream, AsyncStream) and a
cloud's unsolicited events (EventIterator, AsyncEventIterator). Fed by the router (_dispatch.py)."""

from __future__ import annotations

import asyncio
import os
import queue
import tempfile
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Iterable, Iterator, TypeVar

from . import _core
from ._dispatch import _END, AsyncWaiter, QueueWaiter, SyncHub, deadline, with_timeout
from ._lifetime import Closing
from .errors import CancelledError, ElizaCloudError, TimeoutError
from .events import Event, EventType

if TYPE_CHECKING:
    from ._client import AsyncCloud, Cloud

T = TypeVar("T")

# A chunk reaches its stream as the library's own record (_core.Event: type, text, json, raw),
# not as an Event (see Router.route); _chunk reads those fields only.
_CHUNK = _core.EC_EVENT_STREAM_CHUNK


class ChunkStream(Closing, Iterator[T]):
    """The chunks of one streamed request, in order: what :class:`Stream` (an agent's reply) and
    the generic request's stream share. Iterating raises the stream's error if it fails;
    :meth:`close` (or leaving a ``with`` block) cancels it. Subclasses say what a chunk event
    yields (``_chunk``) and what a successful end carries (``_ended``)."""

    def __init__(self, cloud: Cloud, begin: Callable[[], int], timeout: float | None) -> None:
        self._cloud = cloud
        self._timeout = timeout
        self._waiter = QueueWaiter()
        self._finished = False
        self.request_id = cloud._hub.router.start(begin, self._waiter)

    def __iter__(self) -> ChunkStream[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        try:
            ev = self._waiter.next(deadline(self._timeout))
        except BaseException:
            self.close()
            raise
        if ev.type == _CHUNK:
            return self._chunk(ev)  # type: ignore[arg-type]  # a chunk is a _core.Event
        if ev.type == EventType.STREAM_END:
            self._finish()
            error = ev.error
            if error is not None:
                raise error
            self._ended(ev)
        raise StopIteration

    def _chunk(self, ev: _core.Event) -> T:
        raise NotImplementedError

    def _ended(self, ev: Event) -> None:
        pass

    def _finish(self) -> None:
        self._finished = True
        self._cloud._hub.router.forget(self.request_id)

    def close(self) -> None:
        """Cancels the stream if it is still running (any thread): a reader blocked in
        ``next()`` gets CancelledError at once."""
        if not self._finished:
            self._finish()
            self._waiter.fail(
                CancelledError("the stream was closed", status=_core.EC_ERR_CANCELLED)
            )
            try:
                self._cloud._core.cancel(self.request_id)
            except ElizaCloudError:
                pass

    def __enter__(self) -> ChunkStream[T]:
        return self


class Stream(ChunkStream[str]):
    """The text chunks of one streamed reply, in order. ``text`` is what arrived."""

    def __init__(self, cloud: Cloud, begin: Callable[[], int], timeout: float | None) -> None:
        self.chunks: list[str] = []
        super().__init__(cloud, begin, timeout)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def _chunk(self, ev: _core.Event) -> str:
        self.chunks.append(ev.text)
        return ev.text

    def __enter__(self) -> Stream:
        return self


class EventIterator(Closing, Iterator[Event]):
    """Unsolicited events of one cloud, in order (see :meth:`Cloud.events`)."""

    def __init__(self, hub: SyncHub, types: Iterable[EventType] | None, timeout: float | None):
        self._hub = hub
        self._types = frozenset(int(t) for t in types) if types is not None else None
        self._timeout = timeout
        self._queue: Any = hub.subscribe()
        self._closed = False

    def __iter__(self) -> EventIterator:
        return self

    def __next__(self) -> Event:
        while not self._closed:
            try:
                item = self._queue.get(timeout=self._timeout)
            except queue.Empty:
                break
            if item is _END:
                break
            if self._types is None or int(item.type) in self._types:
                return item  # type: ignore[no-any-return]
        self.close()
        raise StopIteration

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._hub.unsubscribe(self._queue)

    def __enter__(self) -> EventIterator:
        return self


class AsyncChunkStream(AsyncIterator[T]):
    """The asyncio twin of :class:`ChunkStream`."""

    def __init__(self, cloud: AsyncCloud, begin: Callable[[], int], timeout: float | None) -> None:
        self._cloud = cloud
        self._timeout = timeout
        self._waiter = AsyncWaiter(loop=cloud._loop)
        self._finished = False
        self.request_id = cloud._router.start(begin, self._waiter)

    def __aiter__(self) -> AsyncChunkStream[T]:
        return self

    async def __anext__(self) -> T:
        if self._finished:
            raise StopAsyncIteration
        # The hot path of a long stream: a chunk already here is taken without awaiting.
        items = self._waiter._items
        if items:
            first = items[0]
            if type(first) is _core.Event and first.type == _CHUNK:
                items.popleft()
                return self._chunk(first)
        try:
            ev = self._waiter.take_nowait()
            if ev is None:
                ev = await with_timeout(self._waiter.next(), self._timeout)
        except BaseException:
            self.cancel()
            raise
        if ev.type == _CHUNK:
            return self._chunk(ev)  # type: ignore[arg-type]  # a chunk is a _core.Event
        self._finish()
        error = ev.error
        if error is not None:
            raise error
        self._ended(ev)
        raise StopAsyncIteration

    def _chunk(self, ev: _core.Event) -> T:
        raise NotImplementedError

    def _ended(self, ev: Event) -> None:
        pass

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

    async def __aenter__(self) -> AsyncChunkStream[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.cancel()


class AsyncStream(AsyncChunkStream[str]):
    """The text chunks of one streamed reply (``async for chunk in proxy.stream(text)``)."""

    def __init__(self, cloud: AsyncCloud, begin: Callable[[], int], timeout: float | None) -> None:
        self.chunks: list[str] = []
        super().__init__(cloud, begin, timeout)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def _chunk(self, ev: _core.Event) -> str:
        self.chunks.append(ev.text)
        return ev.text

    async def __aenter__(self) -> AsyncStream:
        return self


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


# ---- the inference and audio streams of the generated methods ---------------------------------


class _PartFile:
    """A file written under a fresh temporary name beside path (created exclusively, so it
    follows no symlink and two writers never share it) and renamed into place only when
    complete."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        target = os.fspath(path)
        folder, name = os.path.dirname(target) or ".", os.path.basename(target)
        fd, self.tmp = tempfile.mkstemp(dir=folder, prefix=name + ".", suffix=".part")
        self.file = os.fdopen(fd, "wb")
        self.written = 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.written += len(chunk)

    def commit(self) -> int:
        self.file.close()
        os.replace(self.tmp, self.path)
        return self.written

    def discard(self) -> None:
        self.file.close()
        if os.path.exists(self.tmp):
            os.unlink(self.tmp)


def write_all(stream: ChunkStream[Any], path: str | os.PathLike[str],
              to_bytes: Callable[[Any], bytes]) -> int:
    """Writes every remaining chunk of stream to path (no partial file on failure, and a failed
    write such as a full disk or Ctrl-C cancels the stream); returns the bytes written."""
    out = _PartFile(path)
    try:
        for item in stream:
            out.write(to_bytes(item))
    except BaseException:
        out.discard()
        stream.close()
        raise
    return out.commit()


async def write_all_async(stream: AsyncChunkStream[Any], path: str | os.PathLike[str],
                          to_bytes: Callable[[Any], bytes]) -> int:
    """The asyncio twin of :func:`write_all`."""
    out = _PartFile(path)
    try:
        async for item in stream:
            out.write(to_bytes(item))
    except BaseException:
        out.discard()
        stream.cancel()
        raise
    return out.commit()


class _InferenceParts:
    """What both inference streams keep: the text deltas and, at the end, the whole answer."""

    def __init__(self, *args: Any) -> None:
        self.chunks: list[str] = []
        self.result: dict[str, Any] | None = None
        super().__init__(*args)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def _chunk(self, ev: _core.Event) -> str:
        self.chunks.append(ev.text)
        return ev.text

    def _ended(self, ev: Event) -> None:
        self.result = ev.data if isinstance(ev.data, dict) else {}

    def _answer(self) -> dict[str, Any]:
        if self.result is None:  # closed, or its error was raised already
            raise CancelledError(
                "the stream ended without its answer", status=_core.EC_ERR_CANCELLED
            )
        return self.result


class _AudioParts:
    """What both audio streams keep: the bytes as they came and, at the end, their size."""

    def __init__(self, *args: Any) -> None:
        self.result: dict[str, Any] | None = None
        super().__init__(*args)

    def _chunk(self, ev: _core.Event) -> bytes:
        return ev.raw if ev.raw is not None else ev.text.encode()

    def _ended(self, ev: Event) -> None:
        self.result = ev.data if isinstance(ev.data, dict) else {}


class InferenceStream(_InferenceParts, ChunkStream[str]):
    """The text deltas of a chat-completion or message stream, in order (``for delta in
    stream``); ``text`` is what arrived; :meth:`final` waits for the end and returns the whole
    answer: the completion (``text``, ``finishReason``, ``toolCalls``, ``usage``) or the final
    message (``content`` blocks with tool-use ``input`` parsed, ``stop_reason``, ``usage``). An
    error event mid-stream is raised."""

    def final(self) -> dict[str, Any]:
        for _ in self:
            pass
        return self._answer()

    def __enter__(self) -> InferenceStream:
        return self


class AudioStream(_AudioParts, ChunkStream[bytes]):
    """The bytes of a binary answer (text to speech) as they come; :meth:`write_to` saves them
    (no partial file on failure); ``result`` (``bytes``, ``contentType``) once it ended."""

    def write_to(self, path: str | os.PathLike[str]) -> int:
        return write_all(self, path, bytes)

    def __enter__(self) -> AudioStream:
        return self


class AsyncInferenceStream(_InferenceParts, AsyncChunkStream[str]):
    """The asyncio twin of :class:`InferenceStream` (``async for``, ``await final()``)."""

    async def final(self) -> dict[str, Any]:
        async for _ in self:
            pass
        return self._answer()


class AsyncAudioStream(_AudioParts, AsyncChunkStream[bytes]):
    """The asyncio twin of :class:`AudioStream`."""

    async def write_to(self, path: str | os.PathLike[str]) -> int:
        return await write_all_async(self, path, bytes)
