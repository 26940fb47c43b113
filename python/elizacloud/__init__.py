"""elizacloud — connect agent hosts to Eliza Cloud.

Blocking API: :class:`Cloud`; asyncio: :class:`elizacloud.aio.AsyncCloud`; exceptions in
:mod:`elizacloud.errors`; the ``elizacloud`` command line in :mod:`elizacloud.cli`. Everything sits
on the C ABI (``elizacloud.h``) through the private extension ``elizacloud._core``.
"""

from __future__ import annotations

from . import _core
from .aio import AsyncAgents, AsyncCloud, AsyncProxy
from .cloud import Agents, Cloud, EventIterator, LoginHandle
from .errors import *  # noqa: F403 - the exception classes are part of the top-level API
from .errors import __all__ as _error_names
from .events import Event, EventType, State
from .proxy import Proxy, Stream

__version__ = _core.version_string()

__all__ = [
    "Cloud",
    "Agents",
    "Proxy",
    "Stream",
    "LoginHandle",
    "EventIterator",
    "AsyncCloud",
    "AsyncAgents",
    "AsyncProxy",
    "Event",
    "EventType",
    "State",
    "__version__",
    *_error_names,
]
