"""The asyncio API (elizacloud.aio.AsyncCloud) against the emulator: the lifecycle with
awaitables, async iteration over streams and events, task cancellation, and no helper thread."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest
from binding_support import _clean_env, cloud_kwargs  # noqa: F401

import elizacloud
from elizacloud import EventType, State
from elizacloud.aio import AsyncCloud


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


@pytest.mark.emulator_args("--auto-approve", "--stream-chunk-chars", "2")
def test_async_lifecycle(emulator, tmp_path):
    async def main() -> None:
        async with AsyncCloud(emulator.url, **cloud_kwargs(emulator, tmp_path)) as cloud:
            # no pump thread here: events arrive through loop.add_reader on the wake fd
            assert not any(t.name.startswith("elizacloud-") for t in threading.enumerate())
            states: list[State | None] = []
            cloud.on_state_change(lambda ev: states.append(ev.state))
            urls: list[str] = []

            async def on_url(url: str) -> None:  # coroutine callbacks are awaited
                urls.append(url)

            login = await cloud.login(on_browser_url=on_url, timeout=10)
            assert urls and login["keyPrefix"]
            assert os.environ["ELIZAOS_CLOUD_API_KEY"] == cloud.api_key
            assert (await cloud.status())["connected"] is True
            assert (await cloud.identity())["userId"] == login["userId"]
            assert (await cloud.credits())["balance"] == 25

            agent = await cloud.agents.create("async")
            assert [a["id"] for a in await cloud.agents.list()] == [agent["id"]]
            assert (await cloud.agents.get(agent["id"]))["agentName"] == "async"
            proxy = await cloud.connect(agent["id"])
            assert cloud.state is State.CONNECTED
            assert await proxy.send("hi") == "echo: hi"
            chunks = [chunk async for chunk in proxy.stream("two by two")]
            assert "".join(chunks) == "echo: two by two" and len(chunks) > 4
            assert (await proxy.status())["state"] == "running"
            assert await proxy.is_alive()

            snap = await cloud.snapshot()
            assert [b["id"] for b in await cloud.backups()] == [snap["backupId"]]
            assert (await cloud.restore(snap["backupId"]))["restoredFromBackupId"] == snap[
                "backupId"
            ]
            await cloud.disconnect()
            await asyncio.sleep(0.05)
            assert states == [State.CONNECTING, State.CONNECTED, State.DISCONNECTED]
            await cloud.agents.delete(agent["id"])
            await cloud.logout()
            assert "ELIZAOS_CLOUD_API_KEY" not in os.environ
        assert cloud.closed

    run(main())


def test_async_events_iterator_and_reconnect(emulator, tmp_path, api_key):
    async def main() -> None:
        async with AsyncCloud(
            emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path)
        ) as cloud:
            agent = await cloud.agents.create("events")
            events = cloud.events(types=[EventType.STATE_CHANGED], timeout=10)
            await cloud.connect(agent["id"])
            emulator.heartbeat_failures(2, agentId=agent["id"])
            seen = []
            async for ev in events:
                seen.append(ev.state)
                if seen[-2:] == [State.RECONNECTING, State.CONNECTED]:
                    break
            assert seen[:2] == [State.CONNECTING, State.CONNECTED]
            await events.aclose()

    run(main())


def test_task_cancellation_cancels_the_request(emulator, tmp_path, api_key):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=3000, times=2)
    emulator.add_fault(path="/api/v1/milady/agents", action="delay", delayMs=500)

    async def main() -> None:
        async with AsyncCloud(
            emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path)
        ) as cloud:
            task = asyncio.create_task(cloud.identity())
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            with pytest.raises(TimeoutError):
                await cloud.identity(timeout=0.1)
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            t = asyncio.create_task(ticker())
            started = time.monotonic()
            await cloud.agents.list()  # the loop keeps running while this request is in flight
            assert 0.4 < time.monotonic() - started < 2
            t.cancel()
            assert ticks > 20

    run(main())


def test_async_login_cancel(emulator, tmp_path):
    async def main() -> None:
        async with AsyncCloud(emulator.url, **cloud_kwargs(emulator, tmp_path)) as cloud:
            got_url = asyncio.Event()
            task = asyncio.create_task(cloud.login(on_browser_url=lambda _: got_url.set()))
            await asyncio.wait_for(got_url.wait(), 5)
            cloud.cancel_login()
            with pytest.raises(elizacloud.CancelledError):
                await task

    run(main())


def test_async_stream_and_loop_stay_responsive(emulator, tmp_path, api_key):
    async def main() -> None:
        async with AsyncCloud(
            emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path)
        ) as cloud:
            agent = await cloud.agents.create("s")
            proxy = await cloud.connect(agent["id"])
            emulator.config(streamChunkChars=1, streamChunkDelayMs=5)
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.005)

            t = asyncio.create_task(ticker())
            text = ""
            async with proxy.stream("responsive loop") as stream:
                async for chunk in stream:
                    text += chunk
            t.cancel()
            assert text == "echo: responsive loop"
            assert ticks > 5

    run(main())


def test_async_close_fails_waiters_and_refuses_calls(emulator, tmp_path, api_key):
    emulator.add_fault(path="/api/v1/user", action="delay", delayMs=3000)

    async def main() -> None:
        cloud = AsyncCloud(emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path))
        task = asyncio.create_task(cloud.identity())
        await asyncio.sleep(0.1)
        await cloud.aclose()
        with pytest.raises(elizacloud.CancelledError):
            await task
        with pytest.raises(elizacloud.InvalidArgumentError):
            await cloud.status()

    run(main())


def test_async_user_update(emulator, tmp_path, api_key):
    async def main() -> None:
        kwargs = cloud_kwargs(emulator, tmp_path)
        kwargs["api_key"] = api_key
        async with AsyncCloud(emulator.url, **kwargs) as cloud:
            user = await cloud.user.update(name="Async Name", timeout=10)
            assert user["name"] == "Async Name"
            assert (await cloud.identity())["name"] == "Async Name"

    run(main())


def test_async_direct_proxy_talks_to_a_running_agent_without_connecting(
    emulator, tmp_path, api_key
):
    agent_id = emulator.running_agent(api_key, "already-up")
    provisions = emulator.request_count("POST /api/v1/milady/agents/{id}/provision")

    async def main() -> None:
        async with AsyncCloud(
            emulator.url, api_key=api_key, **cloud_kwargs(emulator, tmp_path)
        ) as cloud:
            proxy = elizacloud.AsyncProxy(cloud, agent_id, direct=True)
            assert await proxy.send("hi") == "echo: hi"
            chunks = [chunk async for chunk in proxy.stream("streamed")]
            assert "".join(chunks) == "echo: streamed"
            assert cloud.state == State.DISCONNECTED  # no connection was made
            # Without direct, the same proxy needs a connected agent.
            with pytest.raises(elizacloud.ElizaCloudError):
                await elizacloud.AsyncProxy(cloud, agent_id).send("hi")

    run(main())
    assert emulator.request_count("POST /api/v1/milady/agents/{id}/provision") == provisions
