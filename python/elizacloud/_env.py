"""Exports the API key to the host's environment after login (SPEC 2.1) and removes it after
logout, the way the reference plugin does for its host runtime."""

from __future__ import annotations

import os

KEY_VAR = "ELIZAOS_CLOUD_API_KEY"
ENABLED_VAR = "ELIZAOS_CLOUD_ENABLED"


def export_key(key: str | None) -> None:
    if key:
        os.environ[KEY_VAR] = key
        os.environ[ENABLED_VAR] = "true"


def clear_key() -> None:
    os.environ.pop(KEY_VAR, None)
    os.environ.pop(ENABLED_VAR, None)


def flag(name: str) -> bool:
    """True when an environment flag is set to 1/true/yes/on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
