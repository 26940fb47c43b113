"""Emulator, eliza generation: CLI login (E§1.3–1.5) — UUID-checked polls, /complete without the
key in its answer (browser session or API key), and DELETE to revoke the handed-out key."""

import time
import uuid

import pytest

pytestmark = pytest.mark.emulator_args("--generation", "eliza")

S = "/api/auth/cli-session"
ROUTER_404 = {"success": False, "error": "Not found", "code": "resource_not_found"}
COOKIE = {"Cookie": "steward-token=browser-session"}


def new_session(emu):
    resp = emu.request("POST", S)
    assert resp.status == 201
    return resp.json()["sessionId"]


def logged_in(emu):
    """A session approved and polled: (session id, the key it handed out)."""
    sid = new_session(emu)
    emu.approve(sid)
    body = emu.request("GET", f"{S}/{sid}").json()
    assert body["status"] == "authenticated"
    return sid, body["apiKey"]


def revoke(emu, sid, key=None, headers=None):
    hdrs = dict(headers or {})
    if key is not None:
        hdrs["Authorization"] = f"Bearer {key}"
    return emu.request("DELETE", f"{S}/{sid}", headers=hdrs)


def test_poll_checks_the_id_format(emulator):
    resp = emulator.request("GET", f"{S}/not-a-uuid")
    assert resp.status == 400 and resp.json() == {"error": "Invalid session ID format"}
    unknown = emulator.request("GET", f"{S}/{uuid.uuid4()}")
    assert unknown.status == 404
    assert unknown.json() == {"error": "Session not found or expired"}


def test_revoke_the_handed_out_key(emulator):
    sid, key = logged_in(emulator)
    assert emulator.request("GET", "/api/v1/user", key=key).status == 200
    resp = revoke(emulator, sid, key)
    assert resp.status == 204 and resp.body == b""
    # The key authenticates nothing any more (either header).
    assert emulator.request("GET", "/api/v1/user", key=key).status == 401
    bearer = emulator.request("GET", "/api/v1/user", headers={"Authorization": f"Bearer {key}"})
    assert bearer.status == 401
    assert key[:12] not in [k["keyPrefix"] for k in emulator.state()["apiKeys"]]
    # A retry after a lost answer re-confirms.
    assert revoke(emulator, sid, key).status == 204
    # The session now tells why there is no key.
    poll = emulator.request("GET", f"{S}/{sid}")
    assert poll.status == 410 and poll.json() == {"error": "API key unavailable: revoked"}
    listed = {s["sessionId"]: s for s in emulator.control("GET", "sessions")["sessions"]}
    assert listed[sid]["keyRevoked"] is True and listed[sid]["keyCollected"] is True


