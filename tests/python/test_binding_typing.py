"""Type hints: mypy --strict over the package and its stubs, over code that uses the installed
package, and mypy.stubtest of _core.pyi against the compiled extension."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytest.importorskip("mypy")


def mypy(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_package_and_stubs_pass_mypy_strict():
    proc = mypy("--strict", str(REPO / "python" / "elizacloud"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


USER_CODE = """
    import asyncio
    import elizacloud
    from elizacloud.aio import AsyncCloud

    def sync_use() -> str:
        with elizacloud.Cloud(no_config_file=True) as cloud:
            state: elizacloud.State = cloud.state
            agents: list[dict[str, object]] = [dict(a) for a in cloud.agents.list(timeout=1.0)]
            proxy = cloud.connect("00000000-0000-4000-8000-000000000000")
            chunks: list[str] = list(proxy.stream("hi"))
            try:
                return proxy.send("hi") + str(state) + str(len(agents)) + "".join(chunks)
            except elizacloud.RateLimitedError as exc:
                return str(exc.retry_after)

    async def async_use() -> bool:
        async with AsyncCloud(no_config_file=True) as cloud:
            proxy = await cloud.connect("00000000-0000-4000-8000-000000000000")
            async for chunk in proxy.stream("hi"):
                print(chunk)
            async for event in cloud.events(timeout=0.1):
                print(event.describe())
            return await proxy.is_alive()
"""


def test_user_code_type_checks_against_the_installed_package(tmp_path):
    (tmp_path / "user.py").write_text(textwrap.dedent(USER_CODE))
    proc = mypy("--strict", "user.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    (tmp_path / "wrong.py").write_text(
        "import elizacloud\nx: int = elizacloud.Cloud().state.name\n"
    )
    proc = mypy("--strict", "wrong.py", cwd=tmp_path)
    assert proc.returncode != 0 and "Incompatible types" in proc.stdout


def test_core_stub_matches_the_extension(tmp_path):
    # pybind11 classes have their own metaclass and a catch-all __init__; nothing else may differ.
    allow = tmp_path / "allowlist.txt"
    allow.write_text(
        "elizacloud._core.Cloud$\nelizacloud._core.Event$\nelizacloud._core.Event.__init__\n"
        "elizacloud._core.RestServer$\nelizacloud._core.RestResponse$\n"
        "elizacloud._core.RestResponse.__init__\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "elizacloud._core", "--allowlist", str(allow)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": ""},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
