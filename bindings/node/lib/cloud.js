'use strict';
// Cloud and Proxy: the Promise API over the C ABI. The plain operations (`cloud.credits()`,
// `cloud.agents.create()`…) are made from the library's catalogue by operations.js; what is
// written here is the session: events, login, connect, disconnect, the connected agent's proxy.
//
// How events travel: the library queues every event of a cloud; its wake fd (a pipe, readable
// while the queue is non-empty) is watched by a net.Socket on a duplicate descriptor. On 'data'
// the main thread drains the queue with ec_cloud_next_event and routes each event: completions
// and stream chunks to the request that is waiting for them, everything else to the
// EventEmitter and to cloud.events() iterators. No library thread ever runs JavaScript.

const { EventEmitter } = require('node:events');
const net = require('node:net');
const native = require('./native');
const errors = require('./errors');
const rest = require('./rest');
const { EventType, State, fromRaw, stateName } = require('./events');
const operations = require('./operations');
const { Stream, EventIterator, abortError } = require('./streaming');

const { Status, CancelledError, TimeoutError, InvalidArgumentError, fromStatus } = errors;

const KEY_VAR = 'ELIZAOS_CLOUD_API_KEY';
const ENABLED_VAR = 'ELIZAOS_CLOUD_ENABLED';
const DEFAULT_ROOM = 'web-chat';
const DEFAULT_CHANNEL = 'DM';

// Timing options (camelCase) → ec_cloud_options fields.
const TIMINGS = Object.freeze({
    heartbeatIntervalMs: 'heartbeat_interval_ms',
    heartbeatMaxFailures: 'heartbeat_max_failures',
    reconnectInitialDelayMs: 'reconnect_initial_delay_ms',
    reconnectMaxDelayMs: 'reconnect_max_delay_ms',
    reconnectMaxAttempts: 'reconnect_max_attempts',
    backupIntervalMs: 'backup_interval_ms',
    finalSnapshotTimeoutMs: 'final_snapshot_timeout_ms',
    loginPollIntervalMs: 'login_poll_interval_ms',
    loginTimeoutMs: 'login_timeout_ms',
    requestTimeoutMs: 'request_timeout_ms',
    sendTimeoutMs: 'send_timeout_ms',
    streamIdleTimeoutMs: 'stream_idle_timeout_ms',
    jobPollIntervalMs: 'job_poll_interval_ms',
    jobTimeoutMs: 'job_timeout_ms',
});
const INT32_TIMINGS = new Set(['heartbeat_max_failures', 'reconnect_max_attempts']);

// Events that belong to one request and never reach the emitter.
const REQUEST_ONLY = new Set([
    EventType.STREAM_CHUNK,
    EventType.STREAM_END,
    EventType.REQUEST_COMPLETED,
]);

function envFlag(name) {
    return ['1', 'true', 'yes', 'on'].includes(String(process.env[name] ?? '').trim().toLowerCase());
}

function exportKey(key) {
    if (key) {
        process.env[KEY_VAR] = key;
        process.env[ENABLED_VAR] = 'true';
    }
}

function clearKey() {
    delete process.env[KEY_VAR];
    delete process.env[ENABLED_VAR];
}

function invalid(message) {
    return new InvalidArgumentError(message, { status: Status.INVALID_ARGUMENT });
}

function closedError() {
    return new CancelledError('the cloud was closed', { status: Status.CANCELLED });
}

function asObject(data) {
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
}

function optionalString(value, what) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw invalid(`${what} must be a string`);
    return errors.cString(value, what);
}

