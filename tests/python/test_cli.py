"""Every `elizacloud` command end to end, in a subprocess against the emulator, with human and
--json output, exit codes and error reporting."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest


class Cli:
    def __init__(self, emulator: Any, tmp_path: Path) -> None:
        self.config = tmp_path / "milady.json"
        self.env = {
            **os.environ,
            "ELIZACLOUD_BASE_URL": emulator.url,
            "MILADY_CONFIG_PATH": str(self.config),
            "ELIZACLOUD_INSECURE_LOCAL": "1",
            "DISPLAY": "",  # never try to open a real browser
            "WAYLAND_DISPLAY": "",
        }
        for name in ("ELIZAOS_CLOUD_API_KEY", "ELIZACLOUD_API_KEY", "ELIZACLOUD_LOG"):
            self.env.pop(name, None)

    def run(
        self, *args: str, code: int = 0, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "elizacloud", *args],
            env=self.env,
            input=stdin,
            # never the terminal pytest may run in: destructive commands would ask there
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (
            proc.returncode == code
        ), f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def json(self, *args: str, code: int = 0, stdin: str | None = None) -> Any:
        return json.loads(self.run(*args, "--json", code=code, stdin=stdin).stdout)

    def on_terminal(self, *args: str, answer: str | None, code: int = 0) -> tuple[str, str]:
        """Runs with a terminal (a pty) as stdin, typing ``answer`` (None: types nothing)."""
        master, slave = pty.openpty()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "elizacloud", *args],
                env=self.env,
                stdin=slave,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            os.close(slave)
            slave = -1
            if answer is not None:
                os.write(master, answer.encode() + b"\n")
            out, err = proc.communicate(timeout=60)
        finally:
            if slave >= 0:
                os.close(slave)
            os.close(master)
        assert proc.returncode == code, f"{args}: exit {proc.returncode}\n{out}\n{err}"
        return out, err


def on_pty_stderr(
    cli: Cli,
    *args: str,
    when: str | None = None,
    then: Callable[[re.Match[str]], None] | None = None,
) -> tuple[int, str, str]:
    """Runs with stderr on a terminal (a pty); once the terminal shows a match of ``when``,
    calls ``then`` with it (once). Returns the exit code, stdout and what the terminal showed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "elizacloud", *args],
        env=cli.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                shown += chunk
                if when and then:
                    found = re.search(when, shown.decode(errors="replace"))
                    if found:
                        then(found)
                        then = None
            elif proc.poll() is not None:
                break
        out = proc.stdout.read().decode() if proc.stdout else ""
        code = proc.wait(timeout=10)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return code, out, shown.decode(errors="replace")


@pytest.fixture
def cli(emulator, tmp_path) -> Cli:
    return Cli(emulator, tmp_path)


