'use strict';
// The async iterators of a Cloud: the chunks of one streamed reply (Stream) and the unsolicited
// events (EventIterator). Both are fed by the cloud's event hub (hub.js).

const { EventType } = require('./events');
const { Status, CancelledError, invalid } = require('./errors');

function abortError(signal) {
    const reason = signal.reason;
    return new CancelledError('the operation was aborted', {
        status: Status.CANCELLED,
        cause: reason,
    });
}

/** The chunks of one streamed reply, in order, as an async iterator. */
class Stream {
    #cloud;
    #id;
    #chunks = [];
    #waiting = null; // {resolve, reject} of a pending next()
    #ended = false;
    #error = null;
    #text = '';
    #signal;
    #onAbort;

    constructor(cloud, text, roomId, channelType, signal) {
        this.#cloud = cloud;
        if (signal?.aborted) throw abortError(signal);
        this.#id = cloud._beginStream(text, roomId, channelType);
        cloud._register(this.#id, {
            deliver: (ev) => this.#deliver(ev),
            fail: (err) => this.#finish(err),
        });
        if (signal) {
            this.#signal = signal;
            this.#onAbort = () => this.#abort(abortError(signal));
            signal.addEventListener('abort', this.#onAbort, { once: true });
        }
    }

    /** The request id of this stream. */
    get requestId() {
        return this.#id;
    }

    /** Every chunk received so far, joined. */
    get text() {
        return this.#text;
    }

    /** True once the stream ended (done, failed or cancelled). */
    get ended() {
        return this.#ended;
    }

    #deliver(ev) {
        if (this.#ended) return;
        if (ev.type === EventType.STREAM_CHUNK) {
            this.#text += ev.text;
            if (this.#waiting) {
                const w = this.#waiting;
                this.#waiting = null;
                w.resolve({ value: ev.text, done: false });
            } else {
                this.#chunks.push(ev.text);
            }
        } else if (ev.type === EventType.STREAM_END) {
            this.#finish(ev.ok ? null : ev.error);
        }
    }

    #finish(err) {
        if (this.#ended) return;
        this.#ended = true;
        this.#error = err;
        this.#cloud._forget(this.#id);
        this.#signal?.removeEventListener('abort', this.#onAbort);
        if (this.#waiting) {
            const w = this.#waiting;
            this.#waiting = null;
            if (err) {
                this.#error = null; // reported once
                w.reject(err);
            } else {
                w.resolve({ value: undefined, done: true });
            }
        }
    }

    #abort(err) {
        if (this.#ended) return;
        this.#cloud._cancel(this.#id);
        this.#chunks.length = 0;
        this.#finish(err);
    }

    next() {
        if (this.#chunks.length) return Promise.resolve({ value: this.#chunks.shift(), done: false });
        if (this.#ended) {
            const err = this.#error;
            this.#error = null;
            return err ? Promise.reject(err) : Promise.resolve({ value: undefined, done: true });
        }
        if (this.#waiting) return Promise.reject(invalid('next() called while another next() is pending'));
        return new Promise((resolve, reject) => {
            this.#waiting = { resolve, reject };
        });
    }

    /** Stops the stream (cancelling it in the library if it is still running). */
    return() {
        if (!this.#ended) this.#abort(null);
        this.#chunks.length = 0;
        this.#error = null;
        return Promise.resolve({ value: undefined, done: true });
    }

    /** Cancels the stream; a pending or later next() rejects with CancelledError. */
    cancel() {
        this.#abort(new CancelledError('the stream was cancelled', { status: Status.CANCELLED }));
    }

    /** Waits for the end of the stream and resolves with the whole reply text. */
    async collect() {
        for await (const _ of this) {
            // chunks are accumulated in text
        }
        return this.#text;
    }

    [Symbol.asyncIterator]() {
        return this;
    }
}

/** `cloud.events()`: unsolicited events as an async iterator. */
class EventIterator {
    #queue = [];
    #waiting = null;
    #ended = false;
    #types;
    #hub;
    #signal;
    #onAbort;

    constructor(hub, options) {
        const { types, signal } = options ?? {};
        this.#types = types ? new Set(types) : null;
        this.#hub = hub;
        if (hub.closed || signal?.aborted) {
            this.#ended = true;
            return;
        }
        hub.subscribe(this);
        if (signal) {
            this.#signal = signal;
            this.#onAbort = () => this.end();
            signal.addEventListener('abort', this.#onAbort, { once: true });
        }
    }

    push(ev) {
        if (this.#ended) return;
        if (this.#types && !this.#types.has(ev.type) && !this.#types.has(ev.name)) return;
        if (this.#waiting) {
            const w = this.#waiting;
            this.#waiting = null;
            w({ value: ev, done: false });
        } else {
            this.#queue.push(ev);
        }
    }

    end() {
        if (this.#ended) return;
        this.#ended = true;
        this.#hub.unsubscribe(this);
        this.#signal?.removeEventListener('abort', this.#onAbort);
        if (this.#waiting) {
            const w = this.#waiting;
            this.#waiting = null;
            w({ value: undefined, done: true });
        }
    }

    next() {
        if (this.#queue.length) return Promise.resolve({ value: this.#queue.shift(), done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
            this.#waiting = resolve;
        });
    }

    return() {
        this.#queue.length = 0;
        this.end();
        return Promise.resolve({ value: undefined, done: true });
    }

    [Symbol.asyncIterator]() {
        return this;
    }
}

module.exports = { Stream, EventIterator, abortError };
