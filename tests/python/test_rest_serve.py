"""`elizacloud serve` end to end over real sockets against the emulator: seed 001's "Getting
Started" walkthrough, every endpoint's success body against seed 000, the error cases of R35–R91
with SPEC §3's decisions, token and Host checks, the 1 MiB cap, foreign login sessions, credits
thresholds, the events stream, concurrency and a clean SIGTERM."""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from rest_support import Reply, Serve, raw_exchange, sse_events

TOKEN = "0123456789abcdef0123456789abcdef"
BILLING = "/dashboard/settings?tab=billing"


@pytest.fixture
def serve(emulator, tmp_path) -> Iterator[Callable[..., Serve]]:
    started: list[Serve] = []

    def start(*args: str, config: dict | None = None, **kwargs: Any) -> Serve:
        path = tmp_path / f"milady-{len(started)}.json"
        if config is not None:
            path.write_text(json.dumps(config))
        srv = Serve(emulator, path, args, **kwargs)
        started.append(srv)
        return srv

    yield start
    problems = []
    for srv in started:
        code = srv.stop() if srv.port else srv.proc.wait(10)
        log = srv.stderr_text()
        if srv.port and code != 0:
            problems.append(f"exit {code}: {log[-3000:]}")
        if "Sanitizer" in log or "runtime error:" in log:
            problems.append(log[-3000:])
        srv.close()
    if problems:
        pytest.fail("serve did not shut down cleanly:\n" + "\n".join(problems))


def login(srv: Serve, token: str | None = None) -> dict:
    reply = srv.request("POST", "/api/cloud/login", token=token)
    assert reply.status == 200, reply.body
    session = reply.json()["sessionId"]
    for _ in range(100):
        status = srv.request("GET", f"/api/cloud/login/status?sessionId={session}", token=token)
        assert status.status == 200, status.body
        if status.json()["status"] == "authenticated":
            return status.json()
        time.sleep(0.05)
    raise AssertionError("login never completed")


def same_shape(actual: Any, seed: Any, extra: frozenset[str] | set[str] = frozenset()) -> None:
    """Every field of the seed's example is there with the same JSON type, at every level;
    objects have nothing else but the names in `extra` (SPEC amendments, the cloud's fields)."""
    if isinstance(seed, dict):
        assert isinstance(actual, dict), actual
        assert set(seed) <= set(actual), (set(seed) - set(actual), actual)
        assert set(actual) - set(seed) <= set(extra), (set(actual) - set(seed), actual)
        for key, value in seed.items():
            same_shape(actual[key], value, extra)
    elif isinstance(seed, bool):
        assert isinstance(actual, bool), actual
    elif isinstance(seed, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), actual
    elif isinstance(seed, str):
        assert isinstance(actual, str), actual
    elif isinstance(seed, list):
        assert isinstance(actual, list), actual


class Events(threading.Thread):
    """GET /api/cloud/events read line by line on a thread; state events collected in order."""

    def __init__(self, srv: Serve, token: str | None = None) -> None:
        super().__init__(daemon=True)
        self.conn = srv.connection(timeout=60)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.conn.request("GET", "/api/cloud/events", headers=headers)
        self.resp = self.conn.getresponse()
        self.events: list[tuple[str, dict]] = []
        self.cond = threading.Condition()
        self.start()

    def run(self) -> None:
        try:
            for event in sse_events(self.resp):
                with self.cond:
                    self.events.append(event)
                    self.cond.notify_all()
        except OSError:
            pass

    def states(self) -> list[str]:
        with self.cond:
            return [d["state"] for n, d in self.events if n == "state"]

    def wait_for(self, state: str, count: int = 1, timeout: float = 20.0) -> list[str]:
        with self.cond:
            ok = self.cond.wait_for(lambda: self.states_locked().count(state) >= count, timeout)
        assert ok, f"no {state!r} event; got {self.states()}"
        return self.states()

    def states_locked(self) -> list[str]:
        return [d["state"] for n, d in self.events if n == "state"]

    def close(self) -> None:
        # End the reader first (EOF on its socket), then release the connection.
        if self.conn.sock is not None:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.join(10)
        self.conn.close()


