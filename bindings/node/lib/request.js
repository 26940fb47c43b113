'use strict';
// The generic request (cloud.request): any public route of the cloud by method and path, with the
// client's key, URL policy, errors, retries and limits (the core's "request" operation). A plain
// call resolves with a Response; a streamed one (stream: 'sse' | 'bytes') with a RequestStream.

const { invalid } = require('./errors');
const { ChunkIterator, writeChunks } = require('./streaming');
const { filesParam } = require('./files');

/** What a route answered (2xx only: other statuses reject with their error). */
class Response {
    constructor(record) {
        this.status = Number(record.status ?? 0);
        this.headers = { ...(record.headers ?? {}) };
        /** The body parsed, when it was JSON. */
        this.data = record.json ?? null;
        /** The body, when it was text (not JSON). */
        this.text = record.text ?? null;
        /** The body's bytes. */
        this.content =
            record.base64 !== undefined
                ? Buffer.from(record.base64, 'base64')
                : record.text !== undefined
                  ? Buffer.from(record.text)
                  : record.json !== undefined
                    ? Buffer.from(JSON.stringify(record.json))
                    : Buffer.alloc(0);
        /** A collected SSE stream. */
        this.events = (record.events ?? []).map(frame);
        this.route = record.route ?? null;
        this.attempts = Number(record.attempts ?? 1);
        this.rateLimit = record.rateLimit ?? null;
        this.bytes = Number(record.bytes ?? 0);
        Object.freeze(this);
    }

    /** The body as JSON (throws when it was not JSON). */
    json() {
        if (this.data === null && this.content.length) throw invalid('the response body is not JSON');
        return this.data;
    }
}

function frame(e) {
    const out = { event: e.event ?? 'message', data: e.data ?? '' };
    if (e.id) out.id = e.id;
    return Object.freeze(out);
}

const OPTION_NAMES = {
    pathParams: 'pathParams',
    query: 'query',
    json: 'json',
    body: 'body',
    contentType: 'contentType',
    files: 'files',
    form: 'form',
    headers: 'headers',
    stream: 'stream',
    maxRetries: 'maxRetries',
    idempotent: 'idempotent',
    timeoutMs: 'timeoutMs',
    uncatalogued: 'uncatalogued',
};

function params(method, path, options) {
    if (typeof method !== 'string' || !method) throw invalid('method must be a non-empty string');
    if (typeof path !== 'string' || !path) throw invalid('path must be a non-empty string');
    const out = { method: method.toUpperCase(), path };
    for (const [option, wire] of Object.entries(OPTION_NAMES)) {
        const value = options[option];
        if (value !== undefined && value !== null) out[wire] = option === 'files' ? filesParam(value) : value;
    }
    return out;
}

/** The chunks of a streamed request, in order: frames ({event, data, id}) or Buffers. */
class RequestStream extends ChunkIterator {
    #mode;
    /** Status, headers, route, attempts and rate limit, once the stream ended. */
    response = null;

    constructor(cloud, wire, signal) {
        super(cloud, () => cloud._beginRequest(wire), signal);
        this.#mode = wire.stream;
    }

    _wantsBytes() {
        return this.#mode === 'bytes';
    }

    _item(ev) {
        if (this.#mode === 'bytes') return ev.raw ?? Buffer.from(ev.text);
        const details = ev.data && typeof ev.data === 'object' ? ev.data : {};
        return frame({ event: details.event, data: ev.text, id: details.id });
    }

    _end(ev) {
        if (ev.data && typeof ev.data === 'object') this.response = new Response(ev.data);
    }

    /**
     * Writes every remaining chunk to a file (bytes as they come, SSE frames as their data one per
     * line); resolves with the bytes written. A failure leaves no partial file behind.
     */
    async writeTo(path) {
        return writeChunks(this, path, (item) =>
            Buffer.isBuffer(item) ? item : Buffer.from(`${item.data}\n`),
        );
    }
}

async function request(cloud, method, path, options = {}) {
    if (options === null || typeof options !== 'object') throw invalid('options must be an object');
    const wire = params(method, path, options);
    if (wire.stream !== undefined && wire.stream !== 'none') {
        return new RequestStream(cloud, wire, options.signal);
    }
    const record = await cloud._request('request', wire, options);
    return new Response(record);
}

module.exports = { request, Response, RequestStream };
