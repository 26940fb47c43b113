"""Emulator: inference stubs (C§5) — chat completions, messages, embeddings, models."""

import json
import math

import pytest

from emulator import parse_sse


def chat(emu, key, **extra):
    body = {"model": "openai/gpt-5-mini",
            "messages": [{"role": "system", "content": "be brief"},
                         {"role": "user", "content": "hello there"}]}
    body.update(extra)
    return emu.request("POST", "/api/v1/chat/completions", body, key=key)


def test_chat_completion(emulator, api_key):
    resp = chat(emulator, api_key)
    assert resp.status == 200
    body = resp.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == "openai/gpt-5-mini" and isinstance(body["created"], int)
    choice = body["choices"][0]
    assert choice == {"index": 0, "message": {"role": "assistant", "content": "echo: hello there"},
                      "finish_reason": "stop"}
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    # Deterministic.
    assert chat(emulator, api_key).json()["choices"] == body["choices"]


def test_chat_content_parts_and_bearer(emulator, api_key):
    resp = emulator.request("POST", "/api/v1/chat/completions", {
        "model": "m", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "part one"}, {"type": "image_url", "image_url": {"url": "x"}}]}]},
        headers={"Authorization": f"Bearer {api_key}"})
    assert resp.json()["choices"][0]["message"]["content"] == "echo: part one"


