"""What the generated resources stand on (hand-written): a resource holds its client and calls the
client's runtime entries, ``_call_operation(name, params, timeout=, on_progress=)`` and, for the
streaming rows, ``_stream_operation(name, params, cls, timeout=)``."""

from __future__ import annotations

from typing import Any, Callable, Protocol, TypeVar

from ..events import Event

# on_progress of operations that follow a provisioning job. The asyncio form may also be a
# coroutine function (it is awaited).
SyncProgressCallback = Callable[[Event], object]
AsyncProgressCallback = Callable[[Event], Any]

# A stream class of _streaming.py: made from the client, how to start the call and the timeout.
S = TypeVar("S")
StreamClass = Callable[[Any, Callable[[], int], "float | None"], S]


class SyncCaller(Protocol):
    def _call_operation(
        self,
        name: str,
        params: dict[str, Any],
        *,
        timeout: float | None = None,
        on_progress: SyncProgressCallback | None = None,
        max_retries: int | None = None,
    ) -> Any: ...

    def _stream_operation(
        self,
        name: str,
        params: dict[str, Any],
        cls: StreamClass[S],
        *,
        timeout: float | None = None,
    ) -> S: ...


class AsyncCaller(Protocol):
    async def _call_operation(
        self,
        name: str,
        params: dict[str, Any],
        *,
        timeout: float | None = None,
        on_progress: AsyncProgressCallback | None = None,
        max_retries: int | None = None,
    ) -> Any: ...

    def _stream_operation(
        self,
        name: str,
        params: dict[str, Any],
        cls: StreamClass[S],
        *,
        timeout: float | None = None,
    ) -> S: ...


class SyncResource:
    def __init__(self, client: SyncCaller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<elizacloud.{type(self).__name__}>"


class AsyncResource:
    def __init__(self, client: AsyncCaller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<elizacloud.{type(self).__name__}>"
