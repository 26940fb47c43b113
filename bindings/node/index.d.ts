// Type declarations of the `elizacloud` package, checked by tsc in tests/node. Hand-written except
// the section between the generated markers (tools/gen_surfaces.py; scripts/gen_surfaces.sh).
/// <reference types="node" />

import { EventEmitter } from 'node:events';

// ---- constants -------------------------------------------------------------------------------

/** Stable status codes of the C ABI (`ec_status`); 0 is success, failures are negative. */
export declare const Status: Readonly<{
    OK: 0;
    INVALID_ARGUMENT: -1;
    NO_MEMORY: -2;
    INTERNAL: -3;
    EMPTY: -4;
    TIMEOUT: -5;
    CANCELLED: -6;
    NETWORK: -7;
    REDIRECT_REFUSED: -8;
    URL_BLOCKED: -9;
    TLS: -10;
    PROTOCOL: -11;
    RESPONSE_TOO_LARGE: -12;
    UNAUTHORIZED: -13;
    FORBIDDEN: -14;
    NOT_FOUND: -15;
    CONFLICT: -16;
    RATE_LIMITED: -17;
    INSUFFICIENT_CREDITS: -18;
    INVALID_REQUEST: -19;
    SERVER: -20;
    LOGIN_EXPIRED: -21;
    KEY_ALREADY_RETRIEVED: -22;
    NOT_CONNECTED: -23;
    REENTRANT: -24;
    BUSY: -25;
    OVERFLOW: -26;
    IO: -27;
    INCOMPATIBLE: -28;
    PROVISION_FAILED: -29;
    AGENT: -30;
}>;
export type StatusCode = (typeof Status)[keyof typeof Status];

/** Kinds of event (`EC_EVENT_*`). */
export declare const EventType: Readonly<{
    STATE_CHANGED: 1;
    LOGIN_BROWSER_URL: 2;
    LOGIN_PROGRESS: 3;
    CREDENTIALS_CHANGED: 4;
    IDENTITY: 5;
    PROVISION_PROGRESS: 6;
    BACKUP_DONE: 7;
    BACKUP_FAILED: 8;
    STREAM_CHUNK: 9;
    STREAM_END: 10;
    REQUEST_COMPLETED: 11;
    LOG: 12;
    OVERFLOW: 13;
}>;
export type EventTypeCode = (typeof EventType)[keyof typeof EventType];

/** The EventEmitter names of the events a Cloud emits. */
export type CloudEventName =
    | 'state'
    | 'login-url'
    | 'login-progress'
    | 'credentials'
    | 'identity'
    | 'provision-progress'
    | 'backup'
    | 'backup-failed'
    | 'log'
    | 'overflow';

/** Connection states of a cloud's manager. */
export declare const State: Readonly<{
    DISCONNECTED: 'disconnected';
    CONNECTING: 'connecting';
    CONNECTED: 'connected';
    RECONNECTING: 'reconnecting';
    ERROR: 'error';
}>;
export type ConnectionState = (typeof State)[keyof typeof State];

/** Log levels of the library (`EC_LOG_*`). */
export declare const LogLevel: Readonly<{
    TRACE: 0;
    DEBUG: 1;
    INFO: 2;
    WARN: 3;
    ERROR: 4;
    OFF: 6;
}>;
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';

// ---- functions -------------------------------------------------------------------------------

/** Version string of the loaded native library, e.g. "0.1.0". Loads the library. */
export declare function version(): string;
/** Path of the native library: `ELIZACLOUD_LIBRARY_PATH`, else the package's prebuild. */
export declare function libraryPath(): string;
/** One parameter of an operation in the catalogue. */
export interface CatalogueParam {
    /** Wire name (the params JSON). */
    name: string;
    /** Argument name (snake_case; Node uses its camelCase form). */
    arg: string;
    type: string;
    in: 'path' | 'query' | 'body' | 'local';
    required: boolean;
    enum?: string[];
    default?: unknown;
    minLength?: number;
    maxLength?: number;
    doc: string;
}

/** One operation of the catalogue (docs/operations.md). */
export interface CatalogueOperation {
    name: string;
    resource: string;
    action: string;
    summary: string;
    kind: 'http' | 'session';
    surface: 'plain' | 'custom';
    scope: 'account' | 'none' | 'connected';
    method: string | null;
    paths: Record<string, string | null>;
    params: CatalogueParam[];
    body: 'params' | 'passthrough' | 'none';
    result: string;
    errorFamily: string;
    idempotent: boolean;
    streaming: string;
    followsJob: boolean;
    timeoutMs: number | null;
}

export interface Catalogue {
    version: 1;
    generations: string[];
    operations: CatalogueOperation[];
    types: Record<string, { fields: Array<{ name: string; type: string; required: boolean; doc: string }>; open: boolean }>;
}

/** The operation catalogue of the loaded library (`ec_cloud_operations_json`). Loads the library. */
export declare function catalogue(): Catalogue;
/** Minimum level of the library's log lines (process-wide; written to stderr). Default: ELIZACLOUD_LOG, else 'warn'. */
export declare function setLogLevel(level: LogLevelName | (typeof LogLevel)[keyof typeof LogLevel]): void;
/** Stable name of a status, e.g. "EC_ERR_TIMEOUT". */
export declare function statusName(status: number): string;
/** The error class of a status (ElizaCloudError for unknown codes). */
export declare function errorClass(status: number): ElizaCloudErrorClass;

// ---- errors ----------------------------------------------------------------------------------

export interface ElizaCloudErrorDetails {
    status?: number;
    httpStatus?: number;
    code?: string;
    /** Seconds the cloud asked to wait (429). */
    retryAfter?: number;
    requiredBalance?: number;
    currentBalance?: number;
    /** The cloud said the same request may be sent again. */
    retryable?: boolean;
    /** A price quote (PriceConfirmationError): currency, hourlyRateUsd,
     *  minimumActivationChargeUsd, acceptanceHeader, acceptanceValue. */
    pricing?: Record<string, unknown>;
    /** The cloud's details object (QuotaError: currentAgents, maxAgents). */
    details?: Record<string, unknown>;
    cause?: unknown;
}

/** Base of every elizacloud failure. */
export declare class ElizaCloudError extends Error {
    constructor(message?: string, details?: ElizaCloudErrorDetails);
    /** The status of this class. */
    static readonly status: number;
    /** The negative `ec_status` number. */
    readonly status: number;
    /** "EC_ERR_TIMEOUT"… */
    readonly statusName: string;
    /** HTTP status of the cloud's answer (implied for 401/402/403/404/409/429), or null. */
    readonly httpStatus: number | null;
    /** The cloud's error code, e.g. "insufficient_credits", or null. */
    readonly code: string | null;
    /** Seconds to wait before retrying (429), or null. */
    readonly retryAfter: number | null;
    /** 402: the balance the cloud requires, or null. */
    readonly requiredBalance: number | null;
    /** 402: the current balance, or null. */
    readonly currentBalance: number | null;
    /** The cloud said the same request may be sent again (the library already retried it). */
    readonly retryable: boolean;
    /** PriceConfirmationError: the quote to show; pass its acceptanceValue as confirmPrice. */
    readonly pricing: Record<string, unknown> | null;
    /** The cloud's details object (QuotaError: currentAgents, maxAgents), or null. */
    readonly details: Record<string, unknown> | null;
    /** {limit, remaining, reset} from the X-RateLimit-* headers, when the cloud sent them. */
    readonly rateLimit: RateLimit | null;
    toJSON(): {
        status: string;
        message: string;
        httpStatus?: number;
        code?: string;
        retryAfter?: number;
        requiredBalance?: number;
        currentBalance?: number;
        retryable?: true;
        pricing?: Record<string, unknown>;
        details?: Record<string, unknown>;
    };
}
export type ElizaCloudErrorClass = typeof ElizaCloudError;

// The error classes, one per failure status, are in the generated section below.

// ---- events ----------------------------------------------------------------------------------

/** One event. Fields that do not apply to its type keep their empty value. */
export declare class CloudEvent {
    /** EventType code. */
    readonly type: number;
    /** EventEmitter name ('state', 'login-url', …). */
    readonly name: string;
    /** The operation it belongs to; 0 for unsolicited events. */
    readonly requestId: number;
    /** 0 or the failure's status. */
    readonly status: number;
    readonly message: string;
    /** Browser URL, progress word, key prefix, chunk or log line; "" if none. */
    readonly text: string;
    /** Parsed JSON record (identity, job, snapshot, result), or null. */
    readonly data: any;
    /** STREAM_CHUNK of a stream that hands out bytes (stream: 'bytes', text to speech): the bytes as they came; else null. */
    readonly raw: Buffer | null;
    readonly agentId: string | null;
    /** 'state' events: the new and the previous state. */
    readonly state: ConnectionState | null;
    readonly previousState: ConnectionState | null;
    /** Reconnect attempt number, 0 if none. */
    readonly attempt: number;
    /** Delay before the next reconnect attempt, or null. */
    readonly nextDelayMs: number | null;
    /** 'log' events: the level. */
    readonly logLevel: LogLevelName | null;
    /** 'overflow' events: how many droppable events were discarded. */
    readonly dropped: number;
    readonly ok: boolean;
    readonly statusName: string;
    /** The failure as an error object, or null. */
    readonly error: ElizaCloudError | null;
    describe(): string;
}

// ---- options and records ---------------------------------------------------------------------

/** Timings in milliseconds; omitted or 0 = the library's default. */
export interface CloudTimings {
    heartbeatIntervalMs?: number;
    heartbeatMaxFailures?: number;
    reconnectInitialDelayMs?: number;
    reconnectMaxDelayMs?: number;
    reconnectMaxAttempts?: number;
    backupIntervalMs?: number;
    finalSnapshotTimeoutMs?: number;
    loginPollIntervalMs?: number;
    loginTimeoutMs?: number;
    requestTimeoutMs?: number;
    sendTimeoutMs?: number;
    streamIdleTimeoutMs?: number;
    jobPollIntervalMs?: number;
    jobTimeoutMs?: number;
}

export interface CloudOptions {
    /** Default: ELIZACLOUD_BASE_URL, else config cloud.baseUrl, else https://www.elizacloud.ai. */
    baseUrl?: string;
    /** Default: ELIZACLOUD_API_KEY, else ELIZAOS_CLOUD_API_KEY, else config cloud.apiKey (if any). */
    apiKey?: string;
    /** Default: MILADY_CONFIG_PATH, else $MILADY_STATE_DIR/milady.json, else ~/.milady/milady.json. */
    configPath?: string;
    /** Never read or write a config file. */
    noConfigFile?: boolean;
    /** Allow http:// and loopback (development only); false refuses them even when
     *  ELIZACLOUD_INSECURE_LOCAL is set. Default: ELIZACLOUD_INSECURE_LOCAL=1 (or true/yes/on). */
    insecureLocal?: boolean;
    /** PEM bundle to trust instead of the system CAs. */
    caFile?: string;
    /** Extra allowed cloud hosts. */
    allowedHosts?: string | string[];
    timings?: CloudTimings;
    /**
     * Event queue capacity (default 4096). A full queue pauses streams until the host catches
     * up (back-pressure): no chunk is lost whatever the capacity.
     */
    eventQueueCapacity?: number;
    /** Also deliver the library's log lines as 'log' events. */
    forwardLogs?: boolean;
    /**
     * The cloud's API generation: 'auto' (default: detected once before the first call whose
     * route depends on it, then cached), 'milady' or 'eliza'. Config cloud.apiGeneration.
     */
    apiGeneration?: 'auto' | 'milady' | 'eliza';
    /**
     * The dedicated price the user accepted (eliza generation): a PriceConfirmationError's
     * pricing.acceptanceValue, sent by the calls that can start paid compute (connect,
     * provision, resume, wake, an eager create). Unset: never sent.
     */
    confirmPrice?: string;
    /** The browser site for login and billing pages when it is not the API origin (config
     *  cloud.siteUrl; default: derived, e.g. https://eliza.app for https://api.eliza.app). */
    siteUrl?: string;
    /** Retries of a transient failure of requests that are safe to repeat (SPEC 2.9): 0 = never,
     *  default 2, at most 10. */
    maxRetries?: number;
    /** Export ELIZAOS_CLOUD_API_KEY / ELIZAOS_CLOUD_ENABLED to process.env (default true). */
    exportEnv?: boolean;
}

/** Cloud.eventStats(). */
export interface EventStats {
    capacity: number;
    queued: number;
    /** Droppable events (logs, progress) discarded while the queue was full. */
    dropped: number;
    /** How often a full queue paused the streams until the host caught up. */
    streamPauses: number;
}

/** Options every operation accepts. */
export interface CallOptions {
    /** Aborting cancels the operation in the library; the promise rejects with CancelledError. */
    signal?: AbortSignal;
    /** Milliseconds; then the operation is cancelled and rejects with TimeoutError. */
    timeout?: number;
    /**
     * Retries of a transient failure for this call, 0–10 (default: the client's maxRetries; only
     * idempotent operations are retried). One-answer cloud operations only: a stream or a
     * session operation rejects it with InvalidArgumentError.
     */
    maxRetries?: number;
}

/** Options of `cloud.request()` (docs/requests.md). */
/**
 * A file to upload: a path (streamed from disk while sending), `{path, filename?, contentType?}`,
 * or bytes `{data, filename, contentType?}`. The library checks the route's limits (count, size,
 * accepted types) before anything is sent.
 */
export type FileInput =
    | string
    | URL
    | { path: string | URL; filename?: string; contentType?: string }
    | { data: Uint8Array | ArrayBuffer; filename: string; contentType?: string };

export interface RequestOptions extends CallOptions {
    /** Values of the path's {placeholders}, each percent-encoded (a catch-all keeps its '/'). */
    pathParams?: Record<string, string>;
    /** Query parameters: strings, numbers, booleans or arrays of them (repeated keys). */
    query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
    /** A JSON body. */
    json?: Record<string, unknown>;
    /** A text body, sent as contentType (default text/plain; charset=utf-8). */
    body?: string;
    contentType?: string;
    /** A multipart/form-data body: {field: file or files} (instead of json or body). */
    files?: Record<string, FileInput | FileInput[]>;
    /** Text fields of the multipart body (with files). */
    form?: Record<string, string>;
    /** Extra request headers (X-App-Id, X-PAYMENT …); the key, Host and framing cannot be set. */
    headers?: Record<string, string>;
    /** Retries of a transient failure (default: the client's max_retries, 2). */
    maxRetries?: number;
    /** The request is safe to repeat (GET, HEAD, PUT, DELETE always are): lets a POST retry. */
    idempotent?: boolean;
    /** Bound on each attempt, in ms. */
    timeoutMs?: number;
    /** Call a path that is not in the generation's route catalogue. */
    uncatalogued?: boolean;
}