@pytest.mark.emulator_args("--auto-approve", "--stream-chunk-chars", "3")
def test_every_command_end_to_end(cli, emulator):
    # login: the URL is printed (no browser here), the key saved to the config file
    proc = cli.run("login")
    assert "/auth/cli-login?session=" in proc.stderr and "Logged in" in proc.stdout
    key = json.loads(cli.config.read_text())["cloud"]["apiKey"]
    assert key.startswith("eliza_") and key not in proc.stdout + proc.stderr
    assert cli.json("login")["keyPrefix"].startswith("eliza_")

    assert "connected: yes" in cli.run("status").stdout
    status = cli.json("status")
    assert status["connected"] is True and status["hasApiKey"] is True
    assert "balance: $25.00" in cli.run("credits").stdout
    assert cli.json("credits", "--fresh")["balance"] == 25

    assert "(none)" in cli.run("agents", "list").stdout
    created = cli.run("agents", "create", "cli-bot")
    assert "Created agent cli-bot" in created.stdout
    agent = cli.json("agents", "create", "cli-bot-2", "--env", "A=1", "--agent-config", '{"x":1}')
    agent_id = agent["id"]
    listing = cli.run("agents", "list").stdout
    assert "cli-bot" in listing and agent_id in listing and "STATUS" in listing
    assert {a["agentName"] for a in cli.json("agents", "list")} == {"cli-bot", "cli-bot-2"}

    proc = cli.run("connect", agent_id, "--duration", "0.3")
    assert "state disconnected -> connecting" in proc.stderr and "Disconnected" in proc.stdout
    connected = cli.json("connect", agent_id, "--duration", "0.1")
    assert connected["state"] == "disconnected"
    states = [(e["previousState"], e["state"]) for e in connected["events"]]
    assert ("connecting", "connected") in states and states[-1][1] == "disconnected"
    assert all(e["type"] == "state_changed" for e in connected["events"])

    # Piped output carries the replies alone (the "agent> " prompt is for a terminal).
    assert cli.run("chat", agent_id, "hello", "there").stdout == "echo: hello there\n"
    lines = cli.run("chat", agent_id, "--stream", "stream me", "--json").stdout.splitlines()
    deltas = [json.loads(line) for line in lines[:-1]]
    assert len(deltas) > 3 and all(set(d) == {"delta"} for d in deltas)
    assert "".join(d["delta"] for d in deltas) == "echo: stream me"
    assert json.loads(lines[-1]) == {"agentId": agent_id, "text": "stream me",
                                     "reply": "echo: stream me"}
    assert cli.run("chat", agent_id, "--stream", "streaming").stdout == "echo: streaming\n"
    # An agent by its name; a name that fits none, or several, is refused with what to do.
    assert cli.run("chat", "cli-bot-2", "by name").stdout == "echo: by name\n"
    assert cli.run("chat", "CLI-BOT-2", "any case").stdout == "echo: any case\n"
    assert "no agent is named 'nobody'" in cli.run("chat", "nobody", "x", code=1).stderr
    cli.run("agents", "create", "cli-bot-2")
    twice = cli.run("chat", "cli-bot-2", "x", code=1).stderr
    assert "2 agents are named 'cli-bot-2'" in twice and agent_id in twice
    from_stdin = cli.json("chat", agent_id, stdin="one\ntwo\n")
    assert [m["reply"] for m in from_stdin["messages"]] == ["echo: one", "echo: two"]

    snap = cli.json("backups", "snapshot", agent_id)
    assert "taken" in cli.run("backups", "snapshot", agent_id).stdout
    backups = cli.json("backups", "list", agent_id)
    assert snap["backupId"] in [b["id"] for b in backups]
    assert snap["backupId"] in cli.run("backups", "list", agent_id).stdout
    restored = cli.json("backups", "restore", agent_id, "--backup-id", backups[-1]["id"])
    assert restored["restoredFromBackupId"] == backups[-1]["id"]
    assert "Restored from backup" in cli.run("backups", "restore", agent_id).stdout

    assert (
        "Deleted agent"
        in cli.run("agents", "delete", created.stdout.split(": ")[1].split()[0]).stdout
    )
    assert cli.json("agents", "delete", agent_id) == {"deleted": agent_id}

    assert "Logged out" in cli.run("logout").stdout
    assert not json.loads(cli.config.read_text())["cloud"].get("apiKey")
    assert cli.json("logout") == {"loggedOut": True}


def test_errors_have_status_names_and_exit_codes(cli, emulator):
    proc = cli.run("agents", "list", code=1)
    assert "error: EC_ERR_NOT_CONNECTED" in proc.stderr
    error = cli.json("agents", "list", code=1)["error"]
    assert error["status"] == "EC_ERR_NOT_CONNECTED" and error["message"]

    cli.env["ELIZACLOUD_BASE_URL"] = "http://127.0.0.1:9"
    cli.env["ELIZACLOUD_INSECURE_LOCAL"] = "0"
    assert "EC_ERR_URL_BLOCKED" in cli.run("status", code=1).stderr
    assert (
        "EC_ERR_URL_BLOCKED" in cli.run("--base-url", "http://x.invalid", "status", code=1).stderr
    )

    cli.run(
        "agents", "delete", "not-a-uuid", "--insecure-local", "--base-url", emulator.url, code=1
    )
    assert cli.run("no-such-command", code=2).stderr
    assert "--json" in cli.run("--help").stdout


def test_global_options_before_or_after_the_command(cli, emulator, tmp_path):
    other = tmp_path / "other.json"
    cli.env.pop("ELIZACLOUD_BASE_URL")
    a = cli.json("--base-url", emulator.url, "--config", str(other), "status")
    b = json.loads(
        cli.run("status", "--base-url", emulator.url, "--config", str(other), "--json").stdout
    )
    assert a == b and a["hasApiKey"] is False