function buildOptions(api, options) {
    const o = {};
    api.ec_cloud_options_init(o, api.koffi.sizeof(api.ec_cloud_options));
    const { timings = {} } = options;
    o.base_url = optionalString(options.baseUrl, 'baseUrl');
    o.api_key = optionalString(options.apiKey, 'apiKey');
    o.config_path = optionalString(options.configPath, 'configPath');
    o.ca_file = optionalString(options.caFile, 'caFile');
    let hosts = options.allowedHosts;
    if (Array.isArray(hosts)) hosts = hosts.join(',');
    o.allowed_hosts = optionalString(hosts, 'allowedHosts');
    o.no_config_file = options.noConfigFile ? 1 : 0;
    // An explicit false (-1) wins over ELIZACLOUD_INSECURE_LOCAL and cloud.insecureLocal.
    const insecure = options.insecureLocal ?? (envFlag('ELIZACLOUD_INSECURE_LOCAL') || undefined);
    o.insecure_local = insecure === undefined ? 0 : insecure ? 1 : -1;
    o.forward_logs = options.forwardLogs ? 1 : 0;
    if (options.eventQueueCapacity !== undefined) {
        const cap = options.eventQueueCapacity;
        if (!Number.isInteger(cap) || cap < 0 || cap > 0xffffffff) {
            throw invalid('eventQueueCapacity must be a non-negative integer');
        }
        o.event_queue_capacity = cap;
    }
    for (const [name, value] of Object.entries(timings)) {
        const field = TIMINGS[name];
        if (!field) {
            throw invalid(`unknown timing "${name}"; known: ${Object.keys(TIMINGS).join(', ')}`);
        }
        if (value === undefined) continue;
        const max = INT32_TIMINGS.has(field) ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
        if (!Number.isInteger(value) || value < 0 || value > max) {
            throw invalid(`timing ${name} must be a non-negative integer (milliseconds)`);
        }
        o[field] = value;
    }
    return o;
}

// The socket's listener is created outside the Cloud constructor so that its closure cannot share
// a context that holds `this` (V8 shares one context among the closures of a scope).
function watch(socket, holder) {
    socket.on('data', () => {
        const cloud = holder.strong ?? holder.weak.deref();
        if (cloud) holder.drain(cloud);
    });
    socket.on('error', () => {}); // a closed pipe is not an error worth crashing on
}

// Process-wide backstop: a Cloud that was dropped without close() releases its handle when it is
// garbage-collected. Never the normal path (close() unregisters).
const leakRegistry = new FinalizationRegistry((held) => {
    held.socket.destroy();
    if (held.handle) held.api.ec_cloud_destroy.async(held.handle, () => {});
});

/** Where the catalogue's top-level operations are installed (Cloud may override them). */
class CloudBase extends EventEmitter {}

class Cloud extends CloudBase {
    #api;
    #handle;
    #socket;
    #holder; // what the socket's listener reaches the cloud through (see #updateHold)
    #held;
    #pending = new Map(); // request id → waiter
    #subscribers = new Set(); // cloud.events() iterators
    #closed = false;
    #closePromise = null;
    #exportEnv;
    #restCalls = new Set(); // restDispatch() calls in flight: close() destroys after them

