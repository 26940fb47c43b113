"""The build's configuration on a machine that lacks a dependency: CMake stops with the Debian
package to install (and scripts/setup.sh) instead of a bare "Could NOT find CURL"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed")
@pytest.mark.parametrize(
    ("package", "debian", "what"),
    [("CURL", "libcurl4-openssl-dev", "libcurl"), ("fmt", "libfmt-dev", "fmt")],
)
def test_a_missing_dependency_names_its_debian_package(tmp_path, package, debian, what):
    proc = subprocess.run(
        ["cmake", "-S", str(REPO), "-B", str(tmp_path / "build"),
         f"-DCMAKE_DISABLE_FIND_PACKAGE_{package}=TRUE"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    # CMake wraps long messages: compare without the line breaks.
    message = " ".join(proc.stderr.split())
    assert f"elizacloud needs {what}" in message
    assert f"apt-get install {debian}" in message and "scripts/setup.sh" in message
