/*
 * elizacloud — connect agent host runtimes to Eliza Cloud.
 *
 * The one stable C ABI of the project. C99, every symbol prefixed ec_ / EC_.
 * Status codes are never renumbered; new ones are only appended.
 */
#ifndef ELIZACLOUD_H
#define ELIZACLOUD_H

#include <stddef.h>
#include <stdint.h>

#define EC_VERSION_MAJOR 0
#define EC_VERSION_MINOR 2
#define EC_VERSION_PATCH 0
#define EC_VERSION_STRING "0.2.0"
#define EC_VERSION_NUM ((EC_VERSION_MAJOR << 16) | (EC_VERSION_MINOR << 8) | EC_VERSION_PATCH)
#define EC_VERSION_AT_LEAST(x, y, z) (EC_VERSION_NUM >= (((x) << 16) | ((y) << 8) | (z)))

#if defined(_WIN32)
#if defined(EC_BUILDING_LIBRARY)
#define EC_API __declspec(dllexport)
#else
#define EC_API __declspec(dllimport)
#endif
#else
#define EC_API __attribute__((visibility("default")))
#endif

/* No ec_ function throws: C++ callers see every declaration as noexcept. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#define EC_NOEXCEPT noexcept
#elif defined(__cplusplus)
#define EC_NOEXCEPT throw()
#else
#define EC_NOEXCEPT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Status codes. EC_OK is zero; every failure is negative. The numbers are part of the ABI.
 * ec_status_name() gives the stable name, ec_last_error_message() the detail of the last
 * failure on the calling thread.
 *
 * EC_STATUS_MAP is the one list of them, in the style of libuv's UV_ERRNO_MAP:
 * XX(suffix, Name, code, description). The enum below, ec_status_name(), the core's C++ Status,
 * the Python exception classes and Node's error classes are all derived from it.
 */
/* clang-format off */
#define EC_STATUS_MAP(XX) \
    XX(OK, Ok, 0, "success") \
    XX(ERR_INVALID_ARGUMENT, InvalidArgument, -1, \
       "a NULL handle, bad option, non-UUID agent id...") \
    XX(ERR_NO_MEMORY, NoMemory, -2, "out of memory") \
    XX(ERR_INTERNAL, Internal, -3, "a bug: please report") \
    XX(ERR_EMPTY, Empty, -4, "no event queued (ec_*_next_event)") \
    XX(ERR_TIMEOUT, Timeout, -5, "a request, wait or overall deadline passed") \
    XX(ERR_CANCELLED, Cancelled, -6, "cancelled by the caller or by shutdown") \
    XX(ERR_NETWORK, Network, -7, "DNS, connect, reset, connection dropped mid-body") \
    XX(ERR_REDIRECT_REFUSED, RedirectRefused, -8, \
       "the server answered 3xx; redirects are never followed") \
    XX(ERR_URL_BLOCKED, UrlBlocked, -9, "URL or address refused by the URL security policy") \
    XX(ERR_TLS, Tls, -10, "certificate or handshake failure") \
    XX(ERR_PROTOCOL, Protocol, -11, "malformed JSON, unexpected shape, bad SSE") \
    XX(ERR_RESPONSE_TOO_LARGE, ResponseTooLarge, -12, \
       "response body above the configured maximum") \
    XX(ERR_UNAUTHORIZED, Unauthorized, -13, "cloud 401") \
    XX(ERR_FORBIDDEN, Forbidden, -14, "cloud 403") \
    XX(ERR_NOT_FOUND, NotFound, -15, "cloud 404") \
    XX(ERR_CONFLICT, Conflict, -16, "cloud 409") \
    XX(ERR_RATE_LIMITED, RateLimited, -17, "cloud 429; retry-after carried where sent") \
    XX(ERR_INSUFFICIENT_CREDITS, InsufficientCredits, -18, \
       "cloud 402; required/current balance carried") \
    XX(ERR_INVALID_REQUEST, InvalidRequest, -19, "cloud 400") \
    XX(ERR_SERVER, Server, -20, "cloud 5xx or other unexpected status") \
    XX(ERR_LOGIN_EXPIRED, LoginExpired, -21, "login session expired or unknown") \
    XX(ERR_KEY_ALREADY_RETRIEVED, KeyAlreadyRetrieved, -22, \
       "login completed but the key was already collected") \
    XX(ERR_NOT_CONNECTED, NotConnected, -23, "no API key / no active agent") \
    XX(ERR_REENTRANT, Reentrant, -24, "call not allowed from inside a library callback") \
    XX(ERR_BUSY, Busy, -25, "an operation of that kind is already running") \
    XX(ERR_OVERFLOW, Overflow, -26, "a bounded queue overflowed") \
    XX(ERR_IO, Io, -27, "local file I/O (config store, a file to upload)") \
    XX(ERR_INCOMPATIBLE, Incompatible, -28, "ABI / plugin version negotiation refused") \
    XX(ERR_PROVISION_FAILED, ProvisionFailed, -29, "the provisioning job ended as failed") \
    XX(ERR_AGENT, Agent, -30, "the agent answered a JSON-RPC error") \
    XX(ERR_GENERATION, Generation, -31, \
       "not available on the cloud's API generation, or the generation could not be told") \
    XX(ERR_PRICE_CONFIRMATION, PriceConfirmation, -32, \
       "cloud 428: starting dedicated compute needs the quoted price confirmed (confirm_price)") \
    XX(ERR_QUOTA, Quota, -33, "the organisation's agent quota is reached (not a rate limit)") \
    XX(ERR_IMAGE_REFUSED, ImageRefused, -34, "the cloud refused the agent's Docker image") \
    XX(ERR_SESSION_REQUIRED, SessionRequired, -35, \
       "the route needs a browser session (dashboard login), not an API key")
