"""Start, stop and drive the local Eliza Cloud emulator (`elizacloud-emulator`) from Python.

Standard library only. Used by every Python test suite (see docs/emulator.md):

    from emulator import Emulator
    with Emulator(["--auto-approve"]) as emu:
        key = emu.create_key()["apiKey"]
        resp = emu.request("GET", "/api/v1/user", headers={"X-API-Key": key})
        assert resp.status == 200 and resp.json()["data"]["id"]

The binary is found through $EC_EMULATOR, else $EC_BUILD_DIR/tests/emulator/elizacloud-emulator,
else build/release/..., else the newest build/*/tests/emulator/elizacloud-emulator of the repo.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import selectors
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY_SUBPATH = os.path.join("tests", "emulator", "elizacloud-emulator")


class EmulatorError(RuntimeError):
    """The emulator could not be started or misbehaved."""


class ControlError(RuntimeError):
    """A control API call answered with an HTTP error."""

    def __init__(self, status: int, body: Any):
        super().__init__(f"control API answered {status}: {body!r}")
        self.status = status
        self.body = body


def find_binary() -> str:
    """Path of the emulator binary (see the module docstring for the search order)."""
    explicit = os.environ.get("EC_EMULATOR")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise EmulatorError(f"EC_EMULATOR={explicit} is not an executable")
        return explicit
    candidates = []
    build_dir = os.environ.get("EC_BUILD_DIR")
    if build_dir:
        if not os.path.isabs(build_dir):
            build_dir = os.path.join(REPO_ROOT, build_dir)
        candidates.append(os.path.join(build_dir, BINARY_SUBPATH))
    candidates.append(os.path.join(REPO_ROOT, "build", "release", BINARY_SUBPATH))
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    found = [p for p in glob.glob(os.path.join(REPO_ROOT, "build", "*", BINARY_SUBPATH))
             if os.access(p, os.X_OK)]
    if found:
        return max(found, key=os.path.getmtime)
    raise EmulatorError("elizacloud-emulator not found: build it or set EC_EMULATOR / EC_BUILD_DIR "
                        f"(looked in {', '.join(candidates)} and build/*/)")


@dataclass
class Response:
    """A complete HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    reason: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class SseEvent:
    event: str
    data: str
    fields: dict = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.data)


def parse_sse(text: str) -> list[SseEvent]:
    """Parses a complete SSE body (any line ending) into events; the event name defaults to
    "message". A trailing event without a blank line is included."""
    events: list[SseEvent] = []
    name, data, has_data = "", [], False
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines:
        if line == "":
            if has_data:
                events.append(SseEvent(name or "message", "\n".join(data)))
            name, data, has_data = "", [], False
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if key == "event":
            name = value
        elif key == "data":
            data.append(value)
            has_data = True
    if has_data:
        events.append(SseEvent(name or "message", "\n".join(data)))
    return events


