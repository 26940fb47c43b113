"""Emulator: bridge JSON-RPC (C§2.10), SSE stream (C§2.11), scripted replies."""

import json
import time
import uuid

import pytest

from emulator import ControlError, iter_sse_lines, parse_sse

BASE = "/api/v1/milady/agents"


def rpc(emu, key, agent, body):
    return emu.request("POST", f"{BASE}/{agent}/bridge", body, key=key)


def send(emu, key, agent, text, rid=1):
    return rpc(emu, key, agent, {"jsonrpc": "2.0", "id": rid, "method": "message.send",
                                 "params": {"text": text, "roomId": "web-chat",
                                            "channelType": "DM"}})


@pytest.fixture
def agent(emulator, api_key):
    return emulator.running_agent(api_key)


# ---------------------------------------------------------------- bridge

def test_message_send_echo(emulator, api_key, agent):
    resp = send(emulator, api_key, agent, "hello")
    assert resp.status == 200
    body = resp.json()
    assert body["jsonrpc"] == "2.0" and body["id"] == 1
    assert body["result"]["text"] == "echo: hello"
    assert isinstance(body["result"]["metadata"]["timestamp"], int)
    assert "success" not in body


def test_string_id_and_no_id(emulator, api_key, agent):
    assert send(emulator, api_key, agent, "x", rid="abc").json()["id"] == "abc"
    body = rpc(emulator, api_key, agent, {"jsonrpc": "2.0", "method": "message.send",
                                          "params": {"text": "x"}}).json()
    assert "id" not in body and body["result"]["text"] == "echo: x"


def test_status_get(emulator, api_key, agent):
    send(emulator, api_key, agent, "one")
    body = rpc(emulator, api_key, agent, {"jsonrpc": "2.0", "id": 7, "method": "status.get"}).json()
    result = body["result"]
    assert body["id"] == 7
    assert result["status"] == "running" and isinstance(result["uptime"], int)
    assert result["memoriesCount"] == 2 and result["startedAt"].endswith("Z")


def test_heartbeat_ack_and_count(emulator, api_key, agent):
    for _ in range(3):
        resp = rpc(emulator, api_key, agent, {"jsonrpc": "2.0", "method": "heartbeat"})
        assert resp.status == 200
        body = resp.json()
        assert body["jsonrpc"] == "2.0" and body["method"] == "heartbeat.ack"
        assert isinstance(body["params"]["timestamp"], int)
        assert "error" not in body and "result" not in body
    st = emulator.agent_state(agent)
    assert st["heartbeats"] == 3 and st["heartbeatFailures"] == 0 and st["bridgeCalls"] == 3


def test_unknown_method(emulator, api_key, agent):
    body = rpc(emulator, api_key, agent, {"jsonrpc": "2.0", "id": 2, "method": "foo.bar"}).json()
    assert body == {"jsonrpc": "2.0", "id": 2,
                    "error": {"code": -32601, "message": "Method not found: foo.bar"}}


def test_not_running_and_unknown_agent(emulator, api_key):
    pending = emulator.create_agent(api_key)["id"]
    for target in (pending, str(uuid.uuid4())):
        for method in ("message.send", "heartbeat", "status.get"):
            resp = rpc(emulator, api_key, target, {"jsonrpc": "2.0", "id": 3, "method": method,
                                                   "params": {"text": "x"}})
            assert resp.status == 200
            assert resp.json() == {"jsonrpc": "2.0", "id": 3, "error": {
                "code": -32000, "message": "Sandbox is not running"}}


def test_stopped_agent_bridge(emulator, api_key, agent):
    emulator.request("POST", f"{BASE}/{agent}/suspend", key=api_key)
    body = rpc(emulator, api_key, agent, {"jsonrpc": "2.0", "method": "heartbeat"}).json()
    assert body["error"] == {"code": -32000, "message": "Sandbox is not running"}


