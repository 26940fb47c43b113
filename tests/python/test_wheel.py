"""The repaired (manylinux) wheel of scripts/wheel.sh, installed into a fresh venv: it runs the demo
with nothing else installed, and its ELF files load only libraries the manylinux policy allows
or copies inside the wheel (elizacloud.libs).

Slow (it builds the wheel: ~15 minutes at -j1 from scratch, seconds when the build directory is
current), so it runs only with EC_WHEEL_TEST=1, outside the default suites. EC_WHEEL=PATH tests a
wheel already repaired instead of building one."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("EC_WHEEL_TEST") != "1", reason="set EC_WHEEL_TEST=1 (builds the wheel)"
)

ROOT = Path(__file__).resolve().parents[2]


def _allowed_libraries(tag: str) -> set[str]:
    """The system libraries the manylinux policy ``tag`` allows, from auditwheel's own table."""
    import auditwheel  # type: ignore[import-not-found]

    table = Path(auditwheel.__file__).parent / "policy" / "manylinux-policy.json"
    for policy in json.loads(table.read_text()):
        if policy["name"] == tag:
            return set(policy.get("lib_whitelist") or policy.get("lib_allowlist") or [])
    raise AssertionError(f"auditwheel knows no policy {tag}")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("EC_WHEEL")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "wheel.sh"), str(out)],
        capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return Path(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # --no-index: the wheel alone, nothing from a registry (it has no dependencies)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", str(wheel)],
        check=True, timeout=600,
    )  # fmt: skip
    return env_dir


def test_the_tag_is_manylinux(wheel: Path) -> None:
    assert "-manylinux_" in wheel.name, wheel.name
    shown = subprocess.run(
        ["auditwheel", "show", str(wheel)], capture_output=True, text=True, check=True
    ).stdout
    tag = wheel.name.split("-")[-1].removesuffix(".whl")
    assert f'"{tag}"' in " ".join(shown.split()), shown


def test_the_demo_runs_from_a_fresh_venv(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EC_", "PYTHON"))}
    env["HOME"] = str(tmp_path)  # no config file of the machine's
    proc = subprocess.run(
        [str(installed / "bin" / "elizacloud"), "demo", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert json.loads(proc.stdout)


def test_ldd_lists_only_allowed_or_vendored_libraries(wheel: Path, installed: Path) -> None:
    site = next((installed / "lib").glob("python3*/site-packages"))
    vendored = site / "elizacloud.libs"
    tag = wheel.name.split("-")[-1].removesuffix(".whl").split(".")[0]
    allowed = _allowed_libraries(tag.removesuffix("_x86_64")) | {"linux-vdso.so.1"}
    binaries = [*site.glob("elizacloud/_core*.so"), site / "elizacloud/bin/elizacloud-emulator"]
    for binary in binaries:
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
        assert "not found" not in out, out
        for line in out.splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("/"):  # the dynamic loader itself
                continue
            name = parts[0]
            path = parts[2] if len(parts) > 2 and parts[1] == "=>" else ""
            in_wheel = path and Path(path).resolve().parent == vendored.resolve()
            assert in_wheel or name in allowed, f"{binary.name}: {line.strip()}"
