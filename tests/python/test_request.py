"""The generic request from Python (cloud.request, both APIs) and the CLI's `elizacloud api`,
against the real emulator on both generations: catalogued routes answer, unknown ones are refused
before any request, retries follow SPEC §2.9, streams iterate frames or bytes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from binding_support import _clean_env, cloud_kwargs  # noqa: F401

import elizacloud
from elizacloud import InvalidArgumentError, NotFoundError, RateLimitedError, ServerError
from elizacloud.aio import AsyncCloud

BINARY = b"\x89EMU\r\n\x1a\n\x00\x01\x02\x03\xfe\xff\x7f\x80"

@pytest.fixture(params=["milady", "eliza"])
def gen_emulator(request, emulator_factory):
    return emulator_factory(["--generation", request.param])


@pytest.fixture
def gen_cloud(gen_emulator, tmp_path):
    key = gen_emulator.create_key()["apiKey"]
    cloud = elizacloud.Cloud(gen_emulator.url, **cloud_kwargs(gen_emulator, tmp_path, api_key=key))
    yield cloud
    cloud.close()


def seen(emulator, route: str) -> int:
    return int(emulator.state()["requests"].get(route, 0))


def test_a_catalogued_route_returns_a_response(gen_cloud):
    r = gen_cloud.request("GET", "/api/v1/models")
    assert r.status == 200 and r.attempts == 1
    assert r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json(), dict) and r.route["path"] == "/api/v1/models"
    assert json.loads(r.content) == r.data


def test_path_params_query_and_json_body(gen_cloud):
    r = gen_cloud.request(
        "POST",
        "/api/v1/advertising/campaigns/{id}/creatives",
        path_params={"id": "my app"},
        query={"dry": True, "tag": ["a", "b c"]},
        json={"domain": "example.com"},
        headers={"X-App-Id": "app-1"},
    )
    data = r.json()["data"]
    assert r.status == 201 and data["emulated"] is True
    assert data["pathParams"] == ["my app"]  # sent encoded as one segment
    assert data["query"]["dry"] == "true"
    assert data["body"] == {"domain": "example.com"}


def test_unknown_routes_and_bad_arguments_fail_before_any_request(gen_cloud, gen_emulator):
    with pytest.raises(InvalidArgumentError, match="not a public route"):
        gen_cloud.request("GET", "/api/v1/nope")
    with pytest.raises(InvalidArgumentError, match="takes GET"):
        gen_cloud.request("PATCH", "/api/v1/models")
    with pytest.raises(InvalidArgumentError, match="pathParams.id is required"):
        gen_cloud.request("GET", "/api/v1/apps/{id}")
    with pytest.raises(InvalidArgumentError, match="set by the client"):
        gen_cloud.request("GET", "/api/v1/models", headers={"x-api-key": "other"})
    with pytest.raises(InvalidArgumentError):
        gen_cloud.request("GET", "/api/v1/models", headers={"X-A": "1\r\nX-B: 2"})
    assert seen(gen_emulator, "GET /api/v1/models") == 0
    with pytest.raises(NotFoundError):
        gen_cloud.request("GET", "/api/v1/brand-new", uncatalogued=True)


def test_retries_count_attempts_and_respect_idempotency(gen_cloud, gen_emulator):
    gen_emulator.add_fault(method="GET", path="/api/v1/models", times=2, action="status",
                           status=503, headers={"retry-after-ms": "10"})
    assert gen_cloud.request("GET", "/api/v1/models").attempts == 3
    assert seen(gen_emulator, "GET /api/v1/models") == 3

    rule = dict(method="POST", path="/api/v1/advertising/campaigns/*/creatives", times=1, action="status",
                status=502, headers={"Retry-After": "0"})
    gen_emulator.add_fault(**rule)
    with pytest.raises(ServerError):
        gen_cloud.request("POST", "/api/v1/advertising/campaigns/{id}/creatives", path_params={"id": "a"})
    gen_emulator.add_fault(**rule)
    r = gen_cloud.request("POST", "/api/v1/advertising/campaigns/{id}/creatives", path_params={"id": "a"},
                          idempotent=True)
    assert r.attempts == 2

    gen_emulator.add_fault(method="GET", path="/api/v1/models", times=1, action="status",
                           status=429, headers={"Retry-After": "90", "X-RateLimit-Limit": "60",
                                                "X-RateLimit-Remaining": "0"})
    with pytest.raises(RateLimitedError) as caught:
        gen_cloud.request("GET", "/api/v1/models", max_retries=5)
    assert caught.value.retry_after == 90  # above 60 s: surfaced, not waited for
    assert caught.value.rate_limit == {"limit": 60, "remaining": 0, "reset": None}


def test_sse_stream_iterates_frames(gen_cloud):
    # A catalogued streaming route the emulator answers generically: one JSON event, then [DONE].
    if gen_cloud.routes()["generation"] == "eliza":
        path = "/api/v1/eliza/agents/{agentId}/api/conversations/{conversationId}/messages/stream"
        params = {"agentId": "a", "conversationId": "c"}
    else:
        path, params = "/api/v1/app-builder/stream", None
    with gen_cloud.request("POST", path, path_params=params, stream="sse") as stream:
        frames = list(stream)
    assert [f.data for f in frames][-1] == "[DONE]" and frames[0].json()["emulated"] is True
    assert frames[0].event == "message"
    assert stream.response is not None and stream.response.status == 200


def test_binary_answers_as_content_and_as_a_byte_stream(gen_cloud, tmp_path):
    r = gen_cloud.request("POST", "/api/elevenlabs/tts", json={"text": "hi"})
    assert r.content == BINARY and r.data is None and r.text is None
    out = tmp_path / "speech.bin"
    stream = gen_cloud.request("POST", "/api/elevenlabs/tts", json={"text": "hi"}, stream="bytes")
    assert stream.write_to(out) == len(BINARY)
    assert out.read_bytes() == BINARY and not list(tmp_path.glob("*.part"))


def test_routes_lists_the_generation(gen_cloud):
    catalogue = gen_cloud.routes()
    assert catalogue["generation"] in ("milady", "eliza")
    assert len(catalogue["routes"]) > 390
    other = gen_cloud.routes(generation="eliza")
    assert any(r["path"] == "/api/v1/eliza/agents/{agentId}/wake" for r in other["routes"])


def test_async_request_and_stream(gen_emulator, tmp_path):
    async def main() -> None:
        kwargs = cloud_kwargs(gen_emulator, tmp_path, api_key=gen_emulator.create_key()["apiKey"])
        async with AsyncCloud(gen_emulator.url, **kwargs) as cloud:
            r = await cloud.request("GET", "/api/v1/models", timeout=10)
            assert r.status == 200 and isinstance(r.json(), dict)
            stream = await cloud.request("POST", "/api/elevenlabs/tts", json={"text": "x"},
                                         stream="bytes")
            chunks = [c async for c in stream]
            assert b"".join(chunks) == BINARY and stream.response.status == 200

    asyncio.run(main())


def test_cli_api_command(gen_emulator, tmp_path):
    key = gen_emulator.create_key()["apiKey"]
    env = {**os.environ, "ELIZACLOUD_BASE_URL": gen_emulator.url,
           "MILADY_CONFIG_PATH": str(tmp_path / "milady.json"),
           "ELIZACLOUD_INSECURE_LOCAL": "1", "ELIZAOS_CLOUD_API_KEY": key}
    (tmp_path / "milady.json").write_text(json.dumps({"cloud": {"apiKey": key}}))

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "elizacloud", *args], env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == code, (args, proc.stdout, proc.stderr)
        return proc

    assert "data" in json.loads(run("api", "GET", "/api/v1/models").stdout)
    out = run("api", "post", "/api/v1/advertising/campaigns/{id}/creatives", "--param", "id=a b", "--data",
              '{"domain":"x.io"}', "--query", "t=1", "--query", "t=2", "-i").stdout
    assert out.startswith("HTTP 201") and '"a b"' in out and '"x.io"' in out
    record = json.loads(run("api", "GET", "/api/v1/models", "--json").stdout)
    assert record["status"] == 200 and record["attempts"] == 1
    assert "not a public route" in run("api", "GET", "/api/v1/nope", code=1).stderr
    run("api", "POST", "/api/elevenlabs/tts", "--data", '{"text":"hi"}', "-o",
        str(tmp_path / "a.bin"))
    assert (tmp_path / "a.bin").read_bytes() == BINARY
    assert "binary" in run("api", "POST", "/api/elevenlabs/tts", "--data", "{}", code=1).stderr
    routes = json.loads(run("routes", "--json").stdout)
    assert len(routes["routes"]) > 390


def test_max_retries_option(gen_emulator, tmp_path):
    key = gen_emulator.create_key()["apiKey"]
    with pytest.raises(InvalidArgumentError):
        elizacloud.Cloud(gen_emulator.url, **cloud_kwargs(gen_emulator, tmp_path, max_retries=11))
    with elizacloud.Cloud(
        gen_emulator.url, **cloud_kwargs(gen_emulator, tmp_path, api_key=key, max_retries=0)
    ) as never:
        gen_emulator.add_fault(method="GET", path="/api/v1/models", times=1, action="status",
                               status=503, headers={"Retry-After": "0"})
        with pytest.raises(ServerError):
            never.request("GET", "/api/v1/models")
        gen_emulator.add_fault(method="GET", path="/api/v1/models", times=1, action="status",
                               status=503, headers={"Retry-After": "0"})
        assert never.request("GET", "/api/v1/models", max_retries=1).attempts == 2


def test_cli_inference_media_and_voice_commands(gen_emulator, tmp_path):
    key = gen_emulator.create_key()["apiKey"]
    (tmp_path / "milady.json").write_text(json.dumps({"cloud": {"apiKey": key}}))
    env = {**os.environ, "ELIZACLOUD_BASE_URL": gen_emulator.url,
           "MILADY_CONFIG_PATH": str(tmp_path / "milady.json"), "ELIZACLOUD_INSECURE_LOCAL": "1"}

    def run(*args: str, stdin: str | None = None) -> str:
        proc = subprocess.run([sys.executable, "-m", "elizacloud", *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        return proc.stdout

    assert run("chat-completion", "hello", "there").strip() == "echo: hello there"
    assert run("chat-completion", "--stream", "streamed", "words").strip() == "echo: streamed words"
    lines = run("chat-completion", "--stream", "--json", "a", "b").splitlines()
    assert "".join(json.loads(line)["delta"] for line in lines) == "echo: a b"
    assert run("message", "--stream", "hi").strip() == "echo: hi"
    assert run("message", stdin="from stdin").strip() == "echo: from stdin"
    assert json.loads(run("chat-completion", "--json", "x"))["object"] == "chat.completion"
    run("images", "generate", "a cat", "-o", str(tmp_path / "cat.png"))
    assert (tmp_path / "cat.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    run("voices", "tts", "hello", "-o", str(tmp_path / "out.mp3"))
    assert (tmp_path / "out.mp3").read_bytes() == BINARY
    assert "voices" in json.loads(run("voices", "list", "--json"))


def test_typed_inference_and_audio_streams(gen_cloud, tmp_path):
    stream = gen_cloud.chat_completions.stream("openai/gpt-5-mini", [{"role": "user", "content": "x y"}])
    deltas = list(stream)
    assert len(deltas) > 1 and "".join(deltas) == "echo: x y" == stream.text
    assert stream.final()["finishReason"] == "stop"
    with gen_cloud.messages.stream("anthropic/claude-haiku-4.5", 32,
                                   [{"role": "user", "content": "hi"}]) as message:
        assert message.final()["content"] == [{"type": "text", "text": "echo: hi"}]
    audio = gen_cloud.voices.tts("hello")
    assert audio.write_to(tmp_path / "a.mp3") == len(BINARY)
    assert (tmp_path / "a.mp3").read_bytes() == BINARY and audio.result["bytes"] == len(BINARY)


def test_async_typed_stream(gen_emulator, tmp_path):
    async def main() -> None:
        kwargs = cloud_kwargs(gen_emulator, tmp_path, api_key=gen_emulator.create_key()["apiKey"])
        async with AsyncCloud(gen_emulator.url, **kwargs) as cloud:
            stream = await cloud.chat_completions.stream(
                "openai/gpt-5-mini", [{"role": "user", "content": "a b"}]
            )
            assert "".join([d async for d in stream]) == "echo: a b"
            assert (await stream.final())["text"] == "echo: a b"

    asyncio.run(main())


def test_final_of_a_closed_stream_raises(gen_cloud):
    stream = gen_cloud.chat_completions.stream("openai/gpt-5-mini", [{"role": "user", "content": "x"}])
    stream.close()
    with pytest.raises(elizacloud.CancelledError):
        stream.final()
