"""The dashboard's routes of `elizacloud serve` over real sockets: the page itself at "/" (no
token, a strict Content-Security-Policy), the printed dashboard URL with the token in the
fragment, chat whole and as Server-Sent Events, and an agent's backups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from rest_support import Serve, sse_events

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def srv(emulator, tmp_path: Path) -> Iterator[Serve]:
    server = Serve(emulator, tmp_path / "milady.json", ["--token", TOKEN])
    try:
        yield server
    finally:
        assert server.stop() == 0, server.stderr_text()[-2000:]
        server.close()


def logged_in_agent(srv: Serve) -> str:
    """Logs in through the API, creates and connects an agent; its id."""
    session = srv.request("POST", "/api/cloud/login", token=TOKEN).json()["sessionId"]
    status = srv.request("GET", f"/api/cloud/login/status?sessionId={session}", token=TOKEN)
    assert status.json()["status"] == "authenticated", status.body
    agent = srv.request("POST", "/api/cloud/agents", {"agentName": "talker"}, token=TOKEN)
    agent_id: str = agent.json()["agent"]["id"]
    reply = srv.request("POST", f"/api/cloud/agents/{agent_id}/connect", token=TOKEN)
    assert reply.status == 200, reply.body
    return agent_id


def post_sse(srv: Serve, path: str, body: dict) -> tuple[int, str, list[tuple[str, dict]]]:
    """POSTs and reads the event stream to its end: (status, content type, [(event, data)])."""
    conn = srv.connection(timeout=30)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        resp = conn.getresponse()
        events = list(sse_events(resp))
        return resp.status, resp.getheader("Content-Type") or "", events
    finally:
        conn.close()


@pytest.mark.emulator_args("--auto-approve")
def test_the_page_needs_no_token_but_the_api_does(srv: Serve) -> None:
    page = srv.request("GET", "/")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert b"<html" in page.body
    assert srv.request("GET", "/api/cloud/status").status == 401
    assert srv.request("GET", "/dashboard/../etc/passwd").status == 404
    assert srv.request("GET", "/", headers={"Host": "evil.example"}).status == 403


def test_serve_prints_the_dashboard_url_with_the_token_in_the_fragment(emulator, tmp_path):
    server = Serve(emulator, tmp_path / "m.json", ["--json", "--token", TOKEN], expect_start=False)
    try:
        info = json.loads(server._read_startup_line())
        assert info["dashboard"] == f"http://127.0.0.1:{info['port']}/#token={TOKEN}"
    finally:
        assert server.stop() == 0
        server.close()


@pytest.mark.emulator_args("--auto-approve")
def test_chat_whole_and_streamed(srv: Serve, emulator) -> None:
    logged_in_agent(srv)
    reply = srv.request("POST", "/api/cloud/chat", {"text": "hi there"}, token=TOKEN)
    assert reply.status == 200, reply.body
    assert reply.json() == {"ok": True, "text": "echo: hi there"}

    emulator.config(streamChunkChars=4)
    status, ctype, events = post_sse(srv, "/api/cloud/chat/stream", {"text": "stream me"})
    assert status == 200 and ctype == "text/event-stream"
    chunks = [d["text"] for n, d in events if n == "chunk"]
    assert len(chunks) >= 3 and "".join(chunks) == "echo: stream me"
    assert events[-1] == ("done", {"text": "echo: stream me"})


@pytest.mark.emulator_args("--auto-approve")
def test_chat_needs_a_connected_agent_and_the_token(srv: Serve) -> None:
    reply = srv.request("POST", "/api/cloud/chat", {"text": "hi"})
    assert reply.status == 401
    session = srv.request("POST", "/api/cloud/login", token=TOKEN).json()["sessionId"]
    srv.request("GET", f"/api/cloud/login/status?sessionId={session}", token=TOKEN)
    reply = srv.request("POST", "/api/cloud/chat/stream", {"text": "hi"}, token=TOKEN)
    assert reply.status == 409 and reply.json() == {"error": "No agent is connected"}


@pytest.mark.emulator_args("--auto-approve")
def test_backups_of_an_agent(srv: Serve) -> None:
    agent = logged_in_agent(srv)
    base = f"/api/cloud/agents/{agent}"
    taken = srv.request("POST", f"{base}/snapshot", token=TOKEN)
    assert taken.status == 200, taken.body
    backup_id = taken.json()["backup"]["backupId"]
    listed = srv.request("GET", f"{base}/backups", token=TOKEN).json()
    assert listed["ok"] and backup_id in [b["id"] for b in listed["backups"]]
    restored = srv.request("POST", f"{base}/restore", {"backupId": backup_id}, token=TOKEN)
    assert restored.status == 200, restored.body
    assert restored.json()["restored"]["restoredFromBackupId"] == backup_id
