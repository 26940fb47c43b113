"""The two clients: :class:`Cloud` (blocking) and :class:`AsyncCloud` (asyncio), one Eliza Cloud
account and its active agent each, over the C ABI.

The operations of the catalogue (``cloud.agents.create``, ``cloud.credits``, ``cloud.jobs.get``…)
are generated into ``resources/`` (both clients inherit them) and all run through
``_call_operation``; what is written here is the session: the handle, events, login, connect,
disconnect, the connected agent's proxy, and the names of earlier releases.

Blocking: every method waits with the GIL released and accepts ``timeout`` (seconds; ``None``
leaves the library's own limits in charge); a timeout, Ctrl-C or :meth:`Cloud.close` from another
thread cancels the request in the library. Events are delivered by a pump thread (SyncHub).

asyncio: events reach the loop through ``loop.add_reader(cloud.event_fd)`` and the ABI's
non-blocking pull queue: no thread polls, nothing runs Python off the loop thread. Cancelling the
awaiting task (or a timeout) cancels the request in the library."""

from __future__ import annotations

import asyncio
import json
import threading
import weakref
from typing import Any, Callable, Iterable, Literal, Mapping, Sequence, Unpack, overload

from . import _core, _env, _lifetime, _logs
from ._dispatch import (
    _END,
    AsyncWaiter,
    LogReader,
    QueueWaiter,
    Router,
    SyncHub,
    deadline,
    maybe_await,
    with_timeout,
)
from ._lifetime import Closing
from ._options import as_dict, core_options
from ._request import (
    AsyncRequestStream,
    RequestOptions,
    RequestStream,
    Response,
    StreamMode,
    request_params,
)
from ._streaming import AsyncEventIterator, EventIterator
from .errors import CancelledError, ElizaCloudError
from .events import Event, EventType, State
from .proxy import AsyncProxy, Proxy
from .resources import (
    AgentsResource,
    AsyncAgentsResource,
    AsyncBackupsResource,
    AsyncClientOperations,
    BackupsResource,
    ClientOperations,
)
from .resources._base import AsyncProgressCallback, S, StreamClass, SyncProgressCallback
from .types import Backup, BackupInfo, Restored

# The names of cloud.agents' classes before the resources were generated.
Agents = AgentsResource
AsyncAgents = AsyncAgentsResource

Callback = Callable[[Event], Any]


def _credentials_observer(core: _core.Cloud, export_env: bool) -> Callable[[Event], None]:
    def observe(ev: Event) -> None:
        if export_env and ev.type == EventType.CREDENTIALS_CHANGED:
            if ev.text:
                _env.export_key(core.api_key())
            else:
                _env.clear_key()

    return observe


def _starter(core: _core.Cloud, name: str, params: str, max_retries: int | None) -> Callable[[], int]:
    """How a generated method starts its request: ``ec_cloud_call``, or ``ec_cloud_call_with``
    when the call carries its own options."""
    if max_retries is None:
        return lambda: core.call(name, params)
    options = json.dumps({"maxRetries": max_retries})
    return lambda: core.call_with(name, params, options)


class _ClientState:
    """What the blocking and the asyncio clients share and is not a wait: the handle's state
    read from the library, without blocking."""

    _core: _core.Cloud
    _closed: bool

    @property
    def closed(self) -> bool:
        return self._closed

    def event_stats(self) -> dict[str, int]:
        """Figures of the library's event queue: ``capacity``, ``queued``, ``dropped`` (droppable
        events discarded) and ``streamPauses`` (how often a full queue paused the streams)."""
        stats: dict[str, int] = json.loads(self._core.event_stats())
        return stats

    @property
    def api_key(self) -> str | None:
        """The API key in use (for the host to persist), or ``None``. Never log it."""
        return self._core.api_key()

    @property
    def config_path(self) -> str:
        return self._core.config_path()

    @property
    def state(self) -> State:
        return State(self._core.state())

    @property
    def active_agent(self) -> str | None:
        return self._core.active_agent()

    def _cancel_quietly(self, request_id: int) -> None:
        try:
            self._core.cancel(request_id)
        except ElizaCloudError:
            pass


