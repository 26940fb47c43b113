"""Emulator: Milady agents (C§2), provisioning jobs, credit gate, lifecycle, backups, credits."""

import re
import time
import uuid

import pytest

from emulator import ControlError

BASE = "/api/v1/milady/agents"
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
LIST_KEYS = {"id", "agentName", "status", "databaseStatus", "lastBackupAt", "lastHeartbeatAt",
             "errorMessage", "createdAt", "updatedAt", "token_address", "token_chain",
             "token_name", "token_ticker"}
GATE_ERROR = ("Insufficient credits. A minimum balance of $5.00 is required to create or run "
              "Milady agents. Please add at least $%s to your account at /dashboard/billing.")


def provision(emu, key, agent_id, query=""):
    return emu.request("POST", f"{BASE}/{agent_id}/provision{query}", key=key)


# ---------------------------------------------------------------- create / list / get

def test_create_shape(emulator, api_key):
    resp = emulator.request("POST", BASE, {"agentName": "alpha"}, key=api_key)
    assert resp.status == 201
    body = resp.json()
    assert body["success"] is True
    assert set(body["data"]) == {"id", "agentName", "status", "createdAt"}
    assert body["data"]["status"] == "pending" and body["data"]["agentName"] == "alpha"
    assert UUID_RE.match(body["data"]["id"]) and ISO_RE.match(body["data"]["createdAt"])


def test_list_newest_first_and_shapes(emulator, api_key):
    ids = [emulator.create_agent(api_key, f"a{i}")["id"] for i in range(3)]
    resp = emulator.request("GET", BASE, key=api_key)
    assert resp.status == 200
    data = resp.json()["data"]
    assert [a["id"] for a in data] == list(reversed(ids))
    for item in data:
        assert set(item) == LIST_KEYS
        assert item["status"] == "pending" and item["databaseStatus"] == "none"
        assert item["lastBackupAt"] is None and item["token_address"] is None


def test_list_empty(emulator, api_key):
    assert emulator.request("GET", BASE, key=api_key).json() == {"success": True, "data": []}


def test_alias_prefix(emulator, api_key):
    agent = emulator.create_agent(api_key)
    resp = emulator.request("GET", f"/api/v1/milaidy/agents/{agent['id']}", key=api_key)
    assert resp.status == 200 and resp.json()["data"]["id"] == agent["id"]
    state = emulator.state()["requests"]
    assert state["GET /api/v1/milaidy/agents/{id}"] == 1
    assert state["POST /api/v1/milady/agents"] == 1


def test_detail_shape_and_404(emulator, api_key):
    agent = emulator.create_agent(api_key, "d", agentConfig={
        "tokenContractAddress": "0xabc", "chain": "base", "tokenName": "T", "tokenTicker": "TT",
        "__miladyInternal": True, "__MILADY_flag": 1})
    data = emulator.request("GET", f"{BASE}/{agent['id']}", key=api_key).json()["data"]
    assert set(data) == LIST_KEYS | {"bridgeUrl", "errorCount", "walletAddress", "walletProvider",
                                     "walletStatus"}
    assert data["bridgeUrl"] is None and data["errorCount"] == 0
    assert data["walletStatus"] == "none" and data["walletAddress"] is None
    assert (data["token_address"], data["token_chain"], data["token_name"],
            data["token_ticker"]) == ("0xabc", "base", "T", "TT")
    missing = emulator.request("GET", f"{BASE}/{uuid.uuid4()}", key=api_key)
    assert missing.status == 404
    assert missing.json() == {"success": False, "error": "Agent not found"}


def test_agents_are_scoped_by_organization(emulator, api_key):
    agent = emulator.create_agent(api_key)
    other = emulator.create_key(organization_id="another-org")["apiKey"]
    assert emulator.request("GET", BASE, key=other).json()["data"] == []
    assert emulator.request("GET", f"{BASE}/{agent['id']}", key=other).status == 404
    rpc = emulator.request("POST", f"{BASE}/{agent['id']}/bridge",
                           {"jsonrpc": "2.0", "id": 1, "method": "status.get"}, key=other)
    assert rpc.json()["error"]["code"] == -32000


