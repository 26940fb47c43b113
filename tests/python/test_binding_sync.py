"""The blocking API (elizacloud.Cloud) against the emulator: the full lifecycle, events in order,
cancellation, timeouts, and the GIL released during blocking calls."""

from __future__ import annotations

import json
import os
import stat
import threading
import time

import pytest
from binding_support import _clean_env, cloud, make_cloud, wait_until  # noqa: F401

import elizacloud
from elizacloud import EventType, State


LIFECYCLE = ("--auto-approve", "--stream-chunk-chars", "3")


@pytest.mark.emulator_args(*LIFECYCLE)
def test_full_lifecycle(make_cloud, tmp_path, emulator):
    full_lifecycle(make_cloud, tmp_path, emulator, eliza=False)


@pytest.mark.emulator_args(*LIFECYCLE, "--generation", "eliza")
def test_full_lifecycle_on_the_eliza_generation(make_cloud, tmp_path, emulator):
    full_lifecycle(make_cloud, tmp_path, emulator, eliza=True)


def full_lifecycle(make_cloud, tmp_path, emulator, *, eliza: bool) -> None:
    """The seed-001 walkthrough through the binding; the same calls on either generation."""
    cloud = make_cloud()
    states: list[elizacloud.Event] = []
    cloud.on_state_change(states.append)
    urls: list[str] = []

    login = cloud.login(on_browser_url=urls.append, timeout=10)
    assert urls and "/auth/cli-login?session=" in urls[0]
    assert login["keyPrefix"].startswith("eliza_") and login["userId"]
    key = cloud.api_key
    assert key and key.startswith(login["keyPrefix"])
    assert os.environ["ELIZAOS_CLOUD_API_KEY"] == key
    assert os.environ["ELIZAOS_CLOUD_ENABLED"] == "true"
    config = json.loads((tmp_path / "milady.json").read_text())
    assert config["cloud"]["apiKey"] == key
    session_id = urls[0].rsplit("=", 1)[1]
    assert config["cloud"]["loginSessionId"] == session_id  # what logout revokes the key by
    assert stat.S_IMODE((tmp_path / "milady.json").stat().st_mode) == 0o600

    status = cloud.status()
    assert status["connected"] is True and status["hasApiKey"] is True
    assert cloud.identity()["userId"] == login["userId"]
    credits = cloud.credits(fresh=True)
    assert credits["balance"] == 25 and credits["low"] is False

    agent = cloud.agents.create("lifecycle", config={"bio": "test"})
    assert agent["agentName"] == "lifecycle"
    assert any(a["id"] == agent["id"] for a in cloud.agents.list())
    assert cloud.agents.get(agent["id"])["id"] == agent["id"]
    assert cloud.status()["apiGeneration"] == ("eliza" if eliza else "milady")

    progress: list[elizacloud.Event] = []
    if eliza:
        # Starting dedicated compute needs the user's consent to the quoted price: nothing is
        # sent on their behalf. The host shows the quote, then confirms it explicitly.
        with pytest.raises(elizacloud.PriceConfirmationError) as refused:
            cloud.connect(agent["id"], timeout=20)
        assert cloud.state is State.DISCONNECTED
        quote = refused.value.pricing
        assert quote["acceptanceHeader"] == "X-Eliza-Dedicated-Price"
        assert refused.value.to_dict()["pricing"] == quote
        started = cloud.agents.provision(
            agent["id"], confirm_price=quote["acceptanceValue"], on_progress=progress.append
        )
        assert started["status"] == "running"
    proxy = cloud.connect(agent["id"], on_progress=progress.append, timeout=20)
    assert cloud.state is State.CONNECTED and cloud.active_agent == agent["id"]
    assert progress and all(ev.type == EventType.PROVISION_PROGRESS for ev in progress)
    assert proxy.send("hello") == "echo: hello"
    chunks = list(proxy.stream("streamed text"))
    assert "".join(chunks) == "echo: streamed text"
    # A dedicated eliza agent streams on its own host only: through the cloud its reply comes
    # from the bridge, whole.
    assert len(chunks) == 1 if eliza else len(chunks) > 3
    assert proxy.status()["state"] == "running"
    assert proxy.is_alive() is True

    snap = cloud.snapshot()
    assert snap["backupId"]
    assert [b["id"] for b in cloud.backups()] == [snap["backupId"]]
    restored = cloud.restore()
    assert restored["restoredFromBackupId"] == snap["backupId"]

    cloud.disconnect()
    assert cloud.state is State.DISCONNECTED and cloud.active_agent is None
    assert len(cloud.backups(agent["id"])) == 2  # the final backup of disconnect
    assert wait_until(lambda: len(states) >= 3)
    transitions = [(e.previous_state, e.state) for e in states]
    if eliza:  # the refused connect went connecting -> error -> disconnected first
        transitions = transitions[-3:]
    assert transitions == [
        (State.DISCONNECTED, State.CONNECTING),
        (State.CONNECTING, State.CONNECTED),
        (State.CONNECTED, State.DISCONNECTED),
    ]
    assert all(e.agent_id == agent["id"] for e in states)

    cloud.agents.delete(agent["id"])
    with pytest.raises(elizacloud.NotFoundError):
        cloud.agents.get(agent["id"])
    cloud.logout()
    assert "ELIZAOS_CLOUD_API_KEY" not in os.environ
    assert "ELIZAOS_CLOUD_ENABLED" not in os.environ
    assert cloud.api_key is None
    config = json.loads((tmp_path / "milady.json").read_text())["cloud"]
    assert config.get("apiKey") in (None, "") and "loginSessionId" not in config
    sessions = {s["sessionId"]: s for s in emulator.control("GET", "/__emulator/sessions")["sessions"]}
    # The eliza cloud revokes a CLI key by its session (the seeds' cloud has no such route).
    assert sessions[session_id].get("keyRevoked", False) is eliza
    assert emulator.request("GET", "/api/v1/user", key=key).status == (401 if eliza else 200)