/* clang-format on */

typedef int32_t ec_status;
enum {
#define EC_STATUS_ENUM_(suffix, name, code, doc) EC_##suffix = code,
    EC_STATUS_MAP(EC_STATUS_ENUM_)
#undef EC_STATUS_ENUM_
};

/* ------------------------------------------------------------------------------------------
 * Conventions
 *  - Every fallible call returns ec_status; details in ec_last_error_message().
 *  - Inputs are borrowed for the duration of the call; the library copies what it keeps.
 *  - Owned outputs (char **out) are UTF-8, NUL-terminated, and freed with ec_free().
 *  - Records (agents, backups, status, credits...) cross as JSON text.
 *  - Options structs start with struct_size; call the _init() function (or zero the struct and
 *    set struct_size); zero means "default"; fields are only ever appended.
 *  - Thread tags: [any thread] may be called from any thread concurrently;
 *    [not in callback] must not be called from an ec_ callback (returns EC_ERR_REENTRANT).
 * ------------------------------------------------------------------------------------------ */

typedef struct ec_engine ec_engine; /* one I/O thread + timers; shared by many clouds */
typedef struct ec_cloud ec_cloud;   /* one account, one active agent, one event queue */

/* [any thread] Frees memory the library returned (strings, JSON). NULL is a no-op. */
EC_API void ec_free(void *ptr) EC_NOEXCEPT;

/* ---- Logging (process-wide) ---------------------------------------------------------------- */

enum {
    EC_LOG_TRACE = 0,
    EC_LOG_DEBUG = 1,
    EC_LOG_INFO = 2,
    EC_LOG_WARN = 3,
    EC_LOG_ERROR = 4,
    EC_LOG_OFF = 6
};
/* [any thread] Minimum level written (default EC_LOG_INFO). */
EC_API ec_status ec_log_set_level(int32_t level) EC_NOEXCEPT;
/* Log sink. Lines are already redacted (no API key ever appears). Called from library threads,
 * never with a library lock held; must not block for long. NULL restores stderr. free_user_data
 * (may be NULL) is called when the sink is replaced. [any thread] */
typedef void (*ec_log_fn)(int32_t level, const char *line, void *user_data);
EC_API ec_status ec_log_set_sink(ec_log_fn fn, void *user_data,
                                 void (*free_user_data)(void *)) EC_NOEXCEPT;

/* ---- Engine -------------------------------------------------------------------------------- */

typedef struct ec_engine_options {
    uint32_t struct_size;
    const char *ca_file; /* PEM bundle to trust instead of the system CAs; NULL = system */
    /* 1 = allow http:// and loopback (development only); -1 = never, whatever the environment
       says; 0 = ELIZACLOUD_INSECURE_LOCAL=1 decides. A warning is logged once per process when
       the mode is on. */
    int32_t insecure_local;
    const char *allowed_hosts; /* extra allowed cloud hosts, comma-separated; NULL = none */
    /* Requests running to one host at once, and so its open connections, at most; further
     * requests queue for a slot, first come first served. A queued request's own timeouts start
     * when it runs; after 120 s without a slot it fails with EC_ERR_TIMEOUT. 0 = the default
     * (32), -1 = no limit. */
    int32_t max_host_connections;
} ec_engine_options;
EC_API ec_status ec_engine_options_init(ec_engine_options *options,
                                        uint32_t struct_size) EC_NOEXCEPT;

/* [any thread] Creates an engine with its own I/O thread. Clouds keep their engine alive. */
EC_API ec_status ec_engine_create(const ec_engine_options *options, ec_engine **out) EC_NOEXCEPT;
/* [not in callback] Drops the caller's reference; NULL is a no-op. */
EC_API void ec_engine_destroy(ec_engine *engine) EC_NOEXCEPT;

/* ---- Cloud handle -------------------------------------------------------------------------- */

