"""Typed use of the generated surfaces: must pass mypy --strict (test_generated_surfaces.py)."""

from __future__ import annotations

import elizacloud
from elizacloud.aio import AsyncCloud
from elizacloud.resources import AgentsCreateParams
from elizacloud.types import Agent, AgentCreated, BackupInfo


def sync_use(cloud: elizacloud.Cloud) -> str:
    created = cloud.agents.create("bot", config={"bio": "x"}, environment={"A": "b"})
    reveal_type(created)
    agent: Agent = cloud.agents.provision(created["id"], on_progress=lambda ev: None)
    name: str | None = agent.get("agentName")
    backups: list[BackupInfo] = cloud.backups.list(agent_id=created["id"])
    also: list[BackupInfo] = cloud.backups()  # the method of earlier releases
    balance: float | None = cloud.credits(fresh=True)["balance"]
    cloud.agents.delete(created["id"])
    params: AgentsCreateParams = {"agentName": "bot2", "environmentVars": {"K": "v"}}
    cloud.call("agents.create", params)
    return f"{name} {len(backups) + len(also)} {balance}"


async def async_use(cloud: AsyncCloud) -> AgentCreated:
    created = await cloud.agents.create("bot")
    job = await cloud.jobs.get("job-1", timeout=5.0)
    status: str = job["status"]
    print(status)
    return created
