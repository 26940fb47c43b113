"""Emulator, eliza generation: bridge (E§2.10) and stream (E§2.11) — HTTP errors instead of
JSON-RPC ones, clientMessageId replays and conflicts, the shared-runtime-only stream with typed
frames, and cache-warming 503s (a fault rule, Emulator.cache_warming)."""

import threading
import uuid

import pytest

pytestmark = pytest.mark.emulator_args("--generation", "eliza")

A = "/api/v1/eliza/agents"
INVALID_JSON = {"success": False, "error": "Invalid JSON body", "code": "validation_error"}


def bridge(emu, key, agent_id, body):
    return emu.request("POST", f"{A}/{agent_id}/bridge", body, key=key)


def send(emu, key, agent_id, text, cmid=None, rid=1):
    params = {"text": text}
    if cmid is not None:
        params["clientMessageId"] = cmid
    return bridge(emu, key, agent_id, {"jsonrpc": "2.0", "id": rid, "method": "message.send",
                                       "params": params})


def stream(emu, key, agent_id, text, cmid=None):
    params = {"text": text}
    if cmid is not None:
        params["clientMessageId"] = cmid
    return emu.sse(f"{A}/{agent_id}/stream",
                   {"jsonrpc": "2.0", "id": 9, "method": "message.send", "params": params},
                   key=key)


@pytest.fixture
def dedicated(emulator, api_key):
    return emulator.eliza_running_agent(api_key)


@pytest.fixture
def shared(emulator, api_key):
    emulator.config(defaultExecutionTier="shared", reuseLiveAgents=False)
    resp = emulator.request("POST", A, {"agentName": "s"}, key=api_key)
    assert resp.status == 201 and resp.json()["data"]["executionTier"] == "shared"
    return resp.json()["data"]["id"]


# ---------------------------------------------------------------- bridge (item 10)

def test_bridge_http_errors(emulator, api_key, dedicated):
    bad = emulator.request("POST", f"{A}/{dedicated}/bridge", "{not json", key=api_key)
    assert bad.status == 400 and bad.json() == INVALID_JSON
    unknown = send(emulator, api_key, str(uuid.uuid4()), "hi")
    assert unknown.status == 404
    assert unknown.json() == {"success": False, "error": "Agent not found"}
    other_org = emulator.create_key(organization_id=str(uuid.uuid4()))["apiKey"]
    assert send(emulator, other_org, dedicated, "hi").status == 404
    schema = bridge(emulator, api_key, dedicated, {"jsonrpc": "1.0", "method": "x"})
    assert schema.status == 400 and schema.json()["error"] == "Invalid JSON-RPC request"
    # A known dedicated agent that is not running still answers JSON-RPC.
    emulator.set_agent_status(dedicated, "stopped")
    stopped = send(emulator, api_key, dedicated, "hi")
    assert stopped.status == 200
    assert stopped.json() == {"jsonrpc": "2.0", "id": 1,
                              "error": {"code": -32000, "message": "Sandbox is not running"}}


def test_bridge_serves_both_tiers(emulator, api_key, dedicated, shared):
    for agent_id in (dedicated, shared):
        resp = send(emulator, api_key, agent_id, "hello")
        assert resp.status == 200 and resp.json()["result"]["text"] == "echo: hello"
        status = bridge(emulator, api_key, agent_id,
                        {"jsonrpc": "2.0", "id": 2, "method": "status.get"}).json()
        assert status["result"]["status"] == "running"
        beat = bridge(emulator, api_key, agent_id, {"jsonrpc": "2.0", "method": "heartbeat"})
        assert beat.json()["method"] == "heartbeat.ack"