/** What a route answered (2xx: other statuses reject with their error). */
export declare class Response {
    private constructor();
    readonly status: number;
    /** Names in lower case. */
    readonly headers: Record<string, string>;
    /** The body parsed, when it was JSON; else null. */
    readonly data: any;
    /** The body, when it was text that is not JSON; else null. */
    readonly text: string | null;
    /** The body's bytes. */
    readonly content: Buffer;
    /** A collected SSE stream. */
    readonly events: SseFrame[];
    /** The catalogued route called (null when uncatalogued). */
    readonly route: RouteInfo | null;
    /** Requests sent: 1 + retries. */
    readonly attempts: number;
    readonly rateLimit: RateLimit | null;
    /** Body bytes received. */
    readonly bytes: number;
    /** The body as JSON (throws when it was not JSON). */
    json(): any;
}


/** The chunks of a streamed request: SseFrame (stream 'sse') or Buffer (stream 'bytes'). */
export declare class RequestStream<T = SseFrame | Buffer> implements AsyncIterableIterator<T> {
    private constructor();
    readonly requestId: number;
    readonly ended: boolean;
    /** Status, headers, route, attempts and rate limit, once the stream ended. */
    readonly response: Response | null;
    next(): Promise<IteratorResult<T, undefined>>;
    return(): Promise<IteratorResult<T, undefined>>;
    cancel(): void;
    /** Writes the remaining chunks to a file; resolves with the bytes written. */
    writeTo(path: string): Promise<number>;
    [Symbol.asyncIterator](): RequestStream<T>;
}

export interface LoginOptions extends CallOptions {
    /** Called with the URL the user must open in a browser. */
    onBrowserUrl?: (url: string, event: CloudEvent) => unknown;
    /** Called with each poll status ("pending", …). */
    onProgress?: (status: string, event: CloudEvent) => unknown;
}

export interface ProgressOptions extends CallOptions {
    /** Provisioning progress events of this operation. */
    onProgress?: (event: CloudEvent) => unknown;
}

export interface AgentOptions extends CallOptions {
    /** Another agent than the connected one. */
    agentId?: string;
}

export interface MessageOptions extends CallOptions {
    /** Default "web-chat". */
    roomId?: string;
    /** Default "DM". */
    channelType?: 'DM' | 'GROUP' | 'VOICE_DM' | 'VOICE_GROUP' | 'API';
}

export interface StreamOptions {
    roomId?: string;
    channelType?: MessageOptions['channelType'];
    signal?: AbortSignal;
}

export interface EventsOptions {
    /** Only these types (EventType codes or emitter names). */
    types?: Array<number | CloudEventName>;
    /** Ends the iterator. */
    signal?: AbortSignal;
}

// The records and parameters of the operations are generated from the catalogue (below); the
// names of earlier releases stay as aliases.
export type CloudStatus = Status;
export type Snapshot = Backup;
export type RestoreResult = Restored;
export type CreateAgentParams = AgentsCreateParams;
export type CreateAgentOptions = AgentsCreateOptions;

export interface RestDispatchOptions {
    /** Request headers (Host, Origin, Authorization...). */
    headers?: Record<string, string>;
    body?: string | Buffer | Uint8Array | null;
}

export interface RestResponse {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
    /** false: the path is not under /api/cloud/ (route it elsewhere). */
    handled: boolean;
    /** What the request did to the stored API key (the environment follows with exportEnv). */
    credentials: 'unchanged' | 'stored' | 'removed';
    /** GET /api/cloud/events: the Server-Sent Events to write after the headers; else null. */
    stream: (AsyncIterable<Buffer> & { close(): Promise<void> }) | null;
}

// ---- begin: generated by tools/gen_surfaces.py from the operation catalogue; do not edit ----

// One error class per failure status (EC_STATUS_MAP).
/** A NULL handle, bad option, non-UUID agent id... */
export declare class InvalidArgumentError extends ElizaCloudError {}
/** Out of memory. */
export declare class NoMemoryError extends ElizaCloudError {}
/** A bug in the library: please report it. */
export declare class InternalError extends ElizaCloudError {}
/** No event queued (ec_*_next_event). */
export declare class EmptyError extends ElizaCloudError {}
/** A request, wait or overall deadline passed. */
export declare class TimeoutError extends ElizaCloudError {}
/** Cancelled by the caller or by shutdown. */
export declare class CancelledError extends ElizaCloudError {}
/** DNS, connect, reset, connection dropped mid-body. */
export declare class NetworkError extends ElizaCloudError {}
/** The server answered 3xx; redirects are never followed. */
export declare class RedirectRefusedError extends ElizaCloudError {}
/** URL or address refused by the URL security policy. */
export declare class UrlBlockedError extends ElizaCloudError {}
/** Certificate or handshake failure. */
export declare class TlsError extends ElizaCloudError {}
/** Malformed JSON, unexpected shape, bad SSE. */
export declare class ProtocolError extends ElizaCloudError {}
/** Response body above the configured maximum. */
export declare class ResponseTooLargeError extends ElizaCloudError {}
/** The cloud refused the API key (HTTP 401). */
export declare class AuthError extends ElizaCloudError {}
/** Cloud 403. */
export declare class ForbiddenError extends ElizaCloudError {}
/** Cloud 404. */
export declare class NotFoundError extends ElizaCloudError {}
/** Cloud 409. */
export declare class ConflictError extends ElizaCloudError {}
/** HTTP 429; `retryAfter` is the wait in seconds the cloud asked for (or null). */
export declare class RateLimitedError extends ElizaCloudError {}
/** HTTP 402; `requiredBalance` / `currentBalance` as the cloud reported them. */
export declare class InsufficientCreditsError extends ElizaCloudError {}
/** Cloud 400. */
export declare class InvalidRequestError extends ElizaCloudError {}
/** Cloud 5xx or other unexpected status. */
export declare class ServerError extends ElizaCloudError {}
/** Login session expired or unknown. */
export declare class LoginExpiredError extends ElizaCloudError {}
/** Login completed but the key was already collected. */
export declare class KeyAlreadyRetrievedError extends ElizaCloudError {}
/** No API key / no active agent. */
export declare class NotConnectedError extends ElizaCloudError {}
/** Call not allowed from inside a library callback. */
export declare class ReentrantError extends ElizaCloudError {}
/** An operation of that kind is already running. */
export declare class BusyError extends ElizaCloudError {}
/** A bounded event queue overflowed (streams pause instead while the queue is full). */
export declare class EventOverflowError extends ElizaCloudError {}
/** Local file I/O (config store, a file to upload). */
export declare class ConfigIOError extends ElizaCloudError {}
/** ABI / plugin version negotiation refused. */
export declare class IncompatibleError extends ElizaCloudError {}
/** The provisioning job ended as failed. */
export declare class ProvisionFailedError extends ElizaCloudError {}
/** The agent answered with a JSON-RPC error (e.g. `Sandbox is not running`). */
export declare class AgentError extends ElizaCloudError {}
/** Not available on the cloud's API generation, or the generation could not be told. */
export declare class GenerationError extends ElizaCloudError {}
/** HTTP 428 (eliza generation): starting dedicated compute needs the price confirmed. `pricing` holds the quote; show it, then call again with `confirmPrice: pricing.acceptanceValue` (or the `confirmPrice` option). */
export declare class PriceConfirmationError extends ElizaCloudError {}
/** The organisation's agent quota is reached (a 429 that is not a rate limit); `details` holds `currentAgents` and `maxAgents`. */
export declare class QuotaError extends ElizaCloudError {}
/** The cloud refused the agent's Docker image. */
export declare class ImageRefusedError extends ElizaCloudError {}
/** The route needs a browser session (dashboard login), not an API key. */
export declare class SessionRequiredError extends ElizaCloudError {}

/** Result record `Empty`. The cloud may send more fields. */
export interface Empty {
    [key: string]: unknown;
}

/** Result record `LoginResult`. The cloud may send more fields. */
export interface LoginResult {
    /** the first 12 characters of the new key (never the key) */
    keyPrefix: string;
    /** the user the key belongs to */
    userId: string | null;
    /** the user's organisation */
    organizationId: string | null;
    /** ISO time the key expires, or null */
    expiresAt: string | null;
    [key: string]: unknown;
}

/** Result record `LoginSession`. */
export interface LoginSession {
    /** the session to poll (the id the cloud minted) */
    sessionId: string;
    /** the page where the user logs in */
    browserUrl: string;
}

/** Result record `LoginPoll`. */
export interface LoginPoll {
    /** pending (poll again), authenticated (the key is in use), or error (the cloud failed this time; poll again) */
    status: string;
    /** authenticated: the first 12 characters of the key */
    keyPrefix?: string;
    /** authenticated: whether the key was saved to the config file (it is in use either way) */
    saved?: boolean;
    /** error: what the cloud answered */
    httpStatus?: number;
}

/** Result record `Status`. The cloud may send more fields. */
export interface Status {
    /** a key is set and the cloud accepted it just now */
    connected: boolean;
    /** cloud.enabled of the configuration */
    enabled: boolean;
    /** a key is configured */
    hasApiKey: boolean;
    /** when connected */
    userId?: string;
    /** when connected */
    organizationId?: string | null;
    /** where to buy credits */
    topUpUrl: string;
    /** the cloud's API generation in use (milady or eliza); null until it was needed */
    apiGeneration: string | null;
    /** why not connected */
    reason?: string;
    /** the cloud that issued the stored key, when it is not this one (the key is then not sent) */
    apiKeyBaseUrl?: string;
    [key: string]: unknown;
}

/** Result record `Credits`. The cloud may send more fields. */
export interface Credits {
    /** a key is set (else balance is null) */
    connected: boolean;
    /** US dollars */
    balance: number | null;
    /** balance below $2.00 */
    low: boolean;
    /** balance below $0.50 */
    critical: boolean;
    /** where to buy credits */
    topUpUrl: string;
    [key: string]: unknown;
}

/** Result record `Organization`. The cloud may send more fields. */
export interface Organization {
    id: string;
    name?: string;
    slug?: string;
    /** a numeric string, e.g. "12.500000" */
    credit_balance?: string;
    [key: string]: unknown;
}

/** Result record `User`. The cloud may send more fields. */
export interface User {
    /** the user id */
    id: string;
    email?: string | null;
    name?: string | null;
    avatar?: string | null;
    nickname?: string | null;
    work_function?: string | null;
    preferences?: string | null;
    response_notifications?: boolean;
    email_notifications?: boolean;
    organization?: Organization;
    [key: string]: unknown;
}

/** Result record `Identity`. The cloud may send more fields. */
export interface Identity {
    /** data.id of GET /api/v1/user */
    userId: string;
    /** data.organization.id */
    organizationId: string | null;
    email?: string | null;
    name?: string | null;
    organization?: Organization;
    [key: string]: unknown;
}

/** Result record `AgentSummary`. The cloud may send more fields. */
export interface AgentSummary {
    /** the agent id (a UUID) */
    id: string;
    agentName?: string | null;
    /** pending, provisioning, running, stopped, disconnected, error */
    status?: string;
    databaseStatus?: string;
    lastBackupAt?: string | null;
    lastHeartbeatAt?: string | null;
    errorMessage?: string | null;
    createdAt?: string;
    updatedAt?: string;
    [key: string]: unknown;
}

/** Result record `Agent`. The cloud may send more fields. */
export interface Agent {
    /** the agent id (a UUID) */
    id: string;
    agentName?: string | null;
    /** pending, provisioning, running, stopped, disconnected, error; eliza adds sleeping, deletion_pending, deletion_failed (other values may come) */
    status?: string;
    /** milady generation only */
    bridgeUrl?: string | null;
    /** eliza: shared, dedicated-lazy, dedicated-always or custom */
    executionTier?: string;
    /** eliza: the agent's public web UI / REST host */
    webUiUrl?: string | null;
    /** eliza: the lifecycle job in flight, or null */
    activeJob?: unknown;
    errorMessage?: string | null;
    errorCount?: number;
    createdAt?: string;
    updatedAt?: string;
    [key: string]: unknown;
}

/** Result record `AgentCreated`. The cloud may send more fields. */
export interface AgentCreated {
    /** the agent's id */
    id: string;
    agentName?: string;
    /** pending; running once an auto-provisioning create's job finished (eliza) */
    status?: string;
    createdAt?: string;
    /** eliza: the tier the cloud chose */
    executionTier?: string;
    /** eliza: false when the cloud returned the organisation's live agent instead of a new one */
    created?: boolean;
    [key: string]: unknown;
}

/** Result record `AgentAction`. The cloud may send more fields. */
export interface AgentAction {
    agentId?: string;
    action?: string;
    message?: string;
    previousStatus?: string;
    [key: string]: unknown;
}

/** Result record `Connection`. The cloud may send more fields. */
export interface Connection {
    agentId: string;
    agentName: string;
    /** connected */
    state: string;
    [key: string]: unknown;
}

/** Result record `Reply`. The cloud may send more fields. */
export interface Reply {
    /** the agent's reply (all chunks, for a stream) */
    text: string;
    [key: string]: unknown;
}

/** Result record `AgentState`. The cloud may send more fields. */
export interface AgentState {
    /** the agent's status in the cloud */
    state: string;
    agentName: string;
    [key: string]: unknown;
}

/** Result record `Alive`. */
export interface Alive {
    alive: boolean;
}

/** Result record `Backup`. The cloud may send more fields. */
export interface Backup {
    backupId?: string;
    /** manual */
    snapshotType?: string;
    sizeBytes?: number | null;
    createdAt?: string;
    /** eliza: the kind of backup (full, incremental …) */
    backupKind?: string | null;
    /** eliza: the backup this one builds on */
    parentBackupId?: string | null;
    [key: string]: unknown;
}

/** Result record `BackupInfo`. The cloud may send more fields. */
export interface BackupInfo {
    /** the backup id */
    id: string;
    /** auto, manual, pre-shutdown (eliza adds pre-upgrade …) */
    snapshotType?: string;
    sizeBytes?: number | null;
    /** milady generation only */
    vercelSnapshotId?: string | null;
    /** eliza: the kind of backup (full, incremental …) */
    backupKind?: string | null;
    /** eliza: the backup this one builds on */
    parentBackupId?: string | null;
    createdAt?: string;
    [key: string]: unknown;
}

