"""``elizacloud serve``: the local REST API ``/api/cloud/*`` (seed 000, SPEC §3) and the web
dashboard at ``/``.

The server runs in the library (``ec_rest_server_*``); this module picks the settings, prints
the address and the dashboard's URL, and on SIGTERM or Ctrl-C stops the server, disconnects the active
agent (with its final backup) and exits 0. Login through the API saves the key to the config
file and exports ``ELIZAOS_CLOUD_API_KEY`` / ``ELIZAOS_CLOUD_ENABLED`` to this process's
environment (the :class:`~elizacloud.Cloud` follows the credentials-changed events)."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from urllib.parse import quote
from typing import Any, Callable

from . import _core
from .cloud import Cloud
from .errors import ElizaCloudError, InvalidArgumentError

DEFAULT_HOST = "127.0.0.1"

log = logging.getLogger("elizacloud.serve")


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def settings(
    host: str | None, port: int | None, token: str | None, env: dict[str, str] | None = None
) -> tuple[str, int, str]:
    """Command-line values first, then MILADY_API_BIND / MILADY_PORT / MILADY_API_TOKEN, then
    127.0.0.1:2138 without a token. Port 0 means any free port."""
    environ = os.environ if env is None else env
    host = (host or environ.get("MILADY_API_BIND", "").strip() or DEFAULT_HOST).strip()
    if port is None:
        text = environ.get("MILADY_PORT", "").strip()
        try:
            port = int(text) if text else _core.EC_REST_DEFAULT_PORT
        except ValueError:
            raise InvalidArgumentError(f"MILADY_PORT is not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise InvalidArgumentError(f"port must be 0..65535, not {port}")
    if token is None:
        token = environ.get("MILADY_API_TOKEN", "")
    return host, port, token.strip()


def serve(
    open_cloud: Callable[[], Cloud],
    host: str | None = None,
    port: int | None = None,
    token: str | None = None,
    *,
    allowed_hosts: str | None = None,
    announce: Callable[[dict[str, Any]], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Serves until SIGTERM/SIGINT (or ``stop`` is set), then shuts down cleanly. Returns 0."""
    host, port, token = settings(host, port, token)
    stop = stop or threading.Event()
    # The handler only records the signal: setting the Event from it could deadlock, because a
    # handler runs on the main thread between two bytecodes, possibly while that thread holds
    # the Event's own lock inside stop.wait() (SIGTERM right after the address line hung
    # `serve` that way). The wait below looks at the record a few times a second.
    signalled: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda signum, _frame: signalled.append(signum))
    try:
        with open_cloud() as cloud:
            server = _core.RestServer(
                cloud._core,
                host=host,
                port=port if port else _core.EC_REST_PORT_EPHEMERAL,
                token=token,
                allowed_hosts=allowed_hosts,
            )
            try:
                url = f"http://{_url_host(host)}:{server.port}"
                # The token rides in the fragment: a browser never sends it to the server (nor
                # does it reach a log); the page reads it and sends it as a bearer token.
                dashboard = f"{url}/" + (f"#token={quote(token, safe='')}" if token else "")
                info = {"url": url, "host": host, "port": server.port, "dashboard": dashboard}
                (announce or _print_line)(info)
                while not signalled and not stop.wait(0.1):
                    pass
                log.info("stopping: no new requests; then the final backup")
            finally:
                server.stop()
            try:
                cloud.disconnect()  # the active agent's final backup; the key stays
            except ElizaCloudError as exc:
                log.warning("disconnect at shutdown failed: %s", exc)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _print_line(info: dict[str, Any]) -> None:
    print(f"listening on {info['url']}", flush=True)
    print(f"dashboard: {info['dashboard']}", flush=True)


def print_json(info: dict[str, Any]) -> None:
    print(json.dumps(info, sort_keys=True), flush=True)