def test_the_key_from_the_environment(cli, emulator):
    key = emulator.create_key()["apiKey"]
    cli.env["ELIZACLOUD_API_KEY"] = key
    status = cli.json("status")
    assert status["connected"] is True and status["hasApiKey"] is True
    assert not cli.config.exists() or "apiKey" not in cli.config.read_text()
    del cli.env["ELIZACLOUD_API_KEY"]
    cli.env["ELIZAOS_CLOUD_API_KEY"] = key  # what login exports to the shell's children
    assert cli.json("status")["connected"] is True


def test_log_level_from_the_environment_and_verbose_wins(cli):
    warning = "insecure_local"  # the library's warning when http:// is allowed
    assert warning in cli.run("status").stderr  # the command line shows warnings
    cli.env["ELIZACLOUD_LOG"] = "error"
    assert warning not in cli.run("status").stderr
    assert warning in cli.run("status", "-v").stderr  # an explicit -v wins


def test_serve_refuses_a_public_address_without_a_token(cli):
    # The server itself is tested in test_rest_serve.py.
    proc = cli.run("serve", "--host", "0.0.0.0", "--port", "0", code=1)
    assert "EC_ERR_INVALID_ARGUMENT" in proc.stderr and "token" in proc.stderr


def test_emulator_command_runs_the_bundled_binary(cli):
    proc = cli.run("emulator", "--version")
    assert proc.stdout.strip() or proc.stderr.strip()
    emu = subprocess.Popen(
        [sys.executable, "-m", "elizacloud", "emulator", "--port", "0"],
        env=cli.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert emu.stdout is not None
        assert json.loads(emu.stdout.readline())["url"].startswith("http://127.0.0.1:")
    finally:
        emu.terminate()
        assert emu.wait(10) == 0


def test_console_script_is_installed(cli):
    script = shutil.which("elizacloud")
    if script is None:
        pytest.skip("console script not on PATH")
    proc = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and "login" in proc.stdout


def test_version(cli):
    import elizacloud

    proc = cli.run("--version")
    assert proc.stdout.startswith("elizacloud ") and elizacloud.__version__ in proc.stdout


def test_auth_status_shows_where_things_come_from_never_the_key(cli, emulator):
    # logged out: exit 1, and what to do
    proc = cli.run("auth", "status", code=1)
    assert "run: elizacloud login" in proc.stdout and str(cli.config) in proc.stdout
    logged_out = cli.json("auth", "status", code=1)
    assert logged_out["loggedIn"] is False and logged_out["keyPrefix"] is None
    assert logged_out["baseUrl"] == emulator.url
    assert logged_out["baseUrlSource"] == "ELIZACLOUD_BASE_URL"

    key = emulator.create_key()["apiKey"]
    cli.env["ELIZACLOUD_API_KEY"] = key
    proc = cli.run("auth", "status")
    assert key[:12] in proc.stdout and key not in proc.stdout + proc.stderr
    status = cli.json("auth", "status")
    assert status["loggedIn"] is True and status["keyPrefix"] == key[:12]
    assert status["keySource"] == "ELIZACLOUD_API_KEY" and status["configPath"] == str(cli.config)
    assert key not in json.dumps(status)

    # a key the cloud refuses: logged out too
    emulator.revoke_key(key)
    refused = cli.run("auth", "status", code=1)
    assert "refused" in refused.stdout and "run: elizacloud login" in refused.stderr


@pytest.mark.emulator_args("--auto-approve")
def test_auth_status_after_login_reads_the_config(cli, emulator):
    cli.run("login")
    key = json.loads(cli.config.read_text())["cloud"]["apiKey"]
    status = cli.json("auth", "status")
    assert status["loggedIn"] is True and status["keySource"] == "config"
    assert status["keyPrefix"] == key[:12]


@pytest.mark.emulator_args("--auto-approve")
def test_a_key_is_never_sent_to_another_cloud(cli, emulator, emulator_factory):
    # Logged in to one cloud (here an emulator), then pointed at another: the key stays home.
    cli.run("login")
    saved = json.loads(cli.config.read_text())["cloud"]
    assert saved["apiKeyBaseUrl"] == emulator.url
    other = emulator_factory(["--job-poll-interval-ms", "50"])
    cli.env["ELIZACLOUD_BASE_URL"] = other.url
    proc = cli.run("agents", "list", code=1)
    assert "EC_ERR_NOT_CONNECTED" in proc.stderr
    assert f"issued by {emulator.url}, not {other.url}" in proc.stderr
    assert saved["apiKey"] not in proc.stderr
    assert other.request_count("GET /api/v1/milady/agents") == 0

    status = cli.json("auth", "status", code=1)
    assert status["loggedIn"] is False and status["apiKeyBaseUrl"] == emulator.url
    assert status["keyPrefix"] == saved["apiKey"][:12] and status["baseUrl"] == other.url
    proc = cli.run("auth", "status", code=1)
    assert f"issued by {emulator.url}: not sent to {other.url}" in proc.stdout
    assert f"--base-url {emulator.url}" in proc.stderr
    assert saved["apiKey"] not in proc.stdout + proc.stderr

    # The issuing cloud still gets it; a key from the environment goes wherever it is told.
    cli.env["ELIZACLOUD_BASE_URL"] = emulator.url
    cli.run("agents", "list")
    cli.env["ELIZACLOUD_BASE_URL"] = other.url
    cli.env["ELIZACLOUD_API_KEY"] = other.create_key()["apiKey"]
    cli.run("agents", "list")


def test_login_waits_with_a_spinner_and_the_elapsed_time_on_a_terminal(cli, emulator):
    def approve_later(found: re.Match[str]) -> None:
        time.sleep(2.5)
        emulator.approve(found.group(1))

    code, out, shown = on_pty_stderr(
        cli, "login", when=r"cli-login\?session=([0-9A-Za-z-]+)\s", then=approve_later
    )
    assert code == 0 and "Logged in" in out, shown
    # redrawn in place on one line: a frame, the wait, the last poll status, the seconds
    assert re.search(r"\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for approval in the browser(: \w+)? \(2s\)", shown)
    assert "Waiting for approval…" not in shown
    assert shown.rstrip().endswith("\x1b[K") or "\r\x1b[K" in shown  # the line is cleared


@pytest.mark.emulator_args("--provision-ms", "2500")
def test_provisioning_shows_a_spinner_on_a_terminal_and_lines_otherwise(cli, emulator):
    cli.env["ELIZACLOUD_API_KEY"] = emulator.create_key()["apiKey"]
    code, out, shown = on_pty_stderr(cli, "agents", "create", "spun", "--provision")
    assert code == 0, shown
    assert re.search(r"\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] provisioning: \w+ \([12]s\)", shown), shown
    assert "  provisioning: " not in shown
    # Redirected (and with --json): the lines as before, no spinner, no carriage return.
    proc = cli.run("agents", "create", "plain", "--provision")
    assert "  provisioning: " in proc.stderr
    assert "\r" not in proc.stderr and "(0s)" not in proc.stderr
    code, out, shown = on_pty_stderr(cli, "agents", "create", "json", "--provision", "--json")
    assert code == 0 and json.loads(out)["id"]
    assert not re.search(r"\r(?!\n)", shown) and "⠋" not in shown  # the pty's \r\n only


def test_destructive_commands_ask_on_a_terminal(cli, emulator):
    cli.env["ELIZACLOUD_API_KEY"] = emulator.create_key()["apiKey"]
    agent_id = cli.json("agents", "create", "keep-me")["id"]
    # "no" (or nothing) changes nothing
    out, err = cli.on_terminal("agents", "delete", agent_id, answer="n", code=1)
    assert f"Delete agent {agent_id}?" in err and "aborted" in err
    cli.on_terminal("agents", "delete", agent_id, answer="", code=1)
    assert any(a["id"] == agent_id for a in cli.json("agents", "list"))
    cli.run("connect", agent_id, "--duration", "0.1")  # provisions it; a backup at disconnect
    out, err = cli.on_terminal("backups", "restore", agent_id, answer="no", code=1)
    assert "Restore agent" in err and "aborted" in err
    out, err = cli.on_terminal("logout", answer="n", code=1)
    assert "Log out" in err
    # "y" does it; --yes / -y do not ask
    out, err = cli.on_terminal("backups", "restore", agent_id, answer="y")
    assert "Restored from backup" in out
    out, err = cli.on_terminal("backups", "restore", agent_id, "--yes", answer=None)
    assert "Restore agent" not in err and "Restored" in out
    out, err = cli.on_terminal("agents", "delete", agent_id, "-y", answer=None)
    assert "Delete agent" not in err and "Deleted agent" in out
    # a generated delete asks too
    voice = "11111111-1111-4111-8111-111111111111"
    out, err = cli.on_terminal("voices", "delete", voice, answer="n", code=1)
    assert f"voices.delete {voice}? This cannot be undone." in err
    # stdin that is not a terminal (a script): no question (the other tests run that way)
    other = cli.json("agents", "create", "x")["id"]
    assert "Deleted agent" in cli.run("agents", "delete", other).stdout


def test_errors_say_what_to_do(cli, emulator):
    proc = cli.run("agents", "list", code=1)
    assert "run: elizacloud login" in proc.stderr
    assert cli.json("agents", "list", code=1)["error"]["hints"]

    cli.env["ELIZACLOUD_INSECURE_LOCAL"] = "0"
    proc = cli.run("status", code=1)
    assert "EC_ERR_URL_BLOCKED" in proc.stderr and "--insecure-local" in proc.stderr
    proc = cli.run("--base-url", "http://www.elizacloud.ai", "status", code=1)
    assert "https://" in proc.stderr and "--insecure-local" not in proc.stderr
    cli.env["ELIZACLOUD_INSECURE_LOCAL"] = "1"

    cli.env["ELIZACLOUD_API_KEY"] = emulator.create_key()["apiKey"]
    emulator.add_fault(
        method="GET", path="/api/v1/milady/agents", action="status", status=429,
        headers={"Retry-After": "7"}, always=True,
    )  # fmt: skip
    proc = cli.run("agents", "list", code=1)
    assert "EC_ERR_RATE_LIMITED" in proc.stderr and "retry in 7 s" in proc.stderr
    emulator.clear_faults()
    emulator.add_fault(
        method="GET", path="/api/v1/milady/agents", action="status", status=402, always=True,
        body={"success": False, "error": "Insufficient credits", "code": "insufficient_credits",
              "requiredBalance": 5, "currentBalance": 0.5},
    )  # fmt: skip
    proc = cli.run("agents", "list", code=1)
    assert "required balance: $5.00, current balance: $0.50" in proc.stderr
    assert "top up: " + emulator.url in proc.stderr
    emulator.clear_faults()


def test_an_error_is_printed_once(cli, emulator):
    cli.env["ELIZACLOUD_API_KEY"] = emulator.create_key()["apiKey"]
    agent_id = cli.json("agents", "create", "down")["id"]
    emulator.add_fault(path="/api/v1/milady/agents/**", action="status", status=503, always=True)
    for command in (["connect", agent_id, "--duration", "0.1"], ["chat", agent_id, "hi"]):
        proc = cli.run(*command, code=1)
        assert proc.stderr.count("error: ") == 1, proc.stderr
        assert "failed: Service Unavailable" not in proc.stderr  # the library's own line
    emulator.clear_faults()


def test_status_reasons_are_sentences_for_a_person(cli):
    # No key: the human output says what to do; --json keeps the code.
    assert "reason: not logged in (no API key): run elizacloud login" in cli.run("status").stdout
    assert cli.json("status")["reason"] in ("not_authenticated", "runtime_not_started")
    cli.env["ELIZACLOUD_API_KEY"] = "eliza_" + "0" * 40  # a key the cloud does not know
    refused = cli.run("status").stdout
    assert "reason: an API key is stored but the cloud did not accept it" in refused
    assert cli.json("status")["reason"].startswith("api_key_present_")


@pytest.mark.emulator_args("--auto-approve")
def test_a_one_shot_chat_with_a_running_agent_does_not_connect(cli, emulator):
    key = emulator.create_key()["apiKey"]
    cli.config.write_text(json.dumps({"cloud": {"apiKey": key}}))
    agent_id = cli.json("agents", "create", "talker")["id"]
    # The first chat finds the agent stopped: it connects, which starts it (and backs up at the
    # end, as a connection does).
    assert cli.run("chat", agent_id, "wake up").stdout == "echo: wake up\n"
    agents = "/api/v1/milady/agents/{id}"
    started = emulator.request_count(f"POST {agents}/provision")
    backups = emulator.request_count(f"POST {agents}/snapshot")
    assert started == 1
    # Later chats talk to the running agent directly: no provisioning, heartbeat or backup.
    for i in range(3):
        assert cli.run("chat", "talker", f"hi {i}").stdout == f"echo: hi {i}\n"
    streamed = cli.run("chat", "talker", "--stream", "streamed").stdout
    assert streamed == "echo: streamed\n"
    assert emulator.request_count(f"POST {agents}/provision") == started
    assert emulator.request_count(f"POST {agents}/snapshot") == backups
