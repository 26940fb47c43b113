"""Exceptions: one class per ``ec_status`` of the C ABI, all derived from :class:`ElizaCloudError`.

Every failure of the library arrives as a status code, the library's message (never containing an
API key) and, for cloud errors, the details the cloud sent (HTTP status, retry-after, the balances
of a 402). ``_from_core`` builds the matching exception; the C++ binding calls it too, so the
binding and the Python layer raise the very same classes.
"""

from __future__ import annotations

import json
import math
from typing import Any

from . import _core

__all__ = ["ElizaCloudError", "error_class"]  # and every generated class, below


from ._error_base import ElizaCloudError, _Balances  # noqa: F401 - the base, re-exported

# One class per status, generated from EC_STATUS_MAP (tools/gen_surfaces.py).
from . import _error_classes  # noqa: E402
from ._error_classes import *  # noqa: E402, F403

__all__ += _error_classes.__all__
_CLASSES: dict[int, type[ElizaCloudError]] = {cls.status: cls for cls in _error_classes.CLASSES}



def error_class(status: int) -> type[ElizaCloudError]:
    """The exception class of an ``ec_status`` (``ElizaCloudError`` for unknown codes)."""
    return _CLASSES.get(status, ElizaCloudError)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def _details(details: Any) -> dict[str, Any]:
    """Error details from the JSON the ABI attaches to a failure (absent fields are left out)."""
    if isinstance(details, str):
        try:
            details = json.loads(details) if details.strip() else {}
        except ValueError:
            return {}
    if not isinstance(details, dict):
        return {}
    if isinstance(details.get("error"), dict):  # {"error": {...}} wrapping
        details = details["error"]
    out: dict[str, Any] = {}
    http = details.get("httpStatus", details.get("http_status"))
    if isinstance(http, int) and not isinstance(http, bool) and http > 0:
        out["http_status"] = http
    code = details.get("code", details.get("cloudCode"))
    if isinstance(code, str) and code:
        out["code"] = code
    retry_ms = _number(details.get("retryAfterMs"))
    retry = _number(details.get("retryAfter"))
    if retry_ms is not None and retry_ms >= 0:
        out["retry_after"] = retry_ms / 1000.0
    elif retry is not None and retry >= 0:
        out["retry_after"] = retry
    for src, dst in (
        ("requiredBalance", "required_balance"),
        ("currentBalance", "current_balance"),
    ):
        value = _number(details.get(src))
        if value is not None:
            out[dst] = value
    if details.get("retryable") is True:
        out["retryable"] = True
    for key in ("pricing", "details"):
        if isinstance(details.get(key), dict):
            out[key] = details[key]
    if isinstance(details.get("rateLimit"), dict):
        out["rate_limit"] = details["rateLimit"]
    return out


def _from_core(status: int, message: str, details: Any = "") -> ElizaCloudError:
    """The exception for a failure reported by the C ABI (used by the binding and the API)."""
    cls = error_class(status)
    return cls(message or _core.status_name(status), status=status, **_details(details))
