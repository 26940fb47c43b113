"""Emulator: CLI login (C§1), API-key authentication (C§7.1/7.2), identity (C§4), CORS."""

import re
import threading
import time
import urllib.parse
import uuid

import pytest

KEY_RE = re.compile(r"^eliza_[0-9a-f]{64}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def create_session(emu, sid=None):
    sid = sid or str(uuid.uuid4())
    resp = emu.request("POST", "/api/auth/cli-session", {"sessionId": sid})
    assert resp.status == 201, resp.text
    return sid, resp.json()


def poll(emu, sid):
    return emu.request("GET", f"/api/auth/cli-session/{sid}")


# ---------------------------------------------------------------- session create

def test_create_session_shape(emulator):
    sid, body = create_session(emulator)
    assert set(body) == {"sessionId", "status", "expiresAt"}
    assert body["sessionId"] == sid and body["status"] == "pending"
    assert ISO_RE.match(body["expiresAt"])


@pytest.mark.parametrize("body", [{}, {"sessionId": ""}, {"sessionId": 5}, {"other": "x"}])
def test_create_session_requires_id(emulator, body):
    resp = emulator.request("POST", "/api/auth/cli-session", body)
    assert resp.status == 400
    assert resp.json() == {"error": "Session ID is required"}


@pytest.mark.parametrize("raw", ["{not json", "", "[1,2"])
def test_create_session_invalid_json_is_500(emulator, raw):
    resp = emulator.request("POST", "/api/auth/cli-session", raw,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 500
    assert resp.json() == {"error": "Failed to create authentication session"}


def test_create_session_duplicate_is_500(emulator):
    sid, _ = create_session(emulator)
    resp = emulator.request("POST", "/api/auth/cli-session", {"sessionId": sid})
    assert resp.status == 500
    assert resp.json() == {"error": "Failed to create authentication session"}


# ---------------------------------------------------------------- today's cloud: minted ids

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.mark.emulator_args("--mint-session-ids")
@pytest.mark.parametrize("body", [{"sessionId": "11111111-2222-4333-8444-555555555555"}, {}, ""])
def test_minted_session_id_ignores_the_clients(emulator, body):
    resp = emulator.request("POST", "/api/auth/cli-session", body,
                            headers={"Content-Type": "application/json"})
    assert resp.status == 201, resp.text
    created = resp.json()
    assert set(created) == {"sessionId", "status", "expiresAt"}
    assert UUID_RE.match(created["sessionId"])
    assert created["sessionId"] != "11111111-2222-4333-8444-555555555555"
    listed = [s["sessionId"] for s in emulator.control("GET", "sessions")["sessions"]]
    assert listed == [created["sessionId"]]
    # The minted id is the one that polls and approves.
    assert poll(emulator, created["sessionId"]).json() == {"status": "pending"}
    emulator.approve(created["sessionId"])
    assert KEY_RE.match(poll(emulator, created["sessionId"]).json()["apiKey"])


@pytest.mark.emulator_args("--mint-session-ids")
def test_minting_cloud_refuses_a_malformed_poll_id(emulator):
    resp = poll(emulator, "not-a-uuid")
    assert resp.status == 400
    assert resp.json() == {"error": "Invalid session ID format"}
    # A well-formed but unknown id is still 404.
    resp = poll(emulator, str(uuid.uuid4()))
    assert resp.status == 404
    assert resp.json() == {"error": "Session not found or expired"}


def test_mint_session_ids_via_config(emulator):
    assert emulator.config()["mintSessionIds"] is False
    assert emulator.config(mintSessionIds=True)["mintSessionIds"] is True
    mine = str(uuid.uuid4())
    created = emulator.request("POST", "/api/auth/cli-session", {"sessionId": mine}).json()
    assert created["sessionId"] != mine and UUID_RE.match(created["sessionId"])
    emulator.reset()  # back to the command line's setting: echoing
    assert emulator.config()["mintSessionIds"] is False
    _, body = create_session(emulator, mine)
    assert body["sessionId"] == mine


# ---------------------------------------------------------------- poll

def test_poll_pending_then_key_once_then_retrieved(emulator):
    sid, _ = create_session(emulator)
    resp = poll(emulator, sid)
    assert resp.status == 200 and resp.json() == {"status": "pending"}
    approved = emulator.approve(sid)
    assert approved["status"] == "authenticated" and KEY_RE.match(approved["apiKey"])
    first = poll(emulator, sid).json()
    assert set(first) == {"status", "apiKey", "keyPrefix", "expiresAt"}
    assert first["status"] == "authenticated" and first["expiresAt"] is None
    assert first["apiKey"] == approved["apiKey"]
    assert first["keyPrefix"] == first["apiKey"][:12]
    for _ in range(3):
        again = poll(emulator, sid)
        assert again.status == 200
        assert again.json() == {"status": "authenticated", "message": "API key already retrieved"}
    # The key works.
    user = emulator.request("GET", "/api/v1/user", key=first["apiKey"])
    assert user.status == 200


def test_poll_unknown_is_404(emulator):
    resp = poll(emulator, "does-not-exist")
    assert resp.status == 404
    assert resp.json() == {"error": "Session not found or expired"}


def test_key_is_handed_out_exactly_once_under_concurrency(emulator):
    sid, _ = create_session(emulator)
    emulator.approve(sid)
    results = []
    lock = threading.Lock()

    def worker():
        body = poll(emulator, sid).json()
        with lock:
            results.append(body)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with_key = [r for r in results if "apiKey" in r]
    assert len(with_key) == 1
    assert all(r == {"status": "authenticated", "message": "API key already retrieved"}
               for r in results if "apiKey" not in r)


@pytest.mark.emulator_args("--session-ttl-ms", "300")
def test_session_expires(emulator):
    sid, body = create_session(emulator)
    assert poll(emulator, sid).status == 200
    time.sleep(0.45)
    resp = poll(emulator, sid)
    assert resp.status == 404
    assert resp.json() == {"error": "Session not found or expired"}
    # Expired sessions can be neither approved nor reused.
    with pytest.raises(Exception) as exc:
        emulator.approve(sid)
    assert exc.value.status == 404
    again = emulator.request("POST", "/api/auth/cli-session", {"sessionId": sid})
    assert again.status == 500


@pytest.mark.emulator_args("--session-ttl-ms", "300")
def test_approved_but_uncollected_key_also_expires(emulator):
    sid, _ = create_session(emulator)
    emulator.approve(sid)
    time.sleep(0.45)
    assert poll(emulator, sid).status == 404


@pytest.mark.emulator_args("--auto-approve")
def test_auto_approve_first_poll_returns_key(emulator):
    sid, _ = create_session(emulator)
    first = poll(emulator, sid).json()
    assert first["status"] == "authenticated" and KEY_RE.match(first["apiKey"])
    assert poll(emulator, sid).json()["message"] == "API key already retrieved"


def test_auto_approve_via_config(emulator):
    emulator.config(autoApprove=True)
    sid, _ = create_session(emulator)
    assert "apiKey" in poll(emulator, sid).json()


def test_control_approve_errors(emulator):
    sid, _ = create_session(emulator)
    emulator.approve(sid)
    with pytest.raises(Exception) as exc:
        emulator.approve(sid)
    assert exc.value.status == 409
    with pytest.raises(Exception) as exc:
        emulator.approve("nope")
    assert exc.value.status == 404


def test_sessions_listing(emulator):
    sid, _ = create_session(emulator)
    listed = emulator.control("GET", "sessions")["sessions"]
    assert listed == [{"sessionId": sid, "status": "pending", "expiresAt": listed[0]["expiresAt"],
                       "keyCollected": False}]


# ---------------------------------------------------------------- /complete (cookie only)

def test_complete_rejects_api_keys(emulator, api_key):
    sid, _ = create_session(emulator)
    for headers in ({"X-API-Key": api_key}, {"Authorization": f"Bearer {api_key}"}):
        resp = emulator.request("POST", f"/api/auth/cli-session/{sid}/complete", headers=headers)
        assert resp.status == 401
        assert resp.json() == {
            "success": False,
            "error": "This endpoint requires session authentication. API keys and Bearer tokens "
                     "are not accepted.",
            "code": "session_auth_required",
        }
    assert poll(emulator, sid).json() == {"status": "pending"}


def test_complete_without_cookie(emulator):
    sid, _ = create_session(emulator)
    resp = emulator.request("POST", f"/api/auth/cli-session/{sid}/complete")
    assert resp.status == 401
    assert resp.json() == {"success": False, "error": "Unauthorized",
                           "code": "authentication_required"}


def test_complete_with_browser_cookie(emulator):
    sid, _ = create_session(emulator)
    cookie = {"Cookie": "steward-token=browser-session"}
    resp = emulator.request("POST", f"/api/auth/cli-session/{sid}/complete", headers=cookie)
    assert resp.status == 200
    body = resp.json()
    assert body["success"] is True and body["expiresAt"] is None and KEY_RE.match(body["apiKey"])
    assert poll(emulator, sid).json()["apiKey"] == body["apiKey"]
    again = emulator.request("POST", f"/api/auth/cli-session/{sid}/complete", headers=cookie)
    assert again.status == 400
    assert again.json() == {"success": False, "error": "Session already authenticated or expired",
                            "code": "validation_error"}
    missing = emulator.request("POST", "/api/auth/cli-session/nope/complete", headers=cookie)
    assert missing.status == 400
    assert missing.json()["error"] == "Invalid or expired session"


# ---------------------------------------------------------------- browser page

def test_login_page_has_approve_form_and_submitting_it_authenticates(emulator):
    sid, _ = create_session(emulator)
    page = emulator.request("GET", f"/auth/cli-login?session={urllib.parse.quote(sid)}")
    assert page.status == 200
    assert page.header("content-type").startswith("text/html")
    html = page.text
    assert "Approve" in html
    form = re.search(r'<form method="post" action="([^"]+)">', html)
    assert form, html
    field = re.search(r'<input type="hidden" name="session" value="([^"]+)">', html)
    assert field and field.group(1) == sid
    # Submit the form the way a browser does.
    resp = emulator.request("POST", form.group(1), urllib.parse.urlencode({"session": sid}),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 200
    assert "Login approved" in resp.text
    body = poll(emulator, sid).json()
    assert body["status"] == "authenticated" and body["keyPrefix"] in resp.text
    # A second submission reports the session as already approved.
    again = emulator.request("POST", form.group(1), urllib.parse.urlencode({"session": sid}),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert again.status == 409


def test_login_page_missing_session(emulator):
    page = emulator.request("GET", "/auth/cli-login")
    assert "Invalid authentication link. Missing session ID." in page.text


def test_login_page_escapes_session(emulator):
    page = emulator.request("GET", "/auth/cli-login?session=" +
                            urllib.parse.quote('<script>"x"</script>'))
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text


def test_approve_form_unknown_session(emulator):
    resp = emulator.request("POST", "/__emulator/cli-login/approve", "session=nope",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 404


# ---------------------------------------------------------------- API keys and auth

def test_keys_format(emulator):
    info = emulator.create_key()
    assert KEY_RE.match(info["apiKey"]) and info["keyPrefix"] == info["apiKey"][:12]
    assert info["userId"] == "00000000-0000-4000-8000-000000000001"
    assert info["organizationId"] == "00000000-0000-4000-8000-0000000000a1"


def test_missing_credentials(emulator):
    resp = emulator.request("GET", "/api/v1/user")
    assert resp.status == 401
    assert resp.json() == {"success": False, "error": "Unauthorized",
                           "code": "authentication_required"}


@pytest.mark.parametrize("headers", [
    {"X-API-Key": "eliza_" + "0" * 64},
    {"Authorization": "Bearer eliza_" + "1" * 64},
    {"X-API-Key": "garbage"},
])
def test_unknown_key(emulator, headers):
    resp = emulator.request("GET", "/api/v1/milady/agents", headers=headers)
    assert resp.status == 401
    assert resp.json() == {"success": False, "error": "Invalid or expired API key",
                           "code": "authentication_required"}


def test_non_eliza_bearer_is_treated_as_jwt(emulator):
    resp = emulator.request("GET", "/api/v1/milady/agents",
                            headers={"Authorization": "Bearer not-a-key"})
    assert resp.status == 401
    assert resp.json() == {"success": False, "error": "Invalid authentication token",
                           "code": "authentication_required"}


def test_bearer_key_works(emulator, api_key):
    resp = emulator.request("GET", "/api/v1/user", headers={"Authorization": f"Bearer {api_key}"})
    assert resp.status == 200


def test_x_api_key_wins_over_bearer(emulator, api_key):
    bad = "eliza_" + "f" * 64
    resp = emulator.request("GET", "/api/v1/user",
                            headers={"X-API-Key": bad, "Authorization": f"Bearer {api_key}"})
    assert resp.status == 401
    assert resp.json()["error"] == "Invalid or expired API key"
    ok = emulator.request("GET", "/api/v1/user",
                          headers={"X-API-Key": api_key, "Authorization": f"Bearer {bad}"})
    assert ok.status == 200


def test_header_name_case_insensitive(emulator, api_key):
    assert emulator.request("GET", "/api/v1/user", headers={"x-api-key": api_key}).status == 200


def test_revoked_key(emulator, api_key):
    emulator.revoke_key(api_key)
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert resp.status == 401 and resp.json()["error"] == "Invalid or expired API key"


def test_explicit_and_seeded_keys(emulator_factory):
    seeded = "eliza_" + "ab" * 32
    emu = emulator_factory(["--api-key", seeded])
    assert emu.request("GET", "/api/v1/user", key=seeded).status == 200
    emu.reset()
    assert emu.request("GET", "/api/v1/user", key=seeded).status == 200
    other = "eliza_" + "cd" * 32
    assert emu.create_key(api_key=other)["apiKey"] == other
    with pytest.raises(Exception) as exc:
        emu.create_key(api_key="eliza_short")
    assert exc.value.status == 400


# ---------------------------------------------------------------- identity

def test_user_identity(emulator, api_key):
    resp = emulator.request("GET", "/api/v1/user", key=api_key)
    assert resp.status == 200
    body = resp.json()
    assert body["success"] is True
    data = body["data"]
    assert data["id"] == "00000000-0000-4000-8000-000000000001"
    assert data["organization"]["id"] == "00000000-0000-4000-8000-0000000000a1"
    assert data["organization"]["credit_balance"] == "25.000000"
    assert isinstance(data["organization"]["credit_balance"], str)
    for k in ("email", "name", "avatar", "nickname", "role", "is_active", "created_at",
              "updated_at", "wallet_address"):
        assert k in data
    assert data["role"] == "member"


def test_user_in_other_org(emulator):
    info = emulator.create_key(organization_id="org-two")
    data = emulator.request("GET", "/api/v1/user", key=info["apiKey"]).json()["data"]
    assert data["organization"]["id"] == "org-two"
    assert data["id"] == info["userId"] != "00000000-0000-4000-8000-000000000001"


# ---------------------------------------------------------------- CORS and misc

def test_options_preflight(emulator):
    resp = emulator.request("OPTIONS", "/api/v1/milady/agents/x/bridge")
    assert resp.status == 204
    assert resp.header("access-control-allow-origin") == "*"
    assert "PATCH" in resp.header("access-control-allow-methods")
    assert "X-API-Key" in resp.header("access-control-allow-headers")
    assert resp.header("access-control-max-age") == "86400"


def test_cors_on_api_responses(emulator):
    resp = emulator.request("GET", "/api/v1/user")
    assert resp.header("access-control-allow-origin") == "*"
    assert resp.header("x-content-type-options") == "nosniff"


def test_unknown_route_and_wrong_method(emulator, api_key):
    resp = emulator.request("GET", "/api/v1/nothing-here", key=api_key)
    assert resp.status == 404
    resp = emulator.request("DELETE", "/api/v1/user", key=api_key)
    assert resp.status == 405 and "GET" in resp.header("allow")


def test_health(emulator):
    body = emulator.request("GET", "/api/health").json()
    assert body["status"] == "ok" and isinstance(body["timestamp"], int)
