"""The generic request (``cloud.request``): any public route of the cloud by method and path, with
the client's key, URL policy, errors, retries and limits. Without ``stream`` it returns a
:class:`Response`; with ``stream="sse"`` or ``"bytes"`` an iterator of :class:`SseFrame` or
``bytes`` whose ``response`` is set once the stream ended."""

from __future__ import annotations

import base64
import json as _json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, TypedDict

from . import _core
from ._files import files_param
from ._streaming import AsyncChunkStream, ChunkStream, write_all, write_all_async
from .errors import InvalidArgumentError
from .events import Event

StreamMode = Literal["sse", "bytes"]


@dataclass(frozen=True)
class SseFrame:
    """One Server-Sent Event of a streamed request."""

    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        """The event's data parsed as JSON (raises ``ValueError`` when it is not JSON)."""
        return _json.loads(self.data)


@dataclass(frozen=True)
class Response:
    """What a route answered (only 2xx: other statuses raise their error)."""

    status: int
    headers: dict[str, str]
    #: the body parsed, when it was JSON
    data: Any = None
    #: the body, when it was text (not JSON)
    text: str | None = None
    #: the body's bytes (JSON, text or binary alike)
    content: bytes = b""
    #: a collected SSE stream (stream="sse" with a synchronous wait)
    events: list[SseFrame] = field(default_factory=list)
    #: the catalogued route that was called (None when uncatalogued)
    route: dict[str, Any] | None = None
    #: requests sent: 1 + retries
    attempts: int = 1
    #: X-RateLimit-Limit/Remaining/Reset as {"limit", "remaining", "reset"}, when sent
    rate_limit: dict[str, Any] | None = None
    #: body bytes received
    bytes_received: int = 0

    def json(self) -> Any:
        """The body as JSON; ``ValueError`` when it was not JSON."""
        if self.data is None and self.text is None and not self.content:
            return None
        if self.data is None:
            raise ValueError("the response body is not JSON")
        return self.data

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Response:
        text = record.get("text")
        content = b""
        if "base64" in record:
            content = base64.b64decode(record["base64"])
        elif text is not None:
            content = text.encode()
        elif "json" in record:
            content = _json.dumps(record["json"]).encode()
        return cls(
            status=int(record.get("status", 0)),
            headers=dict(record.get("headers") or {}),
            data=record.get("json"),
            text=text,
            content=content,
            events=[_frame(e) for e in record.get("events") or []],
            route=record.get("route"),
            attempts=int(record.get("attempts", 1)),
            rate_limit=record.get("rateLimit"),
            bytes_received=int(record.get("bytes", 0)),
        )


def _frame(e: Mapping[str, Any]) -> SseFrame:
    return SseFrame(event=e.get("event", "message"), data=e.get("data", ""), id=e.get("id"))


class RequestOptions(TypedDict, total=False):
    """The options of ``request`` besides ``stream`` and ``timeout`` (docs/requests.md)."""

    #: values of the path's {placeholders}, each percent-encoded
    path_params: Mapping[str, str] | None
    #: strings, numbers, booleans, or lists of them (the key repeated)
    query: Mapping[str, Any] | None
    #: a JSON object body
    json: Mapping[str, Any] | None
    #: a text body, sent as content_type
    body: str | None
    content_type: str | None
    #: a multipart body: {field: file or [files]}, a file being a path, a File or
    #: (filename, data[, content_type])
    files: Mapping[str, Any] | None
    #: the multipart body's text fields (with files)
    form: Mapping[str, str] | None
    #: extra headers (X-App-Id, X-PAYMENT …)
    headers: Mapping[str, str] | None
    #: retries of a transient failure (default: the client's)
    max_retries: int | None
    #: the request is safe to repeat (lets a POST be retried)
    idempotent: bool | None
    #: bound on each attempt, in milliseconds
    timeout_ms: int | None
    #: call a path that is not in the route catalogue
    uncatalogued: bool


# Python's option names → the "request" operation's wire names.
_WIRE = {
    "path_params": "pathParams",
    "query": "query",
    "json": "json",
    "body": "body",
    "content_type": "contentType",
    "files": "files",
    "form": "form",
    "headers": "headers",
    "max_retries": "maxRetries",
    "idempotent": "idempotent",
    "timeout_ms": "timeoutMs",
    "uncatalogued": "uncatalogued",
}


def request_params(
    method: str, path: str, stream: StreamMode | None, options: Mapping[str, Any]
) -> str:
    """The ``request`` operation's parameters (wire names), as JSON text."""
    unknown = sorted(set(options) - set(_WIRE))
    if unknown:
        raise InvalidArgumentError(
            f"request: unknown option {unknown[0]!r}; known: {', '.join(_WIRE)}",
            status=_core.EC_ERR_INVALID_ARGUMENT,
        )
    params: dict[str, Any] = {"method": method.upper(), "path": path}
    if stream is not None:
        params["stream"] = stream
    for name, value in options.items():
        if value is None or (name == "uncatalogued" and not value):
            continue
        if name == "files":
            params["files"] = files_param(value)
            continue
        params[_WIRE[name]] = dict(value) if isinstance(value, Mapping) else value
    return _json.dumps(params)


def _item(ev: Event, mode: StreamMode) -> Any:
    if mode == "bytes":
        return ev.raw if ev.raw is not None else ev.text.encode()
    details = ev.data if isinstance(ev.data, dict) else {}
    return SseFrame(event=details.get("event", "message"), data=ev.text, id=details.get("id"))


def _chunk_bytes(item: SseFrame | bytes) -> bytes:
    return item if isinstance(item, bytes) else (item.data + "\n").encode()


class _RequestParts:
    """What both streams of a generic request keep: the mode, and the record at the end."""

    def __init__(self, cloud: Any, begin: Callable[[], int], mode: StreamMode,
                 timeout: float | None) -> None:
        self._mode: StreamMode = mode
        self.response: Response | None = None
        super().__init__(cloud, begin, timeout)  # type: ignore[call-arg]

    def _chunk(self, ev: _core.Event) -> Any:
        # A chunk arrives as the library's record (the router's fast path): the frame's details
        # are parsed here, for this stream only.
        return _item(Event.from_core(ev), self._mode)

    def _ended(self, ev: Event) -> None:
        if isinstance(ev.data, dict):
            self.response = Response.from_record(ev.data)


class RequestStream(_RequestParts, ChunkStream[Any]):
    """The chunks of a streamed request: :class:`SseFrame` (``stream="sse"``) or ``bytes``
    (``stream="bytes"``), in order. Iterating raises the request's error if it fails;
    :meth:`close` (or leaving a ``with`` block) cancels it. ``response`` (status, headers, route,
    attempts, rate limit) is set once the stream ended."""

    def write_to(self, path: str | os.PathLike[str]) -> int:
        """Writes every remaining chunk to a file (bytes as they come; SSE frames as their data,
        one per line); returns the bytes written. A failure leaves no partial file behind."""
        return write_all(self, path, _chunk_bytes)

    def __enter__(self) -> RequestStream:
        return self


class AsyncRequestStream(_RequestParts, AsyncChunkStream[Any]):
    """``async for chunk in await cloud.request(..., stream="sse")``: the asyncio twin of
    :class:`RequestStream`."""

    async def write_to(self, path: str | os.PathLike[str]) -> int:
        """Writes every remaining chunk to a file; see :meth:`RequestStream.write_to`."""
        return await write_all_async(self, path, _chunk_bytes)

    async def __aenter__(self) -> AsyncRequestStream:
        return self
