"""Emulator: fault rules (docs/emulator.md §3.4), heartbeat failures, provisioning failures."""

import http.client
import json
import socket
import time

import pytest

from emulator import ControlError, parse_sse

BASE = "/api/v1/milady/agents"
HEARTBEAT = {"jsonrpc": "2.0", "method": "heartbeat"}


def raw_request(emu, method, path, body=b"", headers=None, timeout=5.0):
    """Sends one request over a plain socket and returns everything received until the server
    closes the connection (or the timeout), plus whether the read timed out."""
    sock = socket.create_connection((emu.host, emu.port), timeout=timeout)
    hdrs = {"Host": f"{emu.host}:{emu.port}", "Content-Length": str(len(body)),
            "Connection": "close", **(headers or {})}
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
    sock.sendall(head.encode() + b"\r\n" + body)
    data, timed_out = b"", False
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        timed_out = True
    finally:
        sock.close()
    return data, timed_out


def split_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


# ---------------------------------------------------------------- status

def test_status_fault_next_n_with_headers(emulator, api_key):
    rule = emulator.add_fault(method="GET", path="/api/v1/credits/balance", times=2,
                              action="status", status=429,
                              body={"success": False, "error": "Too many requests",
                                    "code": "rate_limit_exceeded", "retryAfter": 2},
                              headers={"Retry-After": "2"})
    assert rule["id"].startswith("f") and rule["matched"] == 0 and rule["fired"] == 0
    for _ in range(2):
        resp = emulator.request("GET", "/api/v1/credits/balance", key=api_key)
        assert resp.status == 429 and resp.header("retry-after") == "2"
        assert resp.json()["code"] == "rate_limit_exceeded"
    assert emulator.request("GET", "/api/v1/credits/balance", key=api_key).status == 200
    listed = emulator.control("GET", "faults")["faults"][0]
    assert listed["fired"] == 2 and listed["matched"] == 2 and listed["times"] == 2
    assert listed["headers"] == {"Retry-After": "2"}
    # Faulted requests are still counted per route.
    assert emulator.request_count("GET /api/v1/credits/balance") == 3


def test_status_fault_default_bodies_and_text(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="status", status=503)
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert resp.status == 503
    assert resp.json() == {"success": False, "error": "Service Unavailable",
                           "code": "internal_error"}
    emulator.add_fault(path="/api/v1/user", action="status", status=502, body="<html>bad gw</html>",
                       contentType="text/html")
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert resp.status == 502 and resp.text == "<html>bad gw</html>"
    assert resp.header("content-type") == "text/html"


def test_fault_applies_before_auth_and_to_unknown_paths(emulator):
    emulator.add_fault(path="/api/v1/nowhere", action="status", status=418, body={"x": 1})
    assert emulator.request("GET", "/api/v1/nowhere").status == 418


# ---------------------------------------------------------------- matching

def test_glob_segments_and_method(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.add_fault(method="POST", path="/api/v1/milady/agents/*/snapshot", action="status",
                       status=500, always=True)
    assert emulator.request("GET", f"{BASE}/{agent}/backups", key=api_key).status == 200
    for _ in range(3):
        assert emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).status == 500
    emulator.clear_faults()
    assert emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).status == 200
    # "*" never crosses "/": this pattern does not match the snapshot path.
    emulator.add_fault(path="/api/v1/milady/*/snapshot", action="status", status=500)
    assert emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).status == 200
    emulator.clear_faults()
    emulator.add_fault(path="/api/v1/**/snapshot", action="status", status=500)
    assert emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).status == 500


def test_regex_rule(emulator, api_key):
    emulator.add_fault(regex=r"^/api/v1/(user|credits/balance)$", action="status", status=500,
                       times=2)
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 500
    assert emulator.request("GET", "/api/v1/credits/balance", key=api_key).status == 500
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 200