def test_chat_stream(emulator, api_key):
    resp = chat(emulator, api_key, stream=True)
    assert resp.status == 200 and resp.header("content-type").startswith("text/event-stream")
    assert "event:" not in resp.text
    events = parse_sse(resp.text)
    assert events[-1].data == "[DONE]"
    chunks = [json.loads(e.data) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    content = [c["choices"][0]["delta"].get("content") for c in chunks[:-1]]
    assert len(content) >= 3 and "".join(content) == "echo: hello there"
    assert all("role" not in c["choices"][0]["delta"] for c in chunks)
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert all("usage" not in c for c in chunks)


@pytest.mark.parametrize("body", [{"model": "m"}, {"messages": [{"role": "user", "content": "x"}]},
                                  {"model": "m", "messages": []}])
def test_chat_missing_fields(emulator, api_key, body):
    resp = emulator.request("POST", "/api/v1/chat/completions", body, key=api_key)
    assert resp.status == 400
    assert resp.json() == {"error": {"message": "Missing required fields: model and messages",
                                     "type": "invalid_request_error",
                                     "code": "missing_required_parameter"}}


def test_chat_auth_errors(emulator):
    resp = chat(emulator, "eliza_" + "0" * 64)
    assert resp.status == 401
    assert resp.json() == {"error": {"message": "Invalid or expired API key",
                                     "type": "authentication_error"}}
    resp = emulator.request("POST", "/api/v1/chat/completions", {"model": "m", "messages": []})
    assert resp.status == 401 and resp.json()["error"]["type"] == "authentication_error"


def test_chat_insufficient_credits(emulator, api_key):
    emulator.set_credits(0)
    resp = chat(emulator, api_key)
    assert resp.status == 402
    err = resp.json()["error"]
    assert err["type"] == "insufficient_quota" and err["code"] == "insufficient_credits"
    assert err["message"].startswith("Insufficient credits")


def test_messages(emulator, api_key):
    resp = emulator.request("POST", "/api/v1/messages", {
        "model": "claude-sonnet-4.6", "max_tokens": 100, "system": "sys",
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi claude"}]}]},
        key=api_key)
    assert resp.status == 200
    body = resp.json()
    assert body["type"] == "message" and body["role"] == "assistant"
    assert body["id"].startswith("msg_") and len(body["id"]) == 28
    assert body["content"] == [{"type": "text", "text": "echo: hi claude"}]
    assert body["stop_reason"] == "end_turn" and body["stop_sequence"] is None
    assert body["model"] == "claude-sonnet-4.6"
    assert set(body["usage"]) == {"input_tokens", "output_tokens"}


def test_messages_stream(emulator, api_key):
    resp = emulator.request("POST", "/api/v1/messages", {
        "model": "anthropic/claude-haiku-4.5", "max_tokens": 10, "stream": True,
        "messages": [{"role": "user", "content": "one two three"}]}, key=api_key)
    assert resp.status == 200
    events = parse_sse(resp.text)
    names = [e.event for e in events]
    assert names[:3] == ["message_start", "ping", "content_block_start"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    deltas = [e.json()["delta"]["text"] for e in events if e.event == "content_block_delta"]
    assert "".join(deltas) == "echo: one two three"
    for e in events:
        assert e.json()["type"] == e.event
    start = events[0].json()["message"]
    assert start["usage"]["output_tokens"] == 0 and start["content"] == []
    delta = events[-2].json()
    assert delta["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}


def test_messages_errors(emulator, api_key):
    bad = emulator.request("POST", "/api/v1/messages", "{nope", key=api_key,
                           headers={"Content-Type": "application/json"})
    assert bad.status == 400
    assert bad.json() == {"type": "error", "error": {"type": "invalid_request_error",
                                                     "message": "Invalid JSON body"}}
    missing = emulator.request("POST", "/api/v1/messages", {"model": "m", "messages": []},
                               key=api_key)
    assert missing.status == 400
    assert missing.json()["error"]["message"] == \
        "Missing required fields: model, max_tokens, messages"
    unauth = emulator.request("POST", "/api/v1/messages", {"model": "m"})
    assert unauth.status == 401 and unauth.json()["error"]["type"] == "authentication_error"
    emulator.set_credits(0)
    poor = emulator.request("POST", "/api/v1/messages", {
        "model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": "x"}]},
        key=api_key)
    assert poor.status == 429 and poor.json()["error"]["type"] == "rate_limit_error"


def test_embeddings(emulator, api_key):
    resp = emulator.request("POST", "/api/v1/embeddings",
                            {"model": "openai/text-embedding-3-small", "input": ["a", "b", "a"]},
                            key=api_key)
    assert resp.status == 200
    body = resp.json()
    assert body["object"] == "list" and body["model"] == "openai/text-embedding-3-small"
    vectors = [d["embedding"] for d in body["data"]]
    assert [d["index"] for d in body["data"]] == [0, 1, 2]
    assert all(d["object"] == "embedding" for d in body["data"])
    assert len(vectors[0]) == 1536 and vectors[0] == vectors[2] != vectors[1]
    assert abs(math.sqrt(sum(x * x for x in vectors[0])) - 1) < 1e-3
    assert set(body["usage"]) == {"prompt_tokens", "total_tokens"}
    single = emulator.request("POST", "/api/v1/embeddings", {"model": "m", "input": "a"},
                              key=api_key).json()
    assert single["data"][0]["embedding"] == vectors[0]


@pytest.mark.parametrize("body,param,code", [
    ({"input": "x"}, "model", "missing_required_parameter"),
    ({"model": "m"}, "input", "missing_required_parameter"),
    ({"model": "m", "input": []}, "input", "invalid_value"),
    ({"model": "m", "input": "   "}, "input", "invalid_value"),
])
def test_embeddings_validation(emulator, api_key, body, param, code):
    resp = emulator.request("POST", "/api/v1/embeddings", body, key=api_key)
    assert resp.status == 400
    err = resp.json()["error"]
    assert err["type"] == "invalid_request_error" and err["param"] == param
    assert err["code"] == code


def test_embeddings_insufficient_balance(emulator, api_key):
    emulator.set_credits(0)
    resp = emulator.request("POST", "/api/v1/embeddings", {"model": "m", "input": "x"}, key=api_key)
    assert resp.status == 402
    assert resp.json()["error"]["code"] == "insufficient_balance"
    assert resp.json()["error"]["type"] == "insufficient_quota"


def test_models(emulator, api_key):
    resp = emulator.request("GET", "/api/v1/models")
    assert resp.status == 200
    assert "s-maxage=3600" in resp.header("cache-control")
    body = resp.json()
    assert body["object"] == "list"
    ids = [m["id"] for m in body["data"]]
    assert "openai/gpt-5-mini" in ids and all(m["object"] == "model" for m in body["data"])
    detail = emulator.request("GET", "/api/v1/models/openai/gpt-5-mini", key=api_key)
    assert detail.status == 200 and detail.json()["id"] == "openai/gpt-5-mini"
    encoded = emulator.request("GET", "/api/v1/models/openai%2Fgpt-5-mini", key=api_key)
    assert encoded.status == 200
    unknown = emulator.request("GET", "/api/v1/models/x/unknown", key=api_key)
    assert unknown.status == 404 and unknown.json()["error"]["code"] == "model_not_found"
    unauth = emulator.request("GET", "/api/v1/models/openai/gpt-5-mini")
    assert unauth.status == 500
    assert unauth.json() == {"error": {"message": "Failed to fetch model details",
                                       "type": "api_error"}}