# ---- seed 001 "Getting Started" -----------------------------------------------------------------


# The eliza generation's cloud asks for the user's consent to the dedicated price before it
# starts compute; a host serving the REST API passes the price it accepted (--confirm-price).
ELIZA = ("--generation", "eliza")


def consent_args(emulator, eliza: bool) -> tuple[str, ...]:
    return ("--confirm-price", emulator.config()["dedicatedPriceAcceptance"]) if eliza else ()


@pytest.mark.emulator_args("--auto-approve")
def test_getting_started_walkthrough(serve, emulator, tmp_path):
    getting_started_walkthrough(serve, emulator, tmp_path, eliza=False)


@pytest.mark.emulator_args("--auto-approve", *ELIZA)
def test_getting_started_walkthrough_is_the_same_on_the_eliza_generation(serve, emulator, tmp_path):
    getting_started_walkthrough(serve, emulator, tmp_path, eliza=True)


def getting_started_walkthrough(serve, emulator, tmp_path, *, eliza: bool) -> None:
    # MILADY_CONFIG_PATH and MILADY_API_TOKEN instead of flags, as a dashboard host would set.
    config = tmp_path / "state" / "milady.json"
    srv = serve(
        *consent_args(emulator, eliza),
        config_flag=False,
        env={"MILADY_CONFIG_PATH": str(config), "MILADY_API_TOKEN": TOKEN},
    )
    assert srv.line == f"listening on http://127.0.0.1:{srv.port}"

    # Step 1: start the login flow.
    step1 = srv.request("POST", "/api/cloud/login", token=TOKEN)
    assert step1.status == 200
    body = step1.json()
    assert body["ok"] is True
    session = body["sessionId"]
    assert str(uuid.UUID(session)) == session
    assert body["browserUrl"] == f"{emulator.url}/auth/cli-login?session={session}"

    # Step 2: poll until authenticated; the key is saved, never returned.
    step2 = srv.request("GET", f"/api/cloud/login/status?sessionId={session}", token=TOKEN)
    assert step2.status == 200
    assert step2.json()["status"] == "authenticated"
    key = json.loads(config.read_text())["cloud"]["apiKey"]
    assert step2.json() == {"status": "authenticated", "keyPrefix": key[:12]}
    assert json.loads(config.read_text())["cloud"]["loginSessionId"] == session
    assert key.encode() not in step2.body
    assert json.loads(config.read_text())["cloud"]["enabled"] is True

    # Step 3: connection status.
    step3 = srv.request("GET", "/api/cloud/status", token=TOKEN).json()
    assert step3 == {
        "connected": True,
        "enabled": True,
        "hasApiKey": True,
        "userId": "00000000-0000-4000-8000-000000000001",
        "organizationId": "00000000-0000-4000-8000-0000000000a1",
        "topUpUrl": emulator.url + BILLING,
    }

    # Step 4: create a cloud agent.
    step4 = srv.request(
        "POST",
        "/api/cloud/agents",
        token=TOKEN,
        body={"agentName": "my-cloud-agent", "agentConfig": {}, "environmentVars": {}},
    )
    assert step4.status == 201, step4.body
    agent = step4.json()["agent"]
    assert agent["name"] == "my-cloud-agent"

    # Step 5: connect to it (provisioning follows the job).
    step5 = srv.request("POST", f"/api/cloud/agents/{agent['id']}/connect", token=TOKEN)
    assert step5.status == 200, step5.body
    assert step5.json() == {
        "ok": True,
        "agentId": agent["id"],
        "agentName": "my-cloud-agent",
        "status": {"connected": True, "state": "connected"},
    }

    # Disconnecting: final backup, key removed from config.
    snapshots = emulator.agent_state(agent["id"])["snapshots"]
    bye = srv.request("POST", "/api/cloud/disconnect", token=TOKEN)
    assert bye.status == 200 and bye.json() == {"ok": True, "status": "disconnected"}
    assert emulator.agent_state(agent["id"])["snapshots"] == snapshots + 1
    cloud = json.loads(config.read_text())["cloud"]
    assert "apiKey" not in cloud and cloud["enabled"] is False
    after = srv.request("GET", "/api/cloud/status", token=TOKEN).json()
    assert after["connected"] is False and after["hasApiKey"] is False
    # The eliza cloud also revokes the key (by its login session); the seeds' cloud cannot.
    assert emulator.request("GET", "/api/v1/user", key=key).status == (401 if eliza else 200)


