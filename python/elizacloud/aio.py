"""The asyncio API: :class:`AsyncCloud`, the awaitable twin of :class:`elizacloud.Cloud` (defined in
``_client`` and ``_streaming``)."""

from __future__ import annotations

from ._client import AsyncAgents, AsyncBackups, AsyncCloud
from ._streaming import AsyncEventIterator, AsyncStream
from .proxy import AsyncProxy

__all__ = [
    "AsyncCloud",
    "AsyncAgents",
    "AsyncBackups",
    "AsyncProxy",
    "AsyncStream",
    "AsyncEventIterator",
]
