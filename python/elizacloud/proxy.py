"""Chat with the connected agent (the blocking API): :class:`Proxy` and :class:`Stream`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterator

from . import _core
from ._closing import Closing
from ._sync import QueueWaiter, deadline
from .errors import CancelledError, ElizaCloudError
from .events import EventType

if TYPE_CHECKING:
    from .cloud import Cloud

__all__ = ["Proxy", "Stream"]

DEFAULT_ROOM = "web-chat"
DEFAULT_CHANNEL = "DM"


def message_params(text: str, room_id: str, channel_type: str) -> dict[str, Any]:
    """The params of ``send`` and ``stream`` (wire names)."""
    return {"text": text, "roomId": room_id, "channelType": channel_type}


class Proxy:
    """Routes messages to one connected cloud agent (returned by :meth:`Cloud.connect`)."""

    def __init__(self, cloud: Cloud, agent_id: str) -> None:
        self._cloud = cloud
        self.agent_id = agent_id

    def send(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> str:
        """Sends a message and returns the agent's reply text (the ``send`` operation)."""
        params = message_params(text, room_id, channel_type)
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
        return Stream(self._cloud, text, room_id, channel_type, timeout)

    def status(self, *, timeout: float | None = None) -> dict[str, Any]:
        """``{"state", "agentName"}`` of the agent (the ``agent.status`` operation)."""
        data = self._cloud._call_operation("agent.status", {}, timeout=timeout)
        return data if isinstance(data, dict) else {}

    def is_alive(self, *, timeout: float | None = None) -> bool:
        """One heartbeat: True when the agent answered it (the ``agent.alive`` operation)."""
        data = self._cloud._call_operation("agent.alive", {}, timeout=timeout)
        return bool(isinstance(data, dict) and data.get("alive"))

    def __repr__(self) -> str:
        return f"<elizacloud.Proxy agent={self.agent_id}>"


class Stream(Closing, Iterator[str]):
    """The text chunks of one streamed reply, in order. Iterating raises the stream's error if it
    fails; :meth:`close` (or leaving a ``with`` block) cancels it. ``text`` is what arrived."""

    def __init__(
        self, cloud: Cloud, text: str, room_id: str, channel_type: str, timeout: float | None
    ) -> None:
        self._cloud = cloud
        self._timeout = timeout
        self._waiter = QueueWaiter("stream")
        self._finished = False
        self.chunks: list[str] = []
        core = cloud._core
        params = json.dumps(message_params(text, room_id, channel_type))
        self.request_id = cloud._hub.router.start(
            lambda: core.call("stream", params), self._waiter
        )

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def __iter__(self) -> Stream:
        return self

    def __next__(self) -> str:
        if self._finished:
            raise StopIteration
        try:
            ev = self._waiter.next(deadline(self._timeout))
        except BaseException:
            self.close()
            raise
        if ev.type == EventType.STREAM_CHUNK:
            self.chunks.append(ev.text)
            return ev.text
        if ev.type == EventType.STREAM_END:
            self._finish()
            error = ev.error
            if error is not None:
                raise error
        raise StopIteration

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

    def __enter__(self) -> Stream:
        return self