# ---- seed 000 success bodies --------------------------------------------------------------------


def test_every_success_body_matches_seed_000(serve, emulator):
    every_success_body_matches_seed_000(serve, emulator, eliza=False)


@pytest.mark.emulator_args(*ELIZA)
def test_every_success_body_matches_seed_000_on_the_eliza_generation(serve, emulator):
    every_success_body_matches_seed_000(serve, emulator, eliza=True)


def every_success_body_matches_seed_000(serve, emulator, *, eliza: bool) -> None:
    emulator.config(autoApprove=False)
    srv = serve(*consent_args(emulator, eliza))
    seed = {  # the examples of seed 000, field by field
        "login": {"ok": True, "sessionId": "s", "browserUrl": "u"},
        "pending": {"status": "pending"},
        "authenticated": {"status": "authenticated", "keyPrefix": "eca-..."},
        "status_connected": {
            "connected": True,
            "enabled": True,
            "hasApiKey": True,
            "userId": "u",
            "organizationId": "o",
            "topUpUrl": "t",
        },
        "status_not_connected": {
            "connected": False,
            "enabled": False,
            "hasApiKey": False,
            "reason": "not_authenticated",
        },
        "credits": {
            "connected": True,
            "balance": 15.5,
            "low": False,
            "critical": False,
            "topUpUrl": "t",
        },
        "disconnect": {"ok": True, "status": "disconnected"},
        "agents": {"ok": True, "agents": []},
        "agent": {"id": "i", "name": "n", "status": "running", "createdAt": "c"},
        "create": {"ok": True, "agent": {"id": "i", "name": "n", "status": "provisioning"}},
        "provision": {"ok": True, "agentId": "i", "agentName": "n", "status": {"connected": True}},
        "shutdown": {"ok": True, "agentId": "i", "status": "stopped"},
    }
    # SPEC §2.7: topUpUrl is always there; the cloud's own agent fields come along (SPEC §3).
    cloud_fields = {
        "agentName",
        "databaseStatus",
        "lastBackupAt",
        "lastHeartbeatAt",
        "errorMessage",
        "updatedAt",
        "token_address",
        "token_chain",
        "token_name",
        "token_ticker",
        "createdAt",
    }
    if eliza:  # the eliza cloud's agent records say more (cloud-contract-eliza.md §2.2)
        cloud_fields |= {"agentId", "executionTier", "dockerImage", "webUiUrl", "activeJob", "created"}

    before = srv.request("GET", "/api/cloud/status")
    assert before.status == 200 and before.headers["content-type"] == "application/json"
    same_shape(before.json(), seed["status_not_connected"], {"topUpUrl"})
    assert before.json()["reason"] == "runtime_not_started"  # no key, nothing connected yet

    started = srv.request("POST", "/api/cloud/login")
    same_shape(started.json(), seed["login"])
    session = started.json()["sessionId"]
    pending = srv.request("GET", f"/api/cloud/login/status?sessionId={session}")
    assert pending.json() == seed["pending"]
    emulator.approve(session)
    done = srv.request("GET", f"/api/cloud/login/status?sessionId={session}")
    same_shape(done.json(), seed["authenticated"])

    same_shape(srv.request("GET", "/api/cloud/status").json(), seed["status_connected"])
    credits = srv.request("GET", "/api/cloud/credits").json()
    same_shape(credits, seed["credits"])
    assert credits["balance"] == 25 and credits["topUpUrl"] == emulator.url + BILLING

    created = srv.request("POST", "/api/cloud/agents", {"agentName": "My Cloud Agent"})
    assert created.status == 201
    same_shape(created.json(), seed["create"], cloud_fields)
    assert set(created.json()) == {"ok", "agent"}
    agent = created.json()["agent"]
    assert agent["name"] == agent["agentName"] == "My Cloud Agent"

    listed = srv.request("GET", "/api/cloud/agents").json()
    same_shape(listed, seed["agents"])
    assert len(listed["agents"]) == 1
    same_shape(listed["agents"][0], seed["agent"], cloud_fields)

    provisioned = srv.request("POST", f"/api/cloud/agents/{agent['id']}/provision")
    same_shape(provisioned.json(), seed["provision"], {"state"})  # SPEC §3 adds "state"
    assert provisioned.json()["status"] == {"connected": True, "state": "connected"}
    connected = srv.request("POST", f"/api/cloud/agents/{agent['id']}/connect")
    assert connected.json() == provisioned.json()

    stopped = srv.request("POST", f"/api/cloud/agents/{agent['id']}/shutdown")
    assert stopped.json() == {"ok": True, "agentId": agent["id"], "status": "stopped"}
    same_shape(stopped.json(), seed["shutdown"])

    bye = srv.request("POST", "/api/cloud/disconnect")
    assert bye.json() == seed["disconnect"]
    after = srv.request("GET", "/api/cloud/status").json()
    same_shape(after, seed["status_not_connected"], {"topUpUrl"})
    assert after["reason"] == "not_authenticated"
    no_key = srv.request("GET", "/api/cloud/credits").json()
    assert no_key["balance"] is None and no_key["connected"] is False


