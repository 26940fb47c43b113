"""Every exception class, each raised by a real failure the emulator produces (or the library
itself, for local checks), with its status and attributes."""

from __future__ import annotations

import builtins
import json
import pickle
import threading
import time
import uuid

import pytest
from binding_support import _clean_env, make_cloud  # noqa: F401

import elizacloud
from elizacloud import _core, errors

AGENTS = "/api/v1/milady/agents"



@pytest.fixture
def cloud(make_cloud, api_key):
    """The mapping of single answers: retries of transient failures (test_request.py) would turn
    a one-off fault into a success."""
    return make_cloud(api_key=api_key, max_retries=0)

def raises(cls: type[errors.ElizaCloudError], fn, *args, **kwargs) -> errors.ElizaCloudError:
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    exc = info.value
    assert type(exc) is cls
    assert exc.status == cls.status and exc.status_name == _core.status_name(cls.status)
    assert exc.message and str(exc) == exc.message
    assert isinstance(exc, errors.ElizaCloudError)
    return exc


@pytest.mark.parametrize(
    ("status", "cls", "http"),
    [
        (401, errors.AuthError, 401),
        (403, errors.ForbiddenError, 403),
        (404, errors.NotFoundError, 404),
        (409, errors.ConflictError, 409),
        (400, errors.InvalidRequestError, None),
        (500, errors.ServerError, None),
        (503, errors.ServerError, None),
    ],
)
def test_http_status_faults(cloud, emulator, status, cls, http):
    emulator.add_fault(path=AGENTS, action="status", status=status)
    exc = raises(cls, cloud.agents.list)
    if http is not None:
        assert exc.http_status == http


def test_rate_limited(cloud, emulator):
    emulator.add_fault(path=AGENTS, action="status", status=429, headers={"Retry-After": "7"})
    exc = raises(errors.RateLimitedError, cloud.agents.list)
    assert exc.http_status == 429


def test_rate_limited_retry_after(cloud, emulator):
    emulator.add_fault(path=AGENTS, action="status", status=429, headers={"Retry-After": "7"})
    assert raises(errors.RateLimitedError, cloud.agents.list).retry_after == 7


def test_insufficient_credits(cloud, emulator):
    emulator.set_credits(1.0)
    exc = raises(errors.InsufficientCreditsError, cloud.agents.create, "poor")
    assert exc.http_status == 402 and "Insufficient credits" in exc.message


def test_insufficient_credits_balances(cloud, emulator):
    emulator.set_credits(1.0)
    exc = raises(errors.InsufficientCreditsError, cloud.agents.create, "poor")
    assert (exc.required, exc.current) == (5.0, 1.0)


def test_auth_error_with_a_revoked_key(make_cloud, emulator):
    key = emulator.create_key()["apiKey"]
    emulator.revoke_key(key)
    exc = raises(errors.AuthError, make_cloud(api_key=key).agents.list)
    assert exc.http_status == 401 and key not in repr(exc) and key not in str(exc)


def test_not_found_and_conflict_from_routes(cloud):
    raises(errors.NotFoundError, cloud.agents.get, str(uuid.uuid4()))
    agent = cloud.agents.create("stopped")
    raises(errors.ConflictError, cloud.snapshot, agent["id"])  # "Sandbox is not running"


def test_transport_faults(cloud, emulator):
    emulator.add_fault(path=AGENTS, action="close")
    raises(errors.NetworkError, cloud.agents.list)
    emulator.add_fault(path=AGENTS, action="redirect", location="http://example.com/")
    assert "302" in raises(errors.RedirectRefusedError, cloud.agents.list).message
    emulator.add_fault(path=AGENTS, action="malformed")
    raises(errors.ProtocolError, cloud.agents.list)


def test_library_timeout(make_cloud, api_key, emulator):
    cloud = make_cloud(api_key=api_key, timings={"request_timeout_ms": 300}, max_retries=0)
    emulator.add_fault(path=AGENTS, action="delay", delayMs=2000)
    exc = raises(errors.TimeoutError, cloud.agents.list)
    assert isinstance(exc, builtins.TimeoutError)


def test_url_blocked(tmp_path):
    with pytest.raises(errors.UrlBlockedError) as info:
        with elizacloud.Cloud(
            "http://127.0.0.1:9",
            no_config_file=True,
            insecure_local=False,
            api_key="eliza_" + "0" * 64,
        ) as cloud:
            cloud.agents.list()
    assert info.value.status == _core.EC_ERR_URL_BLOCKED


def test_tls_error_without_the_ca(tls_emulator, tmp_path):
    key = tls_emulator.create_key()["apiKey"]
    with elizacloud.Cloud(
        tls_emulator.url, api_key=key, no_config_file=True, insecure_local=True
    ) as cloud:
        raises(errors.TlsError, cloud.agents.list)
    with elizacloud.Cloud(
        tls_emulator.url,
        api_key=key,
        no_config_file=True,
        insecure_local=True,
        ca_file=tls_emulator.ca_file,
    ) as cloud:
        assert cloud.agents.list() == []


def test_agent_error_from_a_jsonrpc_reply(cloud, emulator):
    agent = cloud.agents.create("rpc")
    proxy = cloud.connect(agent["id"])
    emulator.script_replies([{"error": {"code": -32000, "message": "Sandbox is not running"}}])
    assert raises(errors.AgentError, proxy.send, "hi").message == "Sandbox is not running"


