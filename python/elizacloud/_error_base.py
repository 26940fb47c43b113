"""The base of every elizacloud exception and what some generated classes add (errors.py puts
them together with the classes generated per status in _error_classes.py)."""

from __future__ import annotations

from typing import Any

from . import _core

# The HTTP status a cloud error status implies when the library did not report one.
_HTTP = {
    _core.EC_ERR_UNAUTHORIZED: 401,
    _core.EC_ERR_INSUFFICIENT_CREDITS: 402,
    _core.EC_ERR_FORBIDDEN: 403,
    _core.EC_ERR_NOT_FOUND: 404,
    _core.EC_ERR_CONFLICT: 409,
    _core.EC_ERR_RATE_LIMITED: 429,
}


class ElizaCloudError(Exception):
    """Base of every elizacloud failure.

    Attributes: ``status`` (the negative ``ec_status`` number), ``status_name``
    (``"EC_ERR_TIMEOUT"``…), ``message``, ``http_status`` (``None`` when no HTTP response was
    involved), ``code`` (the cloud's error code, if sent), ``retry_after`` (seconds, 429 only),
    ``required_balance`` / ``current_balance`` (402 only), ``retryable`` (the cloud said the
    same request may be sent again), ``pricing`` (the quote of a ``PriceConfirmationError``:
    show it, then pass ``pricing["acceptanceValue"]`` as ``confirm_price``), ``details`` (the
    cloud's details object, e.g. a ``QuotaError``'s ``currentAgents`` / ``maxAgents``),
    ``rate_limit`` (``{"limit", "remaining", "reset"}`` from the ``X-RateLimit-*`` headers).
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
        retryable: bool = False,
        pricing: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        rate_limit: dict[str, Any] | None = None,
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
        self.retryable = retryable
        self.pricing = pricing
        self.details = details
        self.rate_limit = rate_limit

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
        """The error as a JSON-ready dict (the CLI's ``--json`` error output), with the records'
        camelCase keys (the Node package's ``toJSON()`` has the same)."""
        out: dict[str, Any] = {"status": self.status_name, "message": self.message}
        for attr, key in (
            ("http_status", "httpStatus"),
            ("code", "code"),
            ("retry_after", "retryAfter"),
            ("required_balance", "requiredBalance"),
            ("current_balance", "currentBalance"),
            ("pricing", "pricing"),
            ("details", "details"),
            ("rate_limit", "rateLimit"),
        ):
            value = getattr(self, attr)
            if value is not None:
                out[key] = value
        if self.retryable:
            out["retryable"] = True
        return out


def _rebuild(cls: type[ElizaCloudError], message: str, state: dict[str, Any]) -> ElizaCloudError:
    exc = cls(message)
    exc.__dict__.update(state)
    return exc


class _Balances(ElizaCloudError):
    """What InsufficientCreditsError adds: the balances of a 402 under short names."""

    @property
    def required(self) -> float | None:
        return self.required_balance

    @property
    def current(self) -> float | None:
        return self.current_balance
