"""Configuration from the environment: Cloud() and AsyncCloud() read ELIZACLOUD_BASE_URL,
ELIZACLOUD_API_KEY (else ELIZAOS_CLOUD_API_KEY, which login exports) and
ELIZACLOUD_INSECURE_LOCAL when the caller did not pass the option; an explicit argument wins.
The ``elizacloud`` logger is quiet unless the program configures logging or sets ELIZACLOUD_LOG."""

from __future__ import annotations

import asyncio
import logging

from binding_support import _clean_env, cloud_kwargs, run_python  # noqa: F401

import elizacloud
from elizacloud.aio import AsyncCloud

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers there


def _env_kwargs(emulator, tmp_path):
    # Everything but the URL, the key and insecure_local, which the environment gives.
    kwargs = cloud_kwargs(emulator, tmp_path)
    del kwargs["insecure_local"]
    return kwargs


def test_the_environment_gives_the_url_and_the_key(emulator, tmp_path, api_key, monkeypatch):
    monkeypatch.setenv("ELIZACLOUD_BASE_URL", emulator.url)
    monkeypatch.setenv("ELIZACLOUD_API_KEY", api_key)
    monkeypatch.setenv("ELIZACLOUD_INSECURE_LOCAL", "1")
    with elizacloud.Cloud(**_env_kwargs(emulator, tmp_path)) as cloud:
        assert cloud.api_key == api_key
        status = cloud.status()
        assert status["connected"] is True and status["hasApiKey"] is True


def test_login_s_exported_key_is_read_back(emulator, tmp_path, api_key, monkeypatch):
    monkeypatch.setenv("ELIZAOS_CLOUD_API_KEY", api_key)
    with elizacloud.Cloud(emulator.url, **cloud_kwargs(emulator, tmp_path)) as cloud:
        assert cloud.api_key == api_key
        assert cloud.status()["connected"] is True
    # ELIZACLOUD_API_KEY comes first
    monkeypatch.setenv("ELIZACLOUD_API_KEY", "eliza_from_elizacloud_api_key")
    with elizacloud.Cloud(emulator.url, **cloud_kwargs(emulator, tmp_path)) as cloud:
        assert cloud.api_key == "eliza_from_elizacloud_api_key"


def test_explicit_arguments_win_over_the_environment(emulator, tmp_path, api_key, monkeypatch):
    monkeypatch.setenv("ELIZACLOUD_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("ELIZACLOUD_API_KEY", "eliza_not_this_one")
    with elizacloud.Cloud(
        emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path)
    ) as cloud:
        assert cloud.api_key == api_key
        assert cloud.status()["connected"] is True
    # blank variables are unset ones
    monkeypatch.setenv("ELIZACLOUD_BASE_URL", " ")
    monkeypatch.setenv("ELIZACLOUD_API_KEY", "")
    with elizacloud.Cloud(emulator.url, **cloud_kwargs(emulator, tmp_path)) as cloud:
        assert cloud.api_key is None


def test_async_cloud_reads_the_environment_too(emulator, tmp_path, api_key, monkeypatch):
    monkeypatch.setenv("ELIZACLOUD_BASE_URL", emulator.url)
    monkeypatch.setenv("ELIZACLOUD_API_KEY", api_key)

    async def main() -> dict:
        async with AsyncCloud(**cloud_kwargs(emulator, tmp_path)) as cloud:
            assert cloud.api_key == api_key
            return await cloud.status()

    assert asyncio.run(asyncio.wait_for(main(), 60))["connected"] is True


def test_the_logger_has_a_null_handler():
    handlers = logging.getLogger("elizacloud").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


# Connects and disconnects: the library logs a warning (insecure_local) and info lines.
CONNECT = """
import logging, sys
if sys.argv[1:] == ["configured"]:
    logging.basicConfig(level=logging.INFO, format="host: %(message)s")
import elizacloud
with elizacloud.Cloud(no_config_file=True, insecure_local=True) as cloud:
    agent = cloud.agents.create("quiet")
    cloud.connect(agent["id"])
    cloud.disconnect()
print("done")
"""


def _connect(emulator, api_key, *args: str, log: str | None = None):
    env = {"ELIZACLOUD_BASE_URL": emulator.url, "ELIZACLOUD_API_KEY": api_key}
    if log is not None:
        env["ELIZACLOUD_LOG"] = log
    proc = run_python(CONNECT.replace("sys.argv[1:]", repr(list(args))), env=env)
    assert proc.returncode == 0 and proc.stdout.strip() == "done", proc.stderr
    return proc.stderr


def test_quiet_by_default_and_elizacloud_log_speaks(emulator, api_key):
    # nothing at all, not even the warning, when the program configured no logging
    assert _connect(emulator, api_key) == ""
    # ELIZACLOUD_LOG: the lines on stderr, from that level up
    info = _connect(emulator, api_key, log="info")
    assert "elizacloud: WARNING: insecure_local" in info
    assert "elizacloud: INFO: [cloud-manager] Connected to agent" in info
    assert _connect(emulator, api_key, log="error") == ""
    # a program that configured logging gets each line once, through its own handler
    configured = _connect(emulator, api_key, "configured", log="debug")
    assert "host: [cloud-manager] Connected to agent" in configured
    assert "elizacloud: INFO" not in configured
    assert configured.count("Connected to agent") == 1
    # and without ELIZACLOUD_LOG it decides the level itself
    assert "host: [cloud-manager] Connected" in _connect(emulator, api_key, "configured")
    assert "not one of" in _connect(emulator, api_key, log="loud")
