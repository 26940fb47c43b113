'use strict';
// Cloud: the client, the Promise API over the C ABI. The plain operations (`cloud.credits()`,
// `cloud.agents.create()`…) are made from the library's catalogue by operations.js; what is
// written here is the session: the handle and its lifetime, login, connect, disconnect, the
// connected agent's proxy. Events reach requests and listeners through the event hub (hub.js).

const { EventEmitter } = require('node:events');
const native = require('./native');
const errors = require('./errors');
const rest = require('./rest');
const { EventType, State, stateName } = require('./events');
const operations = require('./operations');
const { buildOptions } = require('./options');
const { exportKey, clearKey } = require('./env');
const { EventHub, wakeSocket } = require('./hub');
const { RequestWaiter } = require('./waiters');
const { Proxy } = require('./proxy');
const request = require('./request');
const { EventIterator, abortError } = require('./streaming');

const { Status, CancelledError, invalid, fromStatus } = errors;

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
    #socket; // on the wake fd (see hub.js)
    #hub;
    #held; // what the leak backstop releases
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
        try {
            this.#socket = wakeSocket(api, this.#handle);
        } catch (err) {
            api.ec_cloud_destroy(this.#handle);
            this.#handle = null;
            throw err;
        }
        this.#hub = new EventHub(api, this.#handle, this.#socket, this, Cloud.#publish);
        this.#held = { api, handle: this.#handle, socket: this.#socket };
        leakRegistry.register(this, this.#held, this);
        for (const [name, Resource] of operations.install(api, CloudBase).resources) {
            this[name] = new Resource(this);
        }
        // cloud.backups(options) listed the backups before the resource existed: still does.
        if (this.backups) this.backups = operations.callableResource(this.backups, 'list');
    }

    // The cloud's part of an event that is not a request's alone (the hub then feeds the
    // iterators). Static, so that the hub holds no closure over the cloud.
    static #publish(cloud, ev) {
        if (ev.type === EventType.CREDENTIALS_CHANGED && cloud.#exportEnv) {
            if (ev.text) exportKey(cloud.apiKey);
            else clearKey();
        }
        cloud.#safeEmit(ev.name, ev);
        cloud.#safeEmit('event', ev);
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

    /** Starts the generic request (request.js) and returns its id. */
    _beginRequest(params) {
        return this.#begin('request', params);
    }

    /** Starts operation `method` (a streaming one: operations.js) and returns its id. */
    _beginCall(method, params) {
        return this.#begin(method, params);
    }

    #begin(method, params, callOptions = null) {
        this.#check();
        const api = this.#api;
        const out = [0];
        const text = JSON.stringify(params ?? {});
        // Per-call options (maxRetries) go through ec_cloud_call_with.
        const status = callOptions
            ? api.ec_cloud_call_with(this.#handle, method, text, JSON.stringify(callOptions), out)
            : api.ec_cloud_call(this.#handle, method, text, out);
        if (status !== Status.OK) throw fromStatus(status, api.ec_last_error_message());
        return Number(out[0]);
    }

    /** Hands the events of started request `id` to `waiter` ({deliver, fail}). */
    _register(id, waiter) {
        this.#hub.register(id, waiter);
    }

    _forget(id) {
        this.#hub.forget(id);
    }

    /** Cancels request `id` in the library (nothing once the cloud is closed). */
    _cancel(id) {
        if (this.#handle) this.#api.ec_cloud_cancel(this.#handle, id);
    }

    _beginStream(text, roomId, channelType, agentId) {
        return this.#begin('stream', { text, roomId, channelType, agentId });
    }

    /**
     * Starts `method` and resolves with its result when EC_EVENT_REQUEST_COMPLETED arrives.
     * options: onEvent (progress events of this request), signal, timeout (ms), login.
     */
    _request(method, params, options = {}) {
        const { signal, timeout } = options;
        return new Promise((resolve, reject) => {
            if (signal?.aborted) throw abortError(signal);
            if (timeout !== undefined && timeout !== null && !(timeout >= 0)) {
                throw invalid('timeout must be a non-negative number of milliseconds');
            }
            const { maxRetries } = options;
            const id = this.#begin(method, params, maxRetries === undefined || maxRetries === null ? null : { maxRetries });
            this.#hub.register(id, new RequestWaiter(this, id, method, options, resolve, reject));
        });
    }

    /** Any operation of the ABI's table by name (ec_cloud_call; see docs/c-api.md). */
    async call(method, params = {}, options = {}) {
        if (typeof method !== 'string' || !method) throw invalid('method must be a non-empty string');
        errors.cString(method, 'method');
        return this._request(method, params, options);
    }

    // ---- any route -------------------------------------------------------------------------

    /**
     * Any public route of the cloud (ec_cloud_request; docs/requests.md). Resolves with a
     * Response, or with `stream: 'sse' | 'bytes'` a RequestStream of frames or Buffers.
     */
    async request(method, path, options = {}) {
        return request.request(this, method, path, options);
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
        const result = operations.asObject(
            await this._request('login', {}, { onEvent, signal, timeout, login: true }),
        );
        if (this.#exportEnv) exportKey(this.apiKey);
        return result;
    }

    /** Cancels every login in progress (they reject with CancelledError). */
    cancelLogin() {
        for (const w of this.#hub.waiters) {
            if (w.login) w.fail(new CancelledError('login cancelled', { status: Status.CANCELLED }));
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
        await this._request('connect', { agentId }, { ...rest, onEvent: onProgress });
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
        return new EventIterator(this.#hub, options);
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
        // Before the handle goes: the failing requests are cancelled in the library.
        this.#hub.close(new CancelledError('the cloud was closed', { status: Status.CANCELLED }));
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

module.exports = { Cloud };