# ---- error cases --------------------------------------------------------------------------------


def test_error_cases(serve, emulator):
    srv = serve()
    agent = "123e4567-e89b-42d3-a456-426614174000"

    def check(method: str, path: str, status: int, body: dict, payload: Any = None) -> Reply:
        reply = srv.request(method, path, payload)
        assert (reply.status, reply.json()) == (status, body), (method, path, reply.body)
        assert reply.headers["content-type"] == "application/json"
        return reply

    not_found = {"error": "Not found"}
    for path in (
        "/api/cloud/unknown",
        "/api/cloud/login/statusXYZ",
        "/api/cloud/status/",
        f"/api/cloud/agents/{agent}/anything/provision",
        f"/api/cloud/agents/{agent}",
        "/api/unknown",
    ):
        check("GET", path, 404, not_found)
    reply = check("DELETE", "/api/cloud/agents", 405, {"error": "Method not allowed"})
    assert reply.headers["allow"] == "GET, POST"
    check("GET", "/api/cloud/login", 405, {"error": "Method not allowed"})

    not_connected = {"error": "Not connected to Eliza Cloud"}
    check("GET", "/api/cloud/agents", 401, not_connected)
    check("POST", "/api/cloud/agents", 401, not_connected, {"agentName": "x"})
    bad_agent = {"error": "Invalid agent ID or cloud not connected"}
    for action in ("provision", "connect", "shutdown"):
        check("POST", f"/api/cloud/agents/not-a-uuid/{action}", 400, bad_agent)
        check("POST", f"/api/cloud/agents/{agent}/{action}", 400, bad_agent)  # no key

    check("GET", "/api/cloud/login/status", 400, {"error": "sessionId query parameter is required"})
    check(
        "GET",
        "/api/cloud/login/status?sessionId=..%2F..%2Fapi%2Fv1%2Fuser",
        400,
        {"error": "sessionId must be a UUID"},
    )
    check(
        "GET",
        f"/api/cloud/login/status?sessionId={uuid.uuid4()}",
        200,
        {"status": "expired", "error": "Session not found or expired"},
    )
    check("POST", "/api/cloud/disconnect", 200, {"ok": True, "status": "disconnected"})

    # With a key: the body checks of POST /api/cloud/agents (R69–R72, G12).
    key = emulator.create_key()["apiKey"]
    srv.config.write_text(json.dumps({"cloud": {"apiKey": key}}))
    srv2 = Serve(emulator, srv.config)
    try:
        for payload, error in [
            (b"{", "Invalid JSON in request body"),
            (b"", "Invalid JSON in request body"),
            (b"[1]", "Request body must be a JSON object"),
            (b"null", "Request body must be a JSON object"),
            (b"{}", "agentName is required"),
            (b'{"agentName":"   "}', "agentName is required"),
            (b'{"agentName":5}', "agentName must be a string"),
            (b'{"agentName":"a","agentConfig":"x"}', "agentConfig must be a JSON object"),
            (
                b'{"agentName":"a","environmentVars":{"A":[]}}',
                "environmentVars must be an object of strings",
            ),
        ]:
            reply = srv2.request("POST", "/api/cloud/agents", payload)
            assert (reply.status, reply.json()) == (400, {"error": error}), payload
        assert emulator.request_count("POST /api/v1/milady/agents") == 0  # never forwarded
        # A cloud failure: our words, not the cloud's (G7).
        emulator.add_fault(
            path="/api/v1/milady/agents",
            method="POST",
            action="status",
            status=403,
            body={"error": "Quota exceeded (org 42 internal)"},
        )
        reply = srv2.request("POST", "/api/cloud/agents", {"agentName": "x"})
        assert (reply.status, reply.json()) == (502, {"error": "Eliza Cloud refused the request"})
        # Name trimmed before it is forwarded.
        reply = srv2.request("POST", "/api/cloud/agents", {"agentName": "  spaced  "})
        assert reply.status == 201 and reply.json()["agent"]["agentName"] == "spaced"
    finally:
        assert srv2.stop() == 0
        srv2.close()


