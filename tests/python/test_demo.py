"""`elizacloud demo` runs the whole lifecycle against the bundled emulator and exits 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELIZAOS_", "MILADY_"))}
    return subprocess.run(
        [sys.executable, "-m", "elizacloud", "demo", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_runs_to_completion():
    proc = run_demo()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    for step in (
        "login",
        "create and connect",
        "chat",
        "backup",
        "heartbeat failures",
        "disconnect",
    ):
        assert f"== {step}" in out or step in out, step
    assert "state disconnected -> connecting" in out
    assert "state connected -> reconnecting" in out and "state reconnecting -> connected" in out
    assert "reply: echo: Hello from the elizacloud demo!" in out
    assert "chunk 'echo: '" in out
    assert "demo finished: every step succeeded" in out
    assert "eliza_" not in out.replace("key eliza_", "") or "…" in out  # only key prefixes


def test_demo_json_summary():
    proc = run_demo("--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["ok"] is True and summary["backups"] == 2
    assert summary["streamed"] == "echo: Streaming arrives chunk by chunk."
    assert summary["states"][:2] == ["connecting", "connected"]
    assert "reconnecting" in summary["states"] and summary["states"][-1] == "disconnected"