@pytest.mark.parametrize("body,path", [
    ({}, ["agentName"]),
    ({"agentName": ""}, ["agentName"]),
    ({"agentName": "x" * 101}, ["agentName"]),
    ({"agentName": 7}, ["agentName"]),
    ({"agentName": "ok", "characterId": "not-a-uuid"}, ["characterId"]),
    ({"agentName": "ok", "agentConfig": [1]}, ["agentConfig"]),
    ({"agentName": "ok", "environmentVars": {"A": 1}}, ["environmentVars", "A"]),
    ([], []),
])
def test_create_validation(emulator, api_key, body, path):
    resp = emulator.request("POST", BASE, body, key=api_key)
    assert resp.status == 400
    out = resp.json()
    assert out["success"] is False and out["error"] == "Invalid request data"
    assert out["details"][0]["path"] == path
    assert "message" in out["details"][0] and "code" in out["details"][0]


@pytest.mark.parametrize("raw", ["{bad", ""])
def test_create_malformed_json_is_500(emulator, api_key, raw):
    resp = emulator.request("POST", BASE, raw, key=api_key,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 500
    assert resp.json() == {"success": False, "error": "An unexpected error occurred"}


def test_create_with_character_id_is_404(emulator, api_key):
    resp = emulator.request("POST", BASE, {"agentName": "x", "characterId": str(uuid.uuid4())},
                            key=api_key)
    assert resp.status == 404 and resp.json() == {"success": False, "error": "Character not found"}


# ---------------------------------------------------------------- credit gate

def test_credit_gate_on_create(emulator, api_key):
    emulator.set_credits(4.5)
    resp = emulator.request("POST", BASE, {"agentName": "x"}, key=api_key)
    assert resp.status == 402
    assert resp.json() == {"success": False, "error": GATE_ERROR % "0.50",
                           "requiredBalance": 5, "currentBalance": 4.5}
    emulator.set_credits(5)
    assert emulator.request("POST", BASE, {"agentName": "x"}, key=api_key).status == 201


def test_credit_gate_on_provision_and_resume_not_fast_path(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    emulator.set_credits(0)
    for action in ("provision", "resume"):
        resp = emulator.request("POST", f"{BASE}/{agent}/{action}", key=api_key)
        assert resp.status == 402
        body = resp.json()
        assert body["error"] == GATE_ERROR % "5.00"
        assert body["requiredBalance"] == 5 and body["currentBalance"] == 0
    emulator.set_credits(25)
    job = provision(emulator, api_key, agent).json()["data"]["jobId"]
    emulator.wait_job(api_key, job)
    emulator.set_credits(1)
    # Already running: the fast path has no credit check.
    assert provision(emulator, api_key, agent).status == 200
    assert emulator.request("POST", f"{BASE}/{agent}/resume", key=api_key).status == 200


# ---------------------------------------------------------------- provisioning jobs

@pytest.mark.emulator_args("--provision-ms", "600", "--job-poll-interval-ms", "123")
def test_provision_job_progression(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    resp = provision(emulator, api_key, agent)
    assert resp.status == 202
    body = resp.json()
    job_id = body["data"]["jobId"]
    assert body["success"] is True and body["created"] is True
    assert body["alreadyInProgress"] is False
    assert body["message"] == "Provisioning job created. Poll the job endpoint for status."
    assert body["data"]["agentId"] == agent and body["data"]["status"] == "pending"
    assert ISO_RE.match(body["data"]["estimatedCompletionAt"])
    assert body["polling"] == {"endpoint": f"/api/v1/jobs/{job_id}", "intervalMs": 123,
                               "expectedDurationMs": 600}
    # Right after the 202 the agent keeps its old status.
    assert emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]["status"] == \
        "pending"
    # A second provision while the job is active: 409 with success:true.
    again = provision(emulator, api_key, agent)
    assert again.status == 409
    ab = again.json()
    assert ab["success"] is True and ab["created"] is False and ab["alreadyInProgress"] is True
    assert ab["message"] == ("Provisioning is already in progress. Poll the existing job for "
                             "status.")
    assert ab["data"]["jobId"] == job_id
    seen = []
    agent_statuses = set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        job = emulator.request("GET", f"/api/v1/jobs/{job_id}", key=api_key).json()
        status = job["data"]["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        agent_statuses.add(emulator.request("GET", f"{BASE}/{agent}",
                                            key=api_key).json()["data"]["status"])
        if status in ("completed", "failed"):
            break
        assert job["polling"] == {"intervalMs": 123, "shouldContinue": True}
        time.sleep(0.03)
    assert seen == ["pending", "in_progress", "completed"]
    assert "provisioning" in agent_statuses
    data = job["data"]
    assert job["polling"] == {"shouldContinue": False}
    assert data["type"] == "milady_provision" and data["attempts"] == 1
    assert data["maxAttempts"] == 3 and data["error"] is None
    assert data["result"]["cloudAgentId"] == agent and data["result"]["status"] == "running"
    assert data["result"]["bridgeUrl"] and data["result"]["healthUrl"]
    for k in ("startedAt", "completedAt", "createdAt", "updatedAt", "scheduledFor",
              "estimatedCompletionAt"):
        assert ISO_RE.match(data[k]), k
    detail = emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]
    assert detail["status"] == "running" and detail["bridgeUrl"]
    assert detail["databaseStatus"] == "ready" and detail["lastHeartbeatAt"]
    # Fast path once running.
    fast = provision(emulator, api_key, agent)
    assert fast.status == 200
    assert fast.json() == {"success": True, "data": {
        "id": agent, "agentName": "agent", "status": "running",
        "bridgeUrl": detail["bridgeUrl"], "healthUrl": data["result"]["healthUrl"]}}