def test_login_upstream_failures_are_reported_in_our_words(serve, emulator):
    srv = serve()
    emulator.add_fault(
        path="/api/auth/cli-session",
        action="status",
        status=503,
        body={"error": "internal upstream detail"},
    )
    reply = srv.request("POST", "/api/cloud/login")
    assert (reply.status, reply.json()) == (
        502,
        {"error": "Failed to create auth session with Eliza Cloud"},
    )
    emulator.add_fault(path="/api/auth/cli-session", action="delay", delayMs=12000)
    reply = srv.request("POST", "/api/cloud/login")
    assert (reply.status, reply.json()) == (504, {"error": "Eliza Cloud login request timed out"})


# ---- token and Host -----------------------------------------------------------------------------


def test_token_is_required_when_configured(serve):
    srv = serve("--token", TOKEN)
    wrong_same_length = "f" * len(TOKEN)
    for path in (
        "/api/cloud/status",
        "/api/cloud/credits",
        "/api/cloud/agents",
        f"/api/cloud/login/status?sessionId={uuid.uuid4()}",
    ):
        for headers in (
            {},
            {"Authorization": f"Bearer {wrong_same_length}"},
            {"Authorization": "Bearer short"},
            {"Authorization": f"Bearer {TOKEN}{TOKEN}"},
            {"Authorization": f"Basic {TOKEN}"},
        ):
            reply = srv.request("GET", path, headers=headers)
            assert (reply.status, reply.json()) == (401, {"error": "Unauthorized"}), headers
    for method, path in (("POST", "/api/cloud/login"), ("POST", "/api/cloud/disconnect")):
        assert srv.request(method, path).status == 401
    assert srv.request("GET", "/api/cloud/status", token=TOKEN).status == 200
    assert (
        srv.request(
            "GET", "/api/cloud/status", headers={"Authorization": f"bearer   {TOKEN} "}
        ).status
        == 200
    )


