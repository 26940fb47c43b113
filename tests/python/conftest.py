"""Shared pytest fixtures: emulator processes (tests/python/emulator.py).

Fixtures:
    emulator_binary   path of elizacloud-emulator (session)
    emulator          a fresh emulator per test; extra CLI args with
                      @pytest.mark.emulator_args("--auto-approve", ...)
    emulator_factory  start more emulators with custom args: emulator_factory(["--tls"]);
                      at teardown each is stopped with SIGTERM and must exit 0 without
                      sanitizer reports
    api_key           an API key of the default user on `emulator`
    tls_emulator      an HTTPS emulator (CA file in .ca_file)

The `emulator` fixture is fast: --job-poll-interval-ms 50 and --provision-ms 100 unless the
test's emulator_args set them.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator import Emulator, find_binary  # noqa: E402

# Sanitizer reports in an emulator's stderr fail the test that started it.
SANITIZER_MARKERS = re.compile(r"ERROR: (Address|Leak|Thread)Sanitizer|runtime error: ")


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "emulator_args(*args): extra command-line arguments for the "
                            "`emulator` fixture")


@pytest.fixture(scope="session")
def emulator_binary() -> str:
    return find_binary()


@pytest.fixture
def emulator_factory(emulator_binary):
    started: list[Emulator] = []

    def start(args=(), **kwargs) -> Emulator:
        emu = Emulator(list(args), binary=emulator_binary, **kwargs)
        started.append(emu)
        return emu

    yield start
    problems = []
    for emu in started:
        try:
            code = emu.stop()
        except Exception as exc:  # noqa: BLE001 - clean up the others first
            emu.kill()
            problems.append(f"{emu.url}: {exc}")
            continue
        log = emu.stderr_text()
        if code not in (0, None) or SANITIZER_MARKERS.search(log):
            problems.append(f"{emu.url}: exit code {code}\n{log[-4000:]}")
    if problems:
        pytest.fail("emulator did not shut down cleanly:\n" + "\n".join(problems))


@pytest.fixture
def emulator(request, emulator_factory) -> Emulator:
    args: list[str] = []
    for mark in request.node.iter_markers("emulator_args"):
        args.extend(mark.args)
    if "--job-poll-interval-ms" not in args:
        args += ["--job-poll-interval-ms", "50"]
    if "--provision-ms" not in args:
        args += ["--provision-ms", "100"]
    return emulator_factory(args)


@pytest.fixture
def api_key(emulator) -> str:
    return emulator.create_key()["apiKey"]


@pytest.fixture
def tls_emulator(emulator_factory) -> Emulator:
    return emulator_factory(["--tls", "--job-poll-interval-ms", "50"])