def test_job_not_found_and_other_org(emulator, api_key):
    resp = emulator.request("GET", f"/api/v1/jobs/{uuid.uuid4()}", key=api_key)
    assert resp.status == 404 and resp.json() == {"success": False, "error": "Job not found"}
    agent = emulator.create_agent(api_key)["id"]
    job = provision(emulator, api_key, agent).json()["data"]["jobId"]
    other = emulator.create_key(organization_id="org-x")["apiKey"]
    assert emulator.request("GET", f"/api/v1/jobs/{job}", key=other).status == 404
    assert emulator.request("GET", f"/api/v1/jobs/{job}").status == 401


def test_provision_failure_via_control(emulator, api_key):
    emulator.provision_failures(count=1, message="disk full")
    agent = emulator.create_agent(api_key)["id"]
    job = emulator.wait_job(api_key, provision(emulator, api_key, agent).json()["data"]["jobId"])
    assert job["status"] == "failed" and job["error"] == "disk full" and job["attempts"] == 3
    assert job["result"] == {"cloudAgentId": agent, "status": "error", "error": "disk full"}
    detail = emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]
    assert detail["status"] == "error"
    assert detail["errorMessage"] == "Provisioning permanently failed after 3 attempts: disk full"
    assert detail["errorCount"] == 3
    # The next provision succeeds (count was 1).
    job2 = emulator.wait_job(api_key, provision(emulator, api_key, agent).json()["data"]["jobId"])
    assert job2["status"] == "completed"