def test_host_allow_list(serve):
    srv = serve()
    for host in (
        "evil.com",
        "attacker.localhost",
        "localhost.evil.com",
        "0.0.0.0",
        "192.168.1.20:2138",
    ):
        reply = srv.request("GET", "/api/cloud/status", headers={"Host": host})
        assert (reply.status, reply.json()) == (
            403,
            {"error": "Forbidden \u2014 invalid Host header"},
        ), host
    for host in ("localhost", f"localhost:{srv.port}", f"127.0.0.1:{srv.port}", "[::1]:2138"):
        assert srv.request("GET", "/api/cloud/status", headers={"Host": host}).status == 200
    reply = srv.request("POST", "/api/cloud/disconnect", headers={"Origin": "https://evil.example"})
    assert (reply.status, reply.json()) == (403, {"error": "Origin not allowed"})


def test_non_loopback_bind_needs_a_token(serve):
    refused = serve("--host", "0.0.0.0", expect_start=False)
    assert refused.proc.wait(30) != 0
    assert "token" in refused.stderr_text()
    srv = serve("--host", "0.0.0.0", "--token", TOKEN)
    assert srv.request("GET", "/api/cloud/status").status == 401
    assert srv.request("GET", "/api/cloud/status", token=TOKEN).status == 200


# ---- bodies -------------------------------------------------------------------------------------


def test_413_reaches_a_real_socket_and_exactly_1_mib_is_accepted(serve, emulator):
    key = emulator.create_key()["apiKey"]
    srv = serve(config={"cloud": {"apiKey": key}})
    limit = 1024 * 1024

    def create_request(size: int) -> bytes:
        prefix = b'{"agentName":"big","agentConfig":{"pad":"'
        suffix = b'"}}'
        body = prefix + b"x" * (size - len(prefix) - len(suffix)) + suffix
        assert len(body) == size
        return (
            b"POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % size
        ) + body

    reply = raw_exchange(srv.port, create_request(limit + 1))
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:300]
    assert b"\r\nConnection: close\r\n" in reply
    assert reply.endswith(b'{"error":"Request body too large"}')
    reply = raw_exchange(srv.port, create_request(limit))
    assert reply.startswith(b"HTTP/1.1 201 "), reply[:300]
    assert emulator.request_count("POST /api/v1/milady/agents") == 1
    # Far beyond the cap, sent in one go: still a clean 413, not a reset.
    reply = raw_exchange(srv.port, create_request(6 * limit))
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:300]


# ---- login sessions -----------------------------------------------------------------------------


def test_login_status_refuses_a_session_it_did_not_create(serve, emulator):
    srv = serve()
    foreign = str(uuid.uuid4())  # e.g. an attacker's session, approved by the attacker
    created = emulator.request("POST", "/api/auth/cli-session", {"sessionId": foreign})
    assert created.status == 201
    emulator.approve(foreign)
    reply = srv.request("GET", f"/api/cloud/login/status?sessionId={foreign}")
    assert (reply.status, reply.json()) == (
        200,
        {"status": "expired", "error": "Session not found or expired"},
    )
    sessions = {s["sessionId"]: s for s in emulator.state()["sessions"]}
    assert sessions[foreign]["keyCollected"] is False  # the cloud was never asked
    assert not srv.config.exists() or "apiKey" not in srv.config.read_text()


@pytest.mark.emulator_args("--auto-approve")
def test_finished_session_cannot_be_polled_again(serve):
    srv = serve()
    session = srv.request("POST", "/api/cloud/login").json()["sessionId"]
    path = f"/api/cloud/login/status?sessionId={session}"
    assert srv.request("GET", path).json()["status"] == "authenticated"
    assert srv.request("GET", path).json() == {
        "status": "expired",
        "error": "Session not found or expired",
    }


# ---- credits ------------------------------------------------------------------------------------


@pytest.mark.emulator_args("--auto-approve")
def test_credits_thresholds_are_strict(serve, emulator):
    srv = serve()
    login(srv)
    for balance, low, critical in (
        (1.99, True, False),
        (2.00, False, False),
        (0.49, True, True),
        (0.50, True, False),
        (15.5, False, False),
    ):
        emulator.set_credits(balance)
        body = srv.request("GET", "/api/cloud/credits").json()
        assert body == {
            "connected": True,
            "balance": balance,
            "low": low,
            "critical": critical,
            "topUpUrl": emulator.url + BILLING,
        }, balance


