"""Emulator, eliza generation: agents (cloud-contract-eliza.md E§2.2–2.9, 2.12–2.17) — execution
tiers, create (reuse, quota, image policy, eager provisioning, warm pool), price consent (428),
credits ($0.30), provision/resume without bridge URLs, wake/sleep, suspend/PATCH/DELETE/snapshot
as jobs, backups and restore, and the knobs that steer them."""

import uuid

import pytest

from emulator import ControlError

pytestmark = pytest.mark.emulator_args("--generation", "eliza")

A = "/api/v1/eliza/agents"
PRICE_VALUE = "dedicated-compute-v1:USD:0.150000:0.300000"
PRICE = {"X-Eliza-Dedicated-Price": PRICE_VALUE}
IMAGE = "ghcr.io/elizaos/agent@sha256:" + "ab" * 32
MILADY_LIST_KEYS = {"id", "agentName", "status", "databaseStatus", "lastBackupAt",
                    "lastHeartbeatAt", "errorMessage", "createdAt", "updatedAt", "token_address",
                    "token_chain", "token_name", "token_ticker"}
LIST_KEYS = MILADY_LIST_KEYS | {"dockerImage", "executionTier", "webUiUrl", "activeJob"}
DETAIL_KEYS = LIST_KEYS | {"errorCount", "walletAddress", "walletProvider", "walletStatus",
                           "meshAddressPresent", "adminDetails"}
JOB_KEYS = {"id", "type", "status", "attempts", "maxAttempts", "estimatedCompletionAt",
            "scheduledFor", "startedAt", "createdAt", "updatedAt"}
URL_KEYS = {"bridgeUrl", "healthUrl", "containerUrl", "headscaleIp", "internalBridgeUrl"}


def create(emu, key, headers=None, query="", **body):
    return emu.request("POST", A + query, {"agentName": "a", **body}, key=key, headers=headers)


def web_ui(agent_id):
    return f"https://{agent_id}.agents.elizacloud.ai"


def detail(emu, key, agent_id):
    return emu.request("GET", f"{A}/{agent_id}", key=key)


def post(emu, key, agent_id, action, body=None, headers=None, query=""):
    return emu.request("POST", f"{A}/{agent_id}/{action}{query}", body, key=key, headers=headers)


def lazy_agent(emu, key, **body):
    resp = create(emu, key, forceCreate=True, **body)
    assert resp.status == 201, resp.text
    return resp.json()["data"]["id"]


def shared_agent(emu, key):
    """A new shared-tier agent (forceCreate is refused for shared: reuse is switched off)."""
    before = emu.config()
    emu.config(defaultExecutionTier="shared", reuseLiveAgents=False)
    resp = create(emu, key)
    emu.config(defaultExecutionTier=before["defaultExecutionTier"],
               reuseLiveAgents=before["reuseLiveAgents"])
    assert resp.status == 201, resp.text
    return resp.json()["data"]["id"]


def no_urls(value):
    """True when no bridge/health/container URL key appears at any depth."""
    if isinstance(value, dict):
        return not (URL_KEYS & value.keys()) and all(no_urls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_urls(v) for v in value)
    return True


def send(emu, key, agent_id, text="hi"):
    return emu.request("POST", f"{A}/{agent_id}/bridge",
                       {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                        "params": {"text": text}}, key=key)


# ---------------------------------------------------------------- knobs (item 13)

def test_knob_defaults_set_and_reset(emulator):
    cfg = emulator.config()
    assert cfg["defaultExecutionTier"] == "dedicated-lazy"
    assert cfg["reuseLiveAgents"] is True and cfg["requirePriceConsent"] is True
    assert cfg["maxAgentsPerOrg"] == 0 and cfg["warmPool"] == 0
    assert cfg["dedicatedPriceAcceptance"] == PRICE_VALUE
    assert cfg["allowedImagePrefixes"] == ["ghcr.io/elizaos/"]
    changed = emulator.config(defaultExecutionTier="shared", reuseLiveAgents=False,
                              maxAgentsPerOrg=2, warmPool=3, requirePriceConsent=False,
                              dedicatedPriceAcceptance="dedicated-compute-v1:USD:1.000000:2.000000",
                              allowedImagePrefixes=["docker.io/me/", "ghcr.io/x/"])
    assert changed["defaultExecutionTier"] == "shared" and changed["warmPool"] == 3
    assert changed["allowedImagePrefixes"] == ["docker.io/me/", "ghcr.io/x/"]
    emulator.reset()
    assert emulator.config() == cfg
    for bad in ({"defaultExecutionTier": "custom"}, {"warmPool": -1}, {"maxAgentsPerOrg": "1"},
                {"reuseLiveAgents": 1}, {"dedicatedPriceAcceptance": ""},
                {"allowedImagePrefixes": "ghcr.io/"}, {"allowedImagePrefixes": [1]}):
        with pytest.raises(ControlError) as err:
            emulator.config(**bad)
        assert err.value.status == 400
    assert emulator.config() == cfg  # a refused change changes nothing


