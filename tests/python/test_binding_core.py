"""elizacloud._core, the pybind11 binding itself: constants, handle lifetime, the pull and push
event paths, the log queue, and interpreter exit with live objects (in subprocesses)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from binding_support import _clean_env  # noqa: F401

import elizacloud
from elizacloud import _core, errors


def test_module_constants_and_version():
    assert _core.version_string() == _core.HEADER_VERSION == elizacloud.__version__
    assert _core.STATUS_CODES["EC_OK"] == _core.EC_OK == 0
    assert _core.status_name(_core.EC_ERR_TIMEOUT) == "EC_ERR_TIMEOUT"
    assert _core.EC_STATE_CONNECTED == elizacloud.State.CONNECTED


def test_handle_lifetime():
    raw = _core.Cloud(no_config_file=True)
    assert raw.event_fd >= 0 and not raw.closed
    assert raw.state() == _core.EC_STATE_DISCONNECTED
    assert raw.api_key() is None and raw.active_agent() is None and raw.config_path() == ""
    assert raw.next_event() is None
    assert raw.wait_event(50) is None
    raw.close()
    raw.close()  # idempotent
    assert raw.closed
    with pytest.raises(errors.InvalidArgumentError, match="closed"):
        raw.call("status")


def test_close_wakes_a_waiting_thread():
    raw = _core.Cloud(no_config_file=True)
    result: list[object] = []
    waiter = threading.Thread(target=lambda: result.append(raw.wait_event(-1)))
    waiter.start()
    time.sleep(0.1)
    started = time.monotonic()
    raw.close()
    waiter.join(5)
    assert not waiter.is_alive() and result == [None]
    assert time.monotonic() - started < 2


def test_pull_events_of_an_async_request(emulator, api_key):
    raw = _core.Cloud(
        base_url=emulator.url, api_key=api_key, no_config_file=True, insecure_local=True
    )
    try:
        request = raw.call("identity")
        ev = raw.wait_event(5000)
        assert ev is not None and ev.type == _core.EC_EVENT_REQUEST_COMPLETED
        assert ev.request_id == request and ev.status == _core.EC_OK and '"userId"' in ev.json
        assert "REQUEST" not in repr(ev) and "request_id=" in repr(ev)
    finally:
        raw.close()


def test_push_callback_takes_the_gil_and_reports_exceptions(emulator, api_key):
    raw = _core.Cloud(
        base_url=emulator.url, api_key=api_key, no_config_file=True, insecure_local=True
    )
    seen: list[int] = []
    unraisable: list[object] = []
    done = threading.Event()
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda info: unraisable.append(info.exc_value)

    def callback(ev: _core.Event) -> None:
        seen.append(ev.request_id)
        if len(seen) == 1:
            raise RuntimeError("raised in a callback")
        done.set()

    try:
        raw.set_event_callback(callback)
        first, second = raw.call("identity"), raw.call("status")
        assert done.wait(5)
        assert sorted(seen) == sorted([first, second])  # two requests: either may finish first
        assert any(isinstance(e, RuntimeError) for e in unraisable)
        raw.set_event_callback(None)
        assert raw.next_event() is None  # nothing went to the pull queue meanwhile
    finally:
        sys.unraisablehook = previous_hook
        raw.close()


def test_dropping_the_last_reference_inside_the_callback(emulator, api_key):
    holder: dict[str, object] = {}
    fired = threading.Event()

    def callback(ev: _core.Event) -> None:
        holder.clear()  # the handle's last reference dies on the library's own thread
        fired.set()

    raw = _core.Cloud(
        base_url=emulator.url, api_key=api_key, no_config_file=True, insecure_local=True
    )
    raw.set_event_callback(callback)
    holder["raw"] = raw
    raw.call("identity")
    del raw
    assert fired.wait(5)
    time.sleep(0.2)  # the deferred destroy runs on a helper thread; the process must stay sound


def test_log_queue_is_drained_into_logging(caplog):
    _core.set_log_level(_core.EC_LOG_DEBUG)
    try:
        with caplog.at_level("DEBUG", logger="elizacloud"):
            with elizacloud.Cloud("http://127.0.0.1:9", no_config_file=True, insecure_local=True):
                pass
        assert _core.drain_logs() == []  # closing drained whatever the library logged
    finally:
        _core.set_log_level(_core.EC_LOG_WARN)


EXIT_SCRIPT = r"""
import sys, threading, time
import elizacloud
from elizacloud import _core
url, key = sys.argv[1], sys.argv[2]
cloud = elizacloud.Cloud(url, api_key=key, no_config_file=True, insecure_local=True,
                         timings={"heartbeat_interval_ms": 50, "backup_interval_ms": 100})
cloud.on_state_change(lambda ev: time.sleep(0.01))
events = cloud.events()
agent = cloud.agents.create("exit")
proxy = cloud.connect(agent["id"])
stream = proxy.stream("left open")
# a raw handle whose push callback needs the GIL on the library's dispatcher thread
raw = _core.Cloud(base_url=url, api_key=key, no_config_file=True, insecure_local=True)
raw.set_event_callback(lambda ev: time.sleep(0.05))
for _ in range(20):
    raw.call("identity")
# a daemon thread blocked in a call that the emulator delays: closing at exit cancels it
def blocked():
    try:
        cloud.identity()
    except elizacloud.CancelledError:
        pass  # (daemon threads may be frozen before they get to run again)
threading.Thread(target=blocked, daemon=True).start()
time.sleep(0.2)
print("exiting with live objects", flush=True)
"""


def test_interpreter_exit_with_live_objects(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=5000, always=True)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, emulator.url, api_key],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "exiting with live objects" in proc.stdout
    assert time.monotonic() - started < 15
    assert "Fatal" not in proc.stderr and "Traceback" not in proc.stderr


ASYNC_EXIT_SCRIPT = r"""
import asyncio, sys
from elizacloud.aio import AsyncCloud
url, key = sys.argv[1], sys.argv[2]
async def main():
    cloud = AsyncCloud(url, api_key=key, no_config_file=True, insecure_local=True)
    agent = await cloud.agents.create("async-exit")
    await cloud.connect(agent["id"])
    return cloud   # never closed: the loop ends, the interpreter exits
asyncio.run(main())
print("done", flush=True)
"""


def test_interpreter_exit_with_a_live_async_cloud(emulator, api_key):
    proc = subprocess.run(
        [sys.executable, "-c", ASYNC_EXIT_SCRIPT, emulator.url, api_key],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "done" in proc.stdout and "Traceback" not in proc.stderr
