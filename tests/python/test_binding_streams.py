"""Streams never lose data and never hang: a long reply in many small chunks arrives whole through
the sync and asyncio iterators (the library pauses the stream while its event queue is full), and
closing or cancelling a stream wakes a reader blocked on it with CancelledError."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from binding_support import _clean_env, cloud, cloud_kwargs, make_cloud  # noqa: F401

import elizacloud
from elizacloud.aio import AsyncCloud

PIECE = "0123456789abcdef"
REPEAT = 65536  # 1 MiB
EXPECTED = PIECE * REPEAT


def long_reply(emulator) -> None:
    emulator.config(streamChunkChars=8)
    emulator.script_replies([{"text": PIECE, "repeat": REPEAT}])


def test_one_mebibyte_reply_through_the_sync_iterator(cloud, emulator):
    agent = cloud.agents.create("long")
    proxy = cloud.connect(agent["id"])
    long_reply(emulator)
    chunks = 0
    parts: list[str] = []
    for chunk in proxy.stream("long", timeout=60):
        chunks += 1
        parts.append(chunk)
    assert chunks == 2 * REPEAT
    assert "".join(parts) == EXPECTED
    # The default capacity, 32 times fewer events than the reply: the pump thread is slower than
    # the library, so the stream is paused many times on the way (about 50 here).
    assert cloud.event_stats()["capacity"] == 4096


def test_one_mebibyte_reply_through_the_async_iterator(emulator, api_key, tmp_path):
    async def main() -> None:
        kwargs = cloud_kwargs(emulator, tmp_path, api_key=api_key)
        async with AsyncCloud(emulator.url, **kwargs) as cloud:
            agent = await cloud.agents.create("long")
            proxy = await cloud.connect(agent["id"])
            long_reply(emulator)
            stream = proxy.stream("long", timeout=60)
            # The loop is blocked (nobody drains the queue) until the library paused the stream.
            deadline = time.monotonic() + 60
            while cloud.event_stats()["streamPauses"] == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert cloud.event_stats()["streamPauses"] > 0
            chunks = 0
            parts: list[str] = []
            async for chunk in stream:
                chunks += 1
                parts.append(chunk)
            assert chunks == 2 * REPEAT
            assert "".join(parts) == EXPECTED

    asyncio.run(asyncio.wait_for(main(), 120))


def test_event_queue_capacity_is_an_option(make_cloud):
    cloud = make_cloud(event_queue_capacity=16)
    assert cloud.event_stats() == {"capacity": 16, "queued": 0, "dropped": 0, "streamPauses": 0}
    with pytest.raises(elizacloud.InvalidArgumentError):
        make_cloud(event_queue_capacity=-1)


def blocked_reader(stream: elizacloud.Stream) -> tuple[threading.Thread, list[BaseException]]:
    """Iterates `stream` on a thread; the exception that ended it lands in the list."""
    outcome: list[BaseException] = []
    started = threading.Event()

    def read() -> None:
        try:
            started.set()
            for _ in stream:
                pass
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    started.wait()
    time.sleep(0.3)  # let it block on the next chunk (the emulator sends one per 5 s)
    return thread, outcome


@pytest.mark.emulator_args("--stream-chunk-chars", "1", "--stream-chunk-delay-ms", "5000")
def test_close_from_another_thread_wakes_a_blocked_reader(cloud):
    proxy = cloud.connect(cloud.agents.create("close")["id"])
    stream = proxy.stream("slow")
    thread, outcome = blocked_reader(stream)
    start = time.monotonic()
    stream.close()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the reader is still blocked after close()"
    assert time.monotonic() - start < 5  # at once, not when the next chunk would come
    assert len(outcome) == 1 and isinstance(outcome[0], elizacloud.CancelledError)
    # The cloud closes normally afterwards.
    cloud.close()


@pytest.mark.emulator_args("--stream-chunk-chars", "1", "--stream-chunk-delay-ms", "5000")
def test_cloud_close_wakes_a_blocked_reader(cloud):
    proxy = cloud.connect(cloud.agents.create("close")["id"])
    stream = proxy.stream("slow")
    thread, outcome = blocked_reader(stream)
    cloud.close()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the reader is still blocked after cloud.close()"
    assert len(outcome) == 1 and isinstance(outcome[0], elizacloud.CancelledError)


@pytest.mark.emulator_args("--stream-chunk-chars", "1", "--stream-chunk-delay-ms", "5000")
def test_async_stream_cancel_wakes_the_awaiting_task(emulator, api_key, tmp_path):
    async def main() -> None:
        kwargs = cloud_kwargs(emulator, tmp_path, api_key=api_key)
        async with AsyncCloud(emulator.url, **kwargs) as cloud:
            proxy = await cloud.connect((await cloud.agents.create("cancel"))["id"])
            for from_thread in (False, True):
                stream = proxy.stream("slow")
                reader = asyncio.ensure_future(stream.__anext__())
                await asyncio.sleep(0.3)  # the reader awaits the next chunk
                if from_thread:
                    other = threading.Thread(target=stream.cancel)
                    other.start()
                    other.join()
                else:
                    stream.cancel()
                with pytest.raises(elizacloud.CancelledError):
                    await asyncio.wait_for(reader, 5)

    asyncio.run(asyncio.wait_for(main(), 60))


def test_one_mebibyte_reply_over_https_with_a_small_queue(tls_emulator):
    # TLS keeps decrypted bytes of its own: pausing and resuming must lose none of them. A small
    # queue makes the stream pause thousands of times.
    key = tls_emulator.create_key()["apiKey"]
    with elizacloud.Cloud(
        tls_emulator.url,
        api_key=key,
        no_config_file=True,
        insecure_local=True,
        ca_file=tls_emulator.ca_file,
        event_queue_capacity=16,
    ) as cloud:
        proxy = cloud.connect(cloud.agents.create("tls")["id"])
        long_reply(tls_emulator)
        text = "".join(proxy.stream("long", timeout=60))
        assert text == EXPECTED
        stats = cloud.event_stats()
        assert stats["capacity"] == 16 and stats["streamPauses"] > 0  # thousands, in practice


@pytest.mark.emulator_args("--stream-chunk-chars", "2")
def test_concurrent_streams_each_get_their_own_chunks_in_order(emulator, api_key, tmp_path):
    # Chunks of several streams drained in one batch are told apart by request id (the
    # router hands each run of one stream's chunks over at once).
    texts = [letter * 3000 for letter in "ABC"]

    async def main() -> None:
        kwargs = cloud_kwargs(emulator, tmp_path, api_key=api_key)
        async with AsyncCloud(emulator.url, **kwargs) as cloud:
            proxy = await cloud.connect((await cloud.agents.create("many"))["id"])

            async def read(text: str) -> str:
                return "".join([chunk async for chunk in proxy.stream(text, timeout=60)])

            got = await asyncio.gather(*(read(t) for t in texts))
            assert got == [f"echo: {t}" for t in texts]

    asyncio.run(asyncio.wait_for(main(), 120))

    with elizacloud.Cloud(emulator.url, **cloud_kwargs(emulator, tmp_path, api_key=api_key)) as c:
        proxy = c.connect(c.agents.create("many-sync")["id"])
        results: dict[str, str] = {}

        def read_sync(text: str) -> None:
            results[text] = "".join(proxy.stream(text, timeout=60))

        threads = [threading.Thread(target=read_sync, args=(t,)) for t in texts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert results == {t: f"echo: {t}" for t in texts}
