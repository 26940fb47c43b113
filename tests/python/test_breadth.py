"""The breadth operations (SPEC §2.8) through the generated resources of the Python binding,
against the emulator: inference, media, apps and their domains, the session-only API keys, A2A,
knowledge and containers on both generations, billing."""

from __future__ import annotations

import pytest
from binding_support import _clean_env, cloud, make_cloud  # noqa: F401

import elizacloud

UNKNOWN = "5e1d6a4e-8f6b-4c55-9d2a-2f8f8b7c1a00"


def test_chat_messages_embeddings_and_models(cloud, emulator):
    chat = cloud.chat_completions.create(
        "openai/gpt-5-mini", [{"role": "user", "content": "hi"}], temperature=0.1, app_id="app-1"
    )
    assert chat["choices"][0]["message"]["content"] == "echo: hi"
    message = cloud.messages.create(
        "claude-sonnet-4.6", 32, [{"role": "user", "content": "hello"}]
    )
    assert message["content"][0]["text"] == "echo: hello"
    assert cloud.responses.create("openai/gpt-5-mini", "ping")["output_text"] == "echo: ping"
    vectors = cloud.embeddings.create("openai/text-embedding-3-small", ["a", "b"])
    assert [d["index"] for d in vectors["data"]] == [0, 1]
    assert any(m["id"] == "openai/gpt-5-mini" for m in cloud.models.list()["data"])
    assert cloud.models.get("openai/gpt-5-mini")["id"] == "openai/gpt-5-mini"
    with pytest.raises(elizacloud.NotFoundError):
        cloud.models.get("nope/none")
    # A forwarded "stream": true would turn the answer into SSE: refused before any request.
    with pytest.raises(elizacloud.InvalidArgumentError, match="stream"):
        cloud.call("chat.completions.create", {"model": "m", "messages": [], "stream": True})
    assert emulator.request_count("POST /api/v1/chat/completions") == 1


