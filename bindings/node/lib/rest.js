'use strict';
// cloud.restDispatch(): the local REST API /api/cloud/* (ec_cloud_rest_dispatch) for a Node HTTP
// server to mount. The dispatch blocks while the cloud works, so it runs on koffi's worker pool;
// the event stream of GET /api/cloud/events is read the same way, one piece at a time.

const { Status, cString, fromStatus, statusName } = require('./errors');

const KEEP_ALIVE_MS = 15000;
// Reads wait this long at most, so close() never waits longer for the read in flight.
const READ_SLICE_MS = 1000;

function callAsync(fn, ...args) {
    return new Promise((resolve, reject) => {
        fn.async(...args, (err, result) => (err ? reject(err) : resolve(result)));
    });
}

function bytes(api, ptr, len) {
    const n = Number(len);
    return n > 0 ? Buffer.from(api.koffi.decode(ptr, 'uint8_t', n)) : Buffer.alloc(0);
}

/** The rest of a streaming response, as Buffers; a keep-alive comment when nothing came. */
class RestStream {
    #api;
    #ptr;
    #reading = null;
    #closing = false; // no new read starts once close() was called
    #closed = false; // freed

    constructor(api, ptr) {
        this.#api = api;
        this.#ptr = ptr;
    }

    async #next() {
        const api = this.#api;
        const data = [null];
        const len = [0];
        let status = Status.TIMEOUT;
        for (let idle = 0; status === Status.TIMEOUT && idle < KEEP_ALIVE_MS; idle += READ_SLICE_MS) {
            if (this.#closing) return { done: true, value: undefined };
            this.#reading = callAsync(api.rest().ec_rest_response_read, this.#ptr, READ_SLICE_MS,
                data, len);
            try {
                status = await this.#reading;
            } finally {
                this.#reading = null;
            }
        }
        if (status === Status.OK) {
            try {
                if (!this.#closing) return { done: false, value: bytes(api, data[0], len[0]) };
            } finally {
                api.ec_free(data[0]);
            }
        }
        if (this.#closing) return { done: true, value: undefined };
        if (status === Status.TIMEOUT) return { done: false, value: Buffer.from(': keep-alive\n\n') };
        await this.close();
        if (status === Status.EMPTY) return { done: true, value: undefined };
        // The detail was recorded on the worker thread: name the status instead.
        throw fromStatus(status, `reading the event stream failed (${statusName(status)})`);
    }

    /** Ends the stream (within a second: a read in progress returns first). */
    async close() {
        this.#closing = true;
        while (this.#reading) await this.#reading.catch(() => {});
        if (this.#closed) return;
        this.#closed = true;
        this.#api.rest().ec_rest_response_free(this.#ptr);
    }

    [Symbol.asyncIterator]() {
        return {
            next: () => this.#next(),
            return: async () => {
                await this.close();
                return { done: true, value: undefined };
            },
        };
    }
}

/**
 * Resolves with {status, headers, body (Buffer), handled, credentials, stream}; stream is a
 * RestStream for GET /api/cloud/events (send headers, then its Buffers), else null.
 */
async function dispatch(api, handle, method, target, options = {}) {
    const { headers = {}, body } = options;
    if (typeof method !== 'string' || typeof target !== 'string')
        throw new TypeError('method and target must be strings');
    cString(method, 'method');
    cString(target, 'target');
    const payload = body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(body);
    const out = [null];
    const status = await callAsync(api.rest().ec_cloud_rest_dispatch, handle, method, target,
        JSON.stringify(headers), payload, payload.length, out);
    if (status !== Status.OK)
        throw fromStatus(status, `ec_cloud_rest_dispatch failed (${statusName(status)})`);
    const ptr = out[0];
    const r = api.koffi.decode(ptr, api.ec_rest_response);
    const result = {
        status: r.status,
        headers: JSON.parse(api.koffi.decode(r.headers_json, 'char', -1)),
        body: bytes(api, r.body, r.body_len),
        handled: r.handled !== 0,
        credentials: ['unchanged', 'stored', 'removed'][r.credentials] ?? 'unchanged',
        stream: null,
    };
    if (r.streaming) {
        result.stream = new RestStream(api, ptr);
    } else {
        api.rest().ec_rest_response_free(ptr);
    }
    return result;
}

module.exports = { dispatch, RestStream };
