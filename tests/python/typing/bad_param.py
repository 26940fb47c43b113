"""A misspelt parameter of a generated method: mypy --strict must reject it."""

from __future__ import annotations

import elizacloud


def misspelt(cloud: elizacloud.Cloud) -> None:
    cloud.agents.create("bot", enviroment={"A": "b"})
