"""``elizacloud demo``: the whole lifecycle against the bundled emulator, printing every event as
it happens. Self-contained: its own emulator process on a free port, a temporary config file,
short timings so it finishes in seconds, and nothing left behind."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
import time
from typing import Any

from . import _env
from ._emulator import Emulator, EmulatorNotFound
from .cloud import Cloud
from .errors import ElizaCloudError
from .events import Event, State

EMULATOR_ARGS = [
    "--auto-approve",  # the login is approved on its first poll: no browser needed
    "--provision-ms", "600",
    "--job-poll-interval-ms", "150",
    "--stream-chunk-chars", "6",
    "--stream-chunk-delay-ms", "40",
]  # fmt: skip

TIMINGS = {
    "login_poll_interval_ms": 200,
    "job_poll_interval_ms": 150,
    "heartbeat_interval_ms": 400,
    "heartbeat_max_failures": 2,
    "reconnect_initial_delay_ms": 300,
    "reconnect_max_delay_ms": 2000,
    "backup_interval_ms": 2500,
    "final_snapshot_timeout_ms": 5000,
}

HEARTBEAT_FAILURES = 2  # = heartbeat_max_failures: the monitor must reconnect


class _Printer:
    def __init__(self, json_output: bool) -> None:
        self.start = time.monotonic()
        self.json_output = json_output
        self.lock = threading.Lock()
        self.events: list[dict[str, Any]] = []

    def say(self, text: str) -> None:
        with self.lock:
            stream = sys.stderr if self.json_output else sys.stdout
            print(f"[{time.monotonic() - self.start:6.2f}s] {text}", file=stream, flush=True)

    def step(self, text: str) -> None:
        self.say(f"== {text}")

    def event(self, ev: Event) -> None:
        self.events.append({"type": str(ev.type), "text": ev.describe()})
        self.say(f"   event: {ev.describe()}")


class _LogToPrinter(logging.Handler):
    """Shows the library's warnings (heartbeat failures…) in the demo's timeline."""

    def __init__(self, printer: _Printer) -> None:
        super().__init__(logging.WARNING)
        self.printer = printer

    def emit(self, record: logging.LogRecord) -> None:
        self.printer.say(f"   log {record.levelname.lower()}: {record.getMessage()}")


class _StateWatch:
    """Remembers state changes so the demo can wait for 'reconnecting' then 'connected'."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.seen: list[State] = []

    def on_state(self, ev: Event) -> None:
        with self.cond:
            if ev.state is not None:
                self.seen.append(ev.state)
            self.cond.notify_all()

    def wait_for(self, states: list[State], since: int, timeout: float) -> bool:
        """Waits until ``states`` were seen in that order after index ``since``."""

        def done() -> bool:
            rest = iter(self.seen[since:])
            return all(any(s == want for s in rest) for want in states)

        with self.cond:
            return self.cond.wait_for(done, timeout)


def run(json_output: bool = False) -> int:
    out = _Printer(json_output)
    logger = logging.getLogger("elizacloud")
    handler = _LogToPrinter(out)
    logger.addHandler(handler)
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        return _run(out, json_output)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _run(out: _Printer, json_output: bool) -> int:
    try:
        emulator = Emulator(EMULATOR_ARGS)
    except EmulatorNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        with emulator, tempfile.TemporaryDirectory(prefix="elizacloud-demo-") as tmp:
            summary = _lifecycle(out, emulator, os.path.join(tmp, "milady.json"))
    except ElizaCloudError as exc:
        out.say(f"FAILED: {exc.status_name}: {exc.message}")
        return 1
    if json_output:
        print(json.dumps({**summary, "events": out.events}, indent=2))
    else:
        out.say("demo finished: every step succeeded")
    return 0


def _lifecycle(out: _Printer, emu: Emulator, config_path: str) -> dict[str, Any]:
    out.step(f"emulator running at {emu.url}; config file {config_path}")
    watch = _StateWatch()
    with Cloud(emu.url, config_path=config_path, insecure_local=True, timings=TIMINGS) as cloud:
        cloud.on_event(out.event)
        cloud.on_state_change(watch.on_state)

        out.step("login (browser flow; the emulator auto-approves)")
        login = cloud.login(on_browser_url=lambda url: out.say(f"   open in a browser: {url}"))
        out.say(f"   logged in: key {login.get('keyPrefix')}…, user {login.get('userId')}")
        out.say(f"   exported ELIZAOS_CLOUD_ENABLED={os.environ.get(_env.ENABLED_VAR)}")
        status = cloud.status()
        out.say(f"   status: connected={status.get('connected')} userId={status.get('userId')}")
        credits = cloud.credits(fresh=True)
        out.say(f"   credits: ${credits.get('balance')} (low={credits.get('low')})")

        out.step("create and connect an agent (provisioning follows the job)")
        agent = cloud.agents.create("demo-agent")
        agent_id = agent["id"]
        out.say(f"   created agent {agent_id}")
        proxy = cloud.connect(agent_id)
        out.say(f"   connected; agent status {proxy.status()}")

        out.step("chat")
        reply = proxy.send("Hello from the elizacloud demo!")
        out.say(f"   reply: {reply}")
        out.say("   streaming:")
        stream = proxy.stream("Streaming arrives chunk by chunk.")
        for chunk in stream:
            out.say(f"     chunk {chunk!r}")
        out.say(f"   streamed reply: {stream.text}")

        out.step("backup")
        snap = cloud.snapshot()
        out.say(f"   snapshot {snap.get('backupId')} ({snap.get('sizeBytes')} bytes)")

        out.step(f"inject {HEARTBEAT_FAILURES} heartbeat failures: watch the monitor reconnect")
        since = len(watch.seen)
        emu.control(
            "POST",
            "/__emulator/heartbeat-failures",
            {"count": HEARTBEAT_FAILURES, "agentId": agent_id},
        )
        if not watch.wait_for([State.RECONNECTING, State.CONNECTED], since, timeout=30):
            raise ElizaCloudError("the monitor did not reconnect within 30 s")
        out.say(f"   reconnected; alive={proxy.is_alive()}; reply: {proxy.send('still there?')}")

        out.step("disconnect (takes a final backup)")
        before = len(cloud.backups(agent_id))
        cloud.disconnect()
        backups = cloud.backups(agent_id)
        out.say(f"   backups: {before} before disconnect, {len(backups)} after")

        out.step("clean up: delete the agent and log out")
        cloud.agents.delete(agent_id)
        cloud.logout()
        out.say(f"   ELIZAOS_CLOUD_API_KEY exported: {_env.KEY_VAR in os.environ}")
        time.sleep(0.2)  # let the last events print before the cloud closes
    return {
        "agentId": agent_id,
        "reply": reply,
        "streamed": stream.text,
        "backups": len(backups),
        "states": [str(s) for s in watch.seen],
        "ok": True,
    }