/** Result record `Restored`. The cloud may send more fields. */
export interface Restored {
    restoredFromBackupId?: string;
    snapshotType?: string;
    createdAt?: string;
    [key: string]: unknown;
}

/** Result record `Job`. The cloud may send more fields. */
export interface Job {
    /** the job id */
    id: string;
    /** e.g. milady_provision */
    type?: string;
    /** pending, in_progress, completed or failed */
    status: string;
    /** when completed */
    result?: unknown;
    /** when failed */
    error?: string | null;
    [key: string]: unknown;
}

/** Result record `RateLimit`. */
export interface RateLimit {
    /** X-RateLimit-Limit: requests allowed in the window */
    limit: number | null;
    /** X-RateLimit-Remaining */
    remaining: number | null;
    /** X-RateLimit-Reset, as the cloud sent it */
    reset: string | null;
}

/** Result record `RouteInfo`. */
export interface RouteInfo {
    /** GET, POST, PUT, PATCH, DELETE or HEAD */
    method: string;
    /** the template, parameters as {name} */
    path: string;
    /** the placeholders, in order */
    pathParams: string[];
    /** json, json-or-empty, mixed (JSON or SSE), stream, binary, text */
    responseMode: string;
    /** the route's area: apps, eliza/agents, api/health … */
    area: string;
    /** the last parameter takes the rest of the path */
    catchAll: boolean;
}

/** Result record `RouteCatalogue`. */
export interface RouteCatalogue {
    /** milady or eliza */
    generation: string;
    /** every public route of that generation */
    routes: RouteInfo[];
}

/** Result record `SseFrame`. */
export interface SseFrame {
    /** the event's name (message when unnamed) */
    event: string;
    /** its data lines, joined with newlines */
    data: string;
    /** the last event id, when the stream sends ids */
    id?: string;
}

/** Result record `ResponseRecord`. */
export interface ResponseRecord {
    /** the HTTP status (2xx: failures are errors) */
    status: number;
    /** the response headers, names in lower case (no Set-Cookie) */
    headers: Record<string, unknown>;
    /** the body, when it is JSON */
    json?: unknown;
    /** the body, when it is text that is not JSON */
    text?: string;
    /** the body, base64-encoded, when it is binary */
    base64?: string;
    /** stream sse without events: the stream's events */
    events?: SseFrame[];
    /** body bytes received */
    bytes: number;
    /** the catalogued route called (null: uncatalogued) */
    route: RouteInfo | null;
    /** requests sent (1 + retries) */
    attempts: number;
    /** the X-RateLimit-* headers, when sent */
    rateLimit: RateLimit | null;
}

/** Result record `CompletionStreamEnd`. */
export interface CompletionStreamEnd {
    /** chatcmpl-… */
    id: string | null;
    /** the model */
    model: string | null;
    /** every content delta, joined */
    text: string;
    /** stop, length, tool_calls … (null if none came) */
    finishReason: string | null;
    /** [{id, type, function: {name, arguments}}], arguments joined */
    toolCalls: unknown;
    /** when the stream carried it */
    usage?: unknown;
}

/** Result record `AudioEnd`. */
export interface AudioEnd {
    /** audio bytes received */
    bytes: number;
    /** e.g. audio/mpeg */
    contentType: string | null;
    /** a synchronous call (no chunks): the audio itself */
    base64?: string;
}

/** Result record `ChatCompletion`. The cloud may send more fields. */
export interface ChatCompletion {
    /** chatcmpl-… */
    id: string;
    /** chat.completion */
    object: string;
    /** epoch seconds */
    created?: number;
    /** the model, as requested */
    model: string;
    /** [{index, message: {role, content}, finish_reason}] */
    choices: unknown;
    /** {prompt_tokens, completion_tokens, total_tokens} */
    usage?: unknown;
    [key: string]: unknown;
}

/** Result record `AnthropicMessage`. The cloud may send more fields. */
export interface AnthropicMessage {
    /** msg_… */
    id: string;
    /** message */
    type: string;
    /** assistant */
    role: string;
    /** [{type: text, text} | {type: tool_use, id, name, input}] */
    content: unknown;
    /** the model, as requested */
    model: string;
    /** end_turn, max_tokens, stop_sequence or tool_use */
    stop_reason?: string | null;
    /** {input_tokens, output_tokens} */
    usage?: unknown;
    [key: string]: unknown;
}

/** Result record `ModelResponse`. The cloud may send more fields. */
export interface ModelResponse {
    /** resp_… */
    id: string;
    /** response */
    object?: string;
    /** the model */
    model?: string;
    /** the output items */
    output: unknown;
    /** the text of the output */
    output_text?: string;
    /** token counts */
    usage?: unknown;
    [key: string]: unknown;
}

/** Result record `EmbeddingList`. The cloud may send more fields. */
export interface EmbeddingList {
    /** list */
    object?: string;
    /** [{object: embedding, embedding: number[], index}] */
    data: unknown;
    /** the model */
    model?: string;
    /** {prompt_tokens, total_tokens} */
    usage?: unknown;
    [key: string]: unknown;
}

/** Result record `Model`. The cloud may send more fields. */
export interface Model {
    /** provider/model */
    id: string;
    /** model */
    object?: string;
    /** epoch seconds */
    created?: number;
    /** the provider */
    owned_by?: string;
    /** display name */
    name?: string;
    /** language, embedding… */
    type?: string;
    /** tokens */
    context_window?: number;
    [key: string]: unknown;
}

/** Result record `ModelList`. The cloud may send more fields. */
export interface ModelList {
    /** list */
    object?: string;
    /** the models */
    data: Model[];
    [key: string]: unknown;
}

/** Result record `ImageGeneration`. The cloud may send more fields. */
export interface ImageGeneration {
    /** [{url?, image? (base64), mimeType, fileSize?}] */
    images: unknown;
    /** how many */
    numImages: number;
    [key: string]: unknown;
}

/** Result record `VideoGeneration`. The cloud may send more fields. */
export interface VideoGeneration {
    /** {url, content_type, width, height, file_name, file_size?} */
    video: unknown;
    /** the seed used */
    seed?: number | null;
    /** the generation's id */
    requestId?: string;
    [key: string]: unknown;
}

/** Result record `Voice`. The cloud may send more fields. */
export interface Voice {
    /** its id */
    id: string;
    /** its name */
    name: string;
    /** instant or professional */
    cloneType?: string;
    /** usable */
    isActive?: boolean;
    /** ISO time */
    createdAt?: string;
    [key: string]: unknown;
}

/** Result record `VoiceList`. The cloud may send more fields. */
export interface VoiceList {
    /** true */
    success?: boolean;
    /** the voices */
    voices: Voice[];
    /** how many in all */
    total?: number;
    [key: string]: unknown;
}

/** Result record `VoiceAnswer`. The cloud may send more fields. */
export interface VoiceAnswer {
    /** true */
    success?: boolean;
    /** the voice */
    voice: Voice;
    [key: string]: unknown;
}

/** Result record `Done`. The cloud may send more fields. */
export interface Done {
    /** true */
    success?: boolean;
    /** what was done */
    message?: string;
    [key: string]: unknown;
}

/** Result record `KnowledgeDocument`. The cloud may send more fields. */
export interface KnowledgeDocument {
    /** its id */
    id: string;
    /** its file name */
    filename?: string;
    /** its media type */
    contentType?: string;
    /** its character */
    characterId?: string | null;
    /** ISO time */
    createdAt?: string;
    [key: string]: unknown;
}

/** Result record `KnowledgeList`. The cloud may send more fields. */
export interface KnowledgeList {
    /** true */
    success?: boolean;
    /** the documents */
    documents: KnowledgeDocument[];
    /** how many in all */
    total?: number;
    [key: string]: unknown;
}

/** Result record `KnowledgeAdded`. The cloud may send more fields. */
export interface KnowledgeAdded {
    /** true */
    success?: boolean;
    /** the document */
    document: KnowledgeDocument;
    [key: string]: unknown;
}

/** Result record `KnowledgeResults`. The cloud may send more fields. */
export interface KnowledgeResults {
    /** the query */
    query: string;
    /** [{id, content, similarity, metadata?}], best first */
    results: unknown;
    [key: string]: unknown;
}

/** Result record `KnowledgeUploaded`. The cloud may send more fields. */
export interface KnowledgeUploaded {
    /** whether at least one file was taken */
    success: boolean;
    /** what happened */
    message?: string;
    /** files taken */
    successCount?: number;
    /** files refused */
    failedCount?: number;
    /** milady: files sent */
    totalCount?: number;
    /** milady: [{id, filename, type, size, uploadedAt, status, fragmentCount?, error?}] */
    data?: unknown;
    /** eliza: [{id, content: {text}, createdAt, metadata}] */
    documents?: unknown;
    [key: string]: unknown;
}

/** Result record `Transcript`. The cloud may send more fields. */
export interface Transcript {
    /** the text heard */
    transcript: string;
    /** the audio's length */
    duration_ms?: number;
    /** eliza, some providers: [{text, startMs, endMs}] */
    segments?: unknown;
    /** eliza, some providers: [{text, startMs, endMs}] */
    words?: unknown;
    [key: string]: unknown;
}

/** Result record `VoiceCloned`. The cloud may send more fields. */
export interface VoiceCloned {
    /** true */
    success?: boolean;
    /** {id, elevenlabsVoiceId, name, description, cloneType, status, sampleCount, createdAt} */
    voice: unknown;
    /** the cloning job: {id, status, progress} */
    job?: unknown;
    /** what it cost */
    creditsDeducted?: number;
    /** e.g. "30 seconds" */
    estimatedCompletionTime?: string;
    [key: string]: unknown;
}

/** Result record `Container`. The cloud may send more fields. */
export interface Container {
    /** its id */
    id: string;
    /** its name */
    name: string;
    /** its project */
    project_name?: string;
    /** pending, building, deploying, running, stopped, failed or suspended */
    status: string;
    /** its image */
    ecr_image_uri?: string;
    /** where it answers once running */
    load_balancer_url?: string | null;
    /** ISO time */
    created_at?: string;
    [key: string]: unknown;
}

/** Result record `ContainerLogs`. The cloud may send more fields. */
export interface ContainerLogs {
    /** the container */
    containerId: string;
    /** [{timestamp, message}] */
    logs: unknown;
    [key: string]: unknown;
}

/** Result record `ContainerMetrics`. The cloud may send more fields. */
export interface ContainerMetrics {
    /** the container */
    containerId: string;
    /** percent */
    cpu_utilization?: number;
    /** percent */
    memory_utilization?: number;
    /** requests served */
    request_count?: number;
    [key: string]: unknown;
}

/** Result record `ContainerDeployment`. The cloud may send more fields. */
export interface ContainerDeployment {
    /** its id */
    id: string;
    /** its status */
    status: string;
    /** ISO time */
    created_at?: string;
    [key: string]: unknown;
}

/** Result record `ContainerQuota`. The cloud may send more fields. */
export interface ContainerQuota {
    /** containers now */
    current: number;
    /** the most allowed */
    max: number;
    [key: string]: unknown;
}

/** Result record `A2ATask`. The cloud may send more fields. */
export interface A2ATask {
    /** the task's id */
    id?: string;
    /** task or message */
    kind?: string;
    /** {state, message?, timestamp} */
    status?: unknown;
    /** the messages */
    history?: unknown;
    /** what the task produced */
    artifacts?: unknown;
    [key: string]: unknown;
}

/** Result record `AgentCard`. The cloud may send more fields. */
export interface AgentCard {
    /** its name */
    name: string;
    /** its version */
    version?: string;
    /** the A2A protocol version */
    protocolVersion?: string;
    /** the JSON-RPC methods */
    methods?: unknown;
    /** the skills */
    skills?: unknown;
    [key: string]: unknown;
}

/** Result record `DiscoveryResults`. The cloud may send more fields. */
export interface DiscoveryResults {
    /** [{id, name, description, type, source, tags, active, …}] */
    services: unknown;
    /** how many match */
    total: number;
    /** more pages */
    hasMore?: boolean;
    /** {limit, offset} */
    pagination?: unknown;
    [key: string]: unknown;
}

/** Result record `ApiKey`. The cloud may send more fields. */
export interface ApiKey {
    /** its id */
    id: string;
    /** its name */
    name: string;
    /** what it is for */
    description?: string | null;
    /** its first characters */
    key_prefix: string;
    /** its permissions */
    permissions?: unknown;
    /** requests per minute */
    rate_limit?: number;
    /** usable */
    is_active?: boolean;
    /** ISO time */
    expires_at?: string | null;
    /** ISO time */
    created_at?: string;
    [key: string]: unknown;
}

/** Result record `ApiKeyList`. The cloud may send more fields. */
export interface ApiKeyList {
    /** the keys */
    keys: ApiKey[];
    [key: string]: unknown;
}

/** Result record `ApiKeyCreated`. The cloud may send more fields. */
export interface ApiKeyCreated {
    /** the key's record */
    apiKey: ApiKey;
    /** the key itself, shown once */
    plainKey: string;
    [key: string]: unknown;
}

/** Result record `ApiKeyAnswer`. The cloud may send more fields. */
export interface ApiKeyAnswer {
    /** the key's record */
    apiKey: ApiKey;
    [key: string]: unknown;
}

/** Result record `CreditsSummary`. The cloud may send more fields. */
export interface CreditsSummary {
    /** {id, name, creditBalance, autoTopUpEnabled, …} */
    organization: unknown;
    /** the characters' budgets */
    agents?: unknown;
    /** totals */
    agentsSummary?: unknown;
    /** the apps' earnings */
    apps?: unknown;
    /** the earnings */
    earnings?: unknown;
    /** the last 10 */
    recentTransactions?: unknown;
    /** {creditsPerDollar, minimumTopUp, x402Enabled} */
    pricing?: unknown;
    [key: string]: unknown;
}

/** Result record `Checkout`. The cloud may send more fields. */
export interface Checkout {
    /** the page the user pays on */
    url: string;
    /** for billing.verify */
    sessionId: string;
    [key: string]: unknown;
}

/** Result record `CheckoutVerified`. The cloud may send more fields. */
export interface CheckoutVerified {
    /** true */
    success: boolean;
    /** US dollars added */
    amount?: number;
    /** the cloud's message */
    message?: string;
    [key: string]: unknown;
}

