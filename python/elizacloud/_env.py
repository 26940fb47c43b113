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


# Read when the caller did not pass the option (an explicit argument wins; SPEC 8, docs/python.md).
BASE_URL_VAR = "ELIZACLOUD_BASE_URL"
API_KEY_VARS = ("ELIZACLOUD_API_KEY", KEY_VAR)  # the first set wins; login exports the second
LOG_VAR = "ELIZACLOUD_LOG"


def text(name: str) -> str | None:
    """An environment variable's value, or None when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


def base_url() -> str | None:
    return text(BASE_URL_VAR)


def api_key() -> str | None:
    for name in API_KEY_VARS:
        value = text(name)
        if value:
            return value
    return None


def flag(name: str) -> bool:
    """True when an environment flag is set to 1/true/yes/on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