def test_percent_is_deterministic(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="status", status=500, percent=30)
    statuses = [emulator.request("GET", "/api/v1/user", key=api_key).status for _ in range(10)]
    assert statuses.count(500) == 3


def test_after_lets_first_requests_through(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="status", status=500, after=2, times=1)
    statuses = [emulator.request("GET", "/api/v1/user", key=api_key).status for _ in range(4)]
    assert statuses == [200, 200, 500, 200]


def test_delete_one_rule(emulator, api_key):
    rule = emulator.add_fault(path="/api/v1/user", action="status", status=500, always=True)
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 500
    emulator.control("DELETE", f"faults/{rule['id']}")
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 200
    with pytest.raises(ControlError) as exc:
        emulator.control("DELETE", f"faults/{rule['id']}")
    assert exc.value.status == 404


def test_control_api_is_never_faulted(emulator):
    emulator.add_fault(path="/**", action="status", status=500, always=True)
    assert emulator.state()["faults"][0]["fired"] == 0
    emulator.reset()
    assert emulator.state()["faults"] == []


@pytest.mark.parametrize("rule", [
    {"action": "status", "status": 500},                                     # no path
    {"path": "/x", "regex": "/x", "action": "delay"},                        # both
    {"path": "/x", "action": "explode"},                                     # bad action
    {"path": "/x", "action": "status"},                                      # no status
    {"path": "/x", "action": "redirect"},                                    # no location
    {"path": "/x", "action": "status", "status": 500, "times": 0},
    {"path": "/x", "action": "status", "status": 500, "percent": 150},
    {"path": "/x", "action": "status", "status": 500, "times": 1, "always": True},
    {"regex": "([", "action": "delay"},
])
def test_invalid_rules(emulator, rule):
    with pytest.raises(ControlError) as exc:
        emulator.add_fault(**rule)
    assert exc.value.status == 400 and "error" in exc.value.body


# ---------------------------------------------------------------- actions

def test_delay(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=300)
    t0 = time.monotonic()
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert time.monotonic() - t0 >= 0.28 and resp.status == 200
    t0 = time.monotonic()
    emulator.request("GET", "/api/v1/user", key=api_key)
    assert time.monotonic() - t0 < 0.25


def test_delay_combined_with_status(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="status", status=504, delayMs=200)
    t0 = time.monotonic()
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 504
    assert time.monotonic() - t0 >= 0.18


def test_close_mid_body_content_length(emulator, api_key):
    emulator.add_fault(method="POST", path=BASE, action="close")
    raw, timed_out = raw_request(emulator, "POST", BASE, b'{"agentName":"cut"}',
                                 {"X-API-Key": api_key, "Content-Type": "application/json"})
    assert not timed_out
    status, headers, body = split_response(raw)
    assert status == 201
    assert int(headers["content-length"]) > len(body) > 0
    # The route ran: the agent exists although the client never got the full answer.
    assert [a["agentName"] for a in emulator.state()["agents"]] == ["cut"]
    # http.client reports it as an incomplete read.
    emulator.add_fault(path="/api/v1/user", action="close", bytes=5)
    with pytest.raises(http.client.IncompleteRead):
        emulator.request("GET", "/api/v1/user", key=api_key)


def test_close_mid_body_chunked(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="close", chunked=True, bytes=10)
    raw, _ = raw_request(emulator, "GET", "/api/v1/user", headers={"X-API-Key": api_key})
    status, headers, body = split_response(raw)
    assert status == 200 and headers["transfer-encoding"] == "chunked"
    assert not body.endswith(b"0\r\n\r\n")
    with pytest.raises(http.client.IncompleteRead):
        emulator.add_fault(path="/api/v1/user", action="close", chunked=True, bytes=10)
        emulator.request("GET", "/api/v1/user", key=api_key)