/** Result record `Transactions`. The cloud may send more fields. */
export interface Transactions {
    /** [{id, amount, type, description, metadata, created_at}] */
    transactions: unknown;
    /** how many */
    total: number;
    /** {start, end} */
    period?: unknown;
    [key: string]: unknown;
}

/** Result record `BillingSettings`. The cloud may send more fields. */
export interface BillingSettings {
    /** true */
    success?: boolean;
    /** after an update */
    message?: string;
    /** {autoTopUp: {enabled, amount, threshold, hasPaymentMethod}, payAsYouGoFromEarnings, limits?} */
    settings: unknown;
    [key: string]: unknown;
}

/** Result record `TopUp`. The cloud may send more fields. */
export interface TopUp {
    /** true when charged */
    success: boolean;
    /** what happened */
    message?: string;
    /** US dollars charged */
    amount?: number;
    /** before */
    previousBalance?: number;
    /** after */
    newBalance?: number;
    [key: string]: unknown;
}

/** Result record `App`. The cloud may send more fields. */
export interface App {
    /** its id */
    id: string;
    /** its name */
    name: string;
    /** its slug */
    slug?: string;
    /** its URL */
    app_url?: string;
    /** what it does */
    description?: string | null;
    /** usable */
    is_active?: boolean;
    /** ISO time */
    created_at?: string;
    [key: string]: unknown;
}

/** Result record `AppCreated`. The cloud may send more fields. */
export interface AppCreated {
    /** true */
    success?: boolean;
    /** the app */
    app: App;
    /** its API key, shown once */
    apiKey: string;
    [key: string]: unknown;
}

/** Result record `AppList`. The cloud may send more fields. */
export interface AppList {
    /** true */
    success?: boolean;
    /** the apps */
    apps: App[];
    [key: string]: unknown;
}

/** Result record `AppAnswer`. The cloud may send more fields. */
export interface AppAnswer {
    /** true */
    success?: boolean;
    /** the app */
    app: App;
    [key: string]: unknown;
}

/** Result record `AppNameCheck`. The cloud may send more fields. */
export interface AppNameCheck {
    /** true */
    success?: boolean;
    /** the name is free */
    available: boolean;
    /** a free name, when it is not */
    suggestedName?: string;
    [key: string]: unknown;
}

/** Result record `AppAnalytics`. The cloud may send more fields. */
export interface AppAnalytics {
    /** true */
    success?: boolean;
    /** the usage per period */
    analytics: unknown;
    [key: string]: unknown;
}

/** Result record `AppUsers`. The cloud may send more fields. */
export interface AppUsers {
    /** true */
    success?: boolean;
    /** [{id, firstSeen, lastSeen, requestCount}] */
    users: unknown;
    /** how many */
    total?: number;
    [key: string]: unknown;
}

/** Result record `AppMonetization`. The cloud may send more fields. */
export interface AppMonetization {
    /** true */
    success?: boolean;
    /** {monetizationEnabled, inferenceMarkupPercentage, purchaseSharePercentage} */
    monetization: unknown;
    [key: string]: unknown;
}

/** Result record `AppEarnings`. The cloud may send more fields. */
export interface AppEarnings {
    /** true */
    success?: boolean;
    /** {total, pending, available, history} */
    earnings: unknown;
    [key: string]: unknown;
}

/** Result record `AppWithdrawal`. The cloud may send more fields. */
export interface AppWithdrawal {
    /** true */
    success: boolean;
    /** US dollars withdrawn */
    amount?: number;
    /** left to withdraw */
    available?: number;
    /** the cloud's message */
    message?: string;
    [key: string]: unknown;
}

/** Result record `AppKey`. The cloud may send more fields. */
export interface AppKey {
    /** true */
    success?: boolean;
    /** the new key, shown once */
    apiKey: string;
    /** the cloud's message */
    message?: string;
    [key: string]: unknown;
}

/** Result record `AppDomain`. The cloud may send more fields. */
export interface AppDomain {
    /** the domain */
    domain: string;
    /** its DNS points at the app */
    verified: boolean;
    /** ISO time */
    createdAt?: string;
    [key: string]: unknown;
}

/** Result record `AppDomainAnswer`. The cloud may send more fields. */
export interface AppDomainAnswer {
    /** true */
    success?: boolean;
    /** the domain */
    domain: AppDomain;
    [key: string]: unknown;
}

/** Result record `AppDomains`. The cloud may send more fields. */
export interface AppDomains {
    /** true */
    success?: boolean;
    /** the domains */
    domains: AppDomain[];
    [key: string]: unknown;
}

/** Result record `Health`. The cloud may send more fields. */
export interface Health {
    /** ok */
    status: string;
    /** when */
    timestamp?: unknown;
    /** where */
    region?: string;
    /** eliza: the environment */
    environment?: string;
    /** eliza: schema markers */
    schemaCompatibility?: unknown;
    [key: string]: unknown;
}

/** Parameters of `a2a.cancel_task` (wire names). */
export interface A2aCancelTaskParams {
    /** the task's id */
    id: string;
}

/** Parameters of `a2a.card` (wire names). */
export interface A2aCardParams {
}

/** Parameters of `a2a.get_task` (wire names). */
export interface A2aGetTaskParams {
    /** the task's id */
    id: string;
    /** how many messages of the history to include */
    historyLength?: number;
}

/** Parameters of `a2a.send` (wire names). */
export interface A2aSendParams {
    /** the A2A message: {role: "user", parts: [{kind: "text", text}], messageId} */
    message: Record<string, unknown>;
    /** A2A send configuration */
    configuration?: Record<string, unknown>;
    /** metadata for the task */
    metadata?: Record<string, unknown>;
}

/** Parameters of `agent.alive` (wire names). */
export interface AgentAliveParams {
}

/** Parameters of `agent.status` (wire names). */
export interface AgentStatusParams {
}

