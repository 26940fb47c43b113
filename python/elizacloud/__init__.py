"""elizacloud — connect agent hosts to Eliza Cloud.

Blocking API: :class:`Cloud`; asyncio: :class:`elizacloud.aio.AsyncCloud`; the operations'
methods are generated from the core's catalogue (:mod:`elizacloud.resources`, result and params
types in :mod:`elizacloud.types`, docs/operations.md); exceptions in
:mod:`elizacloud.errors`; the ``elizacloud`` command line in :mod:`elizacloud.cli`. Everything sits
on the C ABI (``elizacloud.h``) through the private extension ``elizacloud._core``.
"""

from __future__ import annotations

from . import _core
from . import resources, types
from .aio import AsyncAgents, AsyncBackups, AsyncCloud, AsyncProxy
from .cloud import Agents, Backups, Cloud, EventIterator, LoginHandle
from ._error_classes import *  # noqa: F403 - one exception class per status (generated)
from ._error_classes import __all__ as _status_error_names
from .errors import ElizaCloudError, error_class
from .events import Event, EventType, State
from .proxy import Proxy, Stream
from ._request import AsyncRequestStream, RequestStream, Response, SseFrame
from ._files import File, FileInput

__version__ = _core.version_string()

__all__ = [
    "Cloud",
    "Agents",
    "Backups",
    "Proxy",
    "Stream",
    "Response",
    "RequestStream",
    "AsyncRequestStream",
    "SseFrame",
    "File",
    "FileInput",
    "LoginHandle",
    "EventIterator",
    "AsyncCloud",
    "AsyncAgents",
    "AsyncBackups",
    "AsyncProxy",
    "Event",
    "EventType",
    "State",
    "resources",
    "types",
    "__version__",
    "ElizaCloudError",
    "error_class",
    *_status_error_names,
]