typedef struct ec_cloud_options {
    uint32_t struct_size;
    ec_engine *engine;    /* NULL = the process-wide default engine */
    const char *base_url; /* NULL = config cloud.baseUrl, else https://www.elizacloud.ai;
                             trailing slashes and a trailing /api/v1 are accepted */
    const char *api_key;  /* NULL = config cloud.apiKey (if any) */
    /* NULL = MILADY_CONFIG_PATH, else $MILADY_STATE_DIR/milady.json, else ~/.milady/milady.json */
    const char *config_path;
    int32_t no_config_file; /* 1 = never read or write a config file */
    /* 1 = allow http:// and loopback (development only); -1 = never, whatever the config file
       or the environment says; 0 = cloud.insecureLocal or ELIZACLOUD_INSECURE_LOCAL=1 decides. */
    int32_t insecure_local;
    const char *ca_file;       /* only when engine is NULL: trust this PEM bundle */
    const char *allowed_hosts; /* extra allowed cloud hosts, comma-separated */
    /* Timings in milliseconds; 0 = the default given. */
    int64_t heartbeat_interval_ms;      /* 30000 (config cloud.bridge.heartbeatIntervalMs) */
    int32_t heartbeat_max_failures;     /* 3 */
    int64_t reconnect_initial_delay_ms; /* 3000, doubling per attempt */
    int64_t reconnect_max_delay_ms;     /* 60000 */
    int32_t reconnect_max_attempts;     /* 10 */
    int64_t backup_interval_ms;         /* 60000 (config cloud.backup.autoBackupIntervalMs) */
    int64_t final_snapshot_timeout_ms;  /* 10000 */
    int64_t login_poll_interval_ms;     /* 2000 */
    int64_t login_timeout_ms;           /* 300000 */
    int64_t request_timeout_ms;         /* 30000 (CRUD); login requests 10000 */
    int64_t send_timeout_ms;            /* 60000 */
    int64_t stream_idle_timeout_ms;     /* 120000 */
    int64_t job_poll_interval_ms;       /* the cloud's polling.intervalMs, else 5000 */
    int64_t job_timeout_ms;             /* 300000 */
    uint32_t event_queue_capacity;      /* 4096 */
    int32_t forward_logs;               /* 1 = also deliver log lines as EC_EVENT_LOG */
    /* The cloud's API generation (SPEC 2.10): "auto" (NULL, the default: detected once per
     * handle before the first call whose route depends on it, then cached), "milady" or
     * "eliza". Config cloud.apiGeneration. */
    const char *api_generation;
    /* The dedicated price the user accepted (SPEC 2.10; eliza generation): the acceptanceValue
     * of an EC_ERR_PRICE_CONFIRMATION's pricing, sent as X-Eliza-Dedicated-Price by the calls
     * that can start paid compute (connect, provision, resume, wake, an eager create) unless a
     * call gives its own confirm_price. NULL = never sent: such calls then fail with
     * EC_ERR_PRICE_CONFIRMATION carrying the quote. */
    const char *confirm_price;
    /* The browser site (login page, billing page) when it is not the API origin (config
     * cloud.siteUrl). NULL = derived: https://eliza.app for api.eliza.app, https://www.
     * elizacloud.ai for api.elizacloud.ai, else base_url itself. */
    const char *site_url;
    /* Retries of a transient failure (a dropped connection, a timeout, HTTP 408, 429, 500, 502,
     * 503, 504, a body marked retryable) of requests that are safe to repeat: reads, PUT and
     * DELETE, the bridge's messages, generic requests marked idempotent (SPEC 2.9). 0 = the
     * default, 2; -1 = never retry; at most 10. A generic request can set its own. */
    int32_t max_retries;
} ec_cloud_options;
EC_API ec_status ec_cloud_options_init(ec_cloud_options *options, uint32_t struct_size) EC_NOEXCEPT;

/* [any thread] Sets one member of *options by its name ("heartbeat_interval_ms") from text, so
 * a host can pass settings through without knowing the struct: numbers are decimal integers
 * >= 0 that fit the member, flags 0/1/true/false (insecure_local also -1 = never); a string
 * member takes the pointer itself (borrowed: keep it alive until ec_cloud_create returns; NULL
 * = default). Unknown names, bad values and members newer than options->struct_size are
 * EC_ERR_INVALID_ARGUMENT. Every option, its type, default and meaning is listed under
 * "options" in ec_cloud_operations_json(). `engine` is set directly. */
EC_API ec_status ec_cloud_options_set(ec_cloud_options *options, const char *name,
                                      const char *value) EC_NOEXCEPT;

/* [any thread] Creates a cloud handle. No network traffic happens here. */
EC_API ec_status ec_cloud_create(const ec_cloud_options *options, ec_cloud **out) EC_NOEXCEPT;
/* [not in callback] Cancels every operation, disconnects without a final snapshot, and returns
 * after the last callback has returned. NULL is a no-op. Using the handle afterwards is undefined
 * behaviour. From inside one of this cloud's callbacks the handle is not destroyed and the call
 * only records EC_ERR_REENTRANT in ec_last_error_message(). */
EC_API void ec_cloud_destroy(ec_cloud *cloud) EC_NOEXCEPT;

/* ---- Events -------------------------------------------------------------------------------- */

enum {
    /* state, previous_state, agent_id, status + message, attempt, next_delay_ms */
    EC_EVENT_STATE_CHANGED = 1,
    EC_EVENT_LOGIN_BROWSER_URL = 2,   /* text = URL the user must open */
    EC_EVENT_LOGIN_PROGRESS = 3,      /* text = poll status ("pending", "error"...) */
    EC_EVENT_CREDENTIALS_CHANGED = 4, /* text = key prefix, or "" when the key was removed;
                                         the key itself: ec_cloud_api_key() */
    EC_EVENT_IDENTITY = 5,            /* json = {"userId","organizationId"} */
    EC_EVENT_PROVISION_PROGRESS = 6,  /* agent_id, text = job status, json = job record */
    EC_EVENT_BACKUP_DONE = 7,         /* agent_id, json = snapshot record */
    EC_EVENT_BACKUP_FAILED = 8,       /* agent_id, status + message */
    EC_EVENT_STREAM_CHUNK = 9,        /* request_id, text = chunk */
    EC_EVENT_STREAM_END = 10,         /* request_id, status (EC_OK or the failure) */
    EC_EVENT_REQUEST_COMPLETED = 11,  /* request_id, status + message, json = result */
    EC_EVENT_LOG = 12,                /* log_level, text = redacted line */
    EC_EVENT_OVERFLOW = 13            /* dropped = how many droppable events were discarded */
};