/** Parameters of `agents.create` (wire names). */
export interface AgentsCreateParams {
    /** the agent's name */
    agentName: string;
    /** an existing character of the organisation to build the agent from */
    characterId?: string;
    /** agent configuration */
    agentConfig?: Record<string, unknown>;
    /** environment variables for the agent */
    environmentVars?: Record<string, string>;
    /** eliza: start the agent too when its tier is eager (default true there) */
    autoProvision?: boolean;
    /** eliza: create a new agent even when the organisation has a live one */
    forceCreate?: boolean;
    /** eliza: a custom image (digest-pinned, from an allowed registry) */
    dockerImage?: string;
    /** eliza: ask for a dedicated, always-on agent */
    alwaysOn?: boolean;
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Parameters of `agents.delete` (wire names). */
export interface AgentsDeleteParams {
    /** the agent's id */
    agentId: string;
}

/** Parameters of `agents.get` (wire names). */
export interface AgentsGetParams {
    /** the agent's id */
    agentId: string;
}

/** Parameters of `agents.list` (wire names). */
export interface AgentsListParams {
}

/** Parameters of `agents.provision` (wire names). */
export interface AgentsProvisionParams {
    /** the agent's id */
    agentId: string;
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Parameters of `agents.resume` (wire names). */
export interface AgentsResumeParams {
    /** the agent's id */
    agentId: string;
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Parameters of `agents.sleep` (wire names). */
export interface AgentsSleepParams {
    /** the agent's id */
    agentId: string;
}

/** Parameters of `agents.suspend` (wire names). */
export interface AgentsSuspendParams {
    /** the agent's id */
    agentId: string;
}

/** Parameters of `agents.wake` (wire names). */
export interface AgentsWakeParams {
    /** the agent's id */
    agentId: string;
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
    /** wake from this (validated) backup instead of the latest */
    restoreBackupId?: string;
    /** boot empty, accepting the loss of the agent's saved state */
    forceFreshBoot?: boolean;
}

/** Parameters of `api_keys.create` (wire names). */
export interface ApiKeysCreateParams {
    /** the key's name */
    name: string;
    /** what it is for */
    description?: string;
    /** at most 50 permission names (chat, agents, images…) */
    permissions?: unknown;
    /** requests per minute, 1 to 100000 (1000) */
    rate_limit?: number;
    /** ISO time it stops working (never when absent) */
    expires_at?: string;
}

/** Parameters of `api_keys.delete` (wire names). */
export interface ApiKeysDeleteParams {
    /** the record's id */
    id: string;
}

/** Parameters of `api_keys.list` (wire names). */
export interface ApiKeysListParams {
}

/** Parameters of `api_keys.regenerate` (wire names). */
export interface ApiKeysRegenerateParams {
    /** the record's id */
    id: string;
}

/** Parameters of `api_keys.update` (wire names). */
export interface ApiKeysUpdateParams {
    /** the record's id */
    id: string;
    /** the key's name */
    name?: string;
    /** what it is for */
    description?: string;
    /** at most 50 permission names (chat, agents, images…) */
    permissions?: unknown;
    /** requests per minute, 1 to 100000 (1000) */
    rate_limit?: number;
    /** ISO time it stops working (never when absent) */
    expires_at?: string;
    /** false disables the key */
    is_active?: boolean;
}

/** Parameters of `apps.analytics` (wire names). */
export interface AppsAnalyticsParams {
    /** the record's id */
    id: string;
    /** the buckets */
    period?: 'hourly' | 'daily' | 'monthly';
    /** ISO start */
    start_date?: string;
    /** ISO end */
    end_date?: string;
}

/** Parameters of `apps.check_name` (wire names). */
export interface AppsCheckNameParams {
    /** the name */
    name: string;
}

/** Parameters of `apps.create` (wire names). */
export interface AppsCreateParams {
    /** its name */
    name: string;
    /** the app's URL */
    app_url: string;
    /** what it does */
    description?: string;
    /** its public website */
    website_url?: string;
    /** who to contact */
    contact_email?: string;
    /** origins allowed to call it */
    allowed_origins?: unknown;
    /** its logo */
    logo_url?: string;
    /** do not create a GitHub repository for it */
    skipGitHubRepo?: boolean;
}

/** Parameters of `apps.delete` (wire names). */
export interface AppsDeleteParams {
    /** the record's id */
    id: string;
}

/** Parameters of `apps.domains.add` (wire names). */
export interface AppsDomainsAddParams {
    /** the record's id */
    id: string;
    /** the domain, ASCII only (e.g. app.example.com) */
    domain: string;
}

/** Parameters of `apps.domains.list` (wire names). */
export interface AppsDomainsListParams {
    /** the record's id */
    id: string;
}

/** Parameters of `apps.domains.remove` (wire names). */
export interface AppsDomainsRemoveParams {
    /** the record's id */
    id: string;
    /** the domain, ASCII only (e.g. app.example.com) */
    domain: string;
}

/** Parameters of `apps.domains.verify` (wire names). */
export interface AppsDomainsVerifyParams {
    /** the record's id */
    id: string;
    /** the domain, ASCII only (e.g. app.example.com) */
    domain: string;
}

/** Parameters of `apps.earnings` (wire names). */
export interface AppsEarningsParams {
    /** the record's id */
    id: string;
    /** the period in days */
    days?: number;
}

/** Parameters of `apps.get` (wire names). */
export interface AppsGetParams {
    /** the record's id */
    id: string;
}

/** Parameters of `apps.list` (wire names). */
export interface AppsListParams {
}

/** Parameters of `apps.monetization.get` (wire names). */
export interface AppsMonetizationGetParams {
    /** the record's id */
    id: string;
}

/** Parameters of `apps.monetization.update` (wire names). */
export interface AppsMonetizationUpdateParams {
    /** the record's id */
    id: string;
    /** earn from the app's use */
    monetizationEnabled?: boolean;
    /** markup on inference, 0 to 1000 % */
    inferenceMarkupPercentage?: number;
    /** share of purchases, 0 to 100 % */
    purchaseSharePercentage?: number;
}

/** Parameters of `apps.regenerate_api_key` (wire names). */
export interface AppsRegenerateApiKeyParams {
    /** the record's id */
    id: string;
}

/** Parameters of `apps.update` (wire names). */
export interface AppsUpdateParams {
    /** the record's id */
    id: string;
    /** its name */
    name?: string;
    /** the app's URL */
    app_url?: string;
    /** what it does */
    description?: string;
    /** its public website */
    website_url?: string;
    /** who to contact */
    contact_email?: string;
    /** origins allowed to call it */
    allowed_origins?: unknown;
    /** false disables it */
    is_active?: boolean;
    /** at most 4 character ids */
    linked_character_ids?: unknown;
}

/** Parameters of `apps.users` (wire names). */
export interface AppsUsersParams {
    /** the record's id */
    id: string;
    /** at most this many */
    limit?: number;
}

/** Parameters of `apps.withdraw` (wire names). */
export interface AppsWithdrawParams {
    /** the record's id */
    id: string;
    /** US dollars to withdraw from the available earnings */
    amount: number;
}

/** Parameters of `backups.list` (wire names). */
export interface BackupsListParams {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
}

/** Parameters of `backups.restore` (wire names). */
export interface BackupsRestoreParams {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
    /** the backup to restore (default: the latest) */
    backupId?: string;
}

/** Parameters of `backups.snapshot` (wire names). */
export interface BackupsSnapshotParams {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
}

/** Parameters of `billing.auto_top_up` (wire names). */
export interface BillingAutoTopUpParams {
}

/** Parameters of `billing.checkout` (wire names). */
export interface BillingCheckoutParams {
    /** US dollars to buy, 1 to 1000 */
    credits: number;
    /** where Stripe sends the user after paying (an allowed origin) */
    success_url: string;
    /** where Stripe sends the user after cancelling (an allowed origin) */
    cancel_url: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
}

/** Parameters of `billing.settings` (wire names). */
export interface BillingSettingsParams {
}

/** Parameters of `billing.summary` (wire names). */
export interface BillingSummaryParams {
}

/** Parameters of `billing.transactions` (wire names). */
export interface BillingTransactionsParams {
    /** the most recent N (100) */
    limit?: number;
    /** only those of the last N hours (among the most recent `limit`) */
    hours?: number;
}

/** Parameters of `billing.update_settings` (wire names). */
export interface BillingUpdateSettingsParams {
    /** {enabled?, amount? 1–1000, threshold? 0–1000} */
    autoTopUp?: Record<string, unknown>;
    /** pay usage from earnings first */
    payAsYouGoFromEarnings?: boolean;
}

/** Parameters of `billing.verify` (wire names). */
export interface BillingVerifyParams {
    /** the checkout session (billing.checkout's sessionId) */
    session_id: string;
}

/** Parameters of `chat.completions.create` (wire names). */
export interface ChatCompletionsCreateParams {
    /** the model, gateway style: provider/model (openai/gpt-5-mini) */
    model: string;
    /** the conversation: [{role: system|user|assistant, content}] */
    messages: unknown;
    /** sampling temperature */
    temperature?: number;
    /** the most tokens to generate */
    max_tokens?: number;
    /** nucleus sampling */
    top_p?: number;
    /** a stop string or an array of them */
    stop?: unknown;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `chat.completions.stream` (wire names). */
export interface ChatCompletionsStreamParams {
    /** the model, gateway style: provider/model (openai/gpt-5-mini) */
    model: string;
    /** the conversation: [{role: system|user|assistant, content}] */
    messages: unknown;
    /** sampling temperature */
    temperature?: number;
    /** the most tokens to generate */
    max_tokens?: number;
    /** nucleus sampling */
    top_p?: number;
    /** a stop string or an array of them */
    stop?: unknown;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `connect` (wire names). */
export interface ConnectParams {
    /** the agent to connect to */
    agentId: string;
}

/** Parameters of `containers.create` (wire names). */
export interface ContainersCreateParams {
    /** its name */
    name: string;
    /** the project it belongs to */
    project_name: string;
    /** the image to run */
    ecr_image_uri: string;
    /** a description */
    description?: string;
    /** the port it listens on (3000) */
    port?: number;
    /** instances, 1 to 10 */
    desired_count?: number;
    /** CPU units, 256 to 2048 (1792) */
    cpu?: number;
    /** memory in MB, 256 to 2048 (1792) */
    memory?: number;
    /** environment variables */
    environment_vars?: Record<string, string>;
    /** the health check's path (/health) */
    health_check_path?: string;
    /** the image's repository */
    ecr_repository_uri?: string;
    /** the image's tag */
    image_tag?: string;
    /** the CPU architecture */
    architecture?: 'arm64' | 'x86_64';
}

/** Parameters of `containers.delete` (wire names). */
export interface ContainersDeleteParams {
    /** the record's id */
    id: string;
}

/** Parameters of `containers.deploy` (wire names). */
export interface ContainersDeployParams {
    /** its name */
    name: string;
    /** the project it belongs to */
    project_name: string;
    /** the image to run */
    ecr_image_uri: string;
    /** a description */
    description?: string;
    /** the port it listens on (3000) */
    port?: number;
    /** instances, 1 to 10 */
    desired_count?: number;
    /** CPU units, 256 to 2048 (1792) */
    cpu?: number;
    /** memory in MB, 256 to 2048 (1792) */
    memory?: number;
    /** environment variables */
    environment_vars?: Record<string, string>;
    /** the health check's path (/health) */
    health_check_path?: string;
    /** the image's repository */
    ecr_repository_uri?: string;
    /** the image's tag */
    image_tag?: string;
    /** the CPU architecture */
    architecture?: 'arm64' | 'x86_64';
}

/** Parameters of `containers.deployments` (wire names). */
export interface ContainersDeploymentsParams {
    /** the record's id */
    id: string;
}

/** Parameters of `containers.get` (wire names). */
export interface ContainersGetParams {
    /** the record's id */
    id: string;
}

/** Parameters of `containers.list` (wire names). */
export interface ContainersListParams {
}

/** Parameters of `containers.logs` (wire names). */
export interface ContainersLogsParams {
    /** the record's id */
    id: string;
    /** at most this many */
    limit?: number;
}

/** Parameters of `containers.metrics` (wire names). */
export interface ContainersMetricsParams {
    /** the record's id */
    id: string;
}

/** Parameters of `containers.quota` (wire names). */
export interface ContainersQuotaParams {
}

/** Parameters of `containers.update` (wire names). */
export interface ContainersUpdateParams {
    /** the record's id */
    id: string;
    /** instances, 1 to 10 */
    desired_count?: number;
    /** environment variables */
    environment_vars?: Record<string, string>;
    /** a description */
    description?: string;
    /** a new image to deploy */
    ecr_image_uri?: string;
}

/** Parameters of `credits` (wire names). */
export interface CreditsParams {
    /** read the balance from the database instead of the cloud's cache */
    fresh?: boolean;
}

/** Parameters of `disconnect` (wire names). */
export interface DisconnectParams {
}

/** Parameters of `discovery.search` (wire names). */
export interface DiscoverySearchParams {
    /** free-text search */
    query?: string;
    /** comma-separated service types: agent, mcp, a2a, app */
    types?: string;
    /** comma-separated categories */
    categories?: string;
    /** comma-separated tags */
    tags?: string;
    /** only services paid per request (x402) */
    x402Only?: boolean;
    /** only active services (the cloud's default) */
    activeOnly?: boolean;
    /** 1 to 100 (50) */
    limit?: number;
    /** skip this many */
    offset?: number;
}

/** Parameters of `embeddings.create` (wire names). */
export interface EmbeddingsCreateParams {
    /** the model, gateway style: provider/model (openai/gpt-5-mini) */
    model: string;
    /** a string or an array of strings (neither empty) */
    input: unknown;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `health` (wire names). */
export interface HealthParams {
}

/** Parameters of `identity` (wire names). */
export interface IdentityParams {
}

/** Parameters of `images.generate` (wire names). */
export interface ImagesGenerateParams {
    /** what to draw */
    prompt: string;
    /** how many images, 1 to 4 */
    numImages?: number;
    /** e.g. 1:1 (the default), 16:9 */
    aspectRatio?: string;
    /** a style preset */
    stylePreset?: string;
    /** an image to start from, as a data URL */
    sourceImage?: string;
    /** an allowed image model */
    model?: string;
    /** a URL the cloud notifies when the generation is done (x-webhook-url) */
    webhookUrl?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
}

/** Parameters of `jobs.get` (wire names). */
export interface JobsGetParams {
    /** the job's id */
    jobId: string;
}

/** Parameters of `knowledge.add` (wire names). */
export interface KnowledgeAddParams {
    /** the document's text */
    content: string;
    /** its media type, e.g. text/plain */
    contentType: string;
    /** its file name */
    filename: string;
    /** metadata kept with it */
    metadata?: Record<string, unknown>;
    /** the character it belongs to */
    characterId?: string;
}

/** Parameters of `knowledge.delete` (wire names). */
export interface KnowledgeDeleteParams {
    /** the record's id */
    id: string;
    /** the character the documents belong to */
    characterId?: string;
}

/** Parameters of `knowledge.list` (wire names). */
export interface KnowledgeListParams {
    /** the character the documents belong to */
    characterId?: string;
    /** how many */
    count?: number;
    /** skip this many */
    offset?: number;
}

/** Parameters of `knowledge.query` (wire names). */
export interface KnowledgeQueryParams {
    /** what to look for */
    query: string;
    /** at most this many results (5) */
    limit?: number;
    /** search this character's documents */
    characterId?: string;
}

/** Parameters of `knowledge.upload` (wire names). */
export interface KnowledgeUploadParams {
    /** the documents */
    files: FileInput[];
    /** the character they belong to */
    characterId?: string;
}

/** Parameters of `login` (wire names). */
export interface LoginParams {
}

/** Parameters of `login_session.create` (wire names). */
export interface LoginSessionCreateParams {
}

/** Parameters of `login_session.poll` (wire names). */
export interface LoginSessionPollParams {
    /** the session login_session.create answered */
    sessionId: string;
}

/** Parameters of `logout` (wire names). */
export interface LogoutParams {
}

/** Parameters of `messages.create` (wire names). */
export interface MessagesCreateParams {
    /** the model (a bare claude-… name means anthropic/claude-…) */
    model: string;
    /** the most tokens to generate */
    max_tokens: number;
    /** the conversation: [{role: user|assistant, content}] */
    messages: unknown;
    /** the system prompt (a string or blocks) */
    system?: unknown;
    /** [{name, description?, input_schema}] */
    tools?: unknown;
    /** sampling temperature */
    temperature?: number;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `messages.stream` (wire names). */
export interface MessagesStreamParams {
    /** the model (a bare claude-… name means anthropic/claude-…) */
    model: string;
    /** the most tokens to generate */
    max_tokens: number;
    /** the conversation: [{role: user|assistant, content}] */
    messages: unknown;
    /** the system prompt (a string or blocks) */
    system?: unknown;
    /** [{name, description?, input_schema}] */
    tools?: unknown;
    /** sampling temperature */
    temperature?: number;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `models.get` (wire names). */
export interface ModelsGetParams {
    /** the model id, e.g. openai/gpt-5-mini */
    model: string;
}

/** Parameters of `models.list` (wire names). */
export interface ModelsListParams {
}

/** Parameters of `request` (wire names). */
export interface RequestParams {
    /** the HTTP method */
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
    /** the route from the origin, e.g. /api/v1/apps/{id} (placeholders filled from pathParams, each value percent-encoded) or a concrete path whose segments are already percent-encoded; no query string (use query) */
    path: string;
    /** values of the path's {placeholders}; a catch-all keeps its '/' */
    pathParams?: Record<string, string>;
    /** query parameters: strings, numbers, booleans, or arrays of them (repeated keys) */
    query?: Record<string, unknown>;
    /** a JSON body (sent as application/json) */
    json?: Record<string, unknown>;
    /** a text body, sent as contentType (instead of json) */
    body?: string;
    /** the Content-Type of body (default text/plain; charset=utf-8) */
    contentType?: string;
    /** a multipart/form-data body: {field: file or [files]}, a file being a path or {path | data (base64), filename, contentType}; files on disk are streamed */
    files?: Record<string, unknown>;
    /** text fields of the multipart body (with files) */
    form?: Record<string, string>;
    /** extra request headers (X-App-Id, X-PAYMENT …); the key's header, Host and framing headers cannot be set */
    headers?: Record<string, string>;
    /** sse: each Server-Sent Event is a chunk (text = data, json = {event, id}); bytes: the body's bytes as chunks; none: the whole body in the result */
    stream?: 'none' | 'sse' | 'bytes';
    /** retries of a transient failure (connection, timeout, 408, 429, 5xx, retryable); default the client's max_retries; only idempotent requests are retried */
    maxRetries?: number;
    /** the request is safe to repeat (GET, HEAD, PUT and DELETE always are); lets a POST be retried */
    idempotent?: boolean;
    /** bound on each attempt, in ms (default: the client's CRUD timeout; streams: none, the idle timeout applies) */
    timeoutMs?: number;
    /** call a path that is not in the generation's route catalogue (a newer cloud route) */
    uncatalogued?: boolean;
}

/** Parameters of `responses.create` (wire names). */
export interface ResponsesCreateParams {
    /** the model, gateway style: provider/model (openai/gpt-5-mini) */
    model: string;
    /** the input: a string or a list of input items */
    input: unknown;
    /** system instructions */
    instructions?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Parameters of `routes` (wire names). */
export interface RoutesParams {
    /** the catalogue of this generation (default: the cloud's, detected when needed) */
    generation?: 'milady' | 'eliza';
}

/** Parameters of `send` (wire names). */
export interface SendParams {
    /** the message */
    text: string;
    /** the conversation */
    roomId?: string;
    /** the channel type */
    channelType?: 'DM' | 'GROUP' | 'VOICE_DM' | 'VOICE_GROUP' | 'API';
    /** talk to this running agent without connecting (no heartbeat, no backups); default: the connected agent */
    agentId?: string;
}

/** Parameters of `status` (wire names). */
export interface StatusParams {
}

/** Parameters of `stream` (wire names). */
export interface StreamParams {
    /** the message */
    text: string;
    /** the conversation */
    roomId?: string;
    /** the channel type */
    channelType?: 'DM' | 'GROUP' | 'VOICE_DM' | 'VOICE_GROUP' | 'API';
    /** talk to this running agent without connecting (no heartbeat, no backups); default: the connected agent */
    agentId?: string;
}

/** Parameters of `user.update` (wire names). */
export interface UserUpdateParams {
    /** display name */
    name?: string;
    /** avatar URL, or empty to remove it */
    avatar?: string;
    /** nickname */
    nickname?: string;
    /** what the user does */
    work_function?: 'developer' | 'designer' | 'product' | 'data' | 'marketing' | 'sales' | 'other';
    /** free-text preferences */
    preferences?: string;
    /** notify on responses */
    response_notifications?: boolean;
    /** e-mail notifications */
    email_notifications?: boolean;
}

/** Parameters of `video.generate` (wire names). */
export interface VideoGenerateParams {
    /** what to film */
    prompt: string;
    /** an allowed video model (fal-ai/veo3 by default) */
    model?: string;
    /** a URL the cloud notifies when the generation is done (x-webhook-url) */
    webhookUrl?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
}

/** Parameters of `voices.clone` (wire names). */
export interface VoicesCloneParams {
    /** the voice's name */
    name: string;
    /** instant (seconds) or professional (about an hour) */
    cloneType: 'instant' | 'professional';
    /** the voice samples (audio files) */
    files: FileInput[];
    /** what the voice is */
    description?: string;
    /** the provider's voice settings */
    settings?: Record<string, unknown>;
}

/** Parameters of `voices.delete` (wire names). */
export interface VoicesDeleteParams {
    /** the record's id */
    id: string;
}

/** Parameters of `voices.get` (wire names). */
export interface VoicesGetParams {
    /** the record's id */
    id: string;
}

/** Parameters of `voices.list` (wire names). */
export interface VoicesListParams {
    /** list inactive voices too */
    includeInactive?: boolean;
    /** only voices of this clone type */
    cloneType?: 'instant' | 'professional';
    /** at most 100 */
    limit?: number;
    /** skip this many */
    offset?: number;
}

/** Parameters of `voices.transcribe` (wire names). */
export interface VoicesTranscribeParams {
    /** the recording */
    audio: FileInput;
    /** the spoken language, e.g. en */
    languageCode?: string;
}

/** Parameters of `voices.tts` (wire names). */
export interface VoicesTtsParams {
    /** what to say (at most 5000 characters) */
    text: string;
    /** a voice (default: the cloud's) */
    voiceId?: string;
    /** the speech model (default eleven_flash_v2_5) */
    modelId?: string;
}

/** Options of `a2a.get_task`. */
export interface A2aGetTaskOptions extends CallOptions {
    /** how many messages of the history to include */
    historyLength?: number;
}

/** Options of `a2a.send`. */
export interface A2aSendOptions extends CallOptions {
    /** A2A send configuration */
    configuration?: Record<string, unknown>;
    /** metadata for the task */
    metadata?: Record<string, unknown>;
}

/** Options of `agents.create`. */
export interface AgentsCreateOptions extends ProgressOptions {
    /** an existing character of the organisation to build the agent from */
    characterId?: string;
    /** agent configuration */
    config?: Record<string, unknown>;
    /** environment variables for the agent */
    environment?: Record<string, string>;
    /** eliza: start the agent too when its tier is eager (default true there) */
    autoProvision?: boolean;
    /** eliza: create a new agent even when the organisation has a live one */
    forceCreate?: boolean;
    /** eliza: a custom image (digest-pinned, from an allowed registry) */
    dockerImage?: string;
    /** eliza: ask for a dedicated, always-on agent */
    alwaysOn?: boolean;
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Options of `agents.delete`. */
export interface AgentsDeleteOptions extends ProgressOptions {
}

/** Options of `agents.provision`. */
export interface AgentsProvisionOptions extends ProgressOptions {
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Options of `agents.resume`. */
export interface AgentsResumeOptions extends ProgressOptions {
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
}

/** Options of `agents.sleep`. */
export interface AgentsSleepOptions extends ProgressOptions {
}

/** Options of `agents.suspend`. */
export interface AgentsSuspendOptions extends ProgressOptions {
}

/** Options of `agents.wake`. */
export interface AgentsWakeOptions extends ProgressOptions {
    /** the dedicated price the user accepted (pricing.acceptanceValue of a PriceConfirmation error) */
    confirmPrice?: string;
    /** wake from this (validated) backup instead of the latest */
    restoreBackupId?: string;
    /** boot empty, accepting the loss of the agent's saved state */
    forceFreshBoot?: boolean;
}

/** Options of `api_keys.create`. */
export interface ApiKeysCreateOptions extends CallOptions {
    /** what it is for */
    description?: string;
    /** at most 50 permission names (chat, agents, images…) */
    permissions?: unknown;
    /** requests per minute, 1 to 100000 (1000) */
    rateLimit?: number;
    /** ISO time it stops working (never when absent) */
    expiresAt?: string;
}

/** Options of `api_keys.update`. */
export interface ApiKeysUpdateOptions extends CallOptions {
    /** the key's name */
    name?: string;
    /** what it is for */
    description?: string;
    /** at most 50 permission names (chat, agents, images…) */
    permissions?: unknown;
    /** requests per minute, 1 to 100000 (1000) */
    rateLimit?: number;
    /** ISO time it stops working (never when absent) */
    expiresAt?: string;
    /** false disables the key */
    isActive?: boolean;
}

/** Options of `apps.analytics`. */
export interface AppsAnalyticsOptions extends CallOptions {
    /** the buckets */
    period?: 'hourly' | 'daily' | 'monthly';
    /** ISO start */
    startDate?: string;
    /** ISO end */
    endDate?: string;
}

/** Options of `apps.create`. */
export interface AppsCreateOptions extends CallOptions {
    /** what it does */
    description?: string;
    /** its public website */
    websiteUrl?: string;
    /** who to contact */
    contactEmail?: string;
    /** origins allowed to call it */
    allowedOrigins?: unknown;
    /** its logo */
    logoUrl?: string;
    /** do not create a GitHub repository for it */
    skipGitHubRepo?: boolean;
}

/** Options of `apps.earnings`. */
export interface AppsEarningsOptions extends CallOptions {
    /** the period in days */
    days?: number;
}

/** Options of `apps.monetization.update`. */
export interface AppsMonetizationUpdateOptions extends CallOptions {
    /** earn from the app's use */
    monetizationEnabled?: boolean;
    /** markup on inference, 0 to 1000 % */
    inferenceMarkupPercentage?: number;
    /** share of purchases, 0 to 100 % */
    purchaseSharePercentage?: number;
}

/** Options of `apps.update`. */
export interface AppsUpdateOptions extends CallOptions {
    /** its name */
    name?: string;
    /** the app's URL */
    appUrl?: string;
    /** what it does */
    description?: string;
    /** its public website */
    websiteUrl?: string;
    /** who to contact */
    contactEmail?: string;
    /** origins allowed to call it */
    allowedOrigins?: unknown;
    /** false disables it */
    isActive?: boolean;
    /** at most 4 character ids */
    linkedCharacterIds?: unknown;
}

/** Options of `apps.users`. */
export interface AppsUsersOptions extends CallOptions {
    /** at most this many */
    limit?: number;
}

/** Options of `backups.list`. */
export interface BackupsListOptions extends CallOptions {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
}

/** Options of `backups.restore`. */
export interface BackupsRestoreOptions extends ProgressOptions {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
    /** the backup to restore (default: the latest) */
    backupId?: string;
}

/** Options of `backups.snapshot`. */
export interface BackupsSnapshotOptions extends ProgressOptions {
    /** the agent's id (default: the connected agent) */
    agentId?: string;
}

/** Options of `billing.checkout`. */
export interface BillingCheckoutOptions extends CallOptions {
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
}

/** Options of `billing.transactions`. */
export interface BillingTransactionsOptions extends CallOptions {
    /** the most recent N (100) */
    limit?: number;
    /** only those of the last N hours (among the most recent `limit`) */
    hours?: number;
}

/** Options of `billing.update_settings`. */
export interface BillingUpdateSettingsOptions extends CallOptions {
    /** {enabled?, amount? 1–1000, threshold? 0–1000} */
    autoTopUp?: Record<string, unknown>;
    /** pay usage from earnings first */
    payAsYouGoFromEarnings?: boolean;
}

/** Options of `chat.completions.create`. */
export interface ChatCompletionsCreateOptions extends CallOptions {
    /** sampling temperature */
    temperature?: number;
    /** the most tokens to generate */
    maxTokens?: number;
    /** nucleus sampling */
    topP?: number;
    /** a stop string or an array of them */
    stop?: unknown;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `chat.completions.stream`. */
export interface ChatCompletionsStreamOptions extends CallOptions {
    /** sampling temperature */
    temperature?: number;
    /** the most tokens to generate */
    maxTokens?: number;
    /** nucleus sampling */
    topP?: number;
    /** a stop string or an array of them */
    stop?: unknown;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `containers.create`. */
export interface ContainersCreateOptions extends CallOptions {
    /** a description */
    description?: string;
    /** the port it listens on (3000) */
    port?: number;
    /** instances, 1 to 10 */
    desiredCount?: number;
    /** CPU units, 256 to 2048 (1792) */
    cpu?: number;
    /** memory in MB, 256 to 2048 (1792) */
    memory?: number;
    /** environment variables */
    environment?: Record<string, string>;
    /** the health check's path (/health) */
    healthCheckPath?: string;
    /** the image's repository */
    ecrRepositoryUri?: string;
    /** the image's tag */
    imageTag?: string;
    /** the CPU architecture */
    architecture?: 'arm64' | 'x86_64';
}

/** Options of `containers.deploy`. */
export interface ContainersDeployOptions extends ProgressOptions {
    /** a description */
    description?: string;
    /** the port it listens on (3000) */
    port?: number;
    /** instances, 1 to 10 */
    desiredCount?: number;
    /** CPU units, 256 to 2048 (1792) */
    cpu?: number;
    /** memory in MB, 256 to 2048 (1792) */
    memory?: number;
    /** environment variables */
    environment?: Record<string, string>;
    /** the health check's path (/health) */
    healthCheckPath?: string;
    /** the image's repository */
    ecrRepositoryUri?: string;
    /** the image's tag */
    imageTag?: string;
    /** the CPU architecture */
    architecture?: 'arm64' | 'x86_64';
}

/** Options of `containers.logs`. */
export interface ContainersLogsOptions extends CallOptions {
    /** at most this many */
    limit?: number;
}

/** Options of `containers.update`. */
export interface ContainersUpdateOptions extends CallOptions {
    /** instances, 1 to 10 */
    desiredCount?: number;
    /** environment variables */
    environment?: Record<string, string>;
    /** a description */
    description?: string;
    /** a new image to deploy */
    ecrImageUri?: string;
}

/** Options of `credits`. */
export interface CreditsOptions extends CallOptions {
    /** read the balance from the database instead of the cloud's cache */
    fresh?: boolean;
}

/** Options of `discovery.search`. */
export interface DiscoverySearchOptions extends CallOptions {
    /** free-text search */
    query?: string;
    /** comma-separated service types: agent, mcp, a2a, app */
    types?: string;
    /** comma-separated categories */
    categories?: string;
    /** comma-separated tags */
    tags?: string;
    /** only services paid per request (x402) */
    x402Only?: boolean;
    /** only active services (the cloud's default) */
    activeOnly?: boolean;
    /** 1 to 100 (50) */
    limit?: number;
    /** skip this many */
    offset?: number;
}

/** Options of `embeddings.create`. */
export interface EmbeddingsCreateOptions extends CallOptions {
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `images.generate`. */
export interface ImagesGenerateOptions extends CallOptions {
    /** how many images, 1 to 4 */
    numImages?: number;
    /** e.g. 1:1 (the default), 16:9 */
    aspectRatio?: string;
    /** a style preset */
    stylePreset?: string;
    /** an image to start from, as a data URL */
    sourceImage?: string;
    /** an allowed image model */
    model?: string;
    /** a URL the cloud notifies when the generation is done (x-webhook-url) */
    webhookUrl?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
}

/** Options of `knowledge.add`. */
export interface KnowledgeAddOptions extends CallOptions {
    /** metadata kept with it */
    metadata?: Record<string, unknown>;
    /** the character it belongs to */
    characterId?: string;
}

/** Options of `knowledge.delete`. */
export interface KnowledgeDeleteOptions extends CallOptions {
    /** the character the documents belong to */
    characterId?: string;
}

/** Options of `knowledge.list`. */
export interface KnowledgeListOptions extends CallOptions {
    /** the character the documents belong to */
    characterId?: string;
    /** how many */
    count?: number;
    /** skip this many */
    offset?: number;
}

/** Options of `knowledge.query`. */
export interface KnowledgeQueryOptions extends CallOptions {
    /** at most this many results (5) */
    limit?: number;
    /** search this character's documents */
    characterId?: string;
}

/** Options of `knowledge.upload`. */
export interface KnowledgeUploadOptions extends CallOptions {
    /** the character they belong to */
    characterId?: string;
}

/** Options of `messages.create`. */
export interface MessagesCreateOptions extends CallOptions {
    /** the system prompt (a string or blocks) */
    system?: unknown;
    /** [{name, description?, input_schema}] */
    tools?: unknown;
    /** sampling temperature */
    temperature?: number;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `messages.stream`. */
export interface MessagesStreamOptions extends CallOptions {
    /** the system prompt (a string or blocks) */
    system?: unknown;
    /** [{name, description?, input_schema}] */
    tools?: unknown;
    /** sampling temperature */
    temperature?: number;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `responses.create`. */
export interface ResponsesCreateOptions extends CallOptions {
    /** system instructions */
    instructions?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
    /** an affiliate code (X-Affiliate-Code) */
    affiliateCode?: string;
    /** an x402 payment proof, for a call paid per request (X-PAYMENT) */
    payment?: string;
}

/** Options of `routes`. */
export interface RoutesOptions extends CallOptions {
    /** the catalogue of this generation (default: the cloud's, detected when needed) */
    generation?: 'milady' | 'eliza';
}

/** Options of `send`. */
export interface SendOptions extends CallOptions {
    /** the conversation */
    roomId?: string;
    /** the channel type */
    channelType?: 'DM' | 'GROUP' | 'VOICE_DM' | 'VOICE_GROUP' | 'API';
    /** talk to this running agent without connecting (no heartbeat, no backups); default: the connected agent */
    agentId?: string;
}

/** Options of `user.update`. */
export interface UserUpdateOptions extends CallOptions {
    /** display name */
    name?: string;
    /** avatar URL, or empty to remove it */
    avatar?: string;
    /** nickname */
    nickname?: string;
    /** what the user does */
    workFunction?: 'developer' | 'designer' | 'product' | 'data' | 'marketing' | 'sales' | 'other';
    /** free-text preferences */
    preferences?: string;
    /** notify on responses */
    responseNotifications?: boolean;
    /** e-mail notifications */
    emailNotifications?: boolean;
}

/** Options of `video.generate`. */
export interface VideoGenerateOptions extends CallOptions {
    /** an allowed video model (fal-ai/veo3 by default) */
    model?: string;
    /** a URL the cloud notifies when the generation is done (x-webhook-url) */
    webhookUrl?: string;
    /** bill the call to this app's credits (X-App-Id) */
    appId?: string;
}

/** Options of `voices.clone`. */
export interface VoicesCloneOptions extends CallOptions {
    /** what the voice is */
    description?: string;
    /** the provider's voice settings */
    settings?: Record<string, unknown>;
}

/** Options of `voices.list`. */
export interface VoicesListOptions extends CallOptions {
    /** list inactive voices too */
    includeInactive?: boolean;
    /** only voices of this clone type */
    cloneType?: 'instant' | 'professional';
    /** at most 100 */
    limit?: number;
    /** skip this many */
    offset?: number;
}

/** Options of `voices.transcribe`. */
export interface VoicesTranscribeOptions extends CallOptions {
    /** the spoken language, e.g. en */
    languageCode?: string;
}

/** Options of `voices.tts`. */
export interface VoicesTtsOptions extends CallOptions {
    /** a voice (default: the cloud's) */
    voiceId?: string;
    /** the speech model (default eleven_flash_v2_5) */
    modelId?: string;
}

/** `cloud.a2a`. */
export interface A2aResource {
    /** Cancels an A2A task (JSON-RPC tasks/cancel) (`a2a.cancel_task`) */
    cancel_task(taskId: string, options?: CallOptions): Promise<A2ATask>;
    cancel_task(params: A2aCancelTaskParams, options?: CallOptions): Promise<A2ATask>;
    /** The cloud's A2A card: name, protocol version, methods and skills (`a2a.card`) */
    card(options?: CallOptions): Promise<AgentCard>;
    /** One A2A task (JSON-RPC tasks/get) (`a2a.get_task`) */
    get_task(taskId: string, options?: A2aGetTaskOptions): Promise<A2ATask>;
    get_task(params: A2aGetTaskParams, options?: CallOptions): Promise<A2ATask>;
    /** Sends an A2A message to the cloud (JSON-RPC message/send); answers the task or message (`a2a.send`) */
    send(message: Record<string, unknown>, options?: A2aSendOptions): Promise<A2ATask>;
}

/** `cloud.agent`. */
export interface AgentResource {
    /** Whether the connected agent answers a heartbeat (`agent.alive`) */
    alive(options?: CallOptions): Promise<Alive>;
    /** The connected agent's state and name, from a fresh agent record (`agent.status`) */
    status(options?: CallOptions): Promise<AgentState>;
}

/** `cloud.agents`. */
export interface AgentsResource {
    /** Creates an agent (milady: it starts when provisioned; eliza: an eager tier is started too, and its provisioning job followed) (`agents.create`) */
    create(name: string, options?: AgentsCreateOptions): Promise<AgentCreated>;
    create(params: AgentsCreateParams, options?: ProgressOptions): Promise<AgentCreated>;
    /** Deletes an agent and its backups (`agents.delete`) */
    delete(agentId: string, options?: AgentsDeleteOptions): Promise<void>;
    delete(params: AgentsDeleteParams, options?: ProgressOptions): Promise<void>;
    /** One agent's details (`agents.get`) */
    get(agentId: string, options?: CallOptions): Promise<Agent>;
    get(params: AgentsGetParams, options?: CallOptions): Promise<Agent>;
    /** Lists the organisation's agents, newest first (`agents.list`) */
    list(options?: CallOptions): Promise<AgentSummary[]>;
    /** Starts an agent and follows its provisioning job to the end (`agents.provision`) */
    provision(agentId: string, options?: AgentsProvisionOptions): Promise<Agent>;
    provision(params: AgentsProvisionParams, options?: ProgressOptions): Promise<Agent>;
    /** Restarts a suspended agent from its latest backup, following the job (`agents.resume`) */
    resume(agentId: string, options?: AgentsResumeOptions): Promise<Agent>;
    resume(params: AgentsResumeParams, options?: ProgressOptions): Promise<Agent>;
    /** Backs an agent's state up and removes its container (status sleeping, no compute cost), following the job (`agents.sleep`) */
    sleep(agentId: string, options?: AgentsSleepOptions): Promise<Agent>;
    sleep(params: AgentsSleepParams, options?: ProgressOptions): Promise<Agent>;
    /** Stops an agent after a pre-shutdown backup (`agents.suspend`) */
    suspend(agentId: string, options?: AgentsSuspendOptions): Promise<AgentAction>;
    suspend(params: AgentsSuspendParams, options?: ProgressOptions): Promise<AgentAction>;
    /** Wakes a sleeping agent in a new container from its latest (or a chosen) backup, following the job (`agents.wake`) */
    wake(agentId: string, options?: AgentsWakeOptions): Promise<Agent>;
    wake(params: AgentsWakeParams, options?: ProgressOptions): Promise<Agent>;
}

/** `cloud.api_keys`. */
export interface ApiKeysResource {
    /** Creates an API key; the key itself is in the answer once (plainKey) (`api_keys.create`) */
    create(name: string, options?: ApiKeysCreateOptions): Promise<ApiKeyCreated>;
    create(params: ApiKeysCreateParams, options?: CallOptions): Promise<ApiKeyCreated>;
    /** Deletes an API key (`api_keys.delete`) */
    delete(id: string, options?: CallOptions): Promise<Done>;
    delete(params: ApiKeysDeleteParams, options?: CallOptions): Promise<Done>;
    /** The organisation's API keys (needs a browser session on the real cloud) (`api_keys.list`) */
    list(options?: CallOptions): Promise<ApiKeyList>;
    /** Replaces an API key's secret; the new key is in the answer once (plainKey) (`api_keys.regenerate`) */
    regenerate(id: string, options?: CallOptions): Promise<ApiKeyCreated>;
    regenerate(params: ApiKeysRegenerateParams, options?: CallOptions): Promise<ApiKeyCreated>;
    /** Changes an API key's settings (`api_keys.update`) */
    update(id: string, options?: ApiKeysUpdateOptions): Promise<ApiKeyAnswer>;
    update(params: ApiKeysUpdateParams, options?: CallOptions): Promise<ApiKeyAnswer>;
}

/** `cloud.apps`. */
export interface AppsResource {
    /** An app's usage over a period (`apps.analytics`) */
    analytics(id: string, options?: AppsAnalyticsOptions): Promise<AppAnalytics>;
    analytics(params: AppsAnalyticsParams, options?: CallOptions): Promise<AppAnalytics>;
    /** Whether an app name is free (and a suggestion when it is not) (`apps.check_name`) */
    check_name(name: string, options?: CallOptions): Promise<AppNameCheck>;
    check_name(params: AppsCheckNameParams, options?: CallOptions): Promise<AppNameCheck>;
    /** Creates an app; its API key is in the answer once (`apps.create`) */
    create(name: string, appUrl: string, options?: AppsCreateOptions): Promise<AppCreated>;
    create(params: AppsCreateParams, options?: CallOptions): Promise<AppCreated>;
    /** Deletes an app (`apps.delete`) */
    delete(id: string, options?: CallOptions): Promise<Done>;
    delete(params: AppsDeleteParams, options?: CallOptions): Promise<Done>;
    /** An app's earnings: total, pending, available (`apps.earnings`) */
    earnings(id: string, options?: AppsEarningsOptions): Promise<AppEarnings>;
    earnings(params: AppsEarningsParams, options?: CallOptions): Promise<AppEarnings>;
    /** One app (`apps.get`) */
    get(id: string, options?: CallOptions): Promise<AppAnswer>;
    get(params: AppsGetParams, options?: CallOptions): Promise<AppAnswer>;
    /** The organisation's apps (`apps.list`) */
    list(options?: CallOptions): Promise<AppList>;
    /** Replaces an app's API key; the new key is in the answer once (`apps.regenerate_api_key`) */
    regenerate_api_key(id: string, options?: CallOptions): Promise<AppKey>;
    regenerate_api_key(params: AppsRegenerateApiKeyParams, options?: CallOptions): Promise<AppKey>;
    /** Changes an app (only the fields given) (`apps.update`) */
    update(id: string, options?: AppsUpdateOptions): Promise<AppAnswer>;
    update(params: AppsUpdateParams, options?: CallOptions): Promise<AppAnswer>;
    /** An app's users (`apps.users`) */
    users(id: string, options?: AppsUsersOptions): Promise<AppUsers>;
    users(params: AppsUsersParams, options?: CallOptions): Promise<AppUsers>;
    /** Withdraws from an app's available earnings (`apps.withdraw`) */
    withdraw(id: string, amount: number, options?: CallOptions): Promise<AppWithdrawal>;
    withdraw(params: AppsWithdrawParams, options?: CallOptions): Promise<AppWithdrawal>;
}

/** `cloud.apps.domains`. */
export interface AppsDomainsResource {
    /** Adds a custom domain to an app (verify it with apps.domains.verify) (`apps.domains.add`) */
    add(id: string, domain: string, options?: CallOptions): Promise<AppDomainAnswer>;
    add(params: AppsDomainsAddParams, options?: CallOptions): Promise<AppDomainAnswer>;
    /** An app's custom domains (`apps.domains.list`) */
    list(id: string, options?: CallOptions): Promise<AppDomains>;
    list(params: AppsDomainsListParams, options?: CallOptions): Promise<AppDomains>;
    /** Removes a custom domain from an app (`apps.domains.remove`) */
    remove(id: string, domain: string, options?: CallOptions): Promise<Done>;
    remove(params: AppsDomainsRemoveParams, options?: CallOptions): Promise<Done>;
    /** Checks a custom domain's DNS and marks it verified when it points at the app (`apps.domains.verify`) */
    verify(id: string, domain: string, options?: CallOptions): Promise<AppDomainAnswer>;
    verify(params: AppsDomainsVerifyParams, options?: CallOptions): Promise<AppDomainAnswer>;
}

/** `cloud.apps.monetization`. */
export interface AppsMonetizationResource {
    /** An app's monetisation settings (`apps.monetization.get`) */
    get(id: string, options?: CallOptions): Promise<AppMonetization>;
    get(params: AppsMonetizationGetParams, options?: CallOptions): Promise<AppMonetization>;
    /** Changes an app's monetisation settings (`apps.monetization.update`) */
    update(id: string, options?: AppsMonetizationUpdateOptions): Promise<AppMonetization>;
    update(params: AppsMonetizationUpdateParams, options?: CallOptions): Promise<AppMonetization>;
}

/** `cloud.backups`. */
export interface BackupsResource {
    /** An agent's backups, newest first (at most 10) (`backups.list`) */
    list(options?: BackupsListOptions): Promise<BackupInfo[]>;
    /** Restores an agent from its latest backup or from one by id (`backups.restore`) */
    restore(options?: BackupsRestoreOptions): Promise<Restored>;
    /** Takes a manual backup of an agent (`backups.snapshot`) */
    snapshot(options?: BackupsSnapshotOptions): Promise<Backup>;
}

/** `cloud.billing`. */
export interface BillingResource {
    /** Runs the auto top-up now if the balance is below the threshold (milady only) (`billing.auto_top_up`) */
    auto_top_up(options?: CallOptions): Promise<TopUp>;
    /** Starts a Stripe checkout for credits; answers the page the user pays on (`billing.checkout`) */
    checkout(credits: number, successUrl: string, cancelUrl: string, options?: BillingCheckoutOptions): Promise<Checkout>;
    checkout(params: BillingCheckoutParams, options?: CallOptions): Promise<Checkout>;
    /** The auto top-up settings and their limits (`billing.settings`) */
    settings(options?: CallOptions): Promise<BillingSettings>;
    /** The organisation's credits, agents' budgets, apps, earnings and recent transactions (`billing.summary`) */
    summary(options?: CallOptions): Promise<CreditsSummary>;
    /** The organisation's credit transactions, newest first (milady only) (`billing.transactions`) */
    transactions(options?: BillingTransactionsOptions): Promise<Transactions>;
    /** Changes the auto top-up settings (enabling needs a saved payment method) (`billing.update_settings`) */
    update_settings(options?: BillingUpdateSettingsOptions): Promise<BillingSettings>;
    /** Whether a checkout was paid, and how much it added (`billing.verify`) */
    verify(sessionId: string, options?: CallOptions): Promise<CheckoutVerified>;
    verify(params: BillingVerifyParams, options?: CallOptions): Promise<CheckoutVerified>;
}

/** `cloud.chat.completions`. */
export interface ChatCompletionsResource {
    /** An OpenAI-compatible chat completion (one answer, not streamed) (`chat.completions.create`) */
    create(model: string, messages: unknown, options?: ChatCompletionsCreateOptions): Promise<ChatCompletion>;
    create(params: ChatCompletionsCreateParams, options?: CallOptions): Promise<ChatCompletion>;
    /** An OpenAI-compatible chat completion, streamed: text deltas as they come, then the accumulated completion (text, finish reason, tool calls, usage) (`chat.completions.stream`) */
    stream(model: string, messages: unknown, options?: ChatCompletionsStreamOptions): Promise<InferenceStream<CompletionStreamEnd>>;
    stream(params: ChatCompletionsStreamParams, options?: CallOptions): Promise<InferenceStream<CompletionStreamEnd>>;
}

/** `cloud.containers`. */
export interface ContainersResource {
    /** Starts a container's deployment (202: it deploys on its own; containers.deploy waits for it) (`containers.create`) */
    create(name: string, projectName: string, ecrImageUri: string, options?: ContainersCreateOptions): Promise<Container>;
    create(params: ContainersCreateParams, options?: CallOptions): Promise<Container>;
    /** Deletes a container (`containers.delete`) */
    delete(id: string, options?: CallOptions): Promise<void>;
    delete(params: ContainersDeleteParams, options?: CallOptions): Promise<void>;
    /** Deploys a container and follows it until it runs (progress: each status) (`containers.deploy`) */
    deploy(name: string, projectName: string, ecrImageUri: string, options?: ContainersDeployOptions): Promise<Container>;
    deploy(params: ContainersDeployParams, options?: ProgressOptions): Promise<Container>;
    /** A container's deployments, newest first (milady only) (`containers.deployments`) */
    deployments(id: string, options?: CallOptions): Promise<ContainerDeployment[]>;
    deployments(params: ContainersDeploymentsParams, options?: CallOptions): Promise<ContainerDeployment[]>;
    /** One container (milady only) (`containers.get`) */
    get(id: string, options?: CallOptions): Promise<Container>;
    get(params: ContainersGetParams, options?: CallOptions): Promise<Container>;
    /** The organisation's containers (`containers.list`) */
    list(options?: CallOptions): Promise<Container[]>;
    /** A container's recent log lines (milady only) (`containers.logs`) */
    logs(id: string, options?: ContainersLogsOptions): Promise<ContainerLogs>;
    logs(params: ContainersLogsParams, options?: CallOptions): Promise<ContainerLogs>;
    /** A container's resource use (milady only) (`containers.metrics`) */
    metrics(id: string, options?: CallOptions): Promise<ContainerMetrics>;
    metrics(params: ContainersMetricsParams, options?: CallOptions): Promise<ContainerMetrics>;
    /** How many containers the organisation may run (milady only) (`containers.quota`) */
    quota(options?: CallOptions): Promise<ContainerQuota>;
    /** Changes a container's settings (`containers.update`) */
    update(id: string, options?: ContainersUpdateOptions): Promise<Container>;
    update(params: ContainersUpdateParams, options?: CallOptions): Promise<Container>;
}

/** `cloud.discovery`. */
export interface DiscoveryResource {
    /** Public services (agents, MCP servers, A2A endpoints, apps) to discover (`discovery.search`) */
    search(options?: DiscoverySearchOptions): Promise<DiscoveryResults>;
}

/** `cloud.embeddings`. */
export interface EmbeddingsResource {
    /** OpenAI-compatible embeddings of a text or a list of texts (`embeddings.create`) */
    create(model: string, input: unknown, options?: EmbeddingsCreateOptions): Promise<EmbeddingList>;
    create(params: EmbeddingsCreateParams, options?: CallOptions): Promise<EmbeddingList>;
}

/** `cloud.images`. */
export interface ImagesResource {
    /** Generates images from a prompt (URLs, or base64 when the upload failed) (`images.generate`) */
    generate(prompt: string, options?: ImagesGenerateOptions): Promise<ImageGeneration>;
    generate(params: ImagesGenerateParams, options?: CallOptions): Promise<ImageGeneration>;
}

/** `cloud.jobs`. */
export interface JobsResource {
    /** One job's state (pending, in_progress, completed, failed) and result (`jobs.get`) */
    get(jobId: string, options?: CallOptions): Promise<Job>;
    get(params: JobsGetParams, options?: CallOptions): Promise<Job>;
}

/** `cloud.knowledge`. */
export interface KnowledgeResource {
    /** Adds a text document to the knowledge base (`knowledge.add`) */
    add(content: string, contentType: string, filename: string, options?: KnowledgeAddOptions): Promise<KnowledgeAdded>;
    add(params: KnowledgeAddParams, options?: CallOptions): Promise<KnowledgeAdded>;
    /** Deletes a knowledge document (`knowledge.delete`) */
    delete(id: string, options?: KnowledgeDeleteOptions): Promise<Done>;
    delete(params: KnowledgeDeleteParams, options?: CallOptions): Promise<Done>;
    /** The knowledge documents (`knowledge.list`) */
    list(options?: KnowledgeListOptions): Promise<KnowledgeList>;
    /** Searches the knowledge base (`knowledge.query`) */
    query(query: string, options?: KnowledgeQueryOptions): Promise<KnowledgeResults>;
    query(params: KnowledgeQueryParams, options?: CallOptions): Promise<KnowledgeResults>;
    /** Uploads files to the knowledge base (at most 5, 5 MB in all) (`knowledge.upload`) */
    upload(files: FileInput[], options?: KnowledgeUploadOptions): Promise<KnowledgeUploaded>;
    upload(params: KnowledgeUploadParams, options?: CallOptions): Promise<KnowledgeUploaded>;
}

/** `cloud.login_session`. */
export interface LoginSessionResource {
    /** A browser login driven by the host, step 1: opens a CLI session and answers the page the user must open (`login_session.create`) */
    create(options?: CallOptions): Promise<LoginSession>;
    /** A browser login driven by the host, step 2: polls the session once; when the user has logged in, the key is adopted and saved as login does (`login_session.poll`) */
    poll(sessionId: string, options?: CallOptions): Promise<LoginPoll>;
    poll(params: LoginSessionPollParams, options?: CallOptions): Promise<LoginPoll>;
}

/** `cloud.messages`. */
export interface MessagesResource {
    /** An Anthropic-compatible message, with tool use (one answer, not streamed) (`messages.create`) */
    create(model: string, maxTokens: number, messages: unknown, options?: MessagesCreateOptions): Promise<AnthropicMessage>;
    create(params: MessagesCreateParams, options?: CallOptions): Promise<AnthropicMessage>;
    /** An Anthropic-compatible message, streamed: text deltas as they come, then the final message (text and tool-use blocks with their input parsed, stop reason, usage) (`messages.stream`) */
    stream(model: string, maxTokens: number, messages: unknown, options?: MessagesStreamOptions): Promise<InferenceStream<AnthropicMessage>>;
    stream(params: MessagesStreamParams, options?: CallOptions): Promise<InferenceStream<AnthropicMessage>>;
}

/** `cloud.models`. */
export interface ModelsResource {
    /** One model's details (`models.get`) */
    get(model: string, options?: CallOptions): Promise<Model>;
    get(params: ModelsGetParams, options?: CallOptions): Promise<Model>;
    /** The models inference can use (`models.list`) */
    list(options?: CallOptions): Promise<ModelList>;
}

/** `cloud.responses`. */
export interface ResponsesResource {
    /** An OpenAI Responses API call (one answer, not streamed) (`responses.create`) */
    create(model: string, input: unknown, options?: ResponsesCreateOptions): Promise<ModelResponse>;
    create(params: ResponsesCreateParams, options?: CallOptions): Promise<ModelResponse>;
}

/** `cloud.user`. */
export interface UserResource {
    /** Updates the user's profile (only the fields given) (`user.update`) */
    update(options?: UserUpdateOptions): Promise<User>;
}

/** `cloud.video`. */
export interface VideoResource {
    /** Generates a video from a prompt (synchronous; answers the video's URL) (`video.generate`) */
    generate(prompt: string, options?: VideoGenerateOptions): Promise<VideoGeneration>;
    generate(params: VideoGenerateParams, options?: CallOptions): Promise<VideoGeneration>;
}

/** `cloud.voices`. */
export interface VoicesResource {
    /** Clones a voice from audio samples (`voices.clone`) */
    clone(name: string, cloneType: 'instant' | 'professional', files: FileInput[], options?: VoicesCloneOptions): Promise<VoiceCloned>;
    clone(params: VoicesCloneParams, options?: CallOptions): Promise<VoiceCloned>;
    /** Deletes a cloned voice (`voices.delete`) */
    delete(id: string, options?: CallOptions): Promise<Done>;
    delete(params: VoicesDeleteParams, options?: CallOptions): Promise<Done>;
    /** One cloned voice (`voices.get`) */
    get(id: string, options?: CallOptions): Promise<VoiceAnswer>;
    get(params: VoicesGetParams, options?: CallOptions): Promise<VoiceAnswer>;
    /** The organisation's cloned voices (`voices.list`) */
    list(options?: VoicesListOptions): Promise<VoiceList>;
    /** Speech to text: the transcript of a recording (`voices.transcribe`) */
    transcribe(audio: FileInput, options?: VoicesTranscribeOptions): Promise<Transcript>;
    /** Text to speech: the audio (audio/mpeg) streamed as bytes, then its size and type (`voices.tts`) */
    tts(text: string, options?: VoicesTtsOptions): Promise<AudioStream<AudioEnd>>;
    tts(params: VoicesTtsParams, options?: CallOptions): Promise<AudioStream<AudioEnd>>;
}

/** What every Cloud gets from the catalogue: top-level operations and resources. */
export interface CloudOperations {
    /** The organisation's credit balance, with the low and critical thresholds (`credits`) */
    credits(options?: CreditsOptions): Promise<Credits>;
    /** Whether the cloud is up (eliza adds its environment and schema markers) (`health`) */
    health(options?: CallOptions): Promise<Health>;
    /** The key's user and organisation (also cached for status) (`identity`) */
    identity(options?: CallOptions): Promise<Identity>;
    /** Disconnects (final backup), then forgets the API key in memory and in the config (`logout`) */
    logout(options?: CallOptions): Promise<void>;
    /** The cloud's public routes (method, path, parameters, response mode) that request can call (`routes`) */
    routes(options?: RoutesOptions): Promise<RouteCatalogue>;
    /** Sends a message to the connected agent and returns its reply (`send`) */
    send(text: string, options?: SendOptions): Promise<Reply>;
    send(params: SendParams, options?: CallOptions): Promise<Reply>;
    /** Whether a key is configured and the cloud accepts it, and who it belongs to (`status`) */
    status(options?: CallOptions): Promise<Status>;
    readonly a2a: A2aResource;
    readonly agent: AgentResource;
    readonly agents: AgentsResource;
    readonly apiKeys: ApiKeysResource;
    readonly apps: AppsResource;
    readonly appsDomains: AppsDomainsResource;
    readonly appsMonetization: AppsMonetizationResource;
    readonly backups: BackupsResource;
    readonly billing: BillingResource;
    readonly chatCompletions: ChatCompletionsResource;
    readonly containers: ContainersResource;
    readonly discovery: DiscoveryResource;
    readonly embeddings: EmbeddingsResource;
    readonly images: ImagesResource;
    readonly jobs: JobsResource;
    readonly knowledge: KnowledgeResource;
    readonly loginSession: LoginSessionResource;
    readonly messages: MessagesResource;
    readonly models: ModelsResource;
    readonly responses: ResponsesResource;
    readonly user: UserResource;
    readonly video: VideoResource;
    readonly voices: VoicesResource;
}

// ---- end of the generated section ----

// ---- classes ---------------------------------------------------------------------------------

type Listener = (event: CloudEvent) => void;

/**
 * One Eliza Cloud account and its active agent. The operation methods (`status()`, `credits()`,
 * `agents`, `user`…) come from the generated CloudOperations; the rest is declared here.
 */
export interface Cloud extends Omit<CloudOperations, 'backups' | 'agents' | 'identity'> {}
/** One Eliza Cloud account and its active agent. */
export declare class Cloud extends EventEmitter {
    readonly agents: Agents;
    constructor(options?: CloudOptions);