def test_knobs_from_the_command_line(emulator_factory):
    emu = emulator_factory(["--generation", "eliza", "--default-execution-tier", "shared",
                            "--warm-pool", "2", "--max-agents-per-org", "3",
                            "--no-reuse-live-agents", "--no-price-consent",
                            "--dedicated-price-acceptance", "dedicated-compute-v1:USD:1:2",
                            "--allowed-image-prefixes", "a.io/,b.io/x/"])
    cfg = emu.config()
    assert (cfg["defaultExecutionTier"], cfg["warmPool"], cfg["maxAgentsPerOrg"]) == \
        ("shared", 2, 3)
    assert cfg["reuseLiveAgents"] is False and cfg["requirePriceConsent"] is False
    assert cfg["dedicatedPriceAcceptance"] == "dedicated-compute-v1:USD:1:2"
    assert cfg["allowedImagePrefixes"] == ["a.io/", "b.io/x/"]
    emu.config(warmPool=0)
    emu.reset()
    assert emu.config()["warmPool"] == 2  # reset = the command line's values


def test_milady_has_no_eliza_knobs(emulator_factory):
    emu = emulator_factory([])
    cfg = emu.config()
    assert not {"defaultExecutionTier", "warmPool", "requirePriceConsent"} & cfg.keys()
    with pytest.raises(ControlError) as err:
        emu.config(warmPool=1)
    assert err.value.status == 400
    with pytest.raises(ControlError):
        emu.set_agent_status(str(uuid.uuid4()), "sleeping")  # not a milady status


# ---------------------------------------------------------------- model (item 1)

def test_lazy_create_list_and_detail_fields(emulator, api_key):
    resp = create(emulator, api_key)
    assert resp.status == 201
    body = resp.json()
    data = body["data"]
    assert body == {"success": True, "created": True, "data": data}
    assert set(data) == {"id", "agentId", "agentName", "status", "createdAt", "executionTier"}
    assert data["agentId"] == data["id"] and data["status"] == "pending"
    assert data["executionTier"] == "dedicated-lazy"
    item = emulator.request("GET", A, key=api_key).json()["data"][0]
    assert set(item) == LIST_KEYS
    assert item["dockerImage"] is None and item["executionTier"] == "dedicated-lazy"
    assert item["webUiUrl"] == web_ui(data["id"]) and item["activeJob"] is None
    d = detail(emulator, api_key, data["id"]).json()["data"]
    assert set(d) == DETAIL_KEYS  # no bridgeUrl
    assert d["meshAddressPresent"] is False and d["adminDetails"] is None
    assert d["walletProvider"] is None and d["errorCount"] == 0


