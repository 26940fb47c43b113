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
/** Minimum level of the library's log lines (process-wide; default 'info', written to stderr). */
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
    /** STREAM_CHUNK only: the chunk's bytes as they came (a binary stream's bytes); else null. */
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
    /** Default: config cloud.baseUrl, else https://www.elizacloud.ai. */
    baseUrl?: string;
    /** Default: config cloud.apiKey (if any). */
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
}

/** Options of `cloud.request()` (docs/requests.md). */
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
/** Local file I/O (config store). */
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

/** Parameters of `connect` (wire names). */
export interface ConnectParams {
    /** the agent to connect to */
    agentId: string;
}

/** Parameters of `credits` (wire names). */
export interface CreditsParams {
    /** read the balance from the database instead of the cloud's cache */
    fresh?: boolean;
}

/** Parameters of `disconnect` (wire names). */
export interface DisconnectParams {
}

/** Parameters of `identity` (wire names). */
export interface IdentityParams {
}

/** Parameters of `jobs.get` (wire names). */
export interface JobsGetParams {
    /** the job's id */
    jobId: string;
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

/** Options of `credits`. */
export interface CreditsOptions extends CallOptions {
    /** read the balance from the database instead of the cloud's cache */
    fresh?: boolean;
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

/** `cloud.backups`. */
export interface BackupsResource {
    /** An agent's backups, newest first (at most 10) (`backups.list`) */
    list(options?: BackupsListOptions): Promise<BackupInfo[]>;
    /** Restores an agent from its latest backup or from one by id (`backups.restore`) */
    restore(options?: BackupsRestoreOptions): Promise<Restored>;
    /** Takes a manual backup of an agent (`backups.snapshot`) */
    snapshot(options?: BackupsSnapshotOptions): Promise<Backup>;
}

/** `cloud.jobs`. */
export interface JobsResource {
    /** One job's state (pending, in_progress, completed, failed) and result (`jobs.get`) */
    get(jobId: string, options?: CallOptions): Promise<Job>;
    get(params: JobsGetParams, options?: CallOptions): Promise<Job>;
}

/** `cloud.login_session`. */
export interface LoginSessionResource {
    /** A browser login driven by the host, step 1: opens a CLI session and answers the page the user must open (`login_session.create`) */
    create(options?: CallOptions): Promise<LoginSession>;
    /** A browser login driven by the host, step 2: polls the session once; when the user has logged in, the key is adopted and saved as login does (`login_session.poll`) */
    poll(sessionId: string, options?: CallOptions): Promise<LoginPoll>;
    poll(params: LoginSessionPollParams, options?: CallOptions): Promise<LoginPoll>;
}

/** `cloud.user`. */
export interface UserResource {
    /** Updates the user's profile (only the fields given) (`user.update`) */
    update(options?: UserUpdateOptions): Promise<User>;
}

/** What every Cloud gets from the catalogue: top-level operations and resources. */
export interface CloudOperations {
    /** The organisation's credit balance, with the low and critical thresholds (`credits`) */
    credits(options?: CreditsOptions): Promise<Credits>;
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
    readonly agent: AgentResource;
    readonly agents: AgentsResource;
    readonly backups: BackupsResource;
    readonly jobs: JobsResource;
    readonly loginSession: LoginSessionResource;
    readonly user: UserResource;
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

/** Chat with the connected agent (returned by `Cloud.connect`). */
export declare class Proxy {
    private constructor();
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

/** `cloud.events()`. */
export declare class EventIterator implements AsyncIterableIterator<CloudEvent> {
    private constructor();
    next(): Promise<IteratorResult<CloudEvent, undefined>>;
    return(): Promise<IteratorResult<CloudEvent, undefined>>;
    [Symbol.asyncIterator](): EventIterator;
}