    /** Any operation of the ABI's table by name (see docs/c-api.md). */
    call(method: string, params?: Record<string, unknown>, options?: CallOptions): Promise<any>;
    /** Any public route of the cloud (docs/requests.md). */
    request(method: string, path: string, options?: RequestOptions & { stream?: 'none' }): Promise<Response>;
    request(method: string, path: string, options: RequestOptions & { stream: 'sse' }): Promise<RequestStream<SseFrame>>;
    request(method: string, path: string, options: RequestOptions & { stream: 'bytes' }): Promise<RequestStream<Buffer>>;

    login(options?: LoginOptions): Promise<LoginResult>;
    cancelLogin(): void;
    /** The API key in use, or null. */
    readonly apiKey: string | null;
    /** The config file in use ("" with noConfigFile). */
    readonly configPath: string;


    readonly state: ConnectionState;
    readonly activeAgent: string | null;
    readonly proxy: Proxy | null;
    connect(agentId: string, options?: ProgressOptions): Promise<Proxy>;
    disconnect(options?: CallOptions): Promise<void>;

    /**
     * The `identity` operation, declared with the non-null organizationId of earlier releases
     * (the library reports null for an account without an organisation; see Identity).
     */
    identity(options?: CallOptions): Promise<Identity & { organizationId: string }>;
    /** `cloud.backups` is the backups resource and, called, lists them (as before). */
    readonly backups: BackupsResource & ((options?: BackupsListOptions) => Promise<BackupInfo[]>);
    /** Same as `backups.snapshot(options)` (kept from earlier releases). */
    snapshot(options?: BackupsSnapshotOptions): Promise<Backup>;
    /** Same as `backups.restore({ ...options, backupId })` (kept from earlier releases). */
    restore(backupId?: string | null, options?: BackupsRestoreOptions): Promise<Restored>;