enum {
    EC_STATE_DISCONNECTED = 0,
    EC_STATE_CONNECTING = 1,
    EC_STATE_CONNECTED = 2,
    EC_STATE_RECONNECTING = 3,
    EC_STATE_ERROR = 4
};

typedef struct ec_event {
    uint32_t struct_size;
    int32_t type;        /* EC_EVENT_* */
    uint64_t request_id; /* the operation it belongs to; 0 for unsolicited events */
    ec_status status;    /* EC_OK or the failure */
    const char *message; /* failure message; "" on success */
    const char *text;    /* URL, progress, chunk, key prefix, log line; "" if none */
    size_t text_len;
    const char *json; /* result or record as JSON; "" if none. On a failed REQUEST_COMPLETED
                         or STREAM_END: the cloud's details when it sent any, as
                         {"httpStatus","code","retryAfterMs","requiredBalance","currentBalance"}
                         (each field only when known) */
    size_t json_len;
    const char *agent_id; /* "" if none */
    int32_t state;        /* EC_STATE_* (STATE_CHANGED) */
    int32_t previous_state;
    int32_t attempt;       /* reconnect attempt number, 0 if none */
    int64_t next_delay_ms; /* delay before the next reconnect attempt, -1 if none */
    int32_t log_level;     /* EC_LOG_* (LOG) */
    uint64_t dropped;      /* OVERFLOW */
} ec_event;

/* Event queue. Every event of a cloud goes to exactly one consumer: the push callback when one
 * is set, else the pull queue (also signalled on the wake fd).
 * Capacity: the queue holds event_queue_capacity events. When it is full, droppable events
 * (LOG, LOGIN_PROGRESS, PROVISION_PROGRESS) are discarded and counted, and one EC_EVENT_OVERFLOW
 * reports the count once space returns. Stream chunks are never dropped: a full queue pauses the
 * streams (back-pressure; the server is held by TCP/HTTP2 flow control) and they resume once the
 * consumer has taken the queue down to half its capacity, so a consumer that keeps up receives a
 * reply of any length. Only a stream whose chunks pass capacity + 65536 (which pausing prevents)
 * is cancelled and ends with EC_EVENT_STREAM_END / EC_ERR_OVERFLOW. Other events are never
 * dropped. */

/* [any thread] Takes the next event without blocking; EC_ERR_EMPTY when there is none. */
EC_API ec_status ec_cloud_next_event(ec_cloud *cloud, ec_event **out) EC_NOEXCEPT;
/* [any thread] Takes up to max queued events at once without blocking, in queue order, into
 * events[0 .. *count - 1]; each is the caller's and is freed with ec_event_free. EC_OK with
 * *count >= 1, or EC_ERR_EMPTY with *count = 0 when none is queued. One call drains what one
 * network read produced (a stream's chunks) with one lock instead of one call per event.
 * max >= 1. Out of memory part-way, the events copied so far are returned (EC_OK) and the rest
 * stay queued; EC_ERR_NO_MEMORY (*count = 0) only when not even one could be copied. */
EC_API ec_status ec_cloud_next_events(ec_cloud *cloud, ec_event **events, size_t max,
                                      size_t *count) EC_NOEXCEPT;
/* [any thread] Waits up to timeout_ms (-1 = forever) for an event; EC_ERR_TIMEOUT if none. */
EC_API ec_status ec_cloud_wait_event(ec_cloud *cloud, int32_t timeout_ms,
                                     ec_event **out) EC_NOEXCEPT;
/* [any thread] Frees an event. NULL is a no-op. */
EC_API void ec_event_free(ec_event *event) EC_NOEXCEPT;
/* [any thread] Figures of the event queue as JSON in *out (free with ec_free):
 * {"capacity","queued","dropped","streamPauses"}: dropped = droppable events discarded so far,
 * streamPauses = how often the queue filled with stream chunks and paused the streams. */
EC_API ec_status ec_cloud_event_stats(ec_cloud *cloud, char **out) EC_NOEXCEPT;
/* [any thread] Read end of a non-blocking O_CLOEXEC pipe that is readable while the queue is
 * non-empty (asyncio add_reader, Node net.Socket, libuv, GLib). Owned by the cloud: do not close.
 * Drain with ec_cloud_next_event until EC_ERR_EMPTY. */
EC_API int ec_cloud_event_fd(ec_cloud *cloud) EC_NOEXCEPT;

/* Push delivery: fn runs on a library-owned dispatcher thread, one event at a time, with no
 * library lock held. The event is borrowed for the call. Inside fn any ec_ call is allowed except
 * ec_cloud_destroy of this cloud and sync (_sync) calls, which return EC_ERR_REENTRANT.
 * fn must not throw or longjmp. Replacing or clearing (fn = NULL) calls the previous
 * free_user_data after the previous fn has returned for the last time. [any thread] */