# ---- events -------------------------------------------------------------------------------------


@pytest.mark.emulator_args("--auto-approve")
def test_events_stream_state_changes_as_they_happen(serve, emulator):
    fast = {"cloud": {"bridge": {"heartbeatIntervalMs": 100, "reconnectIntervalMs": 50}}}
    srv = serve("--token", TOKEN, config=fast)
    login(srv, TOKEN)
    agent = srv.request("POST", "/api/cloud/agents", {"agentName": "watched"}, token=TOKEN).json()[
        "agent"
    ]["id"]
    events = Events(srv, TOKEN)
    try:
        with events.cond:
            assert events.cond.wait_for(lambda: events.events, 10)
        assert events.events[0] == ("snapshot", {"state": "disconnected", "agentId": None})
        reply = srv.request("POST", f"/api/cloud/agents/{agent}/connect", token=TOKEN)
        assert reply.status == 200, reply.body
        events.wait_for("connected")
        first = [d for n, d in events.events if n == "state"][0]
        assert first == {
            "state": "connecting",
            "previousState": "disconnected",
            "agentId": agent,
            "reason": None,
            "attempt": 0,
            "nextDelayMs": None,
        }

        emulator.heartbeat_failures(3, agentId=agent)  # three misses → reconnecting
        events.wait_for("reconnecting")
        events.wait_for("connected", count=2)  # the re-provision succeeds
        reconnecting = [
            d for n, d in events.events if n == "state" and d["state"] == "reconnecting"
        ][0]
        assert reconnecting["previousState"] == "connected"
        assert reconnecting["attempt"] == 1 and reconnecting["agentId"] == agent
        assert reconnecting["reason"] == "The cloud agent reported an error"
        assert "Sandbox" not in json.dumps(reconnecting)  # our words only

        srv.request("POST", "/api/cloud/disconnect", token=TOKEN)
        states = events.wait_for("disconnected")
        assert states[:4] == ["connecting", "connected", "reconnecting", "connected"]
        assert states[-1] == "disconnected"
    finally:
        events.close()


def test_events_stream_needs_the_token(serve):
    srv = serve("--token", TOKEN)
    reply = srv.request("GET", "/api/cloud/events")
    assert reply.status == 401


# ---- load and lifecycle -------------------------------------------------------------------------


@pytest.mark.emulator_args("--auto-approve")
def test_200_concurrent_status_requests_all_succeed(serve):
    srv = serve()
    login(srv)
    barrier = threading.Barrier(200)

    def one(_: int) -> int:
        barrier.wait(30)
        return srv.request("GET", "/api/cloud/status").status

    with ThreadPoolExecutor(max_workers=200) as pool:
        codes = list(pool.map(one, range(200)))
    assert codes == [200] * 200


@pytest.mark.emulator_args("--auto-approve")
def test_sigterm_disconnects_with_a_final_backup_and_exits_0(serve, emulator):
    srv = serve()
    login(srv)
    agent = srv.request("POST", "/api/cloud/agents", {"agentName": "a"}).json()["agent"]["id"]
    assert srv.request("POST", f"/api/cloud/agents/{agent}/connect").status == 200
    before = emulator.agent_state(agent)["snapshots"]
    assert srv.stop() == 0
    assert emulator.agent_state(agent)["snapshots"] == before + 1
    assert "apiKey" in json.loads(srv.config.read_text())["cloud"]  # the key stays


def test_json_mode_prints_the_address_as_json(serve, emulator, tmp_path):
    srv = Serve(emulator, tmp_path / "m.json", ["--json"], expect_start=False)
    try:
        line = json.loads(srv._read_startup_line())
        assert line["url"] == f"http://127.0.0.1:{line['port']}" and line["port"] > 0
    finally:
        assert srv.stop() == 0
        srv.close()


