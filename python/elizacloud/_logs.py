"""The library's log lines, delivered to ``logging.getLogger("elizacloud")``.

The C++ side queues lines from library threads (no GIL needed there); they are drained here on a
Python thread: a cloud's event pump, an asyncio loop reader, or after a blocking call.

Quiet by default, as a library should be: the logger has a ``NullHandler``, so nothing is printed
unless the program configures logging. ``ELIZACLOUD_LOG=debug|info|warn|error`` sets the logger's
level and, while the program has configured no handler of its own, prints the lines to stderr."""

from __future__ import annotations

import logging
import sys

from . import _core, _env

logger = logging.getLogger("elizacloud")
logger.addHandler(logging.NullHandler())

TRACE = 5
# ELIZACLOUD_LOG's names (and the library's).
NAMES = {
    "trace": TRACE,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "off": logging.CRITICAL + 10,
}


class _StderrUntilConfigured(logging.StreamHandler):  # type: ignore[type-arg]
    """ELIZACLOUD_LOG's output: stderr, unless a handler of the program's own would get the line
    (then that one prints it, once)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter("elizacloud: %(levelname)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if not _program_handles(logging.getLogger(record.name)):
            self.stream = sys.stderr  # as it is now (tests and hosts replace it)
            super().emit(record)


def _program_handles(start: logging.Logger) -> bool:
    current: logging.Logger | None = start
    while current is not None:
        if any(not isinstance(h, (logging.NullHandler, _StderrUntilConfigured))
               for h in current.handlers):
            return True
        if not current.propagate:
            return False
        current = current.parent
    return False


def level_from_env() -> int | None:
    """ELIZACLOUD_LOG as a logging level; None when unset (or not a level name: then said once
    on stderr)."""
    name = _env.text(_env.LOG_VAR)
    if name is None:
        return None
    level = NAMES.get(name.lower())
    if level is None:
        print(f"elizacloud: {_env.LOG_VAR}={name!r} is not one of trace, debug, info, warn, "
              "error, off; ignored", file=sys.stderr)
    return level


def _apply_env() -> None:
    level = level_from_env()
    if level is not None:
        logger.setLevel(level)
        logger.addHandler(_StderrUntilConfigured())


_apply_env()

_LEVELS = {
    _core.EC_LOG_TRACE: TRACE,
    _core.EC_LOG_DEBUG: logging.DEBUG,
    _core.EC_LOG_INFO: logging.INFO,
    _core.EC_LOG_WARN: logging.WARNING,
    _core.EC_LOG_ERROR: logging.ERROR,
}


def drain() -> None:
    """Hands every queued library log line to the ``elizacloud`` logger."""
    for level, line in _core.drain_logs():
        logger.log(_LEVELS.get(level, logging.ERROR), "%s", line)


def sync_level() -> None:
    """Makes the library produce only the lines the ``elizacloud`` logger would keep."""
    level = logger.getEffectiveLevel()
    if level <= TRACE:
        core_level = _core.EC_LOG_TRACE
    elif level <= logging.DEBUG:
        core_level = _core.EC_LOG_DEBUG
    elif level <= logging.INFO:
        core_level = _core.EC_LOG_INFO
    elif level <= logging.WARNING:
        core_level = _core.EC_LOG_WARN
    elif level <= logging.ERROR:
        core_level = _core.EC_LOG_ERROR
    else:
        core_level = _core.EC_LOG_OFF
    _core.set_log_level(core_level)


def log_fd() -> int:
    return _core.log_fd()