@pytest.mark.emulator_args("--fail-provision")
def test_fail_provision_flag(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    job = emulator.wait_job(api_key, provision(emulator, api_key, agent).json()["data"]["jobId"])
    assert job["status"] == "failed"
    sync = provision(emulator, api_key, agent, "?sync=true")
    assert sync.status == 500 and sync.json() == {"success": False, "error": "Provisioning failed"}


@pytest.mark.emulator_args("--provision-ms", "300")
def test_provision_sync(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    t0 = time.monotonic()
    resp = provision(emulator, api_key, agent, "?sync=true")
    assert time.monotonic() - t0 >= 0.25
    assert resp.status == 200
    data = resp.json()["data"]
    assert data["status"] == "running" and data["id"] == agent and data["bridgeUrl"]
    assert emulator.agent_state(agent)["activeJobId"] is None


def test_resume_shapes(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    resp = emulator.request("POST", f"{BASE}/{agent}/resume", key=api_key)
    assert resp.status == 202
    body = resp.json()
    assert body["created"] is True and body["alreadyInProgress"] is False
    assert body["data"]["action"] == "resume" and body["data"]["agentId"] == agent
    assert body["data"]["message"] == "Resume job created. Agent will restore from latest snapshot."
    assert body["polling"]["endpoint"] == f"/api/v1/jobs/{body['data']['jobId']}"
    again = emulator.request("POST", f"{BASE}/{agent}/resume", key=api_key)
    assert again.status == 409 and again.json()["success"] is True
    assert again.json()["data"]["message"] == "Resume is already in progress."
    emulator.wait_job(api_key, body["data"]["jobId"])
    running = emulator.request("POST", f"{BASE}/{agent}/resume", key=api_key)
    assert running.status == 200
    assert running.json() == {"success": True, "data": {
        "agentId": agent, "action": "resume", "message": "Agent is already running",
        "status": "running"}}


def test_resume_sync(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    resp = emulator.request("POST", f"{BASE}/{agent}/resume?sync=true", key=api_key)
    assert resp.status == 200
    data = resp.json()["data"]
    assert data["message"] == "Agent resumed from latest snapshot" and data["status"] == "running"


def test_provision_unknown_agent(emulator, api_key):
    for action in ("provision", "resume", "suspend"):
        resp = emulator.request("POST", f"{BASE}/{uuid.uuid4()}/{action}", key=api_key)
        assert resp.status == 404 and resp.json()["error"] == "Agent not found"


# ---------------------------------------------------------------- lifecycle

def test_suspend_and_patch(emulator, api_key):
    agent = emulator.running_agent(api_key)
    resp = emulator.request("POST", f"{BASE}/{agent}/suspend", key=api_key)
    assert resp.status == 200
    assert resp.json() == {"success": True, "data": {
        "agentId": agent, "action": "suspend",
        "message": "Agent suspended with snapshot. Use resume or provision to restart.",
        "previousStatus": "running"}}
    backups = emulator.request("GET", f"{BASE}/{agent}/backups", key=api_key).json()["data"]
    assert [b["snapshotType"] for b in backups] == ["pre-shutdown"]
    again = emulator.request("POST", f"{BASE}/{agent}/suspend", key=api_key).json()
    assert again["data"]["message"] == "Agent is already suspended"
    assert again["data"]["previousStatus"] == "stopped"
    patch = emulator.request("PATCH", f"{BASE}/{agent}", {"action": "shutdown"}, key=api_key)
    assert patch.json()["data"] == {"agentId": agent, "action": "shutdown",
                                    "message": "Agent is already stopped",
                                    "previousStatus": "stopped"}
    patch = emulator.request("PATCH", f"{BASE}/{agent}", {"action": "suspend"}, key=api_key)
    assert patch.json()["data"]["message"] == "Agent is already suspended"
    detail = emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]
    assert detail["status"] == "stopped" and detail["bridgeUrl"] is None


def test_patch_shutdown_running(emulator, api_key):
    agent = emulator.running_agent(api_key)
    resp = emulator.request("PATCH", f"{BASE}/{agent}", {"action": "shutdown"}, key=api_key)
    assert resp.status == 200
    assert resp.json()["data"] == {"agentId": agent, "action": "shutdown",
                                   "message": "Agent shutdown complete",
                                   "previousStatus": "running"}


@pytest.mark.parametrize("body", [{}, {"action": "restart"}, {"agentName": "new"}, "{oops"])
def test_patch_invalid(emulator, api_key, body):
    agent = emulator.create_agent(api_key)["id"]
    resp = emulator.request("PATCH", f"{BASE}/{agent}", body, key=api_key,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 400
    out = resp.json()
    assert out["success"] is False and out["error"] == "Invalid request data" and out["details"]


def test_lifecycle_conflicts_while_provisioning(emulator, api_key):
    emulator.config(provisionMs=1500)
    agent = emulator.create_agent(api_key)["id"]
    job = provision(emulator, api_key, agent).json()["data"]["jobId"]
    delete = emulator.request("DELETE", f"{BASE}/{agent}", key=api_key)
    assert delete.status == 409
    assert delete.json() == {"success": False, "error": "Agent provisioning is in progress"}
    time.sleep(0.6)  # job in_progress (after 500 ms) -> agent provisioning
    assert emulator.agent_state(agent)["status"] == "provisioning"
    for method, path, body in (("POST", "suspend", None), ("PATCH", "", {"action": "suspend"})):
        url = f"{BASE}/{agent}" + (f"/{path}" if path else "")
        resp = emulator.request(method, url, body, key=api_key)
        assert resp.status == 409 and resp.json()["error"] == "Agent provisioning is in progress"
    assert emulator.wait_job(api_key, job)["status"] == "completed"


def test_delete(emulator, api_key):
    agent = emulator.running_agent(api_key)
    resp = emulator.request("DELETE", f"{BASE}/{agent}", key=api_key)
    assert resp.status == 200 and resp.json() == {"success": True}
    assert emulator.request("GET", f"{BASE}/{agent}", key=api_key).status == 404
    assert emulator.request("DELETE", f"{BASE}/{agent}", key=api_key).status == 404


# ---------------------------------------------------------------- snapshots, backups, restore

def test_snapshot_requires_running(emulator, api_key):
    agent = emulator.create_agent(api_key)["id"]
    for target in (agent, str(uuid.uuid4())):
        resp = emulator.request("POST", f"{BASE}/{target}/snapshot", key=api_key)
        assert resp.status == 409
        assert resp.json() == {"success": False, "error": "Sandbox is not running"}


def test_snapshots_max_ten_newest_first(emulator, api_key):
    agent = emulator.running_agent(api_key)
    ids = []
    for _ in range(12):
        resp = emulator.request("POST", f"{BASE}/{agent}/snapshot",
                                {"snapshotType": "auto", "metadata": {}}, key=api_key)
        assert resp.status == 200
        data = resp.json()["data"]
        assert set(data) == {"backupId", "snapshotType", "sizeBytes", "createdAt"}
        assert data["snapshotType"] == "manual" and isinstance(data["sizeBytes"], int)
        ids.append(data["backupId"])
        time.sleep(0.002)
    listed = emulator.request("GET", f"{BASE}/{agent}/backups", key=api_key).json()["data"]
    assert [b["id"] for b in listed] == list(reversed(ids))[:10]
    assert set(listed[0]) == {"id", "snapshotType", "sizeBytes", "vercelSnapshotId", "createdAt"}
    assert listed[0]["vercelSnapshotId"] is None
    st = emulator.agent_state(agent)
    assert st["snapshots"] == 12 and st["backups"] == 10
    detail = emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]
    assert detail["lastBackupAt"] == listed[0]["createdAt"]


def test_backups_unknown_agent_is_empty(emulator, api_key):
    resp = emulator.request("GET", f"{BASE}/{uuid.uuid4()}/backups", key=api_key)
    assert resp.status == 200 and resp.json() == {"success": True, "data": []}


@pytest.mark.parametrize("raw", ["", "{nope"])
def test_restore_requires_body(emulator, api_key, raw):
    agent = emulator.running_agent(api_key)
    resp = emulator.request("POST", f"{BASE}/{agent}/restore", raw, key=api_key,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 500
    assert resp.json() == {"success": False, "error": "An unexpected error occurred"}


def test_restore_running(emulator, api_key):
    agent = emulator.running_agent(api_key)
    none = emulator.request("POST", f"{BASE}/{agent}/restore", {}, key=api_key)
    assert none.status == 404 and none.json() == {"success": False, "error": "No backup found"}
    first = emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).json()["data"]
    second = emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).json()["data"]
    latest = emulator.request("POST", f"{BASE}/{agent}/restore", {}, key=api_key)
    assert latest.status == 200
    assert latest.json() == {"success": True, "data": {
        "restoredFromBackupId": second["backupId"], "snapshotType": "manual",
        "createdAt": second["createdAt"]}}
    older = emulator.request("POST", f"{BASE}/{agent}/restore", {"backupId": first["backupId"]},
                             key=api_key)
    assert older.status == 200
    assert older.json()["data"]["restoredFromBackupId"] == first["backupId"]
    bad = emulator.request("POST", f"{BASE}/{agent}/restore", {"backupId": "x"}, key=api_key)
    assert bad.status == 400 and bad.json()["error"] == "Invalid request"
    assert bad.json()["details"][0]["path"] == ["backupId"]
    unknown = emulator.request("POST", f"{BASE}/{agent}/restore", {"backupId": str(uuid.uuid4())},
                               key=api_key)
    assert unknown.status == 404 and unknown.json()["error"] == "No backup found"


def test_restore_stopped_agent_provisions_synchronously(emulator, api_key):
    agent = emulator.running_agent(api_key)
    first = emulator.request("POST", f"{BASE}/{agent}/snapshot", key=api_key).json()["data"]
    emulator.request("POST", f"{BASE}/{agent}/suspend", key=api_key)  # adds a pre-shutdown backup
    latest = emulator.request("GET", f"{BASE}/{agent}/backups", key=api_key).json()["data"][0]
    assert latest["snapshotType"] == "pre-shutdown"
    not_latest = emulator.request("POST", f"{BASE}/{agent}/restore",
                                  {"backupId": first["backupId"]}, key=api_key)
    assert not_latest.status == 409
    assert not_latest.json() == {"success": False,
                                 "error": "Stopped agents can only restore the latest backup"}
    emulator.set_credits(0)  # no credit gate on restore
    resp = emulator.request("POST", f"{BASE}/{agent}/restore", {}, key=api_key)
    assert resp.status == 200
    assert resp.json()["data"]["restoredFromBackupId"] == latest["id"]
    assert resp.json()["data"]["snapshotType"] == "pre-shutdown"
    assert emulator.agent_state(agent)["status"] == "running"


def test_restore_backup_of_other_agent(emulator, api_key):
    a = emulator.running_agent(api_key, "a")
    b = emulator.running_agent(api_key, "b")
    backup = emulator.request("POST", f"{BASE}/{a}/snapshot", key=api_key).json()["data"]
    resp = emulator.request("POST", f"{BASE}/{b}/restore", {"backupId": backup["backupId"]},
                            key=api_key)
    assert resp.status == 500
    assert resp.json() == {"success": False, "error": "Backup does not belong to this agent"}
    missing = emulator.request("POST", f"{BASE}/{uuid.uuid4()}/restore", {}, key=api_key)
    assert missing.status == 404 and missing.json()["error"] == "Agent not found"


# ---------------------------------------------------------------- credits

def test_credit_balance(emulator, api_key):
    resp = emulator.request("GET", "/api/v1/credits/balance", key=api_key)
    assert resp.status == 200 and resp.json() == {"balance": 25}
    assert "no-store" in resp.header("cache-control")
    emulator.set_credits(12.5)
    for path in ("/api/v1/credits/balance?fresh=true", "/api/credits/balance"):
        assert emulator.request("GET", path, key=api_key).json() == {"balance": 12.5}
    user = emulator.request("GET", "/api/v1/user", key=api_key).json()["data"]
    assert user["organization"]["credit_balance"] == "12.500000"
    assert emulator.request("GET", "/api/v1/credits/balance").status == 401


@pytest.mark.emulator_args("--credits", "3.25")
def test_initial_credits_flag(emulator, api_key):
    assert emulator.request("GET", "/api/v1/credits/balance", key=api_key).json() == \
        {"balance": 3.25}
    assert emulator.control("GET", "credits") == {
        "organizationId": "00000000-0000-4000-8000-0000000000a1", "balance": 3.25}


def test_credit_summary(emulator, api_key):
    emulator.set_credits(30)
    resp = emulator.request("GET", "/api/v1/credits/summary", key=api_key)
    assert resp.status == 200
    body = resp.json()
    assert body["success"] is True and "data" not in body
    assert body["organization"]["creditBalance"] == 30
    assert body["organization"]["id"] == "00000000-0000-4000-8000-0000000000a1"
    for k in ("agents", "agentsSummary", "apps", "earnings", "recentTransactions", "pricing"):
        assert k in body
    assert body["pricing"] == {"creditsPerDollar": 100, "minimumTopUp": 5, "x402Enabled": False}
    assert body["recentTransactions"][0]["amount"] == 5  # 25 -> 30


def test_credit_summary_bad_key_is_non_json_500(emulator):
    resp = emulator.request("GET", "/api/v1/credits/summary", key="eliza_" + "9" * 64)
    assert resp.status == 500 and not resp.header("content-type").startswith("application/json")
    assert emulator.request("GET", "/api/v1/credits/summary").status == 401


def test_set_credits_unknown_org(emulator):
    with pytest.raises(ControlError) as exc:
        emulator.set_credits(1, organization_id="nope")
    assert exc.value.status == 404


def test_force_status(emulator, api_key):
    agent = emulator.running_agent(api_key)
    entry = emulator.set_agent_status(agent, "disconnected", "container died")
    assert entry["status"] == "disconnected"
    detail = emulator.request("GET", f"{BASE}/{agent}", key=api_key).json()["data"]
    assert detail["status"] == "disconnected" and detail["errorMessage"] == "container died"
    with pytest.raises(ControlError):
        emulator.set_agent_status(agent, "bogus")
    with pytest.raises(ControlError):
        emulator.set_agent_status(str(uuid.uuid4()), "running")
    emulator.set_agent_status(agent, "running")
    assert provision(emulator, api_key, agent).status == 200