def test_provision_failed(cloud, emulator):
    emulator.provision_failures(count=1, message="no capacity")
    agent = cloud.agents.create("doomed")
    assert "no capacity" in raises(errors.ProvisionFailedError, cloud.connect, agent["id"]).message
    assert cloud.state is elizacloud.State.DISCONNECTED


def test_local_argument_and_state_errors(cloud):
    exc = raises(errors.InvalidArgumentError, cloud.connect, "not-a-uuid")
    assert isinstance(exc, ValueError)
    raises(errors.NotConnectedError, elizacloud.Proxy(cloud, str(uuid.uuid4())).send, "hi")
    with pytest.raises(ValueError):
        elizacloud.Cloud(no_config_file=True, timings={"no_such_timing": 1})


def test_login_errors(make_cloud, emulator):
    cloud = make_cloud(timings={"login_poll_interval_ms": 400})
    first = cloud.start_login()
    raises(errors.BusyError, cloud.login, timeout=5)  # one login at a time
    first.cancel()
    raises(errors.CancelledError, first.wait, 5)

    # A new login is accepted as soon as the cancelled one reported Cancelled.
    # The key was collected by someone else before this client polled.
    handle = cloud.start_login()
    session = handle.wait_browser_url(5).split("session=")[1]
    emulator.approve(session)
    assert emulator.request("GET", f"/api/auth/cli-session/{session}").json()["apiKey"]
    raises(errors.KeyAlreadyRetrievedError, handle.wait, 5)

    emulator.config(sessionTtlMs=100)
    raises(errors.LoginExpiredError, cloud.login, timeout=5)


def test_config_io_error(emulator, tmp_path):
    with pytest.raises(errors.ConfigIOError):
        elizacloud.Cloud(emulator.url, config_path="/dev/null/sub/milady.json", insecure_local=True)


def test_reentrant_sync_call_inside_a_library_callback(cloud):
    raw = cloud._core
    seen: list[BaseException] = []
    called = threading.Event()

    def callback(ev: _core.Event) -> None:
        try:
            raw.call_sync("status", "{}", 1000)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            seen.append(exc)
        called.set()

    raw.set_event_callback(callback)
    try:
        raw.call("status")  # its REQUEST_COMPLETED goes to the callback
        assert called.wait(5)
    finally:
        raw.set_event_callback(None)
    assert type(seen[0]) is errors.ReentrantError


@pytest.mark.emulator_args("--stream-chunk-chars", "1")
def test_a_stream_into_a_full_queue_is_paused_not_cut(make_cloud, api_key, emulator):
    cloud = make_cloud(api_key=api_key)
    agent = cloud.agents.create("overflow")
    cloud.connect(agent["id"])
    raw = elizacloud._core.Cloud(
        base_url=emulator.url,
        api_key=api_key,
        no_config_file=True,
        insecure_local=True,
        event_queue_capacity=8,
    )
    try:
        # connect on a second handle whose queue nobody drains while a long stream runs
        raw.call_sync("connect", json.dumps({"agentId": agent["id"]}), 10000)
        request = raw.call("stream", json.dumps({"text": "x" * 200}))
        deadline = time.monotonic() + 60
        while json.loads(raw.event_stats())["streamPauses"] == 0:
            assert time.monotonic() < deadline, "the stream was never paused"
            time.sleep(0.01)
        text, end = "", None
        while end is None:
            ev = raw.wait_event(5000)
            assert ev is not None
            if ev.request_id != request:
                continue
            if ev.type == _core.EC_EVENT_STREAM_CHUNK:
                text += ev.text
            elif ev.type == _core.EC_EVENT_STREAM_END:
                end = ev
        assert end.status == _core.EC_OK
        assert text == "echo: " + "x" * 200
        # The error class stays for a stream past the queue's hard limit.
        exc = errors._from_core(_core.EC_ERR_OVERFLOW, "overflow", "")
        assert type(exc) is errors.EventOverflowError
    finally:
        raw.close()


def test_error_objects_pickle_and_describe_themselves():
    exc = errors._from_core(
        _core.EC_ERR_RATE_LIMITED,
        "slow down",
        '{"httpStatus":429,"retryAfterMs":1500,"code":"rate_limited"}',
    )
    assert (
        type(exc) is errors.RateLimitedError
        and exc.retry_after == 1.5
        and exc.code == "rate_limited"
    )
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is errors.RateLimitedError and copy.retry_after == 1.5
    assert copy.to_dict() == {
        "status": "EC_ERR_RATE_LIMITED",
        "message": "slow down",
        "httpStatus": 429,
        "code": "rate_limited",
        "retryAfter": 1.5,
    }
    credits = errors._from_core(
        _core.EC_ERR_INSUFFICIENT_CREDITS, "pay", {"requiredBalance": 5, "currentBalance": 1.5}
    )
    assert (credits.required, credits.current) == (5.0, 1.5)


def test_every_status_has_its_class():
    names = {cls.status: cls for cls in map(errors.error_class, _core.STATUS_CODES.values())}
    for name, code in _core.STATUS_CODES.items():
        if code == _core.EC_OK:
            continue
        cls = errors.error_class(code)
        assert cls is not errors.ElizaCloudError, name
        assert cls.status == code and names[code] is cls
    assert issubclass(errors.TimeoutError, builtins.TimeoutError)