    /** Unsolicited events from now on, until the cloud closes or the signal aborts. */
    events(options?: EventsOptions): EventIterator;

    /** One request of the local REST API /api/cloud/* (seed 000), for a host's HTTP server. */
    restDispatch(method: string, target: string, options?: RestDispatchOptions): Promise<RestResponse>;

    readonly closed: boolean;
    /** Figures of the library's event queue (streamPauses: how often a full queue paused the streams). */
    eventStats(): EventStats;
    /** Lets the process exit while this cloud is open. */
    unref(): this;
    ref(): this;
    /** Cancels every request, stops the connection (no final backup) and releases the handle. */
    close(): Promise<void>;
    [Symbol.asyncDispose](): Promise<void>;

    on(event: CloudEventName | 'event', listener: Listener): this;
    on(event: 'close', listener: () => void): this;
    once(event: CloudEventName | 'event', listener: Listener): this;
    once(event: 'close', listener: () => void): this;
    off(event: CloudEventName | 'event', listener: Listener): this;
    off(event: 'close', listener: () => void): this;
    addListener(event: CloudEventName | 'event', listener: Listener): this;
    addListener(event: 'close', listener: () => void): this;
    removeListener(event: CloudEventName | 'event', listener: Listener): this;
    removeListener(event: 'close', listener: () => void): this;
}

/** `cloud.agents` (its methods are the generated AgentsResource). */
export interface Agents extends AgentsResource {}
export declare class Agents {
    private constructor();
}

/** Chat with the connected agent (returned by `Cloud.connect`). `new Proxy(cloud, agentId,
 * { direct: true })` talks to a running agent without connecting: each message goes straight to
 * its bridge, with no heartbeat, reconnects or backups. */
export declare class Proxy {
    constructor(cloud: Cloud, agentId: string, options?: { direct?: boolean });
    readonly agentId: string;
    send(text: string, options?: MessageOptions): Promise<string>;
    stream(text: string, options?: StreamOptions): Stream;
    status(options?: CallOptions): Promise<{ state?: string; agentName?: string; [key: string]: unknown }>;
    isAlive(options?: CallOptions): Promise<boolean>;
}
export { Proxy as AgentProxy };

/** The chunks of one streamed reply, in order. */
export declare class Stream implements AsyncIterableIterator<string> {
    private constructor();
    readonly requestId: number;
    /** Every chunk received so far, joined. */
    readonly text: string;
    readonly ended: boolean;
    next(): Promise<IteratorResult<string, undefined>>;
    return(): Promise<IteratorResult<string, undefined>>;
    cancel(): void;
    /** Waits for the end; resolves with the whole reply. */
    collect(): Promise<string>;
    [Symbol.asyncIterator](): Stream;
}

/** Text deltas of a chat-completion or message stream; `final()` resolves with the whole answer. */
export declare class InferenceStream<R = unknown> implements AsyncIterableIterator<string> {
    private constructor();
    readonly requestId: number;
    readonly ended: boolean;
    /** Every delta so far, joined. */
    readonly text: string;
    /** The accumulated answer, once the stream ended. */
    readonly result: R | null;
    next(): Promise<IteratorResult<string, undefined>>;
    return(): Promise<IteratorResult<string, undefined>>;
    cancel(): void;
    /** Waits for the end; resolves with the completion or the final message. */
    final(): Promise<R>;
    [Symbol.asyncIterator](): InferenceStream<R>;
}

/** The bytes of a binary answer (text to speech). */
export declare class AudioStream<R = unknown> implements AsyncIterableIterator<Buffer> {
    private constructor();
    readonly requestId: number;
    readonly ended: boolean;
    /** {bytes, contentType}, once the stream ended. */
    readonly result: R | null;
    next(): Promise<IteratorResult<Buffer, undefined>>;
    return(): Promise<IteratorResult<Buffer, undefined>>;
    cancel(): void;
    /** Writes the remaining bytes to a file; resolves with the count. */
    writeTo(path: string): Promise<number>;
    [Symbol.asyncIterator](): AudioStream<R>;
}

/** `cloud.events()`. */
export declare class EventIterator implements AsyncIterableIterator<CloudEvent> {
    private constructor();
    next(): Promise<IteratorResult<CloudEvent, undefined>>;
    return(): Promise<IteratorResult<CloudEvent, undefined>>;
    [Symbol.asyncIterator](): EventIterator;
}