def test_active_job_in_list_and_detail(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    emulator.config(provisionMs=1500)
    started = post(emulator, api_key, agent_id, "provision", headers=PRICE)
    assert started.status == 202
    job_id = started.json()["data"]["jobId"]
    item = emulator.request("GET", A, key=api_key).json()["data"][0]
    job = item["activeJob"]
    assert set(job) == JOB_KEYS
    assert job["id"] == job_id and job["type"] == "agent_provision"
    assert job["status"] in ("pending", "in_progress") and job["maxAttempts"] == 3
    assert detail(emulator, api_key, agent_id).json()["data"]["activeJob"]["id"] == job_id
    emulator.wait_job(api_key, job_id)
    d = detail(emulator, api_key, agent_id).json()["data"]
    assert d["activeJob"] is None and d["status"] == "running" and "bridgeUrl" not in d


def test_statuses_sleeping_and_deletion_via_control(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    for status in ("sleeping", "deletion_pending", "deletion_failed"):
        entry = emulator.set_agent_status(agent_id, status)
        assert entry["status"] == status and entry["executionTier"] == "dedicated-lazy"
        assert detail(emulator, api_key, agent_id).json()["data"]["status"] == status


# ---------------------------------------------------------------- tiers (item 2)

@pytest.mark.parametrize("body, tier", [
    ({}, "dedicated-lazy"),
    ({"dockerImage": IMAGE}, "custom"),
    ({"alwaysOn": True}, "dedicated-always"),
    ({"statefulRuntime": True}, "dedicated-always"),
    ({"agentConfig": {"alwaysOn": True}}, "dedicated-always"),
    ({"agentConfig": {"stateful_runtime": True}}, "dedicated-always"),
    ({"agentConfig": {"character": {"always_on": True}}}, "dedicated-always"),
    ({"alwaysOn": False}, "dedicated-lazy"),
])
def test_tier_is_chosen_at_create(emulator, api_key, body, tier):
    resp = create(emulator, api_key, autoProvision=False, **body)
    assert resp.status == 201, resp.text
    data = resp.json()["data"]
    assert data["executionTier"] == tier and data["status"] == "pending"
    item = emulator.request("GET", A, key=api_key).json()["data"][0]
    assert item["executionTier"] == tier
    assert item["dockerImage"] == body.get("dockerImage")


def test_default_tier_shared_creates_a_running_shared_agent(emulator, api_key):
    emulator.config(defaultExecutionTier="shared")
    resp = create(emulator, api_key)  # no price header needed, no credits needed
    assert resp.status == 201
    body = resp.json()
    data = body["data"]
    assert body["created"] is True and body["source"] == "shared_runtime"
    assert set(data) == {"id", "agentId", "agentName", "status", "createdAt", "executionTier",
                         "webUiUrl"}
    assert data["status"] == "running" and data["executionTier"] == "shared"
    assert data["webUiUrl"] == f"{emulator.url}/api/v1/eliza/agents/{data['id']}"
    item = emulator.request("GET", A, key=api_key).json()["data"][0]
    assert item["webUiUrl"] is None and item["status"] == "running"
    assert send(emulator, api_key, data["id"]).json()["result"]["text"] == "echo: hi"
    # A model too large for the shared runtime gets a dedicated (lazy) tier.
    big = create(emulator, api_key, forceCreate=False, modelTooLargeForShared=True,
                 query="?autoProvision=false")
    assert big.status == 200  # reused: the org has a live agent
    emulator.config(reuseLiveAgents=False)
    big = create(emulator, api_key, modelTooLargeForShared=True)
    assert big.status == 201 and big.json()["data"]["executionTier"] == "dedicated-lazy"


# ---------------------------------------------------------------- create (item 3)

def test_create_malformed_json_and_validation(emulator, api_key):
    bad = emulator.request("POST", A, "{nope", key=api_key)
    assert bad.status == 400
    assert bad.json() == {"success": False, "error": "Invalid JSON", "code": "validation_error"}
    cases = [({}, ["agentName"]), ({"agentName": ""}, ["agentName"]),
             ({"agentName": "a", "dockerImage": ""}, ["dockerImage"]),
             ({"agentName": "a", "dockerImage": "a" * 513}, ["dockerImage"]),
             ({"agentName": "a", "dockerImage": "ghcr.io/x y"}, ["dockerImage"]),
             ({"agentName": "a", "dockerImage": 5}, ["dockerImage"]),
             ({"agentName": "a", "alwaysOn": "yes"}, ["alwaysOn"]),
             ({"agentName": "a", "statefulRuntime": 1}, ["statefulRuntime"]),
             ({"agentName": "a", "modelTooLargeForShared": None}, ["modelTooLargeForShared"]),
             ({"agentName": "a", "autoProvision": "true"}, ["autoProvision"]),
             ({"agentName": "a", "forceCreate": 0}, ["forceCreate"])]
    for body, path in cases:
        resp = emulator.request("POST", A, body, key=api_key)
        assert resp.status == 400, body
        got = resp.json()
        assert got["success"] is False and got["error"] == "Invalid request data"
        assert got["code"] == "validation_error"
        assert [i["path"] for i in got["details"]["issues"]] == [path], body
    # 512 characters of the allowed alphabet pass validation (then the image policy applies).
    ok = create(emulator, api_key, dockerImage="a" * 512)
    assert ok.status == 403


@pytest.mark.parametrize("query", ["?autoProvision=yes", "?autoProvision=",
                                   "?autoProvision=true&autoProvision=true",
                                   "?autoProvision=1"])
def test_create_bad_auto_provision_query(emulator, api_key, query):
    resp = create(emulator, api_key, query=query)
    assert resp.status == 400
    body = resp.json()
    assert body["success"] is False and body["error"] == "Invalid autoProvision"
    assert isinstance(body["message"], str) and body["message"]


def test_create_check_order(emulator, api_key):
    emulator.config(defaultExecutionTier="shared")
    fc = create(emulator, api_key, forceCreate=True)  # forceCreate on shared: 400
    assert fc.status == 400 and fc.json()["code"] == "validation_error"
    assert fc.json()["details"]["issues"][0]["path"] == ["forceCreate"]
    emulator.config(defaultExecutionTier="dedicated-lazy")
    # Image policy: digest first, then the registry.
    not_pinned = create(emulator, api_key, dockerImage="docker.io/evil/agent:latest")
    assert not_pinned.status == 403
    assert not_pinned.json()["code"] == "agent_image_not_digest_pinned"
    assert not_pinned.json()["success"] is False and not_pinned.json()["error"]
    foreign = create(emulator, api_key, dockerImage="docker.io/evil/agent@sha256:" + "0" * 64)
    assert foreign.status == 403 and foreign.json()["code"] == "agent_image_not_allowed"
    short = create(emulator, api_key, dockerImage="ghcr.io/elizaos/agent@sha256:abc")
    assert short.json()["code"] == "agent_image_not_digest_pinned"
    emulator.config(allowedImagePrefixes=["docker.io/evil/"])
    ok = create(emulator, api_key, dockerImage="docker.io/evil/agent@sha256:" + "0" * 64,
                autoProvision=False)
    assert ok.status == 201 and ok.json()["data"]["executionTier"] == "custom"
    # The image policy comes before reuse (the org now has a live agent).
    assert create(emulator, api_key, dockerImage=IMAGE).status == 403
    # Reuse comes before the quota.
    emulator.config(maxAgentsPerOrg=1)
    assert create(emulator, api_key).status == 200
    quota = create(emulator, api_key, forceCreate=True)
    assert quota.status == 429 and quota.header("Retry-After") is None
    assert quota.json()["code"] == "agent_quota_exceeded" and quota.json()["success"] is False
    assert quota.json()["details"] == {"currentAgents": 1, "maxAgents": 1}
    assert quota.json()["error"]
    # Quota before price, price (428) before credits (402).
    emulator.set_credits(0)
    assert create(emulator, api_key, forceCreate=True, alwaysOn=True).status == 429
    emulator.config(maxAgentsPerOrg=0)
    assert create(emulator, api_key, forceCreate=True, alwaysOn=True).status == 428
    credits = create(emulator, api_key, forceCreate=True, alwaysOn=True, headers=PRICE)
    assert credits.status == 402
    assert credits.json()["code"] == "insufficient_credits"
    # Not eager: neither price nor credits are asked.
    assert create(emulator, api_key, forceCreate=True).status == 201
    assert create(emulator, api_key, forceCreate=True, alwaysOn=True,
                  autoProvision=False).status == 201


def test_character_not_found(emulator, api_key):
    resp = create(emulator, api_key, characterId=str(uuid.uuid4()))
    assert resp.status == 404
    assert resp.json() == {"success": False, "error": "Character not found",
                           "code": "resource_not_found"}


def test_create_reuses_the_live_agent(emulator, api_key):
    first = create(emulator, api_key).json()["data"]
    again = create(emulator, api_key, agentName="other")
    assert again.status == 200
    body = again.json()
    assert body == {"success": True, "created": False, "data": body["data"]}
    assert set(body["data"]) == {"id", "agentId", "agentName", "status", "createdAt",
                                 "executionTier"}
    assert body["data"]["id"] == first["id"] and body["data"]["agentName"] == "a"
    # Agents in error or deletion are not live: a new one is created.
    for status in ("error", "deletion_pending", "deletion_failed"):
        emulator.set_agent_status(first["id"], status)
        fresh = create(emulator, api_key)
        assert fresh.status == 201, status
        emulator.set_agent_status(fresh.json()["data"]["id"], "error")
    # Another organization does not see this one's agents.
    other = emulator.create_key(organization_id=str(uuid.uuid4()))["apiKey"]
    assert create(emulator, other).status == 201
    emulator.config(reuseLiveAgents=False)
    emulator.set_agent_status(first["id"], "running")
    assert create(emulator, api_key).status == 201


def test_eager_create_starts_a_provision_job(emulator, api_key):
    resp = create(emulator, api_key, alwaysOn=True, headers=PRICE)
    assert resp.status == 202
    body = resp.json()
    data = body["data"]
    assert body["success"] is True and body["created"] is True and body["message"]
    assert set(data) == {"id", "agentId", "agentName", "status", "jobId",
                         "estimatedCompletionAt", "createdAt", "executionTier"}
    assert data["status"] == "pending" and data["executionTier"] == "dedicated-always"
    assert body["polling"]["endpoint"] == f"/api/v1/jobs/{data['jobId']}"
    assert set(body["polling"]) == {"endpoint", "intervalMs", "expectedDurationMs"}
    job = emulator.wait_job(api_key, data["jobId"])
    assert job["type"] == "agent_provision" and job["status"] == "completed"
    assert job["result"] == {"cloudAgentId": data["id"], "status": "running",
                             "webUiUrl": web_ui(data["id"])}
    assert detail(emulator, api_key, data["id"]).json()["data"]["status"] == "running"
    assert send(emulator, api_key, data["id"]).json()["result"]["text"] == "echo: hi"
    # A custom image is eager too; ?autoProvision=false wins over the body.
    custom = create(emulator, api_key, forceCreate=True, dockerImage=IMAGE, headers=PRICE)
    assert custom.status == 202 and custom.json()["data"]["executionTier"] == "custom"
    lazy = create(emulator, api_key, forceCreate=True, alwaysOn=True, autoProvision=True,
                  query="?autoProvision=false")
    assert lazy.status == 201 and lazy.json()["data"]["status"] == "pending"


def test_failed_eager_provision_job(emulator, api_key):
    emulator.provision_failures(count=1, message="no capacity")
    resp = create(emulator, api_key, alwaysOn=True, headers=PRICE)
    job = emulator.wait_job(api_key, resp.json()["data"]["jobId"])
    assert job["status"] == "failed" and job["error"] == "no capacity"
    agent_id = resp.json()["data"]["id"]
    assert job["result"] == {"cloudAgentId": agent_id, "status": "error", "error": "no capacity",
                             "webUiUrl": web_ui(agent_id)}


def test_warm_pool(emulator, api_key):
    emulator.config(warmPool=1)
    resp = create(emulator, api_key, alwaysOn=True, headers=PRICE)
    assert resp.status == 201
    body = resp.json()
    data = body["data"]
    assert body == {"success": True, "source": "warm_pool", "data": data}
    assert set(data) == {"id", "agentName", "status", "webUiUrl", "createdAt", "executionTier"}
    assert data["status"] == "running" and data["webUiUrl"] == web_ui(data["id"])
    assert emulator.config()["warmPool"] == 0
    assert send(emulator, api_key, data["id"]).json()["result"]["text"] == "echo: hi"
    # The pool is empty: the next eager create is a cold provision job.
    assert create(emulator, api_key, alwaysOn=True, forceCreate=True,
                  headers=PRICE).status == 202
    # A lazy create never takes from the pool; the price gate comes first.
    emulator.config(warmPool=1)
    assert create(emulator, api_key, forceCreate=True).status == 201
    assert create(emulator, api_key, alwaysOn=True, forceCreate=True).status == 428
    assert emulator.config()["warmPool"] == 1


# ---------------------------------------------------------------- price consent (item 4)

def test_price_gate_body_and_changes(emulator, api_key):
    resp = create(emulator, api_key, alwaysOn=True)
    assert resp.status == 428
    assert resp.json() == {
        "success": False, "code": "DEDICATED_PRICE_CONFIRMATION_REQUIRED",
        "error": "Refresh the app and review the current Dedicated price before starting. "
                 "No compute was started.",
        "pricing": {"currency": "USD", "hourlyRateUsd": 0.15, "minimumActivationChargeUsd": 0.3,
                    "acceptanceHeader": "X-Eliza-Dedicated-Price",
                    "acceptanceValue": PRICE_VALUE}}
    assert emulator.state()["agents"] == []  # no compute was started, no agent either
    new = "dedicated-compute-v1:USD:0.200000:0.400000"
    emulator.config(dedicatedPriceAcceptance=new)
    stale = create(emulator, api_key, alwaysOn=True, headers=PRICE)
    assert stale.status == 428
    assert stale.json()["pricing"] == {"currency": "USD", "hourlyRateUsd": 0.2,
                                       "minimumActivationChargeUsd": 0.4,
                                       "acceptanceHeader": "X-Eliza-Dedicated-Price",
                                       "acceptanceValue": new}
    assert emulator.price_headers() == {"X-Eliza-Dedicated-Price": new}
    assert create(emulator, api_key, alwaysOn=True,
                  headers={"X-Eliza-Dedicated-Price": new}).status == 202
    emulator.config(requirePriceConsent=False)
    assert create(emulator, api_key, alwaysOn=True, forceCreate=True).status == 202


def test_price_gate_on_provision_resume_and_wake(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    for action in ("provision", "resume", "wake"):
        resp = post(emulator, api_key, agent_id, action)
        assert resp.status == 428, action
        assert resp.json()["code"] == "DEDICATED_PRICE_CONFIRMATION_REQUIRED"
    emulator.set_credits(0)
    for action in ("provision", "resume", "wake"):
        assert post(emulator, api_key, agent_id, action).status == 428  # before credits
        assert post(emulator, api_key, agent_id, action, headers=PRICE).status == 402
    emulator.set_credits(25)
    # No-op answers never ask for the price.
    emulator.set_agent_status(agent_id, "running")
    for action in ("provision", "resume", "wake"):
        assert post(emulator, api_key, agent_id, action).status == 200, action
    shared = shared_agent(emulator, api_key)
    for action in ("provision", "resume", "wake"):
        assert post(emulator, api_key, shared, action).status == 200, action


# ---------------------------------------------------------------- credits (item 5)

def test_credit_gate_minimum_is_030(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    emulator.set_credits(0.29)
    resp = post(emulator, api_key, agent_id, "provision", headers=PRICE)
    assert resp.status == 402
    body = resp.json()
    assert body["success"] is False and body["code"] == "insufficient_credits"
    assert body["requiredBalance"] == 0.3 and body["currentBalance"] == 0.29
    assert "$0.30" in body["error"]
    emulator.set_credits(0.30)
    assert post(emulator, api_key, agent_id, "provision", headers=PRICE).status == 202


# ---------------------------------------------------------------- provision / resume (item 6)

def test_provision_and_resume_answers_without_bridge_urls(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    started = post(emulator, api_key, agent_id, "provision", headers=PRICE)
    assert started.status == 202
    body = started.json()
    assert body["created"] is True and body["alreadyInProgress"] is False
    assert set(body["data"]) == {"jobId", "agentId", "status", "estimatedCompletionAt"}
    again = post(emulator, api_key, agent_id, "provision", headers=PRICE)
    assert again.status == 409 and again.json()["success"] is True
    assert again.json()["alreadyInProgress"] is True
    assert again.json()["data"]["jobId"] == body["data"]["jobId"]
    job = emulator.wait_job(api_key, body["data"]["jobId"])
    assert no_urls(job) and job["result"]["webUiUrl"] == web_ui(agent_id)
    running = post(emulator, api_key, agent_id, "provision")
    assert running.status == 200
    assert running.json() == {"success": True, "data": {
        "id": agent_id, "agentName": "a", "status": "running", "webUiUrl": web_ui(agent_id)}}
    resumed = post(emulator, api_key, agent_id, "resume")
    assert resumed.json() == {"success": True, "data": {
        "agentId": agent_id, "action": "resume", "message": "Agent is already running",
        "status": "running", "webUiUrl": web_ui(agent_id)}}


@pytest.mark.parametrize("query", ["?sync=yes", "?sync=1", "?sync=true&sync=true",
                                   "?sync=false&sync=true"])
@pytest.mark.parametrize("action", ["provision", "resume"])
def test_bad_sync_query(emulator, api_key, query, action):
    agent_id = lazy_agent(emulator, api_key)
    resp = post(emulator, api_key, agent_id, action, headers=PRICE, query=query)
    assert resp.status == 400
    body = resp.json()
    assert body["success"] is False and body["error"] == "Invalid sync" and body["message"]


@pytest.mark.parametrize("query", ["", "?sync=", "?sync=false", "?sync=true"])
def test_resume_is_always_a_job(emulator, api_key, query):
    agent_id = lazy_agent(emulator, api_key)
    resp = post(emulator, api_key, agent_id, "resume", headers=PRICE, query=query)
    assert resp.status == 202, resp.text
    body = resp.json()
    assert set(body["data"]) == {"agentId", "action", "jobId", "status", "message"}
    assert body["data"]["action"] == "resume" and "polling" in body
    job = emulator.wait_job(api_key, body["data"]["jobId"])
    assert job["type"] == "agent_resume" and job["status"] == "completed" and no_urls(job)
    assert job["result"] == {"cloudAgentId": agent_id, "status": "running",
                             "webUiUrl": web_ui(agent_id)}


def test_sync_provision_blocks_without_urls(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    resp = post(emulator, api_key, agent_id, "provision", headers=PRICE, query="?sync=true")
    assert resp.status == 200
    assert resp.json() == {"success": True, "data": {
        "id": agent_id, "agentName": "a", "status": "running", "webUiUrl": web_ui(agent_id)}}


def test_shared_agent_lifecycle_no_ops(emulator, api_key):
    agent_id = shared_agent(emulator, api_key)
    origin_url = f"{emulator.url}/api/v1/eliza/agents/{agent_id}"
    prov = post(emulator, api_key, agent_id, "provision")
    assert prov.status == 200
    assert prov.json() == {"success": True, "source": "shared_runtime", "data": {
        "id": agent_id, "agentName": "a", "status": "running", "executionTier": "shared",
        "message": "Agent is already available on the shared runtime", "webUiUrl": origin_url}}
    res = post(emulator, api_key, agent_id, "resume")
    assert res.json() == {"success": True, "source": "shared_runtime", "data": {
        "agentId": agent_id, "action": "resume", "status": "running", "executionTier": "shared",
        "message": "Agent is already available on the shared runtime"}}
    wake = post(emulator, api_key, agent_id, "wake")
    assert wake.status == 200 and wake.json()["source"] == "shared_runtime"
    assert wake.json()["data"]["action"] == "wake"
    for action in ("suspend", "sleep"):
        resp = post(emulator, api_key, agent_id, action)
        assert resp.status == 200 and resp.json()["source"] == "shared_runtime", action
        assert resp.json()["data"]["message"] == \
            "Shared-runtime agents do not use dedicated compute"
    patch = emulator.request("PATCH", f"{A}/{agent_id}", {"action": "shutdown"}, key=api_key)
    assert patch.json() == {"success": True, "source": "shared_runtime", "data": {
        "agentId": agent_id, "action": "shutdown",
        "message": "Shared-runtime agents do not use dedicated compute",
        "previousStatus": "running", "executionTier": "shared"}}
    assert emulator.state()["jobs"] == []


# ---------------------------------------------------------------- wake / sleep (item 7)

def test_sleep_then_wake(emulator, api_key):
    agent_id = emulator.eliza_running_agent(api_key)
    slept = post(emulator, api_key, agent_id, "sleep")
    assert slept.status == 202
    body = slept.json()
    assert body["created"] is True and body["alreadyInProgress"] is False
    assert body["data"]["action"] == "sleep" and body["data"]["previousStatus"] == "running"
    assert body["polling"]["endpoint"] == f"/api/v1/jobs/{body['data']['jobId']}"
    job = emulator.wait_job(api_key, body["data"]["jobId"])
    assert job["type"] == "agent_sleep" and job["status"] == "completed"
    assert detail(emulator, api_key, agent_id).json()["data"]["status"] == "sleeping"
    backups = emulator.request("GET", f"{A}/{agent_id}/backups", key=api_key).json()["data"]
    assert len(backups) == 1 and job["result"]["backupId"] == backups[0]["id"]
    assert job["result"]["status"] == "sleeping" and no_urls(job)
    # A sleeping dedicated agent answers JSON-RPC, never 404.
    rpc = send(emulator, api_key, agent_id)
    assert rpc.status == 200 and rpc.json()["error"]["message"] == "Sandbox is not running"
    again = post(emulator, api_key, agent_id, "sleep")
    assert again.status == 200
    assert again.json() == {"success": True, "data": {
        "agentId": agent_id, "action": "sleep", "message": "Agent is already sleeping",
        "status": "sleeping"}}

    woke = post(emulator, api_key, agent_id, "wake", headers=PRICE)
    assert woke.status == 202
    body = woke.json()
    assert body["created"] is True and body["alreadyInProgress"] is False
    assert set(body["data"]) == {"agentId", "action", "jobId", "status", "previousStatus",
                                 "restoreBackupId", "forceFreshBoot", "message"}
    assert body["data"]["previousStatus"] == "sleeping" and body["data"]["action"] == "wake"
    assert body["data"]["restoreBackupId"] is None and body["data"]["forceFreshBoot"] is False
    assert set(body["polling"]) == {"endpoint", "intervalMs", "expectedDurationMs"}
    dup = post(emulator, api_key, agent_id, "wake", headers=PRICE)
    assert dup.status == 409 and dup.json()["success"] is True
    assert dup.json()["created"] is False and dup.json()["alreadyInProgress"] is True
    assert dup.json()["data"]["jobId"] == body["data"]["jobId"]
    job = emulator.wait_job(api_key, body["data"]["jobId"])
    assert job["type"] == "agent_wake" and job["status"] == "completed" and no_urls(job)
    assert detail(emulator, api_key, agent_id).json()["data"]["status"] == "running"
    assert send(emulator, api_key, agent_id).json()["result"]["text"] == "echo: hi"
    running = post(emulator, api_key, agent_id, "wake")
    assert running.json() == {"success": True, "data": {
        "agentId": agent_id, "action": "wake", "message": "Agent is already running",
        "status": "running"}}


def test_wake_body_and_backup_checks(emulator, api_key):
    agent_id = emulator.eliza_running_agent(api_key)
    emulator.wait_job(api_key, post(emulator, api_key, agent_id, "snapshot").json()["data"]
                      ["jobId"])
    backup_id = emulator.request("GET", f"{A}/{agent_id}/backups",
                                 key=api_key).json()["data"][0]["id"]
    emulator.set_agent_status(agent_id, "sleeping")
    bad_json = post(emulator, api_key, agent_id, "wake", "{x", headers=PRICE)
    assert bad_json.status == 400
    assert bad_json.json() == {"success": False, "error": "Invalid JSON body",
                               "code": "validation_error"}
    for body in ({"extra": 1}, {"restoreBackupId": "nope"}, {"forceFreshBoot": "yes"},
                 {"restoreBackupId": backup_id, "forceFreshBoot": True}, [1]):
        resp = post(emulator, api_key, agent_id, "wake", body, headers=PRICE)
        assert resp.status == 400, body
        assert resp.json()["code"] == "validation_error" and resp.json()["success"] is False
    unknown = post(emulator, api_key, agent_id, "wake", {"restoreBackupId": str(uuid.uuid4())},
                   headers=PRICE)
    assert unknown.status == 404
    assert unknown.json() == {"success": False, "error": "No backup found"}
    # Another agent's backup is not found either (checked before the price).
    other = lazy_agent(emulator, api_key)
    emulator.set_agent_status(other, "sleeping")
    assert post(emulator, api_key, other, "wake", {"restoreBackupId": backup_id}).status == 404
    assert post(emulator, api_key, str(uuid.uuid4()), "wake", headers=PRICE).json() == \
        {"success": False, "error": "Agent not found"}
    ok = post(emulator, api_key, agent_id, "wake", {"restoreBackupId": backup_id},
              headers=PRICE)
    assert ok.status == 202 and ok.json()["data"]["restoreBackupId"] == backup_id
    emulator.wait_job(api_key, ok.json()["data"]["jobId"])
    emulator.set_agent_status(agent_id, "sleeping")
    fresh = post(emulator, api_key, agent_id, "wake", {"forceFreshBoot": True}, headers=PRICE)
    assert fresh.status == 202 and fresh.json()["data"]["forceFreshBoot"] is True


# ---------------------------------------------------------------- suspend / PATCH / DELETE (item 8)

@pytest.mark.parametrize("how", ["suspend", "patch-suspend", "patch-shutdown"])
def test_suspend_is_a_job(emulator, api_key, how):
    agent_id = emulator.eliza_running_agent(api_key)
    action = "suspend" if how != "patch-shutdown" else "shutdown"

    def call():
        if how == "suspend":
            return post(emulator, api_key, agent_id, "suspend")
        return emulator.request("PATCH", f"{A}/{agent_id}", {"action": action}, key=api_key)

    emulator.config(provisionMs=600)
    resp = call()
    assert resp.status == 202
    body = resp.json()
    assert set(body) == {"success", "created", "alreadyInProgress", "message", "data"}
    assert body["created"] is True and body["alreadyInProgress"] is False
    assert set(body["data"]) == {"agentId", "action", "jobId", "status", "previousStatus"}
    assert body["data"]["action"] == action and body["data"]["previousStatus"] == "running"
    dup = call()
    assert dup.status == 202 and dup.json()["alreadyInProgress"] is True
    assert dup.json()["data"]["jobId"] == body["data"]["jobId"]
    job = emulator.wait_job(api_key, body["data"]["jobId"])
    assert job["type"] == "agent_suspend" and job["status"] == "completed" and no_urls(job)
    assert detail(emulator, api_key, agent_id).json()["data"]["status"] == "stopped"
    done = call()
    assert done.status == 200
    assert done.json()["data"]["message"] in ("Agent is already suspended",
                                              "Agent is already stopped")
    assert done.json()["data"]["previousStatus"] == "stopped"


def test_suspend_conflicts_and_not_found(emulator, api_key):
    agent_id = lazy_agent(emulator, api_key)
    emulator.set_agent_status(agent_id, "provisioning")
    for resp in (post(emulator, api_key, agent_id, "suspend"),
                 emulator.request("PATCH", f"{A}/{agent_id}", {"action": "suspend"},
                                  key=api_key)):
        assert resp.status == 409
        assert resp.json() == {"success": False, "error": "Agent provisioning is in progress"}
    assert post(emulator, api_key, str(uuid.uuid4()), "suspend").status == 404
    bad = emulator.request("PATCH", f"{A}/{agent_id}", {"action": "explode"}, key=api_key)
    assert bad.status == 400 and bad.json()["error"] == "Invalid request data"


def test_delete_is_a_job(emulator, api_key):
    agent_id = emulator.eliza_running_agent(api_key)
    emulator.config(provisionMs=600)
    resp = emulator.request("DELETE", f"{A}/{agent_id}", key=api_key)
    assert resp.status == 202
    body = resp.json()
    job_id = body["data"]["jobId"]
    assert body["success"] is True and body["created"] is True
    assert body["alreadyInProgress"] is False and body["message"]
    assert set(body["data"]) == {"jobId", "agentId", "status"}
    assert body["polling"] == {"endpoint": f"/api/v1/jobs/{job_id}", "intervalMs": 50,
                               "expectedDurationMs": 30000}
    d = detail(emulator, api_key, agent_id).json()["data"]
    assert d["status"] == "deletion_pending" and d["activeJob"]["type"] == "agent_delete"
    dup = emulator.request("DELETE", f"{A}/{agent_id}", key=api_key)
    assert dup.status == 202 and dup.json()["alreadyInProgress"] is True
    assert dup.json()["created"] is False and dup.json()["data"]["jobId"] == job_id
    # A deleting agent is not provisioned again.
    assert post(emulator, api_key, agent_id, "provision", headers=PRICE).status == 409
    job = emulator.wait_job(api_key, job_id)
    assert job["type"] == "agent_delete" and job["status"] == "completed" and no_urls(job)
    assert detail(emulator, api_key, agent_id).status == 404
    assert emulator.request("GET", A, key=api_key).json()["data"] == []
    assert emulator.request("DELETE", f"{A}/{agent_id}", key=api_key).status == 404


def test_delete_shared_and_conflicts(emulator, api_key):
    agent_id = shared_agent(emulator, api_key)
    resp = emulator.request("DELETE", f"{A}/{agent_id}", key=api_key)
    assert resp.status == 200
    assert resp.json() == {"success": True, "deleted": True, "source": "shared_runtime",
                           "data": {"agentId": agent_id, "status": "deleted",
                                    "executionTier": "shared"}}
    assert detail(emulator, api_key, agent_id).status == 404
    lazy = lazy_agent(emulator, api_key)
    emulator.config(provisionMs=2000)
    post(emulator, api_key, lazy, "provision", headers=PRICE)
    conflict = emulator.request("DELETE", f"{A}/{lazy}", key=api_key)
    assert conflict.status == 409
    assert conflict.json() == {"success": False, "error": "Agent provisioning is in progress"}


# ---------------------------------------------------------------- snapshot / backups / restore (8, 9)

def test_snapshot_is_a_job_and_backups_chain(emulator, api_key):
    assert post(emulator, api_key, str(uuid.uuid4()), "snapshot").json() == \
        {"success": False, "error": "Agent not found"}
    pending = lazy_agent(emulator, api_key)
    not_running = post(emulator, api_key, pending, "snapshot")
    assert not_running.status == 409
    assert not_running.json() == {"success": False, "error": "Sandbox is not running"}
    shared = shared_agent(emulator, api_key)
    assert post(emulator, api_key, shared, "snapshot").status == 409

    agent_id = emulator.eliza_running_agent(api_key, forceCreate=True)
    ids = []
    for _ in range(2):
        resp = post(emulator, api_key, agent_id, "snapshot", {"ignored": True})
        assert resp.status == 202
        body = resp.json()
        job_id = body["data"]["jobId"]
        assert body["created"] is True and body["alreadyInProgress"] is False
        assert body["data"] == {"agentId": agent_id, "action": "snapshot", "jobId": job_id,
                                "status": body["data"]["status"]}
        assert body["polling"]["expectedDurationMs"] == 45000
        job = emulator.wait_job(api_key, job_id)
        assert job["type"] == "agent_snapshot" and job["status"] == "completed"
        result = job["result"]
        assert set(result) == {"backupId", "snapshotType", "backupKind", "parentBackupId",
                               "sizeBytes", "createdAt"}
        assert result["snapshotType"] == "manual"
        ids.append(result["backupId"])
        if len(ids) == 1:
            assert result["backupKind"] == "full" and result["parentBackupId"] is None
        else:
            assert result["backupKind"] == "incremental" and result["parentBackupId"] == ids[0]
    listing = emulator.request("GET", f"{A}/{agent_id}/backups", key=api_key).json()["data"]
    assert [b["id"] for b in listing] == ids[::-1]
    for b in listing:
        assert set(b) == {"id", "snapshotType", "backupKind", "parentBackupId", "sizeBytes",
                          "createdAt"}
    assert emulator.agent_state(agent_id)["snapshots"] == 2
    emulator.config(provisionMs=1000)
    first = post(emulator, api_key, agent_id, "snapshot").json()
    again = post(emulator, api_key, agent_id, "snapshot").json()
    assert again["alreadyInProgress"] is True and again["created"] is False
    assert again["data"]["jobId"] == first["data"]["jobId"]


def test_restore(emulator, api_key):
    agent_id = emulator.eliza_running_agent(api_key)
    for _ in range(2):
        emulator.wait_job(api_key, post(emulator, api_key, agent_id, "snapshot").json()["data"]
                          ["jobId"])
    latest = emulator.request("GET", f"{A}/{agent_id}/backups",
                              key=api_key).json()["data"][0]
    empty = emulator.request("POST", f"{A}/{agent_id}/restore", key=api_key)  # no body at all
    assert empty.status == 200
    assert empty.json()["data"]["restoredFromBackupId"] == latest["id"]
    assert post(emulator, api_key, agent_id, "restore", {}).status == 200
    bad = post(emulator, api_key, agent_id, "restore", "{oops")
    assert bad.status == 400
    assert bad.json() == {"success": False, "error": "Invalid JSON body",
                          "code": "validation_error"}
    bad_id = post(emulator, api_key, agent_id, "restore", {"backupId": "x"})
    assert bad_id.status == 400 and bad_id.json()["error"] == "Invalid request"
    other = emulator.eliza_running_agent(api_key, forceCreate=True)
    foreign = post(emulator, api_key, other, "restore", {"backupId": latest["id"]})
    assert foreign.status == 404
    assert foreign.json() == {"success": False, "error": "No backup found"}
    assert post(emulator, api_key, other, "restore").status == 404  # no backups
    shared = shared_agent(emulator, api_key)
    assert post(emulator, api_key, shared, "restore").status == 409
    assert post(emulator, api_key, str(uuid.uuid4()), "restore").status == 404
