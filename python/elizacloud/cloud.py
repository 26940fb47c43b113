"""The blocking API: :class:`Cloud` and its helpers (defined in ``_client`` and ``_streaming``)."""

from __future__ import annotations

from ._client import Agents, Backups, Cloud, LoginHandle
from ._streaming import EventIterator
from .proxy import Proxy, Stream

__all__ = ["Cloud", "Agents", "Backups", "LoginHandle", "EventIterator", "Proxy", "Stream"]
