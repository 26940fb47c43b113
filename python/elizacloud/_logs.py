"""The library's log lines, delivered to ``logging.getLogger("elizacloud")``.

The C++ side queues lines from library threads (no GIL needed there); they are drained here on a
Python thread: a cloud's event pump, an asyncio loop reader, or after a blocking call."""

from __future__ import annotations

import logging

from . import _core

logger = logging.getLogger("elizacloud")

_LEVELS = {
    _core.EC_LOG_TRACE: 5,
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
    if level <= 5:
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
