"""Chat with the connected agent: :class:`Proxy` (blocking) and :class:`AsyncProxy` (asyncio),
returned by ``connect()``. ``send``, ``status`` and ``is_alive`` run the catalogue's ``send``,
``agent.status`` and ``agent.alive`` through the client's ``_call_operation``; ``stream`` returns
the iterators of _streaming.py."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._streaming import AsyncStream, Stream

if TYPE_CHECKING:
    from ._client import AsyncCloud, Cloud

__all__ = ["Proxy", "AsyncProxy", "Stream", "AsyncStream"]

DEFAULT_ROOM = "web-chat"
DEFAULT_CHANNEL = "DM"


def message_params(
    text: str, room_id: str, channel_type: str, agent_id: str | None = None
) -> dict[str, Any]:
    """The params of ``send`` and ``stream`` (wire names); an ``agentId`` sends to that agent
    directly instead of the connected one."""
    params: dict[str, Any] = {"text": text, "roomId": room_id, "channelType": channel_type}
    if agent_id is not None:
        params["agentId"] = agent_id
    return params


class Proxy:
    """Routes messages to one connected cloud agent (returned by :meth:`Cloud.connect`).

    ``Proxy(cloud, agent_id, direct=True)`` talks to a running agent without connecting: each
    message goes straight to its bridge, with no heartbeat, reconnects or backups (what a
    one-shot ``elizacloud chat`` uses)."""

    def __init__(self, cloud: Cloud, agent_id: str, *, direct: bool = False) -> None:
        self._cloud = cloud
        self.agent_id = agent_id
        self._target = agent_id if direct else None

    def send(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> str:
        """Sends a message and returns the agent's reply text (the ``send`` operation)."""
        params = message_params(text, room_id, channel_type, self._target)
        data = self._cloud._call_operation("send", params, timeout=timeout)
        if isinstance(data, dict):
            return str(data.get("text", ""))
        return "" if data is None else str(data)

    def stream(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> Stream:
        """Sends a message and iterates over the reply's text chunks as they arrive.
        ``timeout`` bounds the wait for each chunk (the library also has an idle timeout)."""
        core = self._cloud._core
        params = json.dumps(message_params(text, room_id, channel_type, self._target))
        return Stream(self._cloud, lambda: core.call("stream", params), timeout)

    def status(self, *, timeout: float | None = None) -> dict[str, Any]:
        """``{"state", "agentName"}`` of the connected agent (the ``agent.status`` operation)."""
        data = self._cloud._call_operation("agent.status", {}, timeout=timeout)
        return data if isinstance(data, dict) else {}

    def is_alive(self, *, timeout: float | None = None) -> bool:
        """One heartbeat: True when the agent answered it (the ``agent.alive`` operation)."""
        data = self._cloud._call_operation("agent.alive", {}, timeout=timeout)
        return bool(isinstance(data, dict) and data.get("alive"))

    def __repr__(self) -> str:
        return f"<elizacloud.Proxy agent={self.agent_id}>"


class AsyncProxy:
    """Chat with the connected agent (returned by :meth:`AsyncCloud.connect`).
    ``AsyncProxy(cloud, agent_id, direct=True)`` talks to a running agent without connecting,
    as :class:`Proxy` does."""

    def __init__(self, cloud: AsyncCloud, agent_id: str, *, direct: bool = False) -> None:
        self._cloud = cloud
        self.agent_id = agent_id
        self._target = agent_id if direct else None

    async def send(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> str:
        params = message_params(text, room_id, channel_type, self._target)
        data = await self._cloud._call_operation("send", params, timeout=timeout)
        if isinstance(data, dict):
            return str(data.get("text", ""))
        return "" if data is None else str(data)

    def stream(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> AsyncStream:
        """``async for chunk in proxy.stream(text)``; ``timeout`` bounds each chunk's wait."""
        core = self._cloud._core
        params = json.dumps(message_params(text, room_id, channel_type, self._target))
        return AsyncStream(self._cloud, lambda: core.call("stream", params), timeout)

    async def status(self, *, timeout: float | None = None) -> dict[str, Any]:
        data = await self._cloud._call_operation("agent.status", {}, timeout=timeout)
        return data if isinstance(data, dict) else {}

    async def is_alive(self, *, timeout: float | None = None) -> bool:
        data = await self._cloud._call_operation("agent.alive", {}, timeout=timeout)
        return bool(isinstance(data, dict) and data.get("alive"))

    def __repr__(self) -> str:
        return f"<elizacloud.AsyncProxy agent={self.agent_id}>"