class Cloud(_ClientState, Closing, ClientOperations):
    """One Eliza Cloud account and its active agent, over the C ABI.

    The operations of the catalogue (``cloud.agents.create``, ``cloud.credits``,
    ``cloud.jobs.get``…) are generated (``elizacloud.resources``, docs/operations.md); login,
    connect, disconnect, streams and events are written here.

    >>> with Cloud() as cloud:
    ...     cloud.login(on_browser_url=print)
    ...     agent = cloud.agents.create("bot")
    ...     reply = cloud.connect(agent["id"]).send("hello")
    """

    backups: Backups  # the generated resource, callable as the method it replaces

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
        api_generation: Literal["auto", "milady", "eliza"] | None = None,
        confirm_price: str | None = None,
        site_url: str | None = None,
        max_retries: int | None = None,
    ) -> None:
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
                api_generation,
                confirm_price,
                site_url,
                max_retries,
            )
        )
        self._export_env = export_env
        self._hub = SyncHub(self._core, _credentials_observer(self._core, export_env))
        self._close_lock = threading.Lock()
        self._closed = False
        self._logins: weakref.WeakSet[LoginHandle] = weakref.WeakSet()
        self._init_resources()
        self.backups = Backups(self)  # callable, as the method it replaces
        _lifetime.track(self)

    # ---- lifetime ------------------------------------------------------------------------------

    def close(self) -> None:
        """Cancels every request, stops the connection without a final backup (call
        :meth:`disconnect` first for one) and releases the handle. Idempotent, any thread."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        _lifetime.untrack(self)
        closed = CancelledError("the cloud was closed", status=_core.EC_ERR_CANCELLED)
        for request_id in self._hub.router.close(closed):
            self._cancel_quietly(request_id)
        self._hub.stop_pump()
        self._core.close()
        self._hub.close()

    def __enter__(self) -> Cloud:
        return self

    # ---- plumbing ------------------------------------------------------------------------------

    def _request(
        self,
        begin: Callable[[], int],
        *,
        timeout: float | None = None,
        on_event: Callable[[Event], object] | None = None,
    ) -> Any:
        waiter = QueueWaiter()
        request_id = self._hub.router.start(begin, waiter)
        try:
            return waiter.result(deadline(timeout), on_event)
        except BaseException:
            self._cancel_quietly(request_id)  # timeout, Ctrl-C, an on_event that raised
            raise
        finally:
            self._hub.router.forget(request_id)

    def _call_operation(
        self,
        name: str,
        params: dict[str, Any],
        *,
        timeout: float | None = None,
        on_progress: SyncProgressCallback | None = None,
        max_retries: int | None = None,
    ) -> Any:
        """The one runtime entry of every generated method: ``ec_cloud_call(name, params)``,
        waited for like any request; progress events of the request go to ``on_progress``;
        ``max_retries`` replaces the client's for this call (``ec_cloud_call_with``)."""
        text = json.dumps(params)
        return self._request(
            _starter(self._core, name, text, max_retries),
            timeout=timeout,
            on_event=on_progress,
        )

    def _stream_operation(
        self,
        name: str,
        params: dict[str, Any],
        cls: StreamClass[S],
        *,
        timeout: float | None = None,
    ) -> S:
        """The entry of the generated streaming methods: ``ec_cloud_call(name, params)`` read as
        a stream of class ``cls`` (chunks, then the accumulated answer)."""
        text = json.dumps(params)
        return cls(self, lambda: self._core.call(name, text), timeout)

    def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Any operation of the catalogue by name (``ec_cloud_call``; see docs/operations.md)."""
        return self._call_operation(method, dict(params or {}), timeout=timeout)

    # ---- any route -----------------------------------------------------------------------------

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        stream: None = None,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> Response: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        stream: StreamMode,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> RequestStream: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        stream: StreamMode | None = None,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> Response | RequestStream:
        """Any public route of the cloud (``ec_cloud_request``; docs/requests.md).

        ``path`` is the route from the origin: a template (``/api/v1/apps/{id}``, values in
        ``path_params``, each percent-encoded) or a concrete, already encoded path; it must be a
        route of the cloud's generation (:meth:`routes` lists them) unless ``uncatalogued``.
        Options: ``path_params``, ``query``, ``json`` or ``body`` + ``content_type`` or
        ``files`` + ``form`` (multipart), ``headers``, ``max_retries``, ``idempotent``, ``timeout_ms``, ``uncatalogued``. Returns
        a :class:`Response`; with ``stream="sse"`` or ``"bytes"`` a stream of
        :class:`SseFrame` or ``bytes`` (``timeout`` then bounds each chunk's wait)."""
        params = request_params(method, path, stream, options)
        if stream is not None:
            return RequestStream(self, lambda: self._core.call("request", params), stream, timeout)
        record = self._request(lambda: self._core.call("request", params), timeout=timeout)
        return Response.from_record(record)

    # ---- account -------------------------------------------------------------------------------

    def start_login(
        self,
        *,
        on_browser_url: Callable[[str], object] | None = None,
        on_progress: Callable[[str], object] | None = None,
    ) -> LoginHandle:
        """Starts the browser login and returns at once; see :class:`LoginHandle`."""
        handle = LoginHandle(self, on_browser_url, on_progress)
        self._logins.add(handle)
        return handle

    def login(
        self,
        *,
        on_browser_url: Callable[[str], object] | None = None,
        on_progress: Callable[[str], object] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Browser login: ``on_browser_url(url)`` is called (on this thread) with the URL the user
        must open. Returns ``{"keyPrefix", "expiresAt", "userId", "organizationId"}``; the key
        is saved to the config file and exported as ``ELIZAOS_CLOUD_API_KEY``. Cancel it with
        :meth:`cancel_login` from another thread, or Ctrl-C."""
        return self.start_login(on_browser_url=on_browser_url, on_progress=on_progress).wait(
            timeout
        )

    def cancel_login(self) -> None:
        """Cancels every login in progress (any thread); they raise CancelledError."""
        for handle in list(self._logins):
            handle.cancel()

    def logout(self, *, timeout: float | None = None) -> None:
        """Disconnects (with the final backup), removes the key from the config file and from
        ``os.environ``."""
        super().logout(timeout=timeout)
        if self._export_env:
            _env.clear_key()

    # ---- connection ----------------------------------------------------------------------------

    @property
    def proxy(self) -> Proxy | None:
        """A proxy to the connected agent, or ``None`` when disconnected."""
        agent = self.active_agent
        return Proxy(self, agent) if agent else None

    def connect(
        self,
        agent_id: str,
        *,
        on_progress: Callable[[Event], object] | None = None,
        timeout: float | None = None,
    ) -> Proxy:
        """Provisions the agent (following its job; ``on_progress`` gets each job event), starts
        backups and the heartbeat monitor, and returns a proxy to chat with it."""
        params = json.dumps({"agentId": agent_id})
        self._request(
            lambda: self._core.call("connect", params),
            timeout=timeout,
            on_event=on_progress,
        )
        return Proxy(self, agent_id)

    def disconnect(self, *, timeout: float | None = None) -> None:
        """Final backup (bounded), stops backups and the monitor, state ``disconnected``."""
        self._request(lambda: self._core.call("disconnect", "{}"), timeout=timeout)

    # ---- backups (the methods of earlier releases; cloud.backups is the resource) -------------

    def snapshot(self, agent_id: str | None = None, *, timeout: float | None = None) -> Backup:
        """Takes a backup of the connected agent (or of ``agent_id``): ``backups.snapshot``."""
        return self.backups.snapshot(agent_id=agent_id, timeout=timeout)

    def restore(
        self,
        backup_id: str | None = None,
        *,
        agent_id: str | None = None,
        timeout: float | None = None,
    ) -> Restored:
        """Restores a backup (the latest when ``backup_id`` is ``None``): ``backups.restore``."""
        return self.backups.restore(agent_id=agent_id, backup_id=backup_id, timeout=timeout)

    # ---- events --------------------------------------------------------------------------------

    def on_event(
        self, fn: Callable[[Event], object], types: Iterable[EventType] | None = None
    ) -> Callable[[], None]:
        """Calls ``fn(event)`` for every unsolicited event (or only ``types``), in order, on one
        library-independent thread. Returns a function that removes the callback."""
        return self._hub.add_callback(fn, types)

    def on_state_change(self, fn: Callable[[Event], object]) -> Callable[[], None]:
        """Calls ``fn(event)`` for every connection-state change (``event.state``,
        ``event.previous_state``, ``event.agent_id``, ``event.attempt``…)."""
        return self._hub.add_callback(fn, [EventType.STATE_CHANGED])

    def events(
        self, types: Iterable[EventType] | None = None, *, timeout: float | None = None
    ) -> EventIterator:
        """Iterates over unsolicited events from now on; ends when the cloud closes, or after
        ``timeout`` seconds without an event."""
        return EventIterator(self._hub, types, timeout)

    def __repr__(self) -> str:
        if self._closed:
            return "<elizacloud.Cloud closed>"
        return f"<elizacloud.Cloud state={self.state} agent={self.active_agent}>"


class Backups(BackupsResource):
    """``cloud.backups``: the generated resource (``list``, ``snapshot``, ``restore``). Calling it
    lists the backups, as ``cloud.backups(agent_id)`` did before the resource existed."""

    def __call__(
        self, agent_id: str | None = None, *, timeout: float | None = None
    ) -> list[BackupInfo]:
        return self.list(agent_id=agent_id, timeout=timeout)


class LoginHandle:
    """A browser login in progress. ``browser_url`` is set as soon as the library reports it;
    :meth:`wait` runs the callbacks on the waiting thread and returns the result; :meth:`cancel`
    works from any thread."""

    def __init__(
        self,
        cloud: Cloud,
        on_browser_url: Callable[[str], object] | None,
        on_progress: Callable[[str], object] | None,
    ) -> None:
        self._cloud = cloud
        self._on_browser_url = on_browser_url
        self._on_progress = on_progress
        self._waiter = _LoginWaiter(self)
        self.browser_url: str | None = None
        self._browser_url_ready = threading.Event()
        self._done = False
        core = cloud._core
        self.request_id = cloud._hub.router.start(lambda: core.call("login", "{}"), self._waiter)

    def wait_browser_url(self, timeout: float | None = None) -> str | None:
        """Blocks until the browser URL is known (or the timeout passes)."""
        self._browser_url_ready.wait(timeout)
        return self.browser_url

    def wait(self, timeout: float | None = None) -> dict[str, Any]:
        def on_event(ev: Event) -> None:
            if ev.type == EventType.LOGIN_BROWSER_URL and self._on_browser_url:
                self._on_browser_url(ev.text)
            elif ev.type == EventType.LOGIN_PROGRESS and self._on_progress:
                self._on_progress(ev.text)

        cloud = self._cloud
        try:
            result = as_dict(self._waiter.result(deadline(timeout), on_event))
        except BaseException:
            self.cancel()
            raise
        finally:
            self._done = True
            cloud._hub.router.forget(self.request_id)
        if cloud._export_env:
            _env.export_key(cloud._core.api_key())
        return result

    def cancel(self) -> None:
        if not self._done:
            self._cloud._cancel_quietly(self.request_id)

    def done(self) -> bool:
        return self._done


class _LoginWaiter(QueueWaiter):
    def __init__(self, handle: LoginHandle) -> None:
        super().__init__()
        self._handle = weakref.ref(handle)

    def deliver(self, ev: Event) -> None:
        handle = self._handle()
        if handle is not None and ev.type == EventType.LOGIN_BROWSER_URL:
            handle.browser_url = ev.text  # visible at once, even before anyone waits
            handle._browser_url_ready.set()
        super().deliver(ev)


class AsyncCloud(_ClientState, AsyncClientOperations):
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
        api_generation: Literal["auto", "milady", "eliza"] | None = None,
        confirm_price: str | None = None,
        site_url: str | None = None,
        max_retries: int | None = None,
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
                api_generation,
                confirm_price,
                site_url,
                max_retries,
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
            while batch := self._core.next_events():
                self._router.route_all(batch)
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

    # ---- plumbing ------------------------------------------------------------------------------

    async def _request(
        self,
        begin: Callable[[], int],
        *,
        timeout: float | None = None,
        on_event: Callable[[Event], Any] | None = None,
        login: bool = False,
    ) -> Any:
        waiter = AsyncWaiter(self._loop)
        request_id = self._router.start(begin, waiter)
        if login:  # cancel_login() ends it
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
        max_retries: int | None = None,
    ) -> Any:
        """The one runtime entry of every generated method: ``ec_cloud_call(name, params)``,
        awaited like any request; progress events of the request go to ``on_progress``;
        ``max_retries`` replaces the client's for this call (``ec_cloud_call_with``)."""
        text = json.dumps(params)
        return await self._request(
            _starter(self._core, name, text, max_retries),
            timeout=timeout,
            on_event=on_progress,
        )

    def _stream_operation(
        self,
        name: str,
        params: dict[str, Any],
        cls: StreamClass[S],
        *,
        timeout: float | None = None,
    ) -> S:
        """The entry of the generated streaming methods (the stream is iterated with async for)."""
        text = json.dumps(params)
        return cls(self, lambda: self._core.call(name, text), timeout)

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> Any:
        """Any operation of the catalogue by name (``ec_cloud_call``; see docs/operations.md)."""
        return await self._call_operation(method, dict(params or {}), timeout=timeout)

    # ---- any route -----------------------------------------------------------------------------

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        stream: None = None,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> Response: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        stream: StreamMode,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncRequestStream: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        stream: StreamMode | None = None,
        timeout: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> Response | AsyncRequestStream:
        """Any public route of the cloud (``ec_cloud_request``; docs/requests.md).

        ``path`` is the route from the origin: a template (``/api/v1/apps/{id}``, values in
        ``path_params``, each percent-encoded) or a concrete, already encoded path; it must be a
        route of the cloud's generation (:meth:`routes` lists them) unless ``uncatalogued``.
        Options: ``path_params``, ``query``, ``json`` or ``body`` + ``content_type`` or
        ``files`` + ``form`` (multipart), ``headers``, ``max_retries``, ``idempotent``, ``timeout_ms``, ``uncatalogued``. Returns
        a :class:`Response`; with ``stream="sse"`` or ``"bytes"`` a stream of
        :class:`SseFrame` or ``bytes`` (``timeout`` then bounds each chunk's wait)."""
        params = request_params(method, path, stream, options)
        if stream is not None:
            return AsyncRequestStream(
                self, lambda: self._core.call("request", params), stream, timeout
            )
        record = await self._request(lambda: self._core.call("request", params), timeout=timeout)
        return Response.from_record(record)

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
                on_event=on_event,
                login=True,
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

    # ---- connection ----------------------------------------------------------------------------

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