@pytest.mark.parametrize("body", [
    {"id": 1, "method": "status.get"},
    {"jsonrpc": "1.0", "method": "status.get"},
    {"jsonrpc": "2.0", "method": ""},
    {"jsonrpc": "2.0"},
    {"jsonrpc": "2.0", "method": "x", "params": [1, 2]},
    {"jsonrpc": "2.0", "method": "x", "id": {"a": 1}},
    [1],
])
def test_invalid_jsonrpc_is_400(emulator, api_key, agent, body):
    resp = rpc(emulator, api_key, agent, body)
    assert resp.status == 400
    out = resp.json()
    assert out["success"] is False and out["error"] == "Invalid JSON-RPC request"
    assert isinstance(out["details"], list) and out["details"]


@pytest.mark.parametrize("raw", ["", "{not json"])
def test_malformed_bridge_body_is_500(emulator, api_key, agent, raw):
    resp = emulator.request("POST", f"{BASE}/{agent}/bridge", raw, key=api_key,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 500
    assert resp.json() == {"success": False, "error": "An unexpected error occurred"}


def test_bridge_requires_auth(emulator, agent):
    resp = emulator.request("POST", f"{BASE}/{agent}/bridge",
                            {"jsonrpc": "2.0", "method": "heartbeat"})
    assert resp.status == 401


# ---------------------------------------------------------------- scripted replies

def test_scripted_replies_per_agent_then_global_then_default(emulator, api_key, agent):
    other = emulator.running_agent(api_key, "other")
    emulator.script_replies([{"text": "first"}, {"error": {"code": -32000,
                                                          "message": "Bridge returned HTTP 503"}},
                             {"result": {"text": "raw", "extra": True}}], agent_id=agent)
    emulator.script_replies([{"text": "global"}], default={"text": "fallback"})
    assert send(emulator, api_key, agent, "a").json()["result"]["text"] == "first"
    err = send(emulator, api_key, agent, "b").json()
    assert err["error"] == {"code": -32000, "message": "Bridge returned HTTP 503"}
    assert send(emulator, api_key, agent, "c").json()["result"] == {"text": "raw", "extra": True}
    assert send(emulator, api_key, agent, "d").json()["result"]["text"] == "global"
    assert send(emulator, api_key, other, "e").json()["result"]["text"] == "fallback"
    assert send(emulator, api_key, agent, "f").json()["result"]["text"] == "fallback"
    emulator.control("DELETE", "bridge/script")
    assert send(emulator, api_key, agent, "g").json()["result"]["text"] == "echo: g"


def test_script_errors(emulator, api_key):
    with pytest.raises(ControlError) as exc:
        emulator.script_replies([{"text": "x"}], agent_id=str(uuid.uuid4()))
    assert exc.value.status == 404
    with pytest.raises(ControlError) as exc:
        emulator.script_replies([{"nothing": 1}])
    assert exc.value.status == 400


# ---------------------------------------------------------------- stream

def stream_body(text="hello world", rid=9, **params):
    return {"jsonrpc": "2.0", "id": rid, "method": "message.send",
            "params": {"text": text, **params}}


def test_stream_events(emulator, api_key, agent):
    resp, events = emulator.sse(f"{BASE}/{agent}/stream",
                                stream_body(mode="power", channelType="DM"), key=api_key)
    assert resp.status == 200
    assert resp.header("content-type").startswith("text/event-stream")
    assert resp.header("cache-control") == "no-cache, no-transform"
    assert resp.header("x-accel-buffering") == "no"
    assert [e.event for e in events] == ["connected", "chunk", "done"]
    assert events[0].json()["rpcId"] == 9 and isinstance(events[0].json()["timestamp"], int)
    assert events[1].json() == {"text": "echo: hello world"}
    assert events[2].json()["rpcId"] == 9
    # Exact wire format: "event: <name>\ndata: <json>\n\n".
    assert resp.text.startswith("event: connected\ndata: {")
    assert "\n\nevent: chunk\ndata: {\"text\":\"echo: hello world\"}\n\n" in resp.text
    st = emulator.agent_state(agent)
    assert st["streams"] == 1 and st["messages"] == 1


@pytest.mark.emulator_args("--stream-chunk-chars", "4")
def test_stream_chunking_utf8(emulator, api_key, agent):
    text = "héllo wörld ✓"
    _, events = emulator.sse(f"{BASE}/{agent}/stream", stream_body(text), key=api_key)
    chunks = [e.json()["text"] for e in events if e.event == "chunk"]
    assert len(chunks) > 3
    assert all(len(c) <= 4 for c in chunks)
    assert "".join(chunks) == "echo: " + text


def test_stream_chunk_delay_arrives_incrementally(emulator, api_key, agent):
    emulator.config(streamChunkChars=3, streamChunkDelayMs=80)
    conn, resp = emulator.open_stream("POST", f"{BASE}/{agent}/stream", stream_body("abcdefghi"),
                                      key=api_key)
    try:
        stamps = []
        for line in iter_sse_lines(resp):
            if line.startswith(b"event: chunk"):
                stamps.append(time.monotonic())
        assert len(stamps) == 5  # "echo: abcdefghi" = 15 chars
        assert stamps[-1] - stamps[0] >= 0.25
    finally:
        conn.close()


def test_stream_not_running(emulator, api_key):
    pending = emulator.create_agent(api_key)["id"]
    for target in (pending, str(uuid.uuid4())):
        resp, events = emulator.sse(f"{BASE}/{target}/stream", stream_body(), key=api_key)
        assert resp.status == 200
        assert [(e.event, e.json()) for e in events] == [
            ("error", {"message": "Sandbox is not running or unreachable"})]


@pytest.mark.parametrize("body", [
    {"jsonrpc": "2.0", "method": "status.get", "params": {"text": "x"}},
    {"jsonrpc": "2.0", "method": "message.send", "params": {"text": ""}},
    {"jsonrpc": "2.0", "method": "message.send"},
    {"method": "message.send", "params": {"text": "x"}},
])
def test_stream_validation(emulator, api_key, agent, body):
    resp = emulator.request("POST", f"{BASE}/{agent}/stream", body, key=api_key)
    assert resp.status == 400
    out = resp.json()
    assert out["error"] == "Invalid request" and "success" not in out and out["details"]


def test_stream_malformed_is_500(emulator, api_key, agent):
    resp = emulator.request("POST", f"{BASE}/{agent}/stream", "{x", key=api_key,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 500


def test_stream_scripted(emulator, api_key, agent):
    emulator.script_replies([{"text": "scripted"},
                             {"error": {"code": -32000, "message": "boom"}}], agent_id=agent)
    _, events = emulator.sse(f"{BASE}/{agent}/stream", stream_body(), key=api_key)
    assert [e.json()["text"] for e in events if e.event == "chunk"] == ["scripted"]
    # A scripted error: the stream ends after "connected" without done (connection cut).
    conn, resp = emulator.open_stream("POST", f"{BASE}/{agent}/stream", stream_body(), key=api_key)
    try:
        raw = b""
        try:
            while True:
                chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(1)
                if not chunk:
                    break
                raw += chunk
        except Exception:  # noqa: BLE001 - IncompleteRead / connection reset is the point
            pass
        events = parse_sse(raw.decode())
        assert [e.event for e in events] == ["connected"]
    finally:
        conn.close()


def test_stream_rpc_id_null_when_missing(emulator, api_key, agent):
    body = stream_body()
    del body["id"]
    _, events = emulator.sse(f"{BASE}/{agent}/stream", body, key=api_key)
    assert events[0].json()["rpcId"] is None


def test_keep_alive_connection_reuse(emulator, api_key, agent):
    conn = emulator.connection()
    try:
        for i in range(20):
            conn.request("POST", f"{BASE}/{agent}/bridge",
                         json.dumps({"jsonrpc": "2.0", "id": i, "method": "message.send",
                                     "params": {"text": str(i)}}),
                         {"X-API-Key": api_key, "Content-Type": "application/json"})
            resp = conn.getresponse()
            assert resp.status == 200
            assert json.loads(resp.read())["result"]["text"] == f"echo: {i}"
            assert resp.getheader("Connection", "").lower() != "close"
    finally:
        conn.close()
