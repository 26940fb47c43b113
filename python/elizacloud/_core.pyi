"""Type stubs of elizacloud._core, the pybind11 binding of the C ABI (bindings/python).

Private: the public API is the elizacloud package. Every operation goes through the generic
``Cloud.call(method, params_json)`` (``ec_cloud_call``), which returns a request id whose outcome
arrives as an EC_EVENT_REQUEST_COMPLETED event (streams: STREAM_CHUNK... STREAM_END);
``call_sync`` blocks with the GIL released and returns the result JSON text. timeout_ms -1 = the
operation's own limits. ``operations_json()`` is the catalogue the package's operation methods
are generated from. Failures raise elizacloud.errors.ElizaCloudError subclasses.
"""

from typing import Callable

EC_OK: int
EC_ERR_INVALID_ARGUMENT: int
EC_ERR_NO_MEMORY: int
EC_ERR_INTERNAL: int
EC_ERR_EMPTY: int
EC_ERR_TIMEOUT: int
EC_ERR_CANCELLED: int
EC_ERR_NETWORK: int
EC_ERR_REDIRECT_REFUSED: int
EC_ERR_URL_BLOCKED: int
EC_ERR_TLS: int
EC_ERR_PROTOCOL: int
EC_ERR_RESPONSE_TOO_LARGE: int
EC_ERR_UNAUTHORIZED: int
EC_ERR_FORBIDDEN: int
EC_ERR_NOT_FOUND: int
EC_ERR_CONFLICT: int
EC_ERR_RATE_LIMITED: int
EC_ERR_INSUFFICIENT_CREDITS: int
EC_ERR_INVALID_REQUEST: int
EC_ERR_SERVER: int
EC_ERR_LOGIN_EXPIRED: int
EC_ERR_KEY_ALREADY_RETRIEVED: int
EC_ERR_NOT_CONNECTED: int
EC_ERR_REENTRANT: int
EC_ERR_BUSY: int
EC_ERR_OVERFLOW: int
EC_ERR_IO: int
EC_ERR_INCOMPATIBLE: int
EC_ERR_PROVISION_FAILED: int
EC_ERR_AGENT: int
EC_ERR_GENERATION: int
EC_ERR_PRICE_CONFIRMATION: int
EC_ERR_QUOTA: int
EC_ERR_IMAGE_REFUSED: int
EC_ERR_SESSION_REQUIRED: int
EC_EVENT_STATE_CHANGED: int
EC_EVENT_LOGIN_BROWSER_URL: int
EC_EVENT_LOGIN_PROGRESS: int
EC_EVENT_CREDENTIALS_CHANGED: int
EC_EVENT_IDENTITY: int
EC_EVENT_PROVISION_PROGRESS: int
EC_EVENT_BACKUP_DONE: int
EC_EVENT_BACKUP_FAILED: int
EC_EVENT_STREAM_CHUNK: int
EC_EVENT_STREAM_END: int
EC_EVENT_REQUEST_COMPLETED: int
EC_EVENT_LOG: int
EC_EVENT_OVERFLOW: int
EC_STATE_DISCONNECTED: int
EC_STATE_CONNECTING: int
EC_STATE_CONNECTED: int
EC_STATE_RECONNECTING: int
EC_STATE_ERROR: int
EC_LOG_TRACE: int
EC_LOG_DEBUG: int
EC_LOG_INFO: int
EC_LOG_WARN: int
EC_LOG_ERROR: int
EC_LOG_OFF: int
EC_REST_DEFAULT_PORT: int
EC_REST_PORT_EPHEMERAL: int
EC_REST_CREDENTIALS_UNCHANGED: int
EC_REST_CREDENTIALS_STORED: int
EC_REST_CREDENTIALS_REMOVED: int

STATUS_CODES: dict[str, int]
HEADER_VERSION: str
TIMING_NAMES: str

def status_name(status: int) -> str: ...
def operations_json() -> str: ...
def version() -> int: ...
def version_string() -> str: ...
def set_log_level(level: int) -> None: ...
def log_fd() -> int: ...
def drain_logs() -> list[tuple[int, str]]: ...

class Event:
    @property
    def type(self) -> int: ...
    @property
    def request_id(self) -> int: ...
    @property
    def status(self) -> int: ...
    @property
    def message(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def raw(self) -> bytes: ...
    @property
    def json(self) -> str: ...
    @property
    def agent_id(self) -> str: ...
    @property
    def state(self) -> int: ...
    @property
    def previous_state(self) -> int: ...
    @property
    def attempt(self) -> int: ...
    @property
    def next_delay_ms(self) -> int: ...
    @property
    def log_level(self) -> int: ...
    @property
    def dropped(self) -> int: ...

class Cloud:
    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        config_path: str | None = None,
        no_config_file: bool = False,
        insecure_local: bool | None = None,
        ca_file: str | None = None,
        allowed_hosts: str | None = None,
        timings: dict[str, int] = ...,
        event_queue_capacity: int = 0,
        forward_logs: bool = False,
        strings: dict[str, str] = ...,
    ) -> None: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def event_fd(self) -> int: ...
    def next_event(self) -> Event | None: ...
    def next_events(self, max: int = 4096) -> list[Event | tuple[int, list[Event]]]: ...
    def wait_event(self, timeout_ms: int = -1) -> Event | None: ...
    def set_event_callback(self, fn: Callable[[Event], object] | None) -> None: ...
    def cancel(self, request_id: int) -> None: ...
    def call(self, method: str, params_json: str = "{}") -> int: ...
    def call_with(self, method: str, params_json: str, options_json: str) -> int: ...
    def call_sync(self, method: str, params_json: str = "{}", timeout_ms: int = -1) -> str: ...
    def api_key(self) -> str | None: ...
    def config_path(self) -> str: ...
    def event_stats(self) -> str: ...
    def state(self) -> int: ...
    def active_agent(self) -> str | None: ...
    # local REST API (rest_bindings.cpp)
    def rest_configure(
        self,
        *,
        token: str | None = None,
        allowed_hosts: str | None = None,
        allowed_origins: str | None = None,
        login_session_ttl_ms: int = 0,
    ) -> None: ...
    def rest_dispatch(
        self, method: str, target: str, headers: dict[str, str] = ..., body: str | bytes = ...
    ) -> RestResponse: ...
class RestResponse:
    @property
    def status(self) -> int: ...
    @property
    def headers_json(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def handled(self) -> bool: ...
    @property
    def credentials(self) -> int: ...
    @property
    def streaming(self) -> bool: ...
    def read(self, timeout_ms: int = -1) -> bytes | None: ...
    def close(self) -> None: ...

class RestServer:
    def __init__(
        self,
        cloud: Cloud,
        *,
        host: str | None = None,
        port: int = 0,
        token: str | None = None,
        allowed_hosts: str | None = None,
        allowed_origins: str | None = None,
        login_session_ttl_ms: int = 0,
        export_env: bool = False,
        threads: int = 0,
    ) -> None: ...
    @property
    def port(self) -> int: ...
    def stop(self) -> None: ...