typedef void (*ec_event_fn)(const ec_event *event, void *user_data);
EC_API ec_status ec_cloud_set_event_callback(ec_cloud *cloud, ec_event_fn fn, void *user_data,
                                             void (*free_user_data)(void *)) EC_NOEXCEPT;

/* ---- Operations ----------------------------------------------------------------------------
 * Each operation has an asynchronous form, which returns at once with a request id and later
 * delivers EC_EVENT_REQUEST_COMPLETED (status, message, json) for that id, and a synchronous
 * form (suffix _sync) that waits up to timeout_ms (-1 = the operation's own limits) and returns
 * the result JSON in *result_json (may be NULL when not wanted). Sync forms emit no
 * REQUEST_COMPLETED event. Any request can be cancelled with ec_cloud_cancel.
 * Agent ids must be UUIDs; anything else is EC_ERR_INVALID_ARGUMENT before any request.
 * ------------------------------------------------------------------------------------------ */

/* [any thread] Cancels an operation; it completes with EC_ERR_CANCELLED. Unknown ids: EC_OK. */
EC_API ec_status ec_cloud_cancel(ec_cloud *cloud, uint64_t request_id) EC_NOEXCEPT;

/* THE entry for operations: any operation of the registry by name with its parameters as a JSON
 * object, e.g. ec_cloud_call(c, "agents.create", "{\"agentName\":\"bot\"}", &id). The
 * outcome is an EC_EVENT_REQUEST_COMPLETED with the request id; a streaming operation
 * ("streaming": "agent-sse" in the catalogue) emits EC_EVENT_STREAM_CHUNK events and ends with
 * EC_EVENT_STREAM_END instead. Parameters are checked against the operation's row before any
 * request: unknown names, wrong types, missing required ones and bad ids are
 * EC_ERR_INVALID_ARGUMENT. Every operation is listed in docs/operations.md and, at run time,
 * by ec_cloud_operations_json(). The typed exports below are kept for compatibility and are
 * wrappers over this entry; new operations get no typed export. */
EC_API ec_status ec_cloud_call(ec_cloud *cloud, const char *method, const char *params_json,
                               uint64_t *request_id) EC_NOEXCEPT;
/* The streaming twin: the same for an operation that streams ("streaming" is not "none" in the
 * catalogue, e.g. "stream"): EC_EVENT_STREAM_CHUNK events with the request id, in order, then
 * one EC_EVENT_STREAM_END (EC_OK or the failure). Any other operation is
 * EC_ERR_INVALID_ARGUMENT, so a host that expects chunks never waits for them in vain. */
EC_API ec_status ec_cloud_call_stream(ec_cloud *cloud, const char *method, const char *params_json,
                                      uint64_t *request_id) EC_NOEXCEPT;
/* The same, waiting up to timeout_ms (<= 0: the operation's own limits); the result JSON in
 * *result_json (free with ec_free). A streaming operation returns {"text": <all chunks>}. */
