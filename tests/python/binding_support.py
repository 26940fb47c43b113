"""Helpers shared by the Python binding, CLI and demo tests (test_binding_*, test_cli,
test_demo): fast timings and clouds bound to the `emulator` fixture of conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest

import elizacloud

# Every interval short, so a test of heartbeats, reconnects and backups takes well under a second.
FAST = {
    "login_poll_interval_ms": 50,
    "job_poll_interval_ms": 50,
    "heartbeat_interval_ms": 150,
    "heartbeat_max_failures": 2,
    "reconnect_initial_delay_ms": 50,
    "reconnect_max_delay_ms": 400,
    "backup_interval_ms": 60_000,
    "final_snapshot_timeout_ms": 3000,
    "request_timeout_ms": 5000,
}


def cloud_kwargs(emulator: Any, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    timings = {**FAST, **overrides.pop("timings", {})}
    kwargs = {
        "config_path": str(tmp_path / "milady.json"),
        "insecure_local": True,
        "timings": timings,
        "ca_file": emulator.ca_file,
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def make_cloud(emulator, tmp_path) -> Any:
    """make_cloud(**options) → a Cloud on the `emulator`, closed after the test."""
    clouds: list[elizacloud.Cloud] = []

    def make(**overrides: Any) -> elizacloud.Cloud:
        cloud = elizacloud.Cloud(emulator.url, **cloud_kwargs(emulator, tmp_path, **overrides))
        clouds.append(cloud)
        return cloud

    yield make
    for cloud in clouds:
        cloud.close()


@pytest.fixture
def cloud(make_cloud, api_key) -> elizacloud.Cloud:
    """A Cloud already holding an API key of the emulator's default user."""
    return make_cloud(api_key=api_key)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    # Login exports the key to os.environ; no test may see another test's key.
    monkeypatch.delenv("ELIZAOS_CLOUD_API_KEY", raising=False)
    monkeypatch.delenv("ELIZAOS_CLOUD_ENABLED", raising=False)
    # Clouds read these when an option is not given: the developer's own must not leak in.
    for name in ("ELIZACLOUD_API_KEY", "ELIZACLOUD_BASE_URL", "ELIZACLOUD_LOG"):
        monkeypatch.delenv(name, raising=False)


def wait_until(
    predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.02
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def run_python(
    code: str, timeout: float = 60.0, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs code in a fresh interpreter (for interpreter-exit behaviour)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
