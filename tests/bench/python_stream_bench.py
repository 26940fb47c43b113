"""python_stream_bench: stream chunk events through the Python package's iterators. The source is
sse_bench's replay server (``sse_bench --serve 1``): the emulator's reply to a long message in
one-character chunks, recorded once and served whole from memory for every stream request, so
the source is never what limits the rate (the emulator itself makes about 50 000 events/s).
Each round reads one whole stream through the asyncio iterator (``async for chunk in
proxy.stream(...)``), then through the blocking one. Figure = chunks per second, median
(min-max) over the rounds. Prints ROW lines as the C benchmarks do, for scripts/bench.sh.

Usage: python3 tests/bench/python_stream_bench.py [--rounds N] [--chars N]
Needs EC_BUILD_DIR (a build with tests/bench/sse_bench) and the elizacloud package importable."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import elizacloud
from elizacloud.aio import AsyncCloud

TARGET = 440_000  # chunks per second through the asyncio iterator


def figure(rates: list[float]) -> str:
    low, high = min(rates) / 1000, max(rates) / 1000
    return f"{statistics.median(rates) / 1000:.0f} k/s ({low:.0f}-{high:.0f})"


async def async_round(proxy: Any, chunks: int) -> float:
    count = 0
    start = time.perf_counter()
    async for _chunk in proxy.stream("go", timeout=300):
        count += 1
    rate = count / (time.perf_counter() - start)
    assert count == chunks, (count, chunks)
    return rate


def sync_round(proxy: Any, chunks: int) -> float:
    count = 0
    start = time.perf_counter()
    for _chunk in proxy.stream("go", timeout=300):
        count += 1
    rate = count / (time.perf_counter() - start)
    assert count == chunks, (count, chunks)
    return rate


async def async_rounds(source: dict[str, Any], folder: str, rounds: int) -> list[float]:
    async with AsyncCloud(
        source["url"], api_key=source["apiKey"], config_path=f"{folder}/a.json",
        insecure_local=True,
    ) as cloud:
        agent = await cloud.agents.create("bench-async")
        proxy = await cloud.connect(agent["id"])
        rates = [await async_round(proxy, source["chunks"]) for _ in range(rounds)]
        await cloud.disconnect()
    return rates


def sync_rounds(source: dict[str, Any], folder: str, rounds: int) -> list[float]:
    with elizacloud.Cloud(
        source["url"], api_key=source["apiKey"], config_path=f"{folder}/s.json",
        insecure_local=True,
    ) as cloud:
        agent = cloud.agents.create("bench-sync")
        proxy = cloud.connect(agent["id"])
        rates = [sync_round(proxy, source["chunks"]) for _ in range(rounds)]
        cloud.disconnect()
    return rates


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--chars", type=int, default=100_000)
    args = parser.parse_args()
    server = Path(os.environ["EC_BUILD_DIR"]) / "tests" / "bench" / "sse_bench"
    replay = subprocess.Popen(
        [str(server), "--serve", "1", "--chars", str(args.chars)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        assert replay.stdout is not None
        source = json.loads(replay.stdout.readline())
        with tempfile.TemporaryDirectory() as folder:
            rates = asyncio.run(async_rounds(source, folder, args.rounds))
            met = "met" if statistics.median(rates) >= TARGET else "NOT met"
            print(f"ROW|SSE chunks through the Python async iterator|-|{figure(rates)}|-|"
                  f">= 440 k/s|{met}", flush=True)
            rates = sync_rounds(source, folder, args.rounds)
            print(f"ROW|SSE chunks through the Python sync iterator|-|{figure(rates)}|-|-|-",
                  flush=True)
    finally:
        if replay.stdin:
            replay.stdin.close()
        replay.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
