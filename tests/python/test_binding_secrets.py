"""Secrets and inputs: refused base URLs never show a password or an API key (in exceptions and
in the CLI's plain and --json output), strings with an embedded NUL are refused instead of cut,
and the insecure-local development mode is announced once however it is enabled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any

import pytest
from binding_support import _clean_env, cloud, make_cloud  # noqa: F401

import elizacloud
from elizacloud import errors

KEY = "eliza_0123abcdefSECRETSECRETSECRET"
PASSWORD = "hunter2pass"
# Only these may ever show: the key's 12-character prefix, never the rest.
FORBIDDEN = ("SECRET", PASSWORD, "eliza_0123abc")

SECRET_URLS = [
    f"https://user:{PASSWORD}@www.elizacloud.ai",
    f"https://{KEY}@www.elizacloud.ai",
    f"https://{KEY}:{PASSWORD}@evil.example/",
    f"https://x:{KEY}@10.0.0.1/",
    f"http://{KEY}@www.elizacloud.ai",
    f"https://evil.example/{KEY}",
    f"https://evil.example/v1/{KEY}/x",
    f"https://www.elizacloud.ai/?key={KEY}",
    f"https://www.elizacloud.ai/?token={PASSWORD}",
    f"https://www.elizacloud.ai/#{KEY}",
    f"https://www.elizacloud.ai/#{PASSWORD}",
    f"https://{KEY}.evil.example/",
    f"ftp://{KEY}@x/?{PASSWORD}",
]


def assert_clean(text: str) -> None:
    for secret in FORBIDDEN:
        assert secret not in text, text


@pytest.mark.parametrize("url", SECRET_URLS)
def test_refused_base_url_messages_hide_secrets(url):
    with pytest.raises((errors.UrlBlockedError, errors.InvalidArgumentError)) as info:
        elizacloud.Cloud(url, no_config_file=True, insecure_local=False)
    exc = info.value
    rendered = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    for text in (str(exc), repr(exc), exc.message, json.dumps(exc.to_dict()), rendered):
        assert_clean(text)


def test_refused_base_url_message_keeps_what_helps():
    with pytest.raises(errors.UrlBlockedError) as info:
        elizacloud.Cloud(f"https://evil.example/{KEY}", no_config_file=True)
    assert "evil.example" in info.value.message
    assert "eliza_0123ab" in info.value.message  # the prefix is allowed, and useful


@pytest.mark.parametrize("url", SECRET_URLS)
def test_cli_output_hides_secrets(url, tmp_path):
    env = {**os.environ, "MILADY_CONFIG_PATH": str(tmp_path / "milady.json")}
    env.pop("ELIZACLOUD_INSECURE_LOCAL", None)
    env.pop("ELIZACLOUD_BASE_URL", None)
    for extra in ([], ["--json"]):
        proc = subprocess.run(
            [sys.executable, "-m", "elizacloud", "--base-url", url, "status", *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stderr
        assert "EC_ERR_" in proc.stderr
        assert_clean(proc.stdout + proc.stderr)
        if extra:
            assert json.loads(proc.stdout)["error"]["status"].startswith("EC_ERR_")


# ---- embedded NUL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "https://www.elizacloud.ai\0.evil.com"},
        {"base_url": "https://evil.com", "allowed_hosts": "evil.com\0x"},
        {"base_url": "https://evil.com", "allowed_hosts": ["evil.com\0x"]},
        {"api_key": "eliza_abc\0def"},
        {"config_path": "/tmp/x\0y"},
        {"ca_file": "/tmp/ca\0.pem"},
    ],
)
def test_nul_in_an_option_is_refused(kwargs, tmp_path):
    options: dict[str, Any] = {"no_config_file": "config_path" not in kwargs, **kwargs}
    with pytest.raises(errors.InvalidArgumentError) as info:
        elizacloud.Cloud(**options)
    assert isinstance(info.value, ValueError)
    assert "NUL" in info.value.message


def test_nul_in_a_call_argument_is_refused(cloud, emulator):
    agent = cloud.agents.create("nul-test")
    for bad in (agent["id"] + "\0x", "\0"):
        with pytest.raises(errors.InvalidArgumentError):
            cloud.agents.get(bad)
        with pytest.raises(errors.InvalidArgumentError):
            cloud.agents.delete(bad)
    assert cloud.agents.get(agent["id"])["id"] == agent["id"]  # the real one is untouched


# ---- insecure-local ---------------------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import logging, sys
    import elizacloud
    from elizacloud import _logs, errors
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(message)s")
    option = {"on": True, "off": False, "unset": None}[sys.argv[1]]
    outcome = []
    for _ in range(3):
        try:
            with elizacloud.Cloud("http://127.0.0.1:9", no_config_file=True,
                                  insecure_local=option):
                outcome.append("accepted")
        except errors.UrlBlockedError:
            outcome.append("refused")
    _logs.drain()
    print("OUTCOME", ",".join(outcome))
    """
)


def run_script(tmp_path: Path, option: str, env_value: str | None) -> tuple[str, int]:
    script = tmp_path / "insecure.py"
    script.write_text(SCRIPT)
    env = dict(os.environ)
    env.pop("ELIZACLOUD_INSECURE_LOCAL", None)
    if env_value is not None:
        env["ELIZACLOUD_INSECURE_LOCAL"] = env_value
    proc = subprocess.run(
        [sys.executable, str(script), option],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    outcome = [line for line in proc.stdout.splitlines() if line.startswith("OUTCOME")][0]
    warnings = [line for line in proc.stdout.splitlines() if "insecure" in line.lower()]
    return outcome.split()[1], len(warnings)


@pytest.mark.parametrize(
    "option, env_value, outcome, warnings",
    [
        ("on", None, "accepted,accepted,accepted", 1),
        ("unset", "1", "accepted,accepted,accepted", 1),
        ("unset", "true", "accepted,accepted,accepted", 1),
        ("on", "1", "accepted,accepted,accepted", 1),
        ("off", "1", "refused,refused,refused", 0),
        ("unset", None, "refused,refused,refused", 0),
    ],
)
def test_insecure_local_is_announced_once_and_false_wins(
    tmp_path, option, env_value, outcome, warnings
):
    assert run_script(tmp_path, option, env_value) == (outcome, warnings)
