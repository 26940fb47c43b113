"""The surfaces generated from the operation catalogue (tools/gen_surfaces.py): the checked-in
output matches what the built library's catalogue produces; the generated types reach user code
(mypy --strict on tests/python/typing/); the package uses nothing of _core beyond the generic
entries (every operation goes through _core.call)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from elizacloud import _core

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "tools" / "gen_surfaces.py"
TYPING = Path(__file__).resolve().parent / "typing"


def generator(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATOR), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_checked_in_surfaces_match_the_library_catalogue():
    proc = generator("--check", "--catalogue", "-", stdin=_core.operations_json())
    assert proc.returncode == 0, (
        "generated files are stale; run scripts/gen_surfaces.sh\n" + proc.stdout + proc.stderr
    )


def test_check_mode_reports_a_changed_catalogue():
    catalogue = json.loads(_core.operations_json())
    catalogue["operations"][0]["summary"] += " (changed)"
    proc = generator("--check", "--catalogue", "-", stdin=json.dumps(catalogue))
    assert proc.returncode == 1
    assert "stale: docs/operations.md" in proc.stdout


def test_every_plain_operation_has_a_method():
    from elizacloud import Cloud, resources

    catalogue = json.loads(_core.operations_json())
    for op in catalogue["operations"]:
        if op["surface"] != "plain":
            continue
        holder = Cloud
        if op["resource"]:
            # A dotted resource (chat.completions) is one flat resource: ChatCompletionsResource,
            # the clients' attribute chat_completions.
            words = op["resource"].replace("-", "_").replace(".", "_").split("_")
            holder = getattr(resources, "".join(w[:1].upper() + w[1:] for w in words) + "Resource")
            assert op["resource"].replace(".", "_") in resources.ClientOperations.__annotations__
        assert callable(getattr(holder, op["action"], None)), op["name"]


def mypy(path: Path) -> subprocess.CompletedProcess[str]:
    # MYPYPATH: the package of this source tree, generated files included.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MYPYPATH": str(REPO / "python")},
    )


def test_generated_types_pass_mypy_strict_in_user_code():
    pytest.importorskip("mypy")
    proc = mypy(TYPING / "good.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'Revealed type is "TypedDict(elizacloud.types.AgentCreated' in proc.stdout, proc.stdout


@pytest.mark.parametrize(
    "snippet, message",
    [
        ("bad.py", 'TypedDict "AgentCreated" has no key "agentNmae"'),
        ("bad_param.py", 'Unexpected keyword argument "enviroment"'),
    ],
)
def test_a_misspelt_field_or_parameter_fails_mypy_strict(snippet, message):
    pytest.importorskip("mypy")
    proc = mypy(TYPING / snippet)
    assert proc.returncode != 0 and message in proc.stdout, proc.stdout + proc.stderr


# What the package may use of the extension: the generic entries (every operation goes through
# call), events, the handle's accessors, logs, errors, the local REST API.
GENERIC_CORE = {
    "Cloud",
    "Event",
    "RestServer",
    "RestResponse",
    "call",
    "call_with",
    "cancel",
    "close",
    "closed",
    "event_fd",
    "next_event",
    "next_events",
    "wait_event",
    "set_event_callback",
    "api_key",
    "config_path",
    "state",
    "active_agent",
    "event_stats",
    "operations_json",
    "rest_configure",
    "rest_dispatch",
    "version",
    "version_string",
    "status_name",
    "set_log_level",
    "log_fd",
    "drain_logs",
    "STATUS_CODES",
    "HEADER_VERSION",
    "TIMING_NAMES",
}


def test_the_package_uses_only_the_generic_core_entries():
    used: dict[str, set[str]] = {}
    for path in (REPO / "python" / "elizacloud").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            # _core.X, self._core.X, cloud._core.X, core.X (a local alias of the handle)
            if not isinstance(node, ast.Attribute):
                continue
            base = node.value
            name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
            if name in ("_core", "core"):
                used.setdefault(node.attr, set()).add(path.name)
    unexpected = {
        name: files
        for name, files in used.items()
        if name not in GENERIC_CORE and not name.startswith(("EC_", "_"))
    }
    assert not unexpected, f"typed _core methods in use: {unexpected}"


@pytest.mark.emulator_args("--auto-approve")
def test_generated_cli_commands_end_to_end(emulator, tmp_path):
    from test_cli import Cli

    cli = Cli(emulator, tmp_path)
    cli.run("login")
    assert cli.json("identity")["userId"]
    agent_id = cli.json("agents", "create", "gen-bot")["id"]
    assert cli.json("agents", "get", agent_id)["agentName"] == "gen-bot"
    proc = cli.run("agents", "provision", agent_id)
    assert "running" in proc.stdout
    assert cli.json("agents", "suspend", agent_id)["action"] == "suspend"
    assert cli.json("agents", "resume", agent_id)["status"] == "running"
    assert "agent_id" in cli.run("agents", "get", "--help").stdout.lower()
    # a bad value is refused by the library with its usual error
    proc = cli.run("agents", "get", "not-a-uuid", code=1)
    assert "EC_ERR_INVALID_ARGUMENT" in proc.stderr


def test_one_exception_class_per_status_of_the_library():
    # Generated from the catalogue's statuses (EC_STATUS_MAP): every failure status has its
    # class, exported at the top level, with the status it stands for.
    import elizacloud
    from elizacloud import errors

    statuses = json.loads(_core.operations_json())["statuses"]
    assert len(statuses) == 36
    for st in statuses:
        if st["code"] == 0:
            continue
        cls = errors.error_class(st["code"])
        assert cls is not elizacloud.ElizaCloudError, st["name"]
        assert cls.status == st["code"] and getattr(elizacloud, cls.__name__) is cls
        assert errors._from_core(st["code"], "m").status_name == st["name"]