def test_client_message_id_replays_without_asking_the_agent(emulator, api_key, dedicated):
    emulator.script_replies([{"text": "one"}, {"text": "two"}, {"text": "three"}],
                            agent_id=dedicated)
    first = send(emulator, api_key, dedicated, "hi", cmid="m-1", rid=1)
    assert first.json()["result"]["text"] == "one"
    replay = send(emulator, api_key, dedicated, "hi", cmid="  m-1 ", rid="again")
    assert replay.status == 200
    assert replay.json()["id"] == "again"  # the recorded reply, for this request's id
    assert replay.json()["result"] == first.json()["result"]
    entry = emulator.agent_state(dedicated)
    assert entry["messages"] == 1 and entry["replays"] == 1 and entry["bridgeCalls"] == 1
    # Another id asks the agent: the scripted queue was not consumed by the replay.
    assert send(emulator, api_key, dedicated, "hi", cmid="m-2").json()["result"]["text"] == "two"
    # No id, or one that is ignored (empty, too long, not a string): a fresh turn every time.
    assert send(emulator, api_key, dedicated, "hi").json()["result"]["text"] == "three"
    for ignored in ("", "   ", "x" * 129, 42, None):
        assert send(emulator, api_key, dedicated, "hi", cmid=ignored).json()["result"]["text"] \
            == "echo: hi"
    # 128 characters is still an id.
    long_id = "y" * 128
    assert send(emulator, api_key, dedicated, "z", cmid=long_id).json()["result"]["text"] == \
        "echo: z"
    emulator.script_replies([{"text": "not asked"}], agent_id=dedicated)
    assert send(emulator, api_key, dedicated, "z", cmid=long_id).json()["result"]["text"] == \
        "echo: z"
    entry = emulator.agent_state(dedicated)
    assert entry["messages"] == 9 and entry["replays"] == 2


def test_client_message_id_conflict(emulator, api_key, dedicated):
    assert send(emulator, api_key, dedicated, "first", cmid="c1").status == 200
    resp = send(emulator, api_key, dedicated, "second", cmid="c1")
    assert resp.status == 409
    body = resp.json()
    assert body["success"] is False and body["code"] == "client_message_conflict"
    assert body["retryable"] is False and body["error"]
    assert emulator.agent_state(dedicated)["messages"] == 1


def test_replayed_error_turn(emulator, api_key, dedicated):
    emulator.script_replies([{"error": {"code": -32000, "message": "agent crashed"}}],
                            agent_id=dedicated)
    for _ in range(2):
        resp = send(emulator, api_key, dedicated, "hi", cmid="e1")
        assert resp.json()["error"] == {"code": -32000, "message": "agent crashed"}
    assert emulator.agent_state(dedicated)["messages"] == 1


def test_cache_warming_then_retry_with_the_same_id(emulator, api_key, dedicated):
    rule = emulator.cache_warming(2)
    for _ in range(2):
        resp = send(emulator, api_key, dedicated, "hi", cmid="w1")
        assert resp.status == 503 and resp.header("Retry-After") == "1"
        body = resp.json()
        assert body["success"] is False and body["code"] == "shared_runtime_cache_warming"
        assert body["retryable"] is True and body["error"]
    ok = send(emulator, api_key, dedicated, "hi", cmid="w1")
    assert ok.status == 200 and ok.json()["result"]["text"] == "echo: hi"
    assert send(emulator, api_key, dedicated, "hi", cmid="w1").status == 200
    entry = emulator.agent_state(dedicated)
    assert entry["messages"] == 1 and entry["replays"] == 1
    listed = {f["id"]: f for f in emulator.control("GET", "faults")["faults"]}
    assert listed[rule["id"]]["fired"] == 2


def test_cache_warming_of_one_agent(emulator, api_key, dedicated, shared):
    emulator.cache_warming(1, agent_id=shared)
    assert send(emulator, api_key, dedicated, "hi").status == 200
    resp, _ = stream(emulator, api_key, shared, "hi")
    assert resp.status == 503 and resp.header("Retry-After") == "1"
    assert resp.json()["code"] == "shared_runtime_cache_warming"
    resp, events = stream(emulator, api_key, shared, "hi")
    assert resp.status == 200 and events[-1].event == "done"


# ---------------------------------------------------------------- stream (item 11)