    /**
     * @param {object} [options] baseUrl, apiKey, configPath, noConfigFile, insecureLocal, caFile,
     *   allowedHosts, timings, eventQueueCapacity, forwardLogs, exportEnv (default true)
     */
    constructor(options = {}) {
        super({ captureRejections: false });
        if (options === null || typeof options !== 'object') throw invalid('options must be an object');
        const api = native.load();
        this.#api = api;
        this.#exportEnv = options.exportEnv ?? true;
        const out = [null];
        const status = api.ec_cloud_create(buildOptions(api, options), out);
        if (status !== Status.OK) throw fromStatus(status, api.ec_last_error_message());
        this.#handle = out[0];

        let fd;
        try {
            fd = api.dupFd(api.ec_cloud_event_fd(this.#handle));
            this.#socket = new net.Socket({ fd, readable: true, writable: false });
        } catch (err) {
            if (fd !== undefined) api.closeFd(fd);
            api.ec_cloud_destroy(this.#handle);
            this.#handle = null;
            throw err;
        }
        // The listener reaches the cloud through a weak reference unless something is waiting
        // on it, so that a cloud nobody references can still be collected (leak backstop).
        this.#holder = { weak: new WeakRef(this), strong: null, drain: Cloud.#drainCloud };
        watch(this.#socket, this.#holder);
        const internal = (name) => name === 'newListener' || name === 'removeListener';
        this.on('newListener', (name) => this.#updateHold(internal(name) ? 0 : 1));
        this.on('removeListener', () => this.#updateHold(0));

        this.#held = { api, handle: this.#handle, socket: this.#socket };
        leakRegistry.register(this, this.#held, this);
        for (const [name, Resource] of operations.install(api, CloudBase).resources) {
            this[name] = new Resource(this);
        }
        // cloud.backups(options) listed the backups before the resource existed: still does.
        if (this.backups) this.backups = operations.callableResource(this.backups, 'list');
    }

    // ---- event delivery --------------------------------------------------------------------

    #updateHold(extraListeners) {
        let listeners = extraListeners;
        for (const name of this.eventNames()) {
            if (name !== 'newListener' && name !== 'removeListener') listeners += this.listenerCount(name);
        }
        const busy = this.#pending.size > 0 || this.#subscribers.size > 0 || listeners > 0;
        this.#holder.strong = busy && !this.#closed ? this : null;
    }

    static #drainCloud(cloud) {
        cloud.#drain();
    }

    #drain() {
        const api = this.#api;
        const koffi = api.koffi;
        const out = [null];
        while (this.#handle) {
            const status = api.ec_cloud_next_event(this.#handle, out);
            if (status !== Status.OK) break; // EC_ERR_EMPTY
            const ptr = out[0];
            let event;
            try {
                event = fromRaw(koffi, koffi.decode(ptr, api.ec_event));
            } finally {
                api.ec_event_free(ptr);
            }
            this.#route(event);
        }
    }

    #route(ev) {
        const waiter = ev.requestId ? this.#pending.get(ev.requestId) : undefined;
        // Events of a request carry its id (login, provisioning progress of a connect or a
        // provision call); one without an id is unsolicited (a reconnect's progress).
        if (waiter) waiter.deliver(ev);
        if (REQUEST_ONLY.has(ev.type)) return;
        if (ev.type === EventType.CREDENTIALS_CHANGED && this.#exportEnv) {
            if (ev.text) exportKey(this.apiKey);
            else clearKey();
        }
        this.#safeEmit(ev.name, ev);
        this.#safeEmit('event', ev);
        for (const sub of this.#subscribers) sub.push(ev);
    }

    #safeEmit(name, ev) {
        try {
            this.emit(name, ev);
        } catch (err) {
            // A throwing listener must not lose the events behind it: rethrow it on its own tick,
            // where it surfaces as the uncaught exception it would be in any other listener.
            process.nextTick(() => {
                throw err;
            });
        }
    }

    // ---- requests --------------------------------------------------------------------------

    #check() {
        if (this.#closed) throw invalid('the cloud is closed');
    }

    #begin(method, params) {
        this.#check();
        const api = this.#api;
        const out = [0];
        const status = api.ec_cloud_call(this.#handle, method, JSON.stringify(params ?? {}), out);
        if (status !== Status.OK) throw fromStatus(status, api.ec_last_error_message());
        return Number(out[0]);
    }

    #cancelQuietly(id) {
        if (this.#handle) this.#api.ec_cloud_cancel(this.#handle, id);
    }

    /** Registers a waiter for a started request; returns the id. */
    _register(id, waiter) {
        this.#pending.set(id, waiter);
        this.#updateHold(0);
    }

    _forget(id) {
        if (this.#pending.delete(id)) this.#updateHold(0);
    }

    _cancel(id) {
        this.#cancelQuietly(id);
    }

    _beginStream(text, roomId, channelType) {
        return this.#begin('stream', { text, roomId, channelType });
    }

    /**
     * Starts `method` and resolves with its result when EC_EVENT_REQUEST_COMPLETED arrives.
     * options: kind, agentId, onEvent (progress events of this request), signal, timeout (ms).
     */
    _request(method, params, options = {}) {
        const { kind = 'call', agentId = null, onEvent, signal, timeout } = options;
        return new Promise((resolve, reject) => {
            if (signal?.aborted) throw abortError(signal);
            if (timeout !== undefined && timeout !== null && !(timeout >= 0)) {
                throw invalid('timeout must be a non-negative number of milliseconds');
            }
            const id = this.#begin(method, params);
            let timer = null;
            let settled = false;
            const cleanup = () => {
                settled = true;
                this._forget(id);
                if (timer) clearTimeout(timer);
                signal?.removeEventListener('abort', onAbort);
            };
            const fail = (err) => {
                if (settled) return;
                cleanup();
                this.#cancelQuietly(id);
                reject(err);
            };
            const onAbort = () => fail(abortError(signal));
            const waiter = {
                kind,
                agentId,
                deliver: (ev) => {
                    if (settled) return;
                    if (ev.type === EventType.REQUEST_COMPLETED) {
                        cleanup();
                        if (ev.ok) resolve(ev.data);
                        else reject(ev.error);
                        return;
                    }
                    if (onEvent) {
                        try {
                            const r = onEvent(ev);
                            if (r && typeof r.then === 'function') r.then(undefined, fail);
                        } catch (err) {
                            fail(err);
                        }
                    }
                },
                fail,
            };
            this._register(id, waiter);
            signal?.addEventListener('abort', onAbort, { once: true });
            if (timeout !== undefined && timeout !== null) {
                timer = setTimeout(
                    () => fail(new TimeoutError(`${method} timed out after ${timeout} ms`, { status: Status.TIMEOUT })),
                    timeout,
                );
                timer.unref();
            }
        });
    }

    /** Any operation of the ABI's table by name (ec_cloud_call; see docs/c-api.md). */
    async call(method, params = {}, options = {}) {
        if (typeof method !== 'string' || !method) throw invalid('method must be a non-empty string');
        errors.cString(method, 'method');
        return this._request(method, params, options);
    }

    // ---- account ---------------------------------------------------------------------------

    /**
     * Browser login. Resolves with {keyPrefix, expiresAt, userId, organizationId}; aborting the
     * signal cancels the login in the library.
     */
    async login(options = {}) {
        const { onBrowserUrl, onProgress, signal, timeout } = options;
        const onEvent = (ev) => {
            if (ev.type === EventType.LOGIN_BROWSER_URL && onBrowserUrl) return onBrowserUrl(ev.text, ev);
            if (ev.type === EventType.LOGIN_PROGRESS && onProgress) return onProgress(ev.text, ev);
            return undefined;
        };
        const result = asObject(await this._request('login', {}, { kind: 'login', onEvent, signal, timeout }));
        if (this.#exportEnv) exportKey(this.apiKey);
        return result;
    }

    /** Cancels every login in progress (they reject with CancelledError). */
    cancelLogin() {
        for (const w of [...this.#pending.values()]) {
            if (w.kind === 'login') w.fail(new CancelledError('login cancelled', { status: Status.CANCELLED }));
        }
    }

    /** Disconnects (with the final backup) and removes the key from the config file. */
    async logout(options = {}) {
        await super.logout(options);
        if (this.#exportEnv) clearKey();
    }

    /** The API key in use (for the host to persist), or null. */
    get apiKey() {
        return this.#stringOut('ec_cloud_api_key');
    }

    /** The config file in use ("" when noConfigFile). */
    get configPath() {
        return this.#stringOut('ec_cloud_config_path') ?? '';
    }

    /**
     * Figures of the library's event queue: {capacity, queued, dropped, streamPauses}
     * (dropped = droppable events discarded; streamPauses = how often a full queue paused the
     * streams until the host caught up).
     */
    eventStats() {
        if (!this.#handle) throw invalid('the cloud is closed');
        return JSON.parse(this.#stringOut('ec_cloud_event_stats'));
    }

    #stringOut(fn) {
        if (!this.#handle) return null;
        const api = this.#api;
        const out = [null];
        const status = api[fn](this.#handle, out);
        if (status === Status.NOT_CONNECTED) return null;
        if (status !== Status.OK) throw fromStatus(status, api.ec_last_error_message());
        return native.takeString(api, out[0]);
    }

    // ---- connection ------------------------------------------------------------------------

    /** 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'error' */
    get state() {
        if (!this.#handle) return State.DISCONNECTED;
        return stateName(this.#api.ec_cloud_state(this.#handle));
    }

    /** The id of the connected agent, or null. */
    get activeAgent() {
        if (!this.#handle) return null;
        return this.#stringOut('ec_cloud_active_agent');
    }

    /** A Proxy to the active agent, or null. */
    get proxy() {
        const agent = this.activeAgent;
        return agent ? new Proxy(this, agent) : null;
    }

    /**
     * Connects to an agent (provisioning it, following the job), starts backups and the
     * heartbeat monitor. onProgress receives the provisioning progress events.
     */
    async connect(agentId, options = {}) {
        if (typeof agentId !== 'string') throw invalid('agentId must be a string');
        const { onProgress, ...rest } = options;
        await this._request('connect', { agentId }, { ...rest, kind: 'connect', agentId, onEvent: onProgress });
        return new Proxy(this, agentId);
    }

    /** Final snapshot (bounded), stops backups and the monitor, state → disconnected. */
    async disconnect(options = {}) {
        await this._request('disconnect', {}, options);
    }

    // ---- backups: the methods of earlier releases (cloud.backups is the resource) ----------

    /** Same as cloud.backups.snapshot(options). */
    async snapshot(options = {}) {
        return this.backups.snapshot(options);
    }

    /** Same as cloud.backups.restore({...options, backupId}). */
    async restore(backupId = null, options = {}) {
        return this.backups.restore({ ...options, backupId: backupId ?? undefined });
    }

    // ---- events ----------------------------------------------------------------------------

    /**
     * `for await (const ev of cloud.events({types: ['state']}))` — every unsolicited event from
     * now on; ends when the cloud closes or the signal aborts.
     */
    events(options = {}) {
        return new EventIterator(this, options, this.#subscribers, () => this.#updateHold(0));
    }

    // ---- local REST API --------------------------------------------------------------------

    /**
     * Answers one request of the local REST API /api/cloud/* (seed 000) for a Node HTTP server
     * to mount: resolves with {status, headers, body, handled, credentials, stream}. Runs on
     * koffi's worker pool (a connect waits for provisioning). handled is false for paths outside
     * /api/cloud/; stream (GET /api/cloud/events) yields Buffers to write after the headers.
     * With exportEnv, credentials 'stored'/'removed' update process.env as login/logout do.
     */
    async restDispatch(method, target, options = {}) {
        this.#check();
        const call = rest.dispatch(this.#api, this.#handle, method, target, options);
        this.#restCalls.add(call);
        try {
            const result = await call;
            if (this.#exportEnv && result.credentials === 'stored') exportKey(this.apiKey);
            if (this.#exportEnv && result.credentials === 'removed') clearKey();
            return result;
        } finally {
            this.#restCalls.delete(call);
        }
    }

    // ---- lifetime --------------------------------------------------------------------------

    /** True once close() was called. */
    get closed() {
        return this.#closed;
    }

    /** Lets the process exit while this cloud is open (daemons). */
    unref() {
        this.#socket.unref();
        return this;
    }

    /** Undoes unref(): an open cloud keeps the process alive again. */
    ref() {
        if (!this.#closed) this.#socket.ref();
        return this;
    }

    /**
     * Cancels every request (they reject with CancelledError), stops the connection without a
     * final backup (call disconnect() first for one) and releases the handle. Idempotent.
     */
    close() {
        if (this.#closePromise) return this.#closePromise;
        this.#closed = true;
        leakRegistry.unregister(this);
        this.#holder.strong = null;
        const err = closedError();
        for (const w of [...this.#pending.values()]) w.fail(err);
        this.#pending.clear();
        for (const sub of [...this.#subscribers]) sub.end();
        this.#subscribers.clear();
        this.#socket.destroy();
        const handle = this.#handle;
        this.#handle = null;
        this.#held.handle = null;
        // ec_cloud_destroy joins the library's work for this handle: run it off the main thread,
        // once no restDispatch() is using the handle any more.
        const calls = [...this.#restCalls].map((c) => c.catch(() => {}));
        this.#closePromise = Promise.all(calls).then(
            () => new Promise((resolve) => this.#api.ec_cloud_destroy.async(handle, () => resolve())),
        );
        this.#safeEmit('close', undefined);
        return this.#closePromise;
    }

    async [Symbol.asyncDispose]() {
        await this.close();
    }

    get [Symbol.toStringTag]() {
        return 'Cloud';
    }

    toString() {
        if (this.#closed) return '[Cloud closed]';
        return `[Cloud state=${this.state} agent=${this.activeAgent ?? 'none'}]`;
    }
}

/** Chat with the connected agent (returned by Cloud.connect). */
class Proxy {
    #cloud;

    constructor(cloud, agentId) {
        this.#cloud = cloud;
        this.agentId = agentId;
    }

    /** Sends a message; resolves with the agent's reply text. */
    async send(text, options = {}) {
        const { roomId = DEFAULT_ROOM, channelType = DEFAULT_CHANNEL } = options;
        const data = await this.#cloud._request('send', { text, roomId, channelType }, options);
        if (data && typeof data === 'object') return String(data.text ?? '');
        return data === null || data === undefined ? '' : String(data);
    }

    /** Streams a reply: `for await (const chunk of proxy.stream(text))`. */
    stream(text, options = {}) {
        const { roomId = DEFAULT_ROOM, channelType = DEFAULT_CHANNEL, signal } = options;
        return new Stream(this.#cloud, text, roomId, channelType, signal);
    }

    /** {state, agentName} of the connected agent. */
    async status(options = {}) {
        return asObject(await this.#cloud._request('agent.status', {}, options));
    }

    /** Heartbeat: true if the agent answered. */
    async isAlive(options = {}) {
        const data = await this.#cloud._request('agent.alive', {}, options);
        return !!(data && typeof data === 'object' && data.alive);
    }

    toString() {
        return `[Proxy agent=${this.agentId}]`;
    }
}

module.exports = {
    Cloud,
    Agents: operations.Agents,
    Proxy,
    Stream,
    EventIterator,
    TIMINGS,
    DEFAULT_ROOM,
    DEFAULT_CHANNEL,
};