class Emulator:
    """One emulator process. Start with `Emulator(args)` (started at once unless start=False)
    or as a context manager; `stop()` sends SIGTERM and returns the exit code."""

    def __init__(self, args: Sequence[str] = (), binary: str | None = None, start: bool = True,
                 startup_timeout: float = 15.0, env: Mapping[str, str] | None = None):
        self.binary = binary or find_binary()
        self.args = list(args)
        self.startup_timeout = startup_timeout
        self.env = dict(env) if env is not None else None
        self.proc: subprocess.Popen | None = None
        self.url: str = ""
        self.ca_file: str | None = None
        self.port: int = 0
        self.host: str = ""
        self.scheme: str = "http"
        self.startup_line: dict = {}
        self._stderr = tempfile.TemporaryFile()
        if start:
            self.start()

    # ------------------------------------------------------------------ process
    def start(self) -> "Emulator":
        if self.proc is not None:
            raise EmulatorError("already started")
        self.proc = subprocess.Popen([self.binary, *self.args], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr, env=self.env)
        line = self._read_startup_line()
        try:
            info = json.loads(line)
        except ValueError as exc:
            self.kill()
            raise EmulatorError(f"bad start-up line {line!r}: {exc}") from exc
        self.startup_line = info
        self.url = info["url"]
        self.ca_file = info["caFile"]
        parsed = urllib.parse.urlsplit(self.url)
        self.scheme, self.host, self.port = parsed.scheme, parsed.hostname or "", parsed.port or 0
        return self

    def _read_startup_line(self) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + self.startup_timeout
        buf = b""
        try:
            while b"\n" not in buf:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    raise EmulatorError("no start-up line within "
                                        f"{self.startup_timeout}s; stderr: {self.stderr_text()}")
                if not sel.select(remaining):
                    continue
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    code = self.proc.wait(timeout=5)
                    raise EmulatorError(f"emulator exited with {code} before starting; "
                                        f"stderr: {self.stderr_text()}")
                buf += chunk
        finally:
            sel.close()
        return buf.split(b"\n", 1)[0].decode()

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM, wait, return the exit code (None if it was never started)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise EmulatorError(f"emulator did not exit within {timeout}s of SIGTERM")
        if self.proc.stdout:
            self.proc.stdout.close()
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", errors="replace")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:
            self._stderr.close()

    # ------------------------------------------------------------------ HTTP
    def ssl_context(self) -> ssl.SSLContext | None:
        if self.scheme != "https":
            return None
        return ssl.create_default_context(cafile=self.ca_file)

    def connection(self, timeout: float = 30.0) -> http.client.HTTPConnection:
        """A new (keep-alive capable) connection to the emulator."""
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=self.ssl_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    @staticmethod
    def _encode(body: Any, headers: dict) -> bytes | None:
        if body is None:
            return None
        if isinstance(body, (bytes, bytearray)):
            return bytes(body)
        if isinstance(body, str):
            return body.encode()
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(body).encode()

    def _send(self, method: str, path: str, body: Any, headers: Mapping[str, str] | None,
              key: str | None, timeout: float
              ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        hdrs = dict(headers or {})
        if key is not None:
            hdrs["X-API-Key"] = key
        data = self._encode(body, hdrs)
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        conn = self.connection(timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            return conn, conn.getresponse()
        except BaseException:
            conn.close()
            raise

    def request(self, method: str, path: str, body: Any = None,
                headers: Mapping[str, str] | None = None, key: str | None = None,
                timeout: float = 30.0) -> Response:
        """One request on a fresh connection. `body`: dict/list → JSON, str/bytes → verbatim.
        `key` adds X-API-Key. POST/PUT/PATCH without a body send Content-Length: 0.
        Redirects are not followed."""
        conn, resp = self._send(method, path, body, headers, key, timeout)
        try:
            payload = resp.read()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload,
                            resp.reason)
        finally:
            conn.close()

    def open_stream(self, method: str, path: str, body: Any = None,
                    headers: Mapping[str, str] | None = None, key: str | None = None,
                    timeout: float = 30.0) -> tuple[http.client.HTTPConnection,
                                                    http.client.HTTPResponse]:
        """Sends a request and returns (connection, response) without reading the body, for
        incremental reads of SSE streams. Close the connection when done."""
        return self._send(method, path, body, headers, key, timeout)

    def sse(self, path: str, body: Any, key: str | None = None,
            headers: Mapping[str, str] | None = None) -> tuple[Response, list[SseEvent]]:
        """POSTs and parses a complete SSE response."""
        resp = self.request("POST", path, body, headers=headers, key=key)
        return resp, parse_sse(resp.text)

    # ------------------------------------------------------------------ control API
    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Calls /__emulator/<path> (the prefix is added when missing); returns the parsed JSON.
        Raises ControlError on an HTTP error status."""
        if not path.startswith("/__emulator/"):
            path = "/__emulator/" + path.lstrip("/")
        resp = self.request(method, path, body if body is not None else
                            ({} if method in ("POST", "PUT", "PATCH") else None))
        try:
            parsed = resp.json() if resp.body else None
        except ValueError:
            parsed = resp.text
        if resp.status >= 400:
            raise ControlError(resp.status, parsed)
        return parsed

    def reset(self) -> None:
        self.control("POST", "reset")

    def create_key(self, organization_id: str | None = None, api_key: str | None = None) -> dict:
        body: dict = {}
        if organization_id:
            body["organizationId"] = organization_id
        if api_key:
            body["apiKey"] = api_key
        return self.control("POST", "keys", body)

    def revoke_key(self, api_key: str) -> None:
        self.control("DELETE", f"keys/{api_key}")

    def set_credits(self, balance: float, organization_id: str | None = None) -> dict:
        body: dict = {"balance": balance}
        if organization_id:
            body["organizationId"] = organization_id
        return self.control("POST", "credits", body)

    def approve(self, session_id: str) -> dict:
        return self.control("POST", f"sessions/{urllib.parse.quote(session_id, safe='')}/approve")

    def state(self) -> dict:
        return self.control("GET", "state")

    def agent_state(self, agent_id: str) -> dict:
        for agent in self.state()["agents"]:
            if agent["id"] == agent_id:
                return agent
        raise KeyError(agent_id)

    def config(self, **changes: Any) -> dict:
        if changes:
            return self.control("POST", "config", changes)
        return self.control("GET", "config")

    def add_fault(self, **rule: Any) -> dict:
        return self.control("POST", "faults", rule)

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def heartbeat_failures(self, count: int, **options: Any) -> dict:
        return self.control("POST", "heartbeat-failures", {"count": count, **options})

    def provision_failures(self, count: int = 0, always: bool = False,
                           message: str | None = None) -> dict:
        body: dict = {"count": count, "always": always}
        if message:
            body["message"] = message
        return self.control("POST", "provision-failures", body)

    def script_replies(self, replies: Sequence[dict], agent_id: str = "*",
                       default: Any = ...) -> dict:
        body: dict = {"agentId": agent_id, "replies": list(replies)}
        if default is not ...:
            body["default"] = default
        return self.control("POST", "bridge/script", body)

    def set_agent_status(self, agent_id: str, status: str, error_message: str | None = None) -> dict:
        body: dict = {"status": status}
        if error_message is not None:
            body["errorMessage"] = error_message
        return self.control("POST", f"agents/{agent_id}/status", body)

    def request_count(self, route: str) -> int:
        """Requests counted for "<METHOD> <template>", e.g. "GET /api/v1/jobs/{id}"."""
        return self.state()["requests"].get(route, 0)

    # ------------------------------------------------------------------ cloud helpers
    def create_agent(self, key: str, name: str = "agent", **extra: Any) -> dict:
        resp = self.request("POST", "/api/v1/milady/agents", {"agentName": name, **extra}, key=key)
        if resp.status != 201:
            raise EmulatorError(f"create agent: {resp.status} {resp.text}")
        return resp.json()["data"]

    def wait_job(self, key: str, job_id: str, timeout: float = 10.0) -> dict:
        """Polls /api/v1/jobs/{id} until completed/failed; returns the job's data."""
        deadline = time.monotonic() + timeout
        while True:
            resp = self.request("GET", f"/api/v1/jobs/{job_id}", key=key)
            if resp.status != 200:
                raise EmulatorError(f"job poll: {resp.status} {resp.text}")
            data = resp.json()["data"]
            if data["status"] in ("completed", "failed"):
                return data
            if time.monotonic() > deadline:
                raise EmulatorError(f"job {job_id} still {data['status']} after {timeout}s")
            time.sleep(0.02)

    def running_agent(self, key: str, name: str = "agent") -> str:
        """Creates an agent and provisions it to running; returns its id."""
        agent = self.create_agent(key, name)
        resp = self.request("POST", f"/api/v1/milady/agents/{agent['id']}/provision", key=key)
        if resp.status == 202:
            job = self.wait_job(key, resp.json()["data"]["jobId"])
            if job["status"] != "completed":
                raise EmulatorError(f"provisioning failed: {job}")
        elif resp.status != 200:
            raise EmulatorError(f"provision: {resp.status} {resp.text}")
        return agent["id"]

    # ------------------------------------------------------------------ eliza generation
    def price_headers(self) -> dict:
        """{"X-Eliza-Dedicated-Price": <the current acceptance string>} (eliza generation)."""
        return {ELIZA_PRICE_HEADER: self.config()["dedicatedPriceAcceptance"]}

    def eliza_running_agent(self, key: str, name: str = "agent", **extra: Any) -> str:
        """eliza generation: creates a dedicated agent with autoProvision (an agent_provision
        job, price consent sent) and waits until it runs; returns its id. Pass
        forceCreate=True to get a new agent when the org already has a live one."""
        resp = self.request("POST", ELIZA_AGENTS, {"agentName": name, "alwaysOn": True, **extra},
                            key=key, headers=self.price_headers())
        if resp.status == 200:
            agent_id = resp.json()["data"]["id"]
            if resp.json()["data"]["status"] == "running":
                return agent_id
            raise EmulatorError(f"create reused a non-running agent: {resp.text}")
        if resp.status == 201:  # warm pool
            return resp.json()["data"]["id"]
        if resp.status != 202:
            raise EmulatorError(f"create agent: {resp.status} {resp.text}")
        job = self.wait_job(key, resp.json()["data"]["jobId"])
        if job["status"] != "completed":
            raise EmulatorError(f"provisioning failed: {job}")
        return resp.json()["data"]["id"]

    def cache_warming(self, count: int, agent_id: str = "*") -> dict:
        """eliza generation: the next `count` bridge/stream requests (of one agent or all) answer
        503 shared_runtime_cache_warming with Retry-After: 1 — an ordinary fault rule."""
        return self.add_fault(
            method="POST", regex=f"^/api/v1/eliza/agents/{'[^/]+' if agent_id == '*' else agent_id}"
                                 "/(bridge|stream)$",
            times=count, action="status", status=503, headers={"Retry-After": "1"},
            body={"success": False, "error": "Shared runtime cache is warming; retry shortly",
                  "code": "shared_runtime_cache_warming", "retryable": True})


ELIZA_AGENTS = "/api/v1/eliza/agents"
ELIZA_PRICE_HEADER = "X-Eliza-Dedicated-Price"


def iter_sse_lines(resp: http.client.HTTPResponse) -> Iterator[bytes]:
    """Yields raw lines of a streaming response as they arrive."""
    while True:
        line = resp.readline()
        if not line:
            return
        yield line
