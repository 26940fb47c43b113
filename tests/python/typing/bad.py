"""A misspelt field of a generated result type: mypy --strict must reject it."""

from __future__ import annotations

import elizacloud


def misspelt(cloud: elizacloud.Cloud) -> str:
    created = cloud.agents.create("bot")
    return created["agentNmae"]
