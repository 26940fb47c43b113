"""Exceptions: one class per ``ec_status`` of the C ABI, all derived from :class:`ElizaCloudError`.

Every failure of the library arrives as a status code, the library's message (never containing an
API key) and, for cloud errors, the details the cloud sent (HTTP status, retry-after, the balances
of a 402). ``_from_core`` builds the matching exception; the C++ binding calls it too, so the
binding and the Python layer raise the very same classes.
"""

from __future__ import annotations

import builtins
import json
import math
from typing import Any

from . import _core

__all__ = [
    "ElizaCloudError",
    "InvalidArgumentError",
    "NoMemoryError",
    "InternalError",
    "EmptyError",
    "TimeoutError",
    "CancelledError",
    "NetworkError",
    "RedirectRefusedError",
    "UrlBlockedError",
    "TlsError",
    "ProtocolError",
    "ResponseTooLargeError",
    "AuthError",
    "ForbiddenError",
    "NotFoundError",
    "ConflictError",
    "RateLimitedError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "ServerError",
    "LoginExpiredError",
    "KeyAlreadyRetrievedError",
    "NotConnectedError",
    "ReentrantError",
    "BusyError",
    "EventOverflowError",
    "ConfigIOError",
    "IncompatibleError",
    "ProvisionFailedError",
    "AgentError",
    "error_class",
]


class ElizaCloudError(Exception):
    """Base of every elizacloud failure.

    Attributes: ``status`` (the negative ``ec_status`` number), ``status_name``
    (``"EC_ERR_TIMEOUT"``…), ``message``, ``http_status`` (``None`` when no HTTP response was
    involved), ``code`` (the cloud's error code, if sent), ``retry_after`` (seconds, 429 only),
    ``required_balance`` / ``current_balance`` (402 only).
    """

    status: int = _core.EC_ERR_INTERNAL

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        http_status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        required_balance: float | None = None,
        current_balance: float | None = None,
    ) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
        self.message = message
        self.http_status = http_status if http_status is not None else _HTTP.get(self.status)
        self.code = code
        self.retry_after = retry_after
        self.required_balance = required_balance
        self.current_balance = current_balance

    @property
    def status_name(self) -> str:
        return _core.status_name(self.status)

    def __str__(self) -> str:
        return self.message or self.status_name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status_name}: {self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only details would be lost by Exception's default pickling.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready dict (the CLI's ``--json`` error output)."""
        out: dict[str, Any] = {"status": self.status_name, "message": self.message}
        for key in ("http_status", "code", "retry_after", "required_balance", "current_balance"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def _rebuild(cls: type[ElizaCloudError], message: str, state: dict[str, Any]) -> ElizaCloudError:
    exc = cls(message)
    exc.__dict__.update(state)
    return exc


class InvalidArgumentError(ElizaCloudError, ValueError):
    status = _core.EC_ERR_INVALID_ARGUMENT


class NoMemoryError(ElizaCloudError, MemoryError):
    status = _core.EC_ERR_NO_MEMORY


class InternalError(ElizaCloudError):
    """A bug in the library: please report it."""

    status = _core.EC_ERR_INTERNAL


class EmptyError(ElizaCloudError):
    status = _core.EC_ERR_EMPTY


class TimeoutError(ElizaCloudError, builtins.TimeoutError):  # noqa: A001 - the status's name
    status = _core.EC_ERR_TIMEOUT


class CancelledError(ElizaCloudError):
    status = _core.EC_ERR_CANCELLED


class NetworkError(ElizaCloudError):
    status = _core.EC_ERR_NETWORK


class RedirectRefusedError(ElizaCloudError):
    status = _core.EC_ERR_REDIRECT_REFUSED


class UrlBlockedError(ElizaCloudError):
    status = _core.EC_ERR_URL_BLOCKED


class TlsError(ElizaCloudError):
    status = _core.EC_ERR_TLS


class ProtocolError(ElizaCloudError):
    status = _core.EC_ERR_PROTOCOL


class ResponseTooLargeError(ElizaCloudError):
    status = _core.EC_ERR_RESPONSE_TOO_LARGE


class AuthError(ElizaCloudError):
    """The cloud refused the API key (HTTP 401)."""

    status = _core.EC_ERR_UNAUTHORIZED


class ForbiddenError(ElizaCloudError):
    status = _core.EC_ERR_FORBIDDEN


class NotFoundError(ElizaCloudError):
    status = _core.EC_ERR_NOT_FOUND


class ConflictError(ElizaCloudError):
    status = _core.EC_ERR_CONFLICT


class RateLimitedError(ElizaCloudError):
    """HTTP 429; ``retry_after`` is the wait in seconds the cloud asked for (or ``None``)."""

    status = _core.EC_ERR_RATE_LIMITED


class InsufficientCreditsError(ElizaCloudError):
    """HTTP 402; ``required`` and ``current`` are the balances the cloud reported."""

    status = _core.EC_ERR_INSUFFICIENT_CREDITS

    @property
    def required(self) -> float | None:
        return self.required_balance

    @property
    def current(self) -> float | None:
        return self.current_balance


class InvalidRequestError(ElizaCloudError):
    status = _core.EC_ERR_INVALID_REQUEST


class ServerError(ElizaCloudError):
    status = _core.EC_ERR_SERVER


class LoginExpiredError(ElizaCloudError):
    status = _core.EC_ERR_LOGIN_EXPIRED


class KeyAlreadyRetrievedError(ElizaCloudError):
    status = _core.EC_ERR_KEY_ALREADY_RETRIEVED


class NotConnectedError(ElizaCloudError):
    status = _core.EC_ERR_NOT_CONNECTED


class ReentrantError(ElizaCloudError):
    status = _core.EC_ERR_REENTRANT


class BusyError(ElizaCloudError):
    status = _core.EC_ERR_BUSY


class EventOverflowError(ElizaCloudError):
    """A bounded event queue overflowed. Streams are paused while the queue is full, so only a
    stream past the queue's hard limit (capacity + 65536 chunks) ends with this."""

    status = _core.EC_ERR_OVERFLOW