def test_close_stream_after_events(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.add_fault(path=f"{BASE}/*/stream", action="close", afterEvents=1)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "message.send",
                       "params": {"text": "hi"}}).encode()
    raw, timed_out = raw_request(emulator, "POST", f"{BASE}/{agent}/stream", body,
                                 {"X-API-Key": api_key, "Content-Type": "application/json"})
    assert not timed_out
    status, headers, payload = split_response(raw)
    assert status == 200 and b"event: connected" in payload
    assert b"event: chunk" not in payload and not payload.endswith(b"0\r\n\r\n")


def test_stall_stream_after_k_events(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.config(streamChunkChars=2)
    emulator.add_fault(path=f"{BASE}/*/stream", action="stall", afterEvents=2, stallMs=1500)
    conn, resp = emulator.open_stream("POST", f"{BASE}/{agent}/stream",
                                      {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                                       "params": {"text": "abcdef"}}, key=api_key, timeout=0.6)
    lines = []
    t0 = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError)):
        while True:
            line = resp.readline()
            if not line:
                break
            lines.append(line)
    assert time.monotonic() - t0 >= 0.5
    events = parse_sse(b"".join(lines).decode())
    assert [e.event for e in events] == ["connected", "chunk"]
    conn.close()
    # After stallMs the server closes the connection without finishing the stream.
    emulator.add_fault(path=f"{BASE}/*/stream", action="stall", afterEvents=2, stallMs=800)
    body = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "message.send",
                       "params": {"text": "abcdef"}}).encode()
    t0 = time.monotonic()
    raw, timed_out = raw_request(emulator, "POST", f"{BASE}/{agent}/stream", body,
                                 {"X-API-Key": api_key, "Content-Type": "application/json"})
    assert not timed_out and 0.75 <= time.monotonic() - t0 < 4
    status, headers, payload = split_response(raw)
    assert status == 200 and headers["transfer-encoding"] == "chunked"
    assert payload.count(b"event: ") == 2 and not payload.endswith(b"0\r\n\r\n")
    # Only faulted requests stall: the rules are used up, this stream is complete.
    resp, events = emulator.sse(f"{BASE}/{agent}/stream",
                                {"jsonrpc": "2.0", "id": 3, "method": "message.send",
                                 "params": {"text": "abcdef"}}, key=api_key)
    assert events[-1].event == "done"


