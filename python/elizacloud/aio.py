"""The asyncio API: :class:`AsyncCloud`, the awaitable twin of :class:`elizacloud.Cloud`.

Events reach the loop through ``loop.add_reader(cloud.event_fd)`` and the ABI's non-blocking pull
queue: no thread polls, nothing runs Python off the loop thread. Cancelling the awaiting task (or
a timeout) cancels the request in the library."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import _core, _env, _lifetime, _logs
from ._aio_parts import (
    _END,
    AsyncEventIterator,
    AsyncStream,
    AsyncWaiter,
    LogReader,
    maybe_await,
    with_timeout,
)
from ._options import as_dict, core_options
from ._router import Router
from .cloud import _credentials_observer
from .errors import CancelledError, ElizaCloudError
from .events import Event, EventType, State
from .proxy import DEFAULT_CHANNEL, DEFAULT_ROOM, message_params
from .resources import AsyncAgentsResource, AsyncBackupsResource, AsyncClientOperations
from .resources._base import AsyncProgressCallback
from .types import Backup, BackupInfo, Restored

__all__ = [
    "AsyncCloud",
    "AsyncAgents",
    "AsyncBackups",
    "AsyncProxy",
    "AsyncStream",
    "AsyncEventIterator",
]

# The name of cloud.agents' class before the resources were generated.
AsyncAgents = AsyncAgentsResource

Callback = Callable[[Event], Any]


class AsyncCloud(AsyncClientOperations):
    """One Eliza Cloud account and its active agent, for asyncio. Create it inside a running
    event loop (``async with AsyncCloud() as cloud: ...``); same options and operations as
    ``Cloud`` (the generated ones come from ``elizacloud.resources``)."""

    backups: AsyncBackups  # the generated resource, callable as the method it replaces

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        config_path: str | None = None,
        no_config_file: bool = False,
        insecure_local: bool | None = None,
        ca_file: str | None = None,
        allowed_hosts: str | Sequence[str] | None = None,
        timings: Mapping[str, int] | None = None,
        export_env: bool = True,
        event_queue_capacity: int = 0,
    ) -> None:
        self._loop = asyncio.get_running_loop()
        _logs.sync_level()
        self._core = _core.Cloud(
            **core_options(
                base_url,
                api_key,
                config_path,
                no_config_file,
                insecure_local,
                ca_file,
                allowed_hosts,
                timings,
                event_queue_capacity,
            )
        )
        self._export_env = export_env
        self._observe = _credentials_observer(self._core, export_env)
        self._router = Router(self._unsolicited)
        self._subscribers: list[asyncio.Queue[object]] = []
        self._callbacks: list[tuple[Callback, frozenset[int] | None]] = []
        self._logins: set[int] = set()
        self._closed = False
        self._close_lock = threading.Lock()
        self._loop.add_reader(self._core.event_fd, self._drain)
        LogReader.attach(self._loop)
        self._init_resources()
        self.backups = AsyncBackups(self)  # callable, as the method it replaces
        _lifetime.track(self)

    # ---- event delivery (loop thread) ----------------------------------------------------------

    def _drain(self) -> None:
        try:
            while (raw := self._core.next_event()) is not None:
                try:
                    self._router.route(raw)
                except Exception:
                    _logs.logger.exception("elizacloud: failed to route an event")
        except ElizaCloudError:
            pass  # closed meanwhile

    def _unsolicited(self, ev: Event) -> None:
        self._observe(ev)
        for sub in list(self._subscribers):
            sub.put_nowait(ev)
        for fn, types in list(self._callbacks):
            if types is None or int(ev.type) in types:
                try:
                    result = fn(ev)
                    if asyncio.iscoroutine(result):
                        self._loop.create_task(result)
                except Exception:
                    _logs.logger.exception("elizacloud: event callback %r raised", fn)

    # ---- lifetime ------------------------------------------------------------------------------

    def _detach(self) -> bool:
        with self._close_lock:
            if self._closed:
                return False
            self._closed = True
        _lifetime.untrack(self)
        closed = CancelledError("the cloud was closed", status=_core.EC_ERR_CANCELLED)
        for request_id in self._router.close(closed):
            self._cancel_quietly(request_id)
        if not self._loop.is_closed():
            try:
                self._loop.remove_reader(self._core.event_fd)
            except (ElizaCloudError, RuntimeError):
                pass
            LogReader.detach(self._loop)
        return True

    def _finish(self) -> None:
        for sub in self._subscribers:
            sub.put_nowait(_END)
        self._subscribers.clear()
        _logs.drain()

    def close(self) -> None:
        """Closes at once (blocking briefly); prefer ``await aclose()`` inside the loop."""
        if self._detach():
            self._core.close()
            self._finish()

    async def aclose(self) -> None:
        """Cancels every request and releases the handle without blocking the loop."""
        if self._detach():
            await asyncio.to_thread(self._core.close)
            self._finish()

    async def __aenter__(self) -> AsyncCloud:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @property
    def closed(self) -> bool:
        return self._closed

    def event_stats(self) -> dict[str, int]:
        """Figures of the library's event queue: ``capacity``, ``queued``, ``dropped`` (droppable
        events discarded) and ``streamPauses`` (how often a full queue paused the streams)."""
        stats: dict[str, int] = json.loads(self._core.event_stats())
        return stats

    # ---- plumbing ------------------------------------------------------------------------------

    def _cancel_quietly(self, request_id: int) -> None:
        try:
            self._core.cancel(request_id)
        except ElizaCloudError:
            pass

    async def _request(
        self,
        begin: Callable[[], int],
        *,
        timeout: float | None = None,
        kind: str = "call",
        agent_id: str | None = None,
        on_event: Callable[[Event], Any] | None = None,
    ) -> Any:
        waiter = AsyncWaiter(kind, agent_id, self._loop)
        request_id = self._router.start(begin, waiter)
        if kind == "login":
            self._logins.add(request_id)
        try:
            return await with_timeout(waiter.result(on_event), timeout)
        except BaseException:
            self._cancel_quietly(request_id)  # task cancelled, timeout, callback raised
            raise
        finally:
            self._router.forget(request_id)
            self._logins.discard(request_id)

    async def _call_operation(
        self,
        name: str,
        params: dict[str, Any],
        *,
        timeout: float | None = None,
        on_progress: AsyncProgressCallback | None = None,
    ) -> Any:
        """The one runtime entry of every generated method: ``ec_cloud_call(name, params)``,
        awaited like any request; progress events of the request go to ``on_progress``."""
        text = json.dumps(params)
        return await self._request(
            lambda: self._core.call(name, text),
            timeout=timeout,
            kind="provision" if on_progress is not None else "call",
            agent_id=params.get("agentId"),
            on_event=on_progress,
        )

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Any operation of the catalogue by name (``ec_cloud_call``; see docs/operations.md)."""
        return await self._call_operation(method, dict(params or {}), timeout=timeout)

    # ---- account -------------------------------------------------------------------------------

    async def login(
        self,
        *,
        on_browser_url: Callable[[str], Any] | None = None,
        on_progress: Callable[[str], Any] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Browser login; callbacks may be plain or coroutine functions. Cancel the task (or
        call :meth:`cancel_login`) to cancel the login."""

        async def on_event(ev: Event) -> None:
            if ev.type == EventType.LOGIN_BROWSER_URL and on_browser_url:
                await maybe_await(on_browser_url(ev.text))
            elif ev.type == EventType.LOGIN_PROGRESS and on_progress:
                await maybe_await(on_progress(ev.text))

        result = as_dict(
            await self._request(
                lambda: self._core.call("login", "{}"),
                timeout=timeout,
                kind="login",
                on_event=on_event,
            )
        )
        if self._export_env:
            _env.export_key(self._core.api_key())
        return result

    def cancel_login(self) -> None:
        for request_id in list(self._logins):
            self._cancel_quietly(request_id)

    async def logout(self, *, timeout: float | None = None) -> None:
        await super().logout(timeout=timeout)
        if self._export_env:
            _env.clear_key()

    @property
    def api_key(self) -> str | None:
        return self._core.api_key()

    @property
    def config_path(self) -> str:
        return self._core.config_path()

    # ---- connection ----------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return State(self._core.state())

    @property
    def active_agent(self) -> str | None:
        return self._core.active_agent()

    @property
    def proxy(self) -> AsyncProxy | None:
        agent = self.active_agent
        return AsyncProxy(self, agent) if agent else None

    async def connect(
        self,
        agent_id: str,
        *,
        on_progress: Callable[[Event], Any] | None = None,
        timeout: float | None = None,
    ) -> AsyncProxy:
        params = json.dumps({"agentId": agent_id})
        await self._request(
            lambda: self._core.call("connect", params),
            timeout=timeout,
            kind="connect",
            agent_id=agent_id,
            on_event=on_progress,
        )
        return AsyncProxy(self, agent_id)

    async def disconnect(self, *, timeout: float | None = None) -> None:
        await self._request(lambda: self._core.call("disconnect", "{}"), timeout=timeout)

    # ---- backups (the methods of earlier releases; cloud.backups is the resource) -------------

    async def snapshot(
        self, agent_id: str | None = None, *, timeout: float | None = None
    ) -> Backup:
        """Takes a backup of the connected agent (or of ``agent_id``): ``backups.snapshot``."""
        return await self.backups.snapshot(agent_id=agent_id, timeout=timeout)

    async def restore(
        self,
        backup_id: str | None = None,
        *,
        agent_id: str | None = None,
        timeout: float | None = None,
    ) -> Restored:
        """Restores a backup (the latest when ``backup_id`` is ``None``): ``backups.restore``."""
        return await self.backups.restore(agent_id=agent_id, backup_id=backup_id, timeout=timeout)

    # ---- events --------------------------------------------------------------------------------

    def on_event(
        self, fn: Callback, types: Iterable[EventType] | None = None
    ) -> Callable[[], None]:
        """Calls ``fn(event)`` on the loop for unsolicited events (coroutines become tasks)."""
        entry = (fn, frozenset(int(t) for t in types) if types is not None else None)
        self._callbacks.append(entry)

        def remove() -> None:
            if entry in self._callbacks:
                self._callbacks.remove(entry)

        return remove

    def on_state_change(self, fn: Callback) -> Callable[[], None]:
        return self.on_event(fn, [EventType.STATE_CHANGED])

    def events(
        self, types: Iterable[EventType] | None = None, *, timeout: float | None = None
    ) -> AsyncEventIterator:
        """``async for event in cloud.events(): ...`` — ends when the cloud closes, or after
        ``timeout`` seconds without an event."""
        return AsyncEventIterator(self._subscribers, types, timeout)

    def __repr__(self) -> str:
        if self._closed:
            return "<elizacloud.AsyncCloud closed>"
        return f"<elizacloud.AsyncCloud state={self.state} agent={self.active_agent}>"


class AsyncBackups(AsyncBackupsResource):
    """``cloud.backups`` of an :class:`AsyncCloud`: the generated resource (``list``,
    ``snapshot``, ``restore``). Awaiting a call of it lists the backups, as
    ``await cloud.backups(agent_id)`` did before the resource existed."""

    async def __call__(
        self, agent_id: str | None = None, *, timeout: float | None = None
    ) -> list[BackupInfo]:
        return await self.list(agent_id=agent_id, timeout=timeout)


class AsyncProxy:
    """Chat with the connected agent (returned by :meth:`AsyncCloud.connect`)."""

    def __init__(self, cloud: AsyncCloud, agent_id: str) -> None:
        self._cloud = cloud
        self.agent_id = agent_id

    async def send(
        self,
        text: str,
        *,
        room_id: str = DEFAULT_ROOM,
        channel_type: str = DEFAULT_CHANNEL,
        timeout: float | None = None,
    ) -> str:
        params = message_params(text, room_id, channel_type)
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
        params = json.dumps(message_params(text, room_id, channel_type))
        return AsyncStream(self._cloud, lambda: core.call("stream", params), timeout)

    async def status(self, *, timeout: float | None = None) -> dict[str, Any]:
        data = await self._cloud._call_operation("agent.status", {}, timeout=timeout)
        return data if isinstance(data, dict) else {}

    async def is_alive(self, *, timeout: float | None = None) -> bool:
        data = await self._cloud._call_operation("agent.alive", {}, timeout=timeout)
        return bool(isinstance(data, dict) and data.get("alive"))

    def __repr__(self) -> str:
        return f"<elizacloud.AsyncProxy agent={self.agent_id}>"
