"""Events a :class:`~elizacloud.Cloud` reports: connection-state changes, login and provisioning
progress, credentials changes, backups. Plain immutable records converted from the C ABI's
``ec_event``; the JSON payload (if any) is parsed into ``data``."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any

from . import _core
from .errors import ElizaCloudError, _from_core

__all__ = ["State", "EventType", "Event"]


class State(enum.IntEnum):
    """Connection state of a cloud's manager (``EC_STATE_*``)."""

    DISCONNECTED = _core.EC_STATE_DISCONNECTED
    CONNECTING = _core.EC_STATE_CONNECTING
    CONNECTED = _core.EC_STATE_CONNECTED
    RECONNECTING = _core.EC_STATE_RECONNECTING
    ERROR = _core.EC_STATE_ERROR

    def __str__(self) -> str:
        return self.name.lower()


class EventType(enum.IntEnum):
    """Kinds of event (``EC_EVENT_*``)."""

    STATE_CHANGED = _core.EC_EVENT_STATE_CHANGED
    LOGIN_BROWSER_URL = _core.EC_EVENT_LOGIN_BROWSER_URL
    LOGIN_PROGRESS = _core.EC_EVENT_LOGIN_PROGRESS
    CREDENTIALS_CHANGED = _core.EC_EVENT_CREDENTIALS_CHANGED
    IDENTITY = _core.EC_EVENT_IDENTITY
    PROVISION_PROGRESS = _core.EC_EVENT_PROVISION_PROGRESS
    BACKUP_DONE = _core.EC_EVENT_BACKUP_DONE
    BACKUP_FAILED = _core.EC_EVENT_BACKUP_FAILED
    STREAM_CHUNK = _core.EC_EVENT_STREAM_CHUNK
    STREAM_END = _core.EC_EVENT_STREAM_END
    REQUEST_COMPLETED = _core.EC_EVENT_REQUEST_COMPLETED
    LOG = _core.EC_EVENT_LOG
    OVERFLOW = _core.EC_EVENT_OVERFLOW

    def __str__(self) -> str:
        return self.name.lower()


def _state(value: int) -> State | None:
    try:
        return State(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Event:
    """One event. Fields that do not apply to a type keep their empty value.

    ``state``/``previous_state``/``attempt``/``next_delay_ms`` are set for ``STATE_CHANGED``;
    ``text`` holds the browser URL, progress word, key prefix or stream chunk; ``data`` the parsed
    JSON record (identity, job, snapshot, request result); ``status``/``message`` a failure.
    """

    type: EventType | int
    request_id: int = 0
    status: int = _core.EC_OK
    message: str = ""
    text: str = ""
    data: Any = None
    agent_id: str | None = None
    state: State | None = None
    previous_state: State | None = None
    attempt: int = 0
    next_delay_ms: int | None = None
    log_level: int = 0
    dropped: int = 0
    # A chunk's library event, kept so that its bytes are copied only when asked for (raw).
    _chunk: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_core(cls, ev: _core.Event) -> Event:
        try:
            kind: EventType | int = EventType(ev.type)
        except ValueError:  # a newer library's event type: passed through as a number
            kind = ev.type
        raw = ev.json
        data: Any = None
        if raw:
            try:
                data = json.loads(raw)
            except ValueError:
                data = raw
        changed = kind == EventType.STATE_CHANGED
        return cls(
            type=kind,
            request_id=ev.request_id,
            status=ev.status,
            message=ev.message,
            text=ev.text,
            data=data,
            agent_id=ev.agent_id or None,
            state=_state(ev.state) if changed else None,
            previous_state=_state(ev.previous_state) if changed else None,
            attempt=ev.attempt,
            next_delay_ms=ev.next_delay_ms if ev.next_delay_ms >= 0 else None,
            log_level=ev.log_level,
            dropped=ev.dropped,
            _chunk=ev if kind == EventType.STREAM_CHUNK else None,
        )

    @property
    def raw(self) -> bytes | None:
        """STREAM_CHUNK only: the chunk's bytes as they came (a binary stream's bytes); ``text``
        is their UTF-8 reading. Copied from the library's event only when read."""
        return None if self._chunk is None else self._chunk.raw

    @property
    def ok(self) -> bool:
        return self.status == _core.EC_OK

    @property
    def status_name(self) -> str:
        return _core.status_name(self.status)

    @property
    def error(self) -> ElizaCloudError | None:
        """The failure this event reports as an exception object, or ``None``."""
        if self.ok:
            return None
        return _from_core(self.status, self.message, self.data if self.data is not None else "")

    def to_dict(self) -> dict[str, Any]:
        """The event as a JSON-ready record (the CLI's ``--json`` output): camelCase keys, the
        fields that are set."""
        out: dict[str, Any] = {"type": str(self.type)}
        for attr, key in (
            ("request_id", "requestId"),
            ("agent_id", "agentId"),
            ("state", "state"),
            ("previous_state", "previousState"),
            ("attempt", "attempt"),
            ("next_delay_ms", "nextDelayMs"),
            ("message", "message"),
            ("text", "text"),
            ("data", "data"),
        ):
            value = getattr(self, attr)
            if value is None or value == "" or (attr in ("request_id", "attempt") and not value):
                continue
            out[key] = str(value) if attr in ("state", "previous_state") else value
        if self.status != _core.EC_OK:
            out["status"] = self.status
        return out

    def describe(self) -> str:
        """A one-line human description (what the CLI and the demo print)."""
        if self.type == EventType.STATE_CHANGED:
            text = f"state {self.previous_state} -> {self.state}"
            if self.agent_id:
                text += f" (agent {self.agent_id})"
            if self.attempt:
                text += f", attempt {self.attempt}"
            if self.next_delay_ms is not None:
                text += f", next retry in {self.next_delay_ms / 1000:.1f}s"
            if self.message:
                text += f": {self.message}"
            return text
        name = str(self.type)
        if self.type == EventType.CREDENTIALS_CHANGED:
            return f"{name}: " + (f"key {self.text}…" if self.text else "key removed")
        detail = self.text or (json.dumps(self.data) if self.data is not None else "")
        if not self.ok:
            detail = f"{self.status_name}: {self.message}"
        return f"{name}: {detail}" if detail else name