def test_revoke_errors(emulator, api_key):
    sid, key = logged_in(emulator)
    bad_id = revoke(emulator, "not-a-uuid", key)
    assert bad_id.status == 400 and bad_id.json() == {"error": "Invalid session ID format"}
    for headers in ({}, {"X-API-Key": key}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer "}):
        resp = revoke(emulator, sid, headers=headers)
        assert resp.status == 401, headers
        assert resp.json() == {"error": "Credential required"}
    for other in (api_key, "eliza_" + "0" * 64, "some-jwt"):
        resp = revoke(emulator, sid, other)
        assert resp.status == 403
        assert resp.json() == {"error": "Credential does not match session"}
    # A key from another (newer) login does not match this session either.
    _, newer = logged_in(emulator)
    assert revoke(emulator, sid, newer).status == 403
    unknown = revoke(emulator, str(uuid.uuid4()), key)
    assert unknown.status == 404 and unknown.json() == ROUTER_404
    assert emulator.request("GET", "/api/v1/user", key=key).status == 200  # still valid
    listed = {s["sessionId"]: s for s in emulator.control("GET", "sessions")["sessions"]}
    assert listed[sid]["keyRevoked"] is False


def test_revoke_before_the_key_was_handed_out(emulator):
    sid = new_session(emulator)
    assert revoke(emulator, sid, "eliza_" + "1" * 64).status == 403
    emulator.approve(sid)  # approved, not yet polled: no key was handed out
    assert revoke(emulator, sid, "eliza_" + "1" * 64).status == 403
    key = emulator.request("GET", f"{S}/{sid}").json()["apiKey"]
    assert revoke(emulator, sid, key).status == 204


def test_revoke_works_on_an_expired_session(emulator):
    emulator.config(sessionTtlMs=300)
    sid, key = logged_in(emulator)
    time.sleep(0.4)
    assert emulator.request("GET", f"{S}/{sid}").status == 404  # expired
    assert revoke(emulator, sid, key).status == 204
    assert emulator.request("GET", "/api/v1/user", key=key).status == 401


def test_complete_does_not_return_the_key(emulator):
    sid = new_session(emulator)
    resp = emulator.request("POST", f"{S}/{sid}/complete", headers=COOKIE)
    assert resp.status == 200
    body = resp.json()
    assert body == {"success": True, "keyPrefix": body["keyPrefix"], "expiresAt": None,
                    "alreadyAuthenticated": False}
    # The same user completing again: idempotent, no new key.
    again = emulator.request("POST", f"{S}/{sid}/complete", headers=COOKIE)
    assert again.status == 200
    assert again.json() == {**body, "alreadyAuthenticated": True}
    key = emulator.request("GET", f"{S}/{sid}").json()["apiKey"]
    assert key.startswith(body["keyPrefix"])
    missing = emulator.request("POST", f"{S}/{uuid.uuid4()}/complete", headers=COOKIE)
    assert missing.status == 400
    assert missing.json() == {"success": False, "error": "Invalid or expired session",
                              "code": "validation_error"}
    no_auth = emulator.request("POST", f"{S}/{sid}/complete")
    assert no_auth.status == 401 and no_auth.json()["code"] == "authentication_required"


def test_complete_with_an_api_key(emulator, api_key):
    org = str(uuid.uuid4())
    other = emulator.create_key(organization_id=org)["apiKey"]
    sid = new_session(emulator)
    resp = emulator.request("POST", f"{S}/{sid}/complete", key=other)
    assert resp.status == 200 and "apiKey" not in resp.json()
    assert resp.json()["alreadyAuthenticated"] is False
    key = emulator.request("GET", f"{S}/{sid}").json()["apiKey"]
    user = emulator.request("GET", "/api/v1/user", key=key).json()["data"]
    assert user["organization"]["id"] == org  # minted for the completing key's user
    # Another user cannot complete it again.
    taken = emulator.request("POST", f"{S}/{sid}/complete",
                             headers={"Authorization": f"Bearer {api_key}"})
    assert taken.status == 400 and taken.json()["code"] == "validation_error"
    bad = emulator.request("POST", f"{S}/{new_session(emulator)}/complete",
                           key="eliza_" + "2" * 64)
    assert bad.status == 401


def test_milady_has_no_revoke(emulator_factory):
    emu = emulator_factory([])
    sid = str(uuid.uuid4())
    emu.request("POST", S, {"sessionId": sid})
    emu.approve(sid)
    key = emu.request("GET", f"{S}/{sid}").json()["apiKey"]
    resp = emu.request("DELETE", f"{S}/{sid}", headers={"Authorization": f"Bearer {key}"})
    assert resp.status == 405 and resp.header("Allow") == "GET"
    assert emu.request("GET", "/api/v1/user", key=key).status == 200
    assert "keyRevoked" not in emu.control("GET", "sessions")["sessions"][0]
    # Milady's /complete still hands the key out (cookie only).
    sid2 = str(uuid.uuid4())
    emu.request("POST", S, {"sessionId": sid2})
    done = emu.request("POST", f"{S}/{sid2}/complete", headers=COOKIE)
    assert done.status == 200 and done.json()["apiKey"].startswith("eliza_")
