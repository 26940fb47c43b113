"""Emulator process: start-up line, HTTPS, shutdown, CLI errors, state file, concurrency."""

import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.request

import pytest

from emulator import Emulator, EmulatorError

BASE = "/api/v1/milady/agents"


def test_startup_line(emulator_binary):
    proc = subprocess.Popen([emulator_binary, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        assert set(info) == {"url", "caFile"} and info["caFile"] is None
        assert info["url"].startswith("http://127.0.0.1:") and not info["url"].endswith("/")
        port = int(info["url"].rsplit(":", 1)[1])
        assert port > 0
        with urllib.request.urlopen(info["url"] + "/api/health", timeout=5) as resp:
            assert resp.status == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
        assert proc.stdout.read() == ""  # nothing else on stdout
    finally:
        if proc.poll() is None:
            proc.kill()


def test_fixed_port(emulator_factory):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    emu = emulator_factory(["--port", str(port)])
    assert emu.url == f"http://127.0.0.1:{port}"
    # The same port twice: the second start fails cleanly.
    with pytest.raises(EmulatorError):
        Emulator(["--port", str(port)], binary=emu.binary)


def test_https_with_printed_ca(tls_emulator):
    emu = tls_emulator
    assert emu.url.startswith("https://127.0.0.1:")
    assert emu.ca_file and os.path.isfile(emu.ca_file)
    ctx = ssl.create_default_context(cafile=emu.ca_file)
    with urllib.request.urlopen(emu.url + "/api/health", context=ctx, timeout=5) as resp:
        assert json.load(resp)["status"] == "ok"
    # Also by name: the certificate covers localhost.
    with urllib.request.urlopen(emu.url.replace("127.0.0.1", "localhost") + "/api/health",
                                context=ctx, timeout=5) as resp:
        assert resp.status == 200
    # Without the CA the certificate is rejected.
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(emu.url + "/api/health",
                               context=ssl.create_default_context(), timeout=5)
    # A full flow over TLS.
    key = emu.create_key()["apiKey"]
    agent = emu.running_agent(key)
    resp, events = emu.sse(f"{BASE}/{agent}/stream",
                           {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                            "params": {"text": "tls"}}, key=key)
    assert [e.event for e in events] == ["connected", "chunk", "done"]


def test_https_ca_out_and_temp_dir_cleanup(emulator_factory, tmp_path):
    ca = tmp_path / "ca.pem"
    emu = emulator_factory(["--tls", "--ca-out", str(ca)])
    assert emu.ca_file == str(ca) and ca.read_text().startswith("-----BEGIN CERTIFICATE-----")
    tmp_emu = emulator_factory(["--tls"])
    temp_ca = tmp_emu.ca_file
    assert os.path.isfile(temp_ca)
    assert tmp_emu.stop() == 0
    assert not os.path.exists(temp_ca)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown_with_open_connections(emulator_factory, sig):
    emu = emulator_factory([])
    key = emu.create_key()["apiKey"]
    agent = emu.running_agent(key)
    # An idle keep-alive connection ...
    idle = emu.connection()
    idle.request("GET", "/api/health")
    idle.getresponse().read()
    # ... and a stalled stream.
    emu.add_fault(path=f"{BASE}/*/stream", action="stall", afterEvents=1, stallMs=60000)
    conn, resp = emu.open_stream("POST", f"{BASE}/{agent}/stream",
                                 {"jsonrpc": "2.0", "id": 1, "method": "message.send",
                                  "params": {"text": "x"}}, key=key)
    assert resp.readline().startswith(b"event: connected")
    t0 = time.monotonic()
    emu.proc.send_signal(sig)
    code = emu.proc.wait(timeout=5)
    assert code == 0
    assert time.monotonic() - t0 < 1.0
    idle.close()
    conn.close()


def test_cli_errors(emulator_binary):
    for args in (["--bogus"], ["--port", "x"], ["--api-key", "nope"], ["--credits"],
                 ["--provision-ms", "-1"]):
        proc = subprocess.run([emulator_binary, *args], capture_output=True, text=True, timeout=10)
        assert proc.returncode == 2, args
        assert proc.stdout == "" and "usage" in proc.stderr
    helped = subprocess.run([emulator_binary, "--help"], capture_output=True, text=True, timeout=10)
    assert helped.returncode == 0 and "--auto-approve" in helped.stdout
    version = subprocess.run([emulator_binary, "--version"], capture_output=True, text=True,
                             timeout=10)
    assert version.returncode == 0 and "elizacloud-emulator" in version.stdout


def test_state_file_round_trip(emulator_factory, tmp_path):
    path = tmp_path / "state.json"
    emu = emulator_factory(["--state-file", str(path), "--provision-ms", "50"])
    key = emu.create_key()["apiKey"]
    agent = emu.running_agent(key, "persisted")
    snap = emu.request("POST", f"{BASE}/{agent}/snapshot", key=key).json()["data"]
    emu.set_credits(7.25)
    sid = "persisted-session"
    emu.request("POST", "/api/auth/cli-session", {"sessionId": sid})
    assert emu.stop() == 0
    doc = json.loads(path.read_text())
    assert doc["format"] == "elizacloud-emulator-state/1"

    emu2 = emulator_factory(["--state-file", str(path)])
    assert emu2.request("GET", "/api/v1/credits/balance", key=key).json() == {"balance": 7.25}
    detail = emu2.request("GET", f"{BASE}/{agent}", key=key).json()["data"]
    assert detail["agentName"] == "persisted" and detail["status"] == "running"
    assert detail["bridgeUrl"]
    backups = emu2.request("GET", f"{BASE}/{agent}/backups", key=key).json()["data"]
    assert [b["id"] for b in backups] == [snap["backupId"]]
    assert emu2.request("GET", f"/api/auth/cli-session/{sid}").json() == {"status": "pending"}
    bridge = emu2.request("POST", f"{BASE}/{agent}/bridge",
                          {"jsonrpc": "2.0", "method": "heartbeat"}, key=key).json()
    assert bridge["method"] == "heartbeat.ack"
    assert emu2.control("POST", "save")["path"] == str(path)


def test_state_file_saved_periodically(emulator_factory, tmp_path):
    path = tmp_path / "state.json"
    emu = emulator_factory(["--state-file", str(path)])
    emu.create_key()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not path.exists():
        time.sleep(0.1)
    assert len(json.loads(path.read_text())["apiKeys"]) == 1


def test_corrupt_state_file(emulator_binary, tmp_path):
    path = tmp_path / "state.json"
    path.write_text("{not json")
    proc = subprocess.run([emulator_binary, "--state-file", str(path)], capture_output=True,
                          text=True, timeout=10)
    assert proc.returncode == 2 and proc.stdout == ""


def test_save_without_state_file(emulator):
    with pytest.raises(Exception) as exc:
        emulator.control("POST", "save")
    assert exc.value.status == 400


def test_record_requests(emulator_factory):
    emu = emulator_factory(["--record-requests"])
    key = emu.create_key()["apiKey"]
    emu.request("GET", "/api/v1/user?x=1", key=key)
    emu.request("GET", "/api/v1/user", headers={"Authorization": f"Bearer {key}"})
    emu.request("GET", "/api/v1/user")
    recorded = emu.control("GET", "requests")
    assert recorded["recording"] is True
    cloud = [r for r in recorded["requests"] if r["path"] == "/api/v1/user"]
    assert [(r["auth"], r["status"]) for r in cloud] == [("x-api-key", 200), ("bearer", 200),
                                                          ("none", 401)]
    assert cloud[0]["query"] == "x=1" and cloud[0]["keyPrefix"] == key[:12]


def test_request_counts_and_reset(emulator, api_key):
    emulator.request("GET", "/api/v1/user", key=api_key)
    emulator.request("GET", "/nope")
    counts = emulator.state()["requests"]
    assert counts["GET /api/v1/user"] == 1 and counts["GET (unmatched)"] == 1
    emulator.config(provisionMs=5)
    emulator.reset()
    state = emulator.state()
    assert state["requests"]["GET /api/v1/user"] == 0
    assert state["agents"] == [] and state["sessions"] == []
    assert state["config"]["provisionMs"] == 100
    assert emulator.request("GET", "/api/v1/user", key=api_key).status == 401  # keys are gone


def test_config_validation(emulator):
    with pytest.raises(Exception) as exc:
        emulator.config(nonsense=1)
    assert exc.value.status == 400
    with pytest.raises(Exception):
        emulator.config(provisionMs=-5)
    assert emulator.config(streamChunkChars=3)["streamChunkChars"] == 3


def test_many_concurrent_connections(emulator, api_key):
    agent = emulator.running_agent(api_key)
    n = 300
    barrier = threading.Barrier(n)
    errors = []
    conns = []
    lock = threading.Lock()

    def worker(i):
        try:
            conn = emulator.connection(timeout=30)
            with lock:
                conns.append(conn)
            barrier.wait(timeout=30)
            for j in range(3):
                conn.request("POST", f"{BASE}/{agent}/bridge",
                             json.dumps({"jsonrpc": "2.0", "id": j, "method": "message.send",
                                         "params": {"text": f"{i}-{j}"}}),
                             {"X-API-Key": api_key, "Content-Type": "application/json"})
                resp = conn.getresponse()
                body = json.loads(resp.read())
                if body["result"]["text"] != f"echo: {i}-{j}":
                    errors.append(body)
            conn.close()
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for c in conns:
        c.close()
    assert errors == []
    assert emulator.agent_state(agent)["messages"] == 3 * n
