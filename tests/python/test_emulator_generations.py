"""Emulator: the two contract generations (--generation milady|eliza), as a client tells them
apart (cloud-contract-eliza.md, "How a client can tell the two generations apart")."""

import uuid

import pytest

ELIZA = "/api/v1/eliza/agents"
MILADY = "/api/v1/milady/agents"
ROUTER_404 = {"success": False, "error": "Not found", "code": "resource_not_found"}


def test_milady_health_has_no_eliza_markers(emulator):
    resp = emulator.request("GET", "/api/health")
    assert resp.status == 200
    body = resp.json()
    assert body["status"] == "ok"
    assert "environment" not in body and "schemaCompatibility" not in body


def test_milady_agent_routes_are_absent_under_the_eliza_prefix(emulator, api_key):
    assert emulator.request("GET", MILADY, key=api_key).status == 200
    resp = emulator.request("GET", ELIZA, key=api_key)
    # The milady cloud is a Next.js site: an unknown route is its HTML 404 page, not JSON.
    assert resp.status == 404 and resp.header("Content-Type").startswith("text/html")
    assert "could not be found" in resp.text


@pytest.mark.emulator_args("--generation", "eliza", "--provision-ms", "30",
                           "--job-poll-interval-ms", "10")
def test_eliza_health_markers_and_agent_prefix(emulator, api_key):
    health = emulator.request("GET", "/api/health")
    assert health.status == 200
    assert health.header("Cache-Control") == "no-store"
    body = health.json()
    assert body["environment"] and body["schemaCompatibility"] == {"usageQuotasTombstone": True}

    # Agent routes live under /api/v1/eliza; the milady files are gone (the router's 404).
    assert emulator.request("GET", MILADY, key=api_key).json() == ROUTER_404
    created = emulator.request("POST", ELIZA, {"agentName": "e"}, key=api_key)
    assert created.status == 201
    agent_id = created.json()["data"]["id"]
    listed = emulator.request("GET", ELIZA, key=api_key).json()["data"]
    assert [a["id"] for a in listed] == [agent_id]
    # A dedicated (lazy) agent: provisioning asks for the price consent header first (428).
    price = {"X-Eliza-Dedicated-Price": "dedicated-compute-v1:USD:0.150000:0.300000"}
    assert emulator.request("POST", f"{ELIZA}/{agent_id}/provision", key=api_key).status == 428
    started = emulator.request("POST", f"{ELIZA}/{agent_id}/provision", key=api_key,
                               headers=price)
    assert started.status == 202
    job = emulator.wait_job(api_key, started.json()["data"]["jobId"])
    assert job["type"] == "agent_provision" and job["status"] == "completed"
    assert emulator.request("GET", f"{ELIZA}/{agent_id}", key=api_key).json()["data"]["status"] \
        == "running"


@pytest.mark.emulator_args("--generation", "eliza")
def test_eliza_mints_login_session_ids(emulator):
    proposed = str(uuid.uuid4())
    resp = emulator.request("POST", "/api/auth/cli-session", {"sessionId": proposed})
    assert resp.status in (200, 201)
    minted = resp.json()["sessionId"]
    assert minted != proposed
    assert emulator.request("GET", "/api/auth/cli-session/not-a-uuid").status == 400