def test_events_iterator_in_order(cloud, emulator):
    agent = cloud.agents.create("events")
    with cloud.events() as events:
        cloud.connect(agent["id"])
        cloud.snapshot()
        cloud.disconnect()
        seen = []
        for ev in events:
            seen.append(ev)
            if ev.type == EventType.STATE_CHANGED and ev.state is State.DISCONNECTED:
                break
    kinds = [ev.type for ev in seen]
    assert kinds[0] == EventType.STATE_CHANGED
    states = [ev.state for ev in seen if ev.type == EventType.STATE_CHANGED]
    assert states == [State.CONNECTING, State.CONNECTED, State.DISCONNECTED]
    assert EventType.PROVISION_PROGRESS in kinds
    assert kinds.index(EventType.PROVISION_PROGRESS) < kinds.index(EventType.BACKUP_DONE)


def test_heartbeat_failures_reconnect(cloud, emulator):
    agent = cloud.agents.create("monitor")
    cloud.connect(agent["id"])
    changes: list[elizacloud.Event] = []
    cloud.on_state_change(changes.append)
    emulator.heartbeat_failures(2, agentId=agent["id"])
    assert wait_until(
        lambda: [e.state for e in changes][-2:] == [State.RECONNECTING, State.CONNECTED]
    )
    reconnecting = next(e for e in changes if e.state is State.RECONNECTING)
    assert reconnecting.attempt >= 1 and reconnecting.message
    assert cloud.proxy is not None and cloud.proxy.send("after") == "echo: after"


@pytest.mark.emulator_args("--stream-chunk-chars", "1", "--stream-chunk-delay-ms", "20")
def test_stream_close_cancels(cloud):
    agent = cloud.agents.create("stream")
    proxy = cloud.connect(agent["id"])
    with proxy.stream("a long enough message to cancel") as stream:
        first = next(stream)
    assert first and stream.text == first
    assert list(stream) == []  # closed: iteration is over
    assert proxy.send("still usable") == "echo: still usable"


def test_login_cancel_from_another_thread(make_cloud):
    cloud = make_cloud()
    handle = cloud.start_login()
    url = handle.wait_browser_url(timeout=5)
    assert url and "session=" in url
    threading.Timer(0.2, cloud.cancel_login).start()
    with pytest.raises(elizacloud.CancelledError):
        handle.wait(timeout=10)
    assert handle.done()


def test_timeout_cancels_and_raises_builtin_timeout(cloud, emulator):
    emulator.add_fault(path="/api/v1/milady/agents", action="delay", delayMs=1500)
    started = time.monotonic()
    with pytest.raises(TimeoutError) as info:  # the builtin: elizacloud.TimeoutError subclasses it
        cloud.agents.list(timeout=0.2)
    assert isinstance(info.value, elizacloud.TimeoutError)
    assert time.monotonic() - started < 1.0
    assert cloud.agents.list() == []  # the cloud is still usable


