"""Constructor options shared by Cloud and AsyncCloud, turned into _core.Cloud arguments."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from . import _core, _env
from .errors import InvalidArgumentError


def core_options(
    base_url: str | None,
    api_key: str | None,
    config_path: str | None,
    no_config_file: bool,
    insecure_local: bool | None,
    ca_file: str | None,
    allowed_hosts: str | Sequence[str] | None,
    timings: Mapping[str, int] | None,
    event_queue_capacity: int = 0,
    api_generation: str | None = None,
    confirm_price: str | None = None,
    site_url: str | None = None,
    max_retries: int | None = None,
) -> dict[str, Any]:
    # The environment fills what the caller left out: ELIZACLOUD_BASE_URL, ELIZACLOUD_API_KEY
    # (else ELIZAOS_CLOUD_API_KEY, which login exports), then the config file, then the defaults.
    if base_url is None:
        base_url = _env.base_url()
    if api_key is None:
        api_key = _env.api_key()
    if insecure_local is None and _env.flag("ELIZACLOUD_INSECURE_LOCAL"):
        # The documented development opt-in (1/true/yes/on). An explicit False wins over it;
        # the library logs a warning once per process whenever the mode is on.
        insecure_local = True
    if not isinstance(event_queue_capacity, int) or not 0 <= event_queue_capacity <= 0xFFFFFFFF:
        raise InvalidArgumentError(
            "event_queue_capacity must be an integer from 0 (the default, 4096) to 2**32-1",
            status=_core.EC_ERR_INVALID_ARGUMENT,
        )
    if max_retries is not None and (
        isinstance(max_retries, bool) or not isinstance(max_retries, int)
        or not 0 <= max_retries <= 10
    ):
        raise InvalidArgumentError(
            "max_retries must be an integer from 0 (never retry) to 10",
            status=_core.EC_ERR_INVALID_ARGUMENT,
        )
    if allowed_hosts is not None and not isinstance(allowed_hosts, str):
        allowed_hosts = ",".join(allowed_hosts)
    return {
        "base_url": base_url,
        "api_key": api_key,
        "config_path": None if config_path is None else str(config_path),
        "no_config_file": no_config_file,
        "insecure_local": insecure_local,
        "ca_file": None if ca_file is None else str(ca_file),
        "allowed_hosts": allowed_hosts,
        "timings": {str(k): int(v) for k, v in (timings or {}).items()},
        "event_queue_capacity": event_queue_capacity,
        # Options by their ec_cloud_options name, as text, set through ec_cloud_options_set.
        "strings": {
            name: value
            for name, value in (
                ("api_generation", api_generation),
                ("confirm_price", confirm_price),
                ("site_url", site_url),
                # The library's 0 is "the default"; -1 is "never".
                ("max_retries", None if max_retries is None else str(max_retries or -1)),
            )
            if value is not None
        },
    }


def as_dict(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}