def test_stream_is_shared_only(emulator, api_key, dedicated):
    resp, _ = stream(emulator, api_key, dedicated, "hi")
    assert resp.status == 404
    assert resp.json() == {"success": False, "error": "Not a shared-runtime agent"}
    resp, _ = stream(emulator, api_key, str(uuid.uuid4()), "hi")
    assert resp.status == 404 and resp.json() == {"success": False, "error": "Agent not found"}


def test_stream_errors_before_the_stream(emulator, api_key, shared):
    bad = emulator.request("POST", f"{A}/{shared}/stream", "{nope", key=api_key)
    assert bad.status == 400 and bad.json() == INVALID_JSON
    schema = emulator.request("POST", f"{A}/{shared}/stream",
                              {"jsonrpc": "2.0", "method": "message.send", "params": {}},
                              key=api_key)
    assert schema.status == 400 and schema.json()["error"] == "Invalid request"
    assert "success" not in schema.json()


def test_stream_frames_carry_type(emulator, api_key, shared):
    emulator.config(streamChunkChars=4)
    resp, events = stream(emulator, api_key, shared, "hello world")
    assert resp.status == 200
    assert resp.header("Content-Type").startswith("text/event-stream")
    assert resp.header("Cache-Control") == "no-cache, no-transform"
    assert resp.header("X-Accel-Buffering") == "no"
    names = [e.event for e in events]
    assert names[0] == "connected" and names[-1] == "done"
    chunks = [e.json() for e in events if e.event == "chunk"]
    assert all(c["type"] == "token" for c in chunks)
    assert "".join(c["text"] for c in chunks) == "echo: hello world" and len(chunks) == 5
    assert events[-1].json()["type"] == "done" and events[-1].json()["rpcId"] == 9
    entry = emulator.agent_state(shared)
    assert entry["streams"] == 1 and entry["messages"] == 1


def test_stream_error_frame(emulator, api_key, shared):
    emulator.script_replies([{"error": {"code": -32000, "message": "boom"}}], agent_id=shared)
    resp, events = stream(emulator, api_key, shared, "hi")
    assert resp.status == 200 and events[-1].event == "error"
    assert events[-1].json() == {"message": "boom", "type": "error"}
    emulator.set_agent_status(shared, "stopped")
    resp, events = stream(emulator, api_key, shared, "hi")
    assert [e.event for e in events] == ["error"]
    assert events[0].json() == {"message": "Sandbox is not running or unreachable",
                                "type": "error"}


def test_stream_client_message_id(emulator, api_key, shared):
    emulator.script_replies([{"text": "alpha"}, {"text": "beta"}], agent_id=shared)

    def text_of(events):
        return "".join(e.json()["text"] for e in events if e.event == "chunk")

    _, first = stream(emulator, api_key, shared, "hi", cmid="s1")
    _, again = stream(emulator, api_key, shared, "hi", cmid="s1")
    assert text_of(first) == text_of(again) == "alpha"
    assert again[-1].event == "done"
    conflict, _ = stream(emulator, api_key, shared, "other", cmid="s1")
    assert conflict.status == 409 and conflict.json()["code"] == "client_message_conflict"
    assert conflict.json()["retryable"] is False
    # The id space is the agent's: the bridge replays a streamed turn and vice versa.
    assert send(emulator, api_key, shared, "hi", cmid="s1").json()["result"]["text"] == "alpha"
    assert send(emulator, api_key, shared, "hey", cmid="b1").json()["result"]["text"] == "beta"
    _, from_bridge = stream(emulator, api_key, shared, "hey", cmid="b1")
    assert text_of(from_bridge) == "beta"
    entry = emulator.agent_state(shared)
    assert entry["messages"] == 2 and entry["streams"] == 1 and entry["replays"] == 3


def test_concurrent_duplicates_ask_once(emulator, api_key, dedicated):
    results = []

    def worker():
        results.append(send(emulator, api_key, dedicated, "same", cmid="dup").json())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r["result"]["text"] == "echo: same" for r in results)
    entry = emulator.agent_state(dedicated)
    assert entry["messages"] == 1 and entry["replays"] == 7