class ConfigIOError(ElizaCloudError):
    status = _core.EC_ERR_IO


class IncompatibleError(ElizaCloudError):
    status = _core.EC_ERR_INCOMPATIBLE


class ProvisionFailedError(ElizaCloudError):
    status = _core.EC_ERR_PROVISION_FAILED


class AgentError(ElizaCloudError):
    """The agent answered with a JSON-RPC error (e.g. ``Sandbox is not running``)."""

    status = _core.EC_ERR_AGENT


_CLASSES: dict[int, type[ElizaCloudError]] = {
    cls.status: cls
    for cls in (
        InvalidArgumentError, NoMemoryError, InternalError, EmptyError, TimeoutError,
        CancelledError, NetworkError, RedirectRefusedError, UrlBlockedError, TlsError,
        ProtocolError, ResponseTooLargeError, AuthError, ForbiddenError, NotFoundError,
        ConflictError, RateLimitedError, InsufficientCreditsError, InvalidRequestError,
        ServerError, LoginExpiredError, KeyAlreadyRetrievedError, NotConnectedError,
        ReentrantError, BusyError, EventOverflowError, ConfigIOError, IncompatibleError,
        ProvisionFailedError, AgentError,
    )
}  # fmt: skip

# The HTTP status a cloud error status implies when the library did not report one.
_HTTP = {
    _core.EC_ERR_UNAUTHORIZED: 401,
    _core.EC_ERR_INSUFFICIENT_CREDITS: 402,
    _core.EC_ERR_FORBIDDEN: 403,
    _core.EC_ERR_NOT_FOUND: 404,
    _core.EC_ERR_CONFLICT: 409,
    _core.EC_ERR_RATE_LIMITED: 429,
}


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
    return out


def _from_core(status: int, message: str, details: Any = "") -> ElizaCloudError:
    """The exception for a failure reported by the C ABI (used by the binding and the API)."""
    cls = error_class(status)
    return cls(message or _core.status_name(status), status=status, **_details(details))