def test_stall_ends_when_faults_cleared(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.add_fault(path=f"{BASE}/*/stream", action="stall", afterEvents=1, stallMs=20000)
    conn, resp = emulator.open_stream("POST", f"{BASE}/{agent}/stream",
                                      {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                                       "params": {"text": "x"}}, key=api_key, timeout=10)
    assert resp.readline().startswith(b"event: connected")
    t0 = time.monotonic()
    emulator.clear_faults()
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    assert time.monotonic() - t0 < 3
    conn.close()


def test_stall_chat_completion_stream(emulator, api_key):
    emulator.add_fault(path="/api/v1/chat/completions", action="stall", afterEvents=1,
                       stallMs=300)
    t0 = time.monotonic()
    with pytest.raises(http.client.IncompleteRead):
        emulator.request("POST", "/api/v1/chat/completions",
                         {"model": "m", "stream": True,
                          "messages": [{"role": "user", "content": "a b c"}]}, key=api_key)
    assert time.monotonic() - t0 >= 0.28


def test_stall_non_streaming_route(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="stall", stallMs=300)
    raw, timed_out = raw_request(emulator, "GET", "/api/v1/user", headers={"X-API-Key": api_key},
                                 timeout=5)
    status, headers, body = split_response(raw)
    assert status == 200 and body == b""


def test_redirect(emulator, api_key):
    emulator.add_fault(path="/api/v1/user", action="redirect", status=307,
                       location="https://elsewhere.example/api/v1/user")
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert resp.status == 307
    assert resp.header("location") == "https://elsewhere.example/api/v1/user"
    emulator.add_fault(path="/api/v1/user", action="redirect", location="/login")
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 302


def test_malformed_json(emulator, api_key):
    emulator.add_fault(path="/api/v1/credits/balance", action="malformed")
    resp = emulator.request("GET", "/api/v1/credits/balance", key=api_key)
    assert resp.status == 200 and resp.header("content-type") == "application/json"
    with pytest.raises(ValueError):
        resp.json()
    emulator.add_fault(path="/api/v1/credits/balance", action="malformed", body="{'balance': 1}")
    assert emulator.request("GET", "/api/v1/credits/balance", key=api_key).text == "{'balance': 1}"


def test_jsonrpc_error_fault(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.add_fault(path=f"{BASE}/*/bridge", action="jsonrpc-error", code=-32000,
                       message="Bridge returned HTTP 503")
    resp = emulator.request("POST", f"{BASE}/{agent}/bridge",
                            {"jsonrpc": "2.0", "id": "r1", "method": "message.send",
                             "params": {"text": "x"}}, key=api_key)
    assert resp.status == 200
    assert resp.json() == {"jsonrpc": "2.0", "id": "r1",
                           "error": {"code": -32000, "message": "Bridge returned HTTP 503"}}


def test_rpc_method_filter(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.add_fault(path=f"{BASE}/*/bridge", rpcMethod="status.get", action="jsonrpc-error",
                       always=True)
    ok = emulator.request("POST", f"{BASE}/{agent}/bridge", HEARTBEAT, key=api_key).json()
    assert ok["method"] == "heartbeat.ack"
    bad = emulator.request("POST", f"{BASE}/{agent}/bridge",
                           {"jsonrpc": "2.0", "id": 1, "method": "status.get"}, key=api_key).json()
    assert bad["error"]["message"] == "Sandbox bridge is unreachable"


# ---------------------------------------------------------------- heartbeats

def test_heartbeat_failures_jsonrpc(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.heartbeat_failures(2, agentId=agent)
    results = [emulator.request("POST", f"{BASE}/{agent}/bridge", HEARTBEAT, key=api_key)
               for _ in range(3)]
    assert [r.status for r in results] == [200, 200, 200]
    assert results[0].json() == {"jsonrpc": "2.0", "error": {
        "code": -32000, "message": "Sandbox bridge is unreachable"}}
    assert results[2].json()["method"] == "heartbeat.ack"
    # message.send is not affected.
    msg = emulator.request("POST", f"{BASE}/{agent}/bridge",
                           {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                            "params": {"text": "x"}}, key=api_key).json()
    assert msg["result"]["text"] == "echo: x"
    st = emulator.agent_state(agent)
    assert st["heartbeats"] == 3 and st["heartbeatFailures"] == 2


def test_heartbeat_failures_http_and_alias(emulator, api_key):
    agent = emulator.running_agent(api_key)
    emulator.heartbeat_failures(1, mode="http", status=503)
    resp = emulator.request("POST", f"/api/v1/milaidy/agents/{agent}/bridge", HEARTBEAT,
                            key=api_key)
    assert resp.status == 503
    assert emulator.request("POST", f"{BASE}/{agent}/bridge", HEARTBEAT, key=api_key).status == 200
    assert emulator.agent_state(agent)["heartbeatFailures"] == 1


def test_heartbeat_failures_validation(emulator):
    with pytest.raises(ControlError):
        emulator.heartbeat_failures(0)
    with pytest.raises(ControlError):
        emulator.heartbeat_failures(1, mode="smoke")


def test_provision_failures_always_and_clear(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    state = emulator.provision_failures(always=True)
    assert state["always"] is True
    for _ in range(2):
        job = emulator.request("POST", f"{BASE}/{agent}/provision", key=api_key).json()
        assert emulator.wait_job(api_key, job["data"]["jobId"])["status"] == "failed"
    emulator.provision_failures(count=0)
    job = emulator.request("POST", f"{BASE}/{agent}/provision", key=api_key).json()
    assert emulator.wait_job(api_key, job["data"]["jobId"])["status"] == "completed"
