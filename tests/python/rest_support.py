"""`elizacloud serve` as a subprocess for the REST API tests: start it against an emulator with a
temporary config file, read its one "listening on" line, send requests over real sockets, stop
it with SIGTERM (which must exit 0)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from emulator import Emulator


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sse_events(lines: Iterable[bytes]) -> Iterator[tuple[str, Any]]:
    """(event name, data as JSON) of each Server-Sent Event of a response read line by line."""
    name, data = "", ""
    for raw in lines:
        line = raw.decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
        elif line == "" and data:
            yield name, json.loads(data)
            name, data = "", ""


class Serve(Emulator):
    """`python -m elizacloud serve` with the process handling of Emulator (stop = SIGTERM and the
    exit code, kill, stderr_text); the start-up line is "listening on http://HOST:PORT"."""

    def __init__(
        self,
        emulator: Any,
        config: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        config_flag: bool = True,
        expect_start: bool = True,
    ) -> None:
        environ = {
            **os.environ,
            "ELIZACLOUD_INSECURE_LOCAL": "1",
            "DISPLAY": "",
            "WAYLAND_DISPLAY": "",
        }
        for name in (
            "MILADY_API_TOKEN",
            "MILADY_CONFIG_PATH",
            "MILADY_API_BIND",
            "MILADY_PORT",
            "ELIZAOS_CLOUD_API_KEY",
            "ELIZACLOUD_BASE_URL",
        ):
            environ.pop(name, None)
        environ.update(env or {})
        argv = ["-m", "elizacloud", "serve", "--base-url", emulator.url]
        if config_flag:
            argv += ["--config", str(config)]
        if "--port" not in args:
            argv += ["--port", "0"]
        argv += list(args)
        super().__init__(
            argv, binary=sys.executable, start=False, startup_timeout=30.0, env=environ
        )
        self.config = config
        self.line = ""
        self.proc = subprocess.Popen(
            [self.binary, *self.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=self.env,
        )
        if expect_start:
            self.line = self._read_startup_line()
            assert self.line.startswith("listening on http://"), (self.line, self.stderr_text())
            self.port = int(self.line.rsplit(":", 1)[1])

    def connection(self, timeout: float = 60.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        token: str | None = None,
    ) -> Reply:
        conn = self.connection()
        try:
            hdrs = dict(headers or {})
            if token is not None:
                hdrs["Authorization"] = f"Bearer {token}"
            data: bytes | None = None
            if body is not None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                hdrs.setdefault("Content-Type", "application/json")
            elif method == "POST":
                data = b""
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def close(self) -> None:
        self.kill()
        self._stderr.close()


def raw_exchange(port: int, data: bytes, timeout: float = 20.0) -> bytes:
    """Sends data on a fresh socket (a send failure after the server answered is ignored) and
    returns every byte received until the response is complete or the server closes."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            sock.sendall(data)
        except OSError:
            pass
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
            head, sep, rest = out.partition(b"\r\n\r\n")
            if sep:
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        if len(rest) >= int(line.split(b":")[1]):
                            return out
        return out
    finally:
        sock.close()