def test_background_thread_runs_during_blocking_call(cloud, emulator):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=800)
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.005)

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        before = ticks
        cloud.identity()  # blocks ~0.8 s waiting for the delayed answer
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert during > 40, f"the background thread only ran {during} times: GIL held?"


def test_raw_sync_forms_release_the_gil(cloud, emulator):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=600)
    counter = [0]
    done = threading.Event()

    def spin() -> None:
        while not done.is_set():
            counter[0] += 1
            time.sleep(0.005)

    t = threading.Thread(target=spin)
    t.start()
    try:
        text = cloud._core.call_sync("identity", "{}", 5000)
    finally:
        done.set()
        t.join()
    assert json.loads(text)["userId"]
    assert counter[0] > 30


def test_close_from_another_thread_ends_a_waiting_call(cloud, emulator):
    emulator.add_fault(path="/api/v1/milady/agents", action="delay", delayMs=5000)
    threading.Timer(0.2, cloud.close).start()
    started = time.monotonic()
    with pytest.raises(elizacloud.CancelledError):
        cloud.agents.list()
    assert time.monotonic() - started < 3
    assert cloud.closed
    with pytest.raises(elizacloud.InvalidArgumentError):
        cloud.status()


def test_callback_exception_is_logged_and_delivery_continues(cloud, caplog):
    agent = cloud.agents.create("cb")
    good: list[State | None] = []

    def bad(ev: elizacloud.Event) -> None:
        raise RuntimeError("boom")

    cloud.on_state_change(bad)
    remove = cloud.on_state_change(lambda ev: good.append(ev.state))
    cloud.connect(agent["id"])
    assert wait_until(lambda: State.CONNECTED in good)
    assert any("boom" in r.exc_text for r in caplog.records if r.exc_text)
    remove()
    cloud.disconnect()
    time.sleep(0.2)
    assert State.DISCONNECTED not in good


def test_sync_call_from_inside_a_callback(cloud):
    agent = cloud.agents.create("reentrant")
    replies: list[str] = []

    def on_state(ev: elizacloud.Event) -> None:
        if ev.state is State.CONNECTED and cloud.proxy is not None:
            replies.append(cloud.proxy.send("from callback"))

    cloud.on_state_change(on_state)
    cloud.connect(agent["id"])
    assert wait_until(lambda: replies == ["echo: from callback"])


def test_generic_call_and_context_manager(make_cloud, api_key):
    with make_cloud(api_key=api_key) as cloud:
        assert cloud.call("identity")["userId"]
        assert cloud.call("agents.list") == []
        with pytest.raises(elizacloud.InvalidArgumentError):
            cloud.call("no.such.method")
    assert cloud.closed


def test_logs_reach_the_logging_module(cloud, emulator, caplog):
    agent = cloud.agents.create("logs")
    cloud.connect(agent["id"])
    with caplog.at_level("WARNING", logger="elizacloud"):
        emulator.heartbeat_failures(1, agentId=agent["id"])
        assert wait_until(lambda: any("Heartbeat failed" in r.getMessage() for r in caplog.records))
    assert all("eliza_" not in r.getMessage() or "…" in r.getMessage() for r in caplog.records)


def test_a_proxy_page_answering_heartbeats_is_not_an_alive_agent(cloud, emulator):
    # A proxy in front of a dead agent answers the heartbeat with 200 and its own HTML page: the
    # connection must notice (reconnecting), not stay "connected".
    proxy = cloud.connect(cloud.agents.create("proxied")["id"])
    changes: list[elizacloud.Event] = []
    cloud.on_state_change(changes.append)
    emulator.add_fault(
        path="/api/v1/milady/agents/*/bridge",
        rpcMethod="heartbeat",
        action="status",
        status=200,
        contentType="text/html",
        body="<html><body>Service OK</body></html>",
        always=True,
    )
    assert proxy.is_alive() is False
    assert wait_until(lambda: any(e.state is State.RECONNECTING for e in changes))
    emulator.clear_faults()
    assert wait_until(lambda: cloud.state is State.CONNECTED)
    assert proxy.is_alive() is True


def test_user_update_through_the_generated_resource(make_cloud, api_key):
    # user.update exists only as a registry row: the method, its typing and the CLI are derived.
    with make_cloud(api_key=api_key) as cloud:
        user = cloud.user.update(nickname="neo", work_function="data", email_notifications=False)
        assert user["nickname"] == "neo"
        assert user["work_function"] == "data"
        assert user["email_notifications"] is False
        assert cloud.identity()["nickname"] == "neo"
        with pytest.raises(elizacloud.InvalidArgumentError, match="work_function must be one of"):
            cloud.user.update(work_function="ceo")  # type: ignore[arg-type]