def test_images_and_video(cloud):
    images = cloud.images.generate("a lake", num_images=2, webhook_url="https://hook.example/x")
    assert len(images["images"]) == 2
    assert images["images"][0]["url"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert images["webhookUrl"] == "https://hook.example/x"
    assert cloud.video.generate("a lake")["video"]["url"].endswith(".mp4")
    with pytest.raises(elizacloud.InvalidArgumentError):
        cloud.images.generate("x" * 4001)


def test_apps_and_domains(cloud):
    created = cloud.apps.create("Shop", "https://shop.example", description="a shop")
    app_id = created["app"]["id"]
    assert created["apiKey"]
    with pytest.raises(elizacloud.ConflictError):
        cloud.apps.create("Shop", "https://shop.example")
    assert cloud.apps.check_name("Shop") == {
        "success": True, "available": False, "suggestedName": "Shop-2"}
    assert cloud.apps.update(app_id, name="Shop 2")["app"]["name"] == "Shop 2"
    assert [a["id"] for a in cloud.apps.list()["apps"]] == [app_id]
    money = cloud.apps_monetization.update(app_id, monetization_enabled=True)
    assert money["monetization"]["monetizationEnabled"] is True
    assert cloud.apps.withdraw(app_id, 5)["available"] == 15
    cloud.apps_domains.add(app_id, "shop.example.com")
    assert cloud.apps_domains.verify(app_id, "shop.example.com")["domain"]["verified"] is True
    assert [d["domain"] for d in cloud.apps_domains.list(app_id)["domains"]] == ["shop.example.com"]
    cloud.apps.delete(app_id)
    with pytest.raises(elizacloud.NotFoundError):
        cloud.apps.get(app_id)
    with pytest.raises(elizacloud.NotFoundError):
        cloud.apps.get(UNKNOWN)


def test_api_keys_need_a_browser_session(cloud, emulator):
    with pytest.raises(elizacloud.SessionRequiredError, match="browser session"):
        cloud.api_keys.list()
    emulator.config(apiKeysAcceptKeys=True)
    created = cloud.api_keys.create("ci", permissions=["chat"])
    assert created["plainKey"].startswith("eliza_")
    assert [k["name"] for k in cloud.api_keys.list()["keys"]] == ["ci"]
    cloud.api_keys.delete(created["apiKey"]["id"])
    assert cloud.api_keys.list()["keys"] == []


def test_a2a_and_discovery(cloud):
    assert cloud.a2a.card()["protocolVersion"] == "0.3.0"
    task = cloud.a2a.send({"role": "user", "messageId": "m1", "parts": [{"kind": "text", "text": "yo"}]})
    assert task["status"]["message"]["parts"][0]["text"] == "echo: yo"
    assert cloud.a2a.get_task(task["id"])["id"] == task["id"]
    assert cloud.a2a.cancel_task(task["id"])["status"]["state"] == "canceled"
    with pytest.raises(elizacloud.NotFoundError, match="Task not found"):
        cloud.a2a.get_task("missing")
    assert cloud.discovery.search(types="a2a")["total"] == 1


@pytest.mark.parametrize("generation", ["milady", "eliza"])
def test_knowledge_and_containers_per_generation(make_cloud, emulator_factory, tmp_path, generation):
    emu = emulator_factory(["--generation", generation, "--provision-ms", "50"])
    key = emu.create_key()["apiKey"]
    cloud = elizacloud.Cloud(emu.url, api_key=key, api_generation=generation, insecure_local=True,
                             config_path=str(tmp_path / "c.json"), ca_file=emu.ca_file)
    try:
        doc = cloud.knowledge.add("Agents deploy in seconds.", "text/plain", "a.txt")["document"]
        path = "/api/v1/documents" if generation == "eliza" else "/api/v1/knowledge"
        assert emu.request_count(f"POST {path}") == 1
        assert cloud.knowledge.query("deploy agents")["results"][0]["id"] == doc["id"]
        container = cloud.containers.create("web", "site", "repo/web:1", environment={"A": "1"})
        assert container["status"] == "pending"
        if generation == "eliza":
            with pytest.raises(elizacloud.GenerationError):
                cloud.containers.get(container["id"])
            with pytest.raises(elizacloud.GenerationError):
                cloud.billing.transactions()
        else:
            assert cloud.containers.get(container["id"])["id"] == container["id"]
            assert cloud.billing.transactions(limit=3)["total"] >= 1
        cloud.containers.delete(container["id"])
        assert cloud.containers.list() == []
        assert cloud.health()["status"] == "ok"
    finally:
        cloud.close()


def test_checkout_verify_and_settings(cloud, emulator):
    checkout = cloud.billing.checkout(10, "http://localhost:3000/ok", "http://localhost:3000/no")
    assert cloud.billing.verify(checkout["sessionId"])["amount"] == 10
    assert cloud.credits(fresh=True)["balance"] == 35
    settings = cloud.billing.update_settings(auto_top_up={"amount": 5, "threshold": 1})
    assert settings["settings"]["autoTopUp"]["amount"] == 5
    with pytest.raises(elizacloud.InvalidRequestError, match="payment method"):
        cloud.billing.update_settings(auto_top_up={"enabled": True})


def test_max_retries_per_call(cloud, emulator):
    def fail_models(times: int) -> None:
        emulator.add_fault(method="GET", path="/api/v1/models", times=times, action="status",
                           status=503, headers={"Retry-After": "0"})

    fail_models(1)
    with pytest.raises(elizacloud.ServerError):
        cloud.models.list(max_retries=0)  # the client would have retried twice
    assert emulator.request_count("GET /api/v1/models") == 1
    fail_models(3)
    assert cloud.models.list(max_retries=3)["data"]
    assert emulator.request_count("GET /api/v1/models") == 5
    with pytest.raises(elizacloud.InvalidArgumentError, match="maxRetries must be 0 to 10"):
        cloud.models.list(max_retries=11)


@pytest.mark.emulator_args("--provision-ms", "120")
def test_containers_deploy_follows_the_deployment(make_cloud, api_key):
    cloud = make_cloud(api_key=api_key, timings={"job_poll_interval_ms": 10})
    seen: list[str] = []
    container = cloud.containers.deploy("web", "site", "repo/web:1",
                                        on_progress=lambda ev: seen.append(ev.text))
    assert container["status"] == "running" and container["load_balancer_url"]
    assert seen[0] == "pending" and seen[-1] == "running"
    with pytest.raises(elizacloud.ProvisionFailedError, match="ended failed: health check"):
        cloud.containers.deploy("bad", "site", "repo/fail:1")