def test_rest_dispatch_through_the_binding(emulator, tmp_path: Path):
    from elizacloud import _core

    core = _core.Cloud(
        base_url=emulator.url, config_path=str(tmp_path / "m.json"), insecure_local=True
    )
    try:
        reply = core.rest_dispatch("GET", "/api/cloud/status", {"Host": "localhost"})
        assert reply.status == 200 and reply.handled and not reply.streaming
        assert json.loads(reply.body)["reason"] == "runtime_not_started"
        assert json.loads(reply.headers_json)["Content-Type"] == "application/json"
        other = core.rest_dispatch("GET", "/elsewhere")
        assert other.status == 404 and not other.handled
        core.rest_configure(token="t")
        assert core.rest_dispatch("GET", "/api/cloud/status").status == 401
        bye = core.rest_dispatch("POST", "/api/cloud/disconnect", {"Authorization": "Bearer t"})
        assert bye.credentials == _core.EC_REST_CREDENTIALS_REMOVED
        stream = core.rest_dispatch("GET", "/api/cloud/events", {"Authorization": "Bearer t"})
        assert stream.streaming
        assert b"event: snapshot" in stream.read(2000)
        assert stream.read(10) == b""
        stream.close()
        assert stream.read(0) is None
        server = _core.RestServer(core, port=_core.EC_REST_PORT_EPHEMERAL, token="")
        assert server.port > 0
        server.stop()
    finally:
        core.close()


# ---- the documented command lines and bodiless POSTs --------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs"


def documented_curl_lines() -> list[str]:
    """Every `curl … /api/cloud/…` line of the user docs, as written."""
    lines = []
    for doc in sorted(DOCS.glob("*.md")):
        for line in doc.read_text().splitlines():
            if line.startswith("curl ") and "/api/cloud/" in line:
                lines.append(line.split(" #")[0].strip())
    return lines


def curl(line: str, port: int) -> Any:
    """Runs a curl command line with the documented port replaced; its stdout as JSON. The 4 s
    limit is far above an immediate answer and below the 5 s a read timeout would take."""
    argv = shlex.split(line.replace("127.0.0.1:2138", f"127.0.0.1:{port}"))
    assert argv[0] == "curl"
    out = subprocess.run(argv, capture_output=True, timeout=4, check=True)
    return json.loads(out.stdout)


@pytest.mark.emulator_args("--auto-approve")
def test_documented_curl_lines_work_as_written(serve):
    srv = serve()
    lines = documented_curl_lines()
    assert any(line.startswith("curl -X POST ") for line in lines), lines
    for line in lines:
        body = curl(line, srv.port)
        assert "error" not in body, (line, body)
    login_line = next(line for line in lines if line.endswith("/api/cloud/login"))
    body = curl(login_line, srv.port)
    assert body["ok"] is True and body["sessionId"], body


@pytest.mark.emulator_args("--auto-approve")
def test_bodiless_agent_posts_without_content_length_are_answered_at_once(serve):
    # `curl -X POST URL` sends neither Content-Length nor a body: the body is empty.
    srv = serve()
    login(srv)
    agent = srv.request("POST", "/api/cloud/agents", {"agentName": "bodiless"}).json()["agent"]
    base = f"curl -X POST http://127.0.0.1:2138/api/cloud/agents/{agent['id']}"
    for action in ("provision", "connect", "shutdown"):
        body = curl(f"{base}/{action}", srv.port)
        assert body["ok"] is True, (action, body)
    assert curl("curl -X POST http://127.0.0.1:2138/api/cloud/disconnect", srv.port)["ok"] is True


def test_sigterm_at_once_after_the_address_line_always_stops(serve, emulator, tmp_path):
    # The signal handler used to set a threading.Event, which could deadlock on the Event's own
    # lock when SIGTERM arrived as the main thread entered its wait: `serve` then never exited.
    for round_ in range(8):
        srv = Serve(emulator, tmp_path / f"m{round_}.json", ["--json"], expect_start=False)
        try:
            json.loads(srv._read_startup_line())
            assert srv.stop() == 0, f"round {round_}"
        finally:
            srv.close()