def test_host_driven_login_through_the_generated_resource(make_cloud, emulator):
    # login_session.* exist only as registry rows; the key is adopted by the handle, not returned.
    with make_cloud() as cloud:
        session = cloud.login_session.create()
        assert f"/auth/cli-login?session={session['sessionId']}" in session["browserUrl"]
        assert cloud.login_session.poll(session["sessionId"]) == {"status": "pending"}
        key = emulator.approve(session["sessionId"])["apiKey"]
        done = cloud.login_session.poll(session["sessionId"])
        assert done["status"] == "authenticated"
        assert done["keyPrefix"] == key[:12]
        assert key not in repr(done)
        assert cloud.api_key == key
        with pytest.raises(elizacloud.ElizaCloudError):
            cloud.login_session.poll(session["sessionId"])  # handed out once


@pytest.mark.emulator_args("--generation", "eliza", "--provision-ms", "30",
                           "--job-poll-interval-ms", "10")
def test_the_eliza_generation_is_detected_once_and_used(make_cloud, api_key, emulator):
    price = emulator.config()["dedicatedPriceAcceptance"]
    with make_cloud(api_key=api_key, confirm_price=price) as cloud:  # api_generation: auto
        assert cloud.status()["apiGeneration"] is None  # not needed yet
        agent = cloud.agents.create("gen")
        proxy = cloud.connect(agent["id"])  # the price the host accepted goes with the start
        assert "hi" in proxy.send("hi")
        assert cloud.status()["apiGeneration"] == "eliza"
    with make_cloud(api_key=api_key, api_generation="milady") as forced:
        with pytest.raises(elizacloud.GenerationError, match="milady API generation"):
            forced.agents.list()
    with pytest.raises(elizacloud.InvalidArgumentError, match="api_generation"):
        make_cloud(api_key=api_key, api_generation="beta")  # type: ignore[arg-type]


@pytest.mark.emulator_args("--generation", "eliza")
def test_a_login_cancelled_after_approval_leaves_no_live_key(make_cloud, emulator):
    # The user approved in the browser, then the host logged out before the login's next poll:
    # the minted key waits in the cloud for its one poll. The library claims it and revokes it.
    cloud = make_cloud(timings={"login_poll_interval_ms": 1500})
    urls: list[str] = []
    outcome: dict = {}

    def login() -> None:
        try:
            outcome["result"] = cloud.login(on_browser_url=urls.append, timeout=20)
        except elizacloud.ElizaCloudError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=login)
    thread.start()
    assert wait_until(lambda: bool(urls))
    session_id = urls[0].rsplit("=", 1)[1]
    time.sleep(0.3)  # the first poll has answered "pending"
    emulator.approve(session_id)
    cloud.logout()
    thread.join(10)
    assert isinstance(outcome.get("error"), elizacloud.CancelledError), outcome
    assert cloud.api_key is None

    def revoked() -> bool:
        sessions = emulator.control("GET", "/__emulator/sessions")["sessions"]
        return any(s["sessionId"] == session_id and s.get("keyRevoked") for s in sessions)

    assert wait_until(revoked)


@pytest.mark.emulator_args("--generation", "eliza", "--default-execution-tier", "shared")
def test_a_shared_runtime_agent_is_served_without_snapshots(make_cloud, api_key, emulator):
    # No container, nothing to back up: the cloud answers 409 to every snapshot (E§2.12), so
    # none is attempted, neither on the backup interval nor at disconnect.
    cloud = make_cloud(api_key=api_key, timings={"backup_interval_ms": 50})
    events: list[elizacloud.Event] = []
    cloud.on_event(events.append)
    agent = cloud.agents.create("shared")
    assert agent["executionTier"] == "shared"
    proxy = cloud.connect(agent["id"])  # no price to confirm: shared compute is not paid
    assert proxy.send("hi") == "echo: hi"
    assert "".join(proxy.stream("streamed")) == "echo: streamed"
    time.sleep(0.3)  # several backup intervals
    cloud.disconnect()
    assert emulator.agent_state(agent["id"])["snapshots"] == 0
    assert not [e for e in events if e.type in (EventType.BACKUP_DONE, EventType.BACKUP_FAILED)]
    with pytest.raises(elizacloud.ConflictError):
        cloud.snapshot(agent["id"])  # asked for explicitly, the cloud's answer is the error