EC_API ec_status ec_cloud_call_sync(ec_cloud *cloud, const char *method, const char *params_json,
                                    int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
/* ec_cloud_call and ec_cloud_call_sync with per-call options: options_json (NULL or "" = none)
 * is {"maxRetries": 0-10, "timeoutMs": 1-3600000}. maxRetries replaces the handle's max_retries
 * for this call (only idempotent operations retry at all); timeoutMs bounds each request of the
 * call (a followed job keeps job_timeout_ms overall). They apply to the one-answer cloud
 * operations ("kind": "http", "streaming": "none"); anything else, an unknown option or a value
 * out of range is EC_ERR_INVALID_ARGUMENT. */
EC_API ec_status ec_cloud_call_with(ec_cloud *cloud, const char *method, const char *params_json,
                                    const char *options_json, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_call_with_sync(ec_cloud *cloud, const char *method,
                                         const char *params_json, const char *options_json,
                                         int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
/* [any thread, no handle needed] The operation catalogue as JSON in *out (free with ec_free):
 * {"version":1, "generations":[...], "operations":[{name, summary, kind, surface, scope, method,
 * paths:{milady, eliza}, params:[{name, arg, type, in, required, enum?, default?, minLength?,
 * maxLength?, doc}], body, result, errorFamily, idempotent, streaming, followsJob, timeoutMs}],
 * "types":{<name>:{fields:[{name, type, required, doc}], open}}, "statuses":[{name, code, class,
 * doc}], "options":[{name, type, default, doc, timing}]}. The SDK surfaces, the CLI and
 * docs/operations.md are generated from it. */
EC_API ec_status ec_cloud_operations_json(char **out) EC_NOEXCEPT;

/* Any public route of the cloud (the "request" operation): method ("GET", "POST", "PUT",
 * "PATCH", "DELETE", "HEAD") and path from the origin ("/api/v1/apps/{id}" with the values in
 * pathParams, each percent-encoded, or a concrete, already encoded path). options_json (NULL or
 * "" = {}) may hold pathParams, query, json or body + contentType, headers, stream ("none",
 * "sse", "bytes"), maxRetries, idempotent, timeoutMs and uncatalogued; see docs/requests.md.
 * The path must be a route of the cloud's API generation (ec_cloud_call(c, "routes", …) lists
 * them) unless uncatalogued is true: anything else is EC_ERR_INVALID_ARGUMENT before any request.
 * The key, the URL policy, the error model and the limits of every call apply; transient
 * failures (connection, timeout, 408, 429, 5xx, retryable) of GET, HEAD, PUT and DELETE, and of
 * a request marked idempotent, are retried up to maxRetries (default: the max_retries option)
 * with backoff, honouring Retry-After up to 60 s.
 * Without stream, one EC_EVENT_REQUEST_COMPLETED: json = {"status", "headers", "json" | "text" |
 * "base64", "bytes", "route", "attempts", "rateLimit"}; a failure's json adds "rateLimit".
 * With stream "sse", one EC_EVENT_STREAM_CHUNK per Server-Sent Event (text = its data, json =
 * {"event", "id"}); with "bytes", one per read of the body (text/text_len = the bytes, which may
 * hold NULs); then EC_EVENT_STREAM_END whose json is the record above without the body. */
EC_API ec_status ec_cloud_request(ec_cloud *cloud, const char *method, const char *path,
                                  const char *options_json, uint64_t *request_id) EC_NOEXCEPT;
/* The same, waiting up to timeout_ms (<= 0: the request's own limits); the record in
 * *result_json (free with ec_free). A stream is collected: "events" for sse, "base64" for
 * bytes. */
EC_API ec_status ec_cloud_request_sync(ec_cloud *cloud, const char *method, const char *path,
                                       const char *options_json, int32_t timeout_ms,
                                       char **result_json) EC_NOEXCEPT;

/* Login (browser flow). Emits LOGIN_BROWSER_URL, LOGIN_PROGRESS, then on success
 * CREDENTIALS_CHANGED and IDENTITY. The key is saved to the config file (cloud.apiKey,
 * cloud.enabled = true). Result: {"keyPrefix","expiresAt","userId","organizationId"}. */
EC_API ec_status ec_cloud_login(ec_cloud *cloud, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_login_sync(ec_cloud *cloud, int32_t timeout_ms,
                                     char **result_json) EC_NOEXCEPT;
/* Disconnects (with the final backup), removes the key from the config file
 * (cloud.enabled = false) and emits CREDENTIALS_CHANGED with an empty prefix. */
EC_API ec_status ec_cloud_logout_sync(ec_cloud *cloud, int32_t timeout_ms) EC_NOEXCEPT;
/* [any thread] The API key in use, for the host to persist; EC_ERR_NOT_CONNECTED if none. */
EC_API ec_status ec_cloud_api_key(ec_cloud *cloud, char **out) EC_NOEXCEPT;
/* [any thread] The config file path in use ("" when no_config_file). */
EC_API ec_status ec_cloud_config_path(ec_cloud *cloud, char **out) EC_NOEXCEPT;

/* Status {connected, enabled, hasApiKey, userId?, organizationId?, topUpUrl, reason?} and
 * credits {connected, balance|null, low, critical, topUpUrl} (SPEC 2.7). */
EC_API ec_status ec_cloud_status(ec_cloud *cloud, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_status_sync(ec_cloud *cloud, int32_t timeout_ms,
                                      char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_credits(ec_cloud *cloud, int32_t fresh, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_credits_sync(ec_cloud *cloud, int32_t fresh, int32_t timeout_ms,
                                       char **result_json) EC_NOEXCEPT;
/* Identity {"userId","organizationId",...} from GET /api/v1/user. */
EC_API ec_status ec_cloud_identity(ec_cloud *cloud, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_identity_sync(ec_cloud *cloud, int32_t timeout_ms,
                                        char **result_json) EC_NOEXCEPT;

/* Agents. create takes {"agentName", "agentConfig"?, "environmentVars"?}. */
EC_API ec_status ec_cloud_agents_list(ec_cloud *cloud, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agents_list_sync(ec_cloud *cloud, int32_t timeout_ms,
                                           char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_create(ec_cloud *cloud, const char *params_json,
                                       uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_create_sync(ec_cloud *cloud, const char *params_json,
                                            int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_get(ec_cloud *cloud, const char *agent_id,
                                    uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_get_sync(ec_cloud *cloud, const char *agent_id, int32_t timeout_ms,
                                         char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_delete(ec_cloud *cloud, const char *agent_id,
                                       uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_delete_sync(ec_cloud *cloud, const char *agent_id,
                                            int32_t timeout_ms) EC_NOEXCEPT;
/* Provision / resume follow the provisioning job to completion (PROVISION_PROGRESS events). */
EC_API ec_status ec_cloud_agent_provision(ec_cloud *cloud, const char *agent_id,
                                          uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_provision_sync(ec_cloud *cloud, const char *agent_id,
                                               int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_suspend(ec_cloud *cloud, const char *agent_id,
                                        uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_suspend_sync(ec_cloud *cloud, const char *agent_id,
                                             int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_resume(ec_cloud *cloud, const char *agent_id,
                                       uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_agent_resume_sync(ec_cloud *cloud, const char *agent_id,
                                            int32_t timeout_ms, char **result_json) EC_NOEXCEPT;

/* Connection (CloudManager). connect provisions, starts backups and the heartbeat monitor and
 * emits STATE_CHANGED events; connecting to another agent first disconnects the current one
 * (with its final backup); connecting to the same agent is a no-op. */
EC_API ec_status ec_cloud_connect(ec_cloud *cloud, const char *agent_id,
                                  uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_connect_sync(ec_cloud *cloud, const char *agent_id, int32_t timeout_ms,
                                       char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_disconnect(ec_cloud *cloud, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_disconnect_sync(ec_cloud *cloud, int32_t timeout_ms) EC_NOEXCEPT;
/* [any thread] Current EC_STATE_* (never fails for a valid handle). */
EC_API int32_t ec_cloud_state(ec_cloud *cloud) EC_NOEXCEPT;
/* [any thread] Active agent id; EC_ERR_NOT_CONNECTED if none. */
EC_API ec_status ec_cloud_active_agent(ec_cloud *cloud, char **out) EC_NOEXCEPT;

/* Proxy to the connected agent. room_id NULL = "web-chat"; channel_type NULL = "DM"
 * (DM, GROUP, VOICE_DM, VOICE_GROUP, API). send's result is {"text": reply}. stream delivers
 * STREAM_CHUNK events in order and then STREAM_END (no REQUEST_COMPLETED). */
EC_API ec_status ec_cloud_send(ec_cloud *cloud, const char *text, const char *room_id,
                               const char *channel_type, uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_send_sync(ec_cloud *cloud, const char *text, const char *room_id,
                                    const char *channel_type, int32_t timeout_ms,
                                    char **reply) EC_NOEXCEPT;
EC_API ec_status ec_cloud_stream(ec_cloud *cloud, const char *text, const char *room_id,
                                 const char *channel_type, uint64_t *request_id) EC_NOEXCEPT;
/* Agent status {"state","agentName"}; alive {"alive": bool}. */
EC_API ec_status ec_cloud_agent_status_sync(ec_cloud *cloud, int32_t timeout_ms,
                                            char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_is_alive_sync(ec_cloud *cloud, int32_t timeout_ms,
                                        int32_t *alive) EC_NOEXCEPT;

/* Backups of the connected agent (or of agent_id when not NULL). restore: backup_id NULL =
 * latest; follows the job when the agent is stopped. */
EC_API ec_status ec_cloud_snapshot(ec_cloud *cloud, const char *agent_id,
                                   uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_snapshot_sync(ec_cloud *cloud, const char *agent_id, int32_t timeout_ms,
                                        char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_backups_list(ec_cloud *cloud, const char *agent_id,
                                       uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_backups_list_sync(ec_cloud *cloud, const char *agent_id,
                                            int32_t timeout_ms, char **result_json) EC_NOEXCEPT;
EC_API ec_status ec_cloud_restore(ec_cloud *cloud, const char *agent_id, const char *backup_id,
                                  uint64_t *request_id) EC_NOEXCEPT;
EC_API ec_status ec_cloud_restore_sync(ec_cloud *cloud, const char *agent_id, const char *backup_id,
                                       int32_t timeout_ms, char **result_json) EC_NOEXCEPT;

/* [any thread] Stable name of a status, e.g. "EC_ERR_TIMEOUT". Never NULL. */
EC_API const char *ec_status_name(ec_status status) EC_NOEXCEPT;

/* [any thread] Detail of the last failure on the calling thread; valid until the next ec_ call
 * on this thread. Empty string when none. Read it only right after a failure. */
EC_API const char *ec_last_error_message(void) EC_NOEXCEPT;

/* [any thread] Run-time version: EC_VERSION_NUM and EC_VERSION_STRING of the loaded library. */
EC_API uint32_t ec_version(void) EC_NOEXCEPT;
EC_API const char *ec_version_string(void) EC_NOEXCEPT;

/* ---- Local REST API ------------------------------------------------------------------------
 * The /api/cloud/... routes of seed 000 (SPEC 3) for a dashboard: a dispatcher that a host's own
 * HTTP server can mount (ec_cloud_rest_dispatch), and a standalone server around it
 * (ec_rest_server_start; `elizacloud serve`). Routes, bodies and status codes: docs/rest-api.md.
 * ------------------------------------------------------------------------------------------ */

/* Settings of a cloud's dispatcher (ec_cloud_rest_configure) and of a server. */
typedef struct ec_rest_options {
    uint32_t struct_size;
    /* Required as "Authorization: Bearer <token>" on every /api/cloud/ route (401 otherwise).
     * NULL = MILADY_API_TOKEN (trimmed; unset or blank = none); "" = none. */
    const char *token;
    const char *allowed_hosts;    /* Host names accepted besides loopback ones; comma-separated */
    const char *allowed_origins;  /* Origins accepted besides http(s)://localhost|127.0.0.1|[::1] */
    int64_t login_session_ttl_ms; /* how long a login session may be polled; 600000 */
} ec_rest_options;
EC_API ec_status ec_rest_options_init(ec_rest_options *options, uint32_t struct_size) EC_NOEXCEPT;

/* What a response did to the stored credentials (ec_rest_response.credentials). On STORED a host
 * exports ELIZAOS_CLOUD_API_KEY (from ec_cloud_api_key) and ELIZAOS_CLOUD_ENABLED=true to its
 * environment; on REMOVED it removes both. CREDENTIALS_CHANGED events are emitted as well. */
enum {
    EC_REST_CREDENTIALS_UNCHANGED = 0,
    EC_REST_CREDENTIALS_STORED = 1,
    EC_REST_CREDENTIALS_REMOVED = 2
};

typedef struct ec_rest_response {
    uint32_t struct_size;
    int32_t status;           /* HTTP status */
    const char *headers_json; /* {"Content-Type":"application/json",...}; send them all */
    const char *body;         /* NUL-terminated; body_len bytes */
    size_t body_len;
    int32_t handled;     /* 0: the path is not under /api/cloud/ (404); route it elsewhere */
    int32_t credentials; /* EC_REST_CREDENTIALS_* */
    int32_t streaming;   /* 1: an event stream (GET /api/cloud/events, POST /api/cloud/chat/stream):
                            send the headers, then what ec_rest_response_read returns until it
                            ends */
} ec_rest_response;

/* [not in callback] Applies the settings to the cloud's dispatcher; without this call it uses
 * ec_rest_options defaults (token from MILADY_API_TOKEN). Tracked login sessions are kept. */
EC_API ec_status ec_cloud_rest_configure(ec_cloud *cloud,
                                         const ec_rest_options *options) EC_NOEXCEPT;

/* [not in callback] Answers one HTTP request. method "GET"...; target = path plus optional
 * "?query" as received (not decoded); headers_json = {"Name":"value",...} or NULL; body may be
 * NULL when body_len is 0. Blocks while the cloud works (a connect follows the provisioning job).
 * Request problems (401, 404, 413...) are responses with EC_OK; *out is freed with
 * ec_rest_response_free. */
EC_API ec_status ec_cloud_rest_dispatch(ec_cloud *cloud, const char *method, const char *target,
                                        const char *headers_json, const char *body, size_t body_len,
                                        ec_rest_response **out) EC_NOEXCEPT;
/* [any thread; one call at a time per response] The next bytes of a streaming response, waiting
 * up to timeout_ms (-1 = forever): EC_OK with *data (free with ec_free) and *len; EC_ERR_TIMEOUT
 * when nothing came (send an SSE comment such as ": keep-alive\n\n" to notice a gone client);
 * EC_ERR_EMPTY once the stream has ended (also for a response that does not stream). */
EC_API ec_status ec_rest_response_read(ec_rest_response *response, int32_t timeout_ms, char **data,
                                       size_t *len) EC_NOEXCEPT;
/* [any thread] Frees a response and ends its stream. NULL is a no-op. */
EC_API void ec_rest_response_free(ec_rest_response *response) EC_NOEXCEPT;

#define EC_REST_DEFAULT_PORT 2138
#define EC_REST_PORT_EPHEMERAL (-1)

typedef struct ec_rest_server_options {
    uint32_t struct_size;
    const char *host; /* NULL = "127.0.0.1"; a non-loopback host requires a token */
    int32_t port;     /* 0 = EC_REST_DEFAULT_PORT; EC_REST_PORT_EPHEMERAL = any free port */
    /* As in ec_rest_options: */
    const char *token; /* NULL = MILADY_API_TOKEN; "" = none (refused on a non-loopback host) */
    const char *allowed_hosts; /* the bind host is always accepted */
    const char *allowed_origins;
    int64_t login_session_ttl_ms;
    int32_t export_env; /* 1 = the server itself setenv/unsetenv's ELIZAOS_CLOUD_API_KEY and
                           ELIZAOS_CLOUD_ENABLED on login and disconnect */
    int32_t threads;    /* requests dispatched at once; 0 = 32 (event streams: half of it) */
    int32_t dashboard;  /* the web dashboard at "/" and "/dashboard/": 0 = default (served),
                           1 = served, -1 = not served (then every path outside /api/cloud/ is
                           a 404) */
} ec_rest_server_options;
EC_API ec_status ec_rest_server_options_init(ec_rest_server_options *options,
                                             uint32_t struct_size) EC_NOEXCEPT;

typedef struct ec_rest_server ec_rest_server;
/* [not in callback] Binds and serves on library threads. EC_ERR_INVALID_ARGUMENT for a
 * non-loopback host without a token, EC_ERR_IO when the address cannot be bound.
 * ec_cloud_destroy stops the cloud's servers first; their handles stay valid for
 * ec_rest_server_stop. */
EC_API ec_status ec_rest_server_start(ec_cloud *cloud, const ec_rest_server_options *options,
                                      ec_rest_server **out) EC_NOEXCEPT;
/* [any thread] The port listened on (the chosen one for an ephemeral port); -1 for NULL. */
EC_API int32_t ec_rest_server_port(ec_rest_server *server) EC_NOEXCEPT;
/* [not in callback] Ends event streams and requests in flight (they answer 503), stops
 * listening, joins the server's threads and frees the handle. NULL is a no-op. Does not
 * disconnect the cloud: call ec_cloud_disconnect_sync for the final backup. */
EC_API void ec_rest_server_stop(ec_rest_server *server) EC_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* ELIZACLOUD_H */
