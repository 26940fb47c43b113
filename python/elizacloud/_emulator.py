"""The bundled elizacloud-emulator: finding the binary, running it, and its control API.

Used by ``elizacloud emulator`` and ``elizacloud demo``. A pip-installed package carries the
binary in ``elizacloud/bin``; a development tree falls back to the build directories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Sequence

BINARY = "elizacloud-emulator"


class EmulatorNotFound(RuntimeError):
    pass


def find_binary() -> str:
    """``$EC_EMULATOR``, the package's own copy, ``$EC_BUILD_DIR``, a build dir of the source
    tree, then ``$PATH``."""
    candidates: list[Path] = []
    if os.environ.get("EC_EMULATOR"):
        candidates.append(Path(os.environ["EC_EMULATOR"]))
    here = Path(__file__).resolve().parent
    candidates.append(here / "bin" / BINARY)
    if os.environ.get("EC_BUILD_DIR"):
        candidates.append(Path(os.environ["EC_BUILD_DIR"]) / "tests" / "emulator" / BINARY)
    for root in (here.parent.parent, Path.cwd()):  # python/elizacloud in a source checkout
        builds = sorted(
            (root / "build").glob(f"*/tests/emulator/{BINARY}"),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        candidates.extend(builds)
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(BINARY)
    if found:
        return found
    raise EmulatorNotFound(
        f"{BINARY} not found: reinstall the package (pip install .) or set EC_EMULATOR"
    )


class Emulator:
    """A running emulator process (context manager). ``url`` is its base URL."""

    def __init__(self, args: Sequence[str] = (), *, binary: str | None = None) -> None:
        self.binary = binary or find_binary()
        cmd = [self.binary, "--host", "127.0.0.1", "--port", "0", *args]
        self.process = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # exactly one JSON line once it listens
        if not line:
            code = self.process.wait()
            raise RuntimeError(f"{BINARY} exited with code {code} before it started")
        info = json.loads(line)
        self.url: str = info["url"]
        self.ca_file: str | None = info.get("caFile")

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """A request to the control API (``/__emulator/…``); returns the parsed JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode() or "null"
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"emulator control {method} {path}: HTTP {exc.code}") from None
        return json.loads(text)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
