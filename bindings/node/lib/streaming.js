'use strict';
// The async iterators of a Cloud: the chunks of one streamed reply (Stream) and the unsolicited
// events (EventIterator). Both are fed by the cloud's event hub (hub.js).

const { EventType } = require('./events');
const { Status, CancelledError, invalid } = require('./errors');
const { Fifo } = require('./fifo');

function abortError(signal) {
    const reason = signal.reason;
    return new CancelledError('the operation was aborted', {
        status: Status.CANCELLED,
        cause: reason,
    });
}

/**
 * The chunks of one streamed request, in order, as an async iterator: what Stream (an agent's
 * reply) and RequestStream (a generic request, request.js) share. Subclasses say what a chunk
 * event yields (_item) and what a successful end carries (_end).
 */
class ChunkIterator {
    #cloud;
    #id;
    #queue = new Fifo();
    #waiting = null; // {resolve, reject} of a pending next()
    #ended = false;
    #error = null;
    #signal;
    #onAbort;

    /** begin() starts the request in the library and returns its id. */
    constructor(cloud, begin, signal) {
        this.#cloud = cloud;
        if (signal?.aborted) throw abortError(signal);
        this.#id = begin();
        const self = this;
        cloud._register(this.#id, {
            deliver: (ev) => this.#deliver(ev),
            fail: (err) => this.#finish(err),
            // Whether chunk events must carry their bytes (CloudEvent.raw).
            get wantsBytes() {
                return self._wantsBytes();
            },
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

    /** True once the stream ended (done, failed or cancelled). */
    get ended() {
        return this.#ended;
    }

    _item(ev) {
        return ev.text;
    }

    _wantsBytes() {
        return false;
    }

    _end(_ev) {}

    #deliver(ev) {
        if (this.#ended) return;
        if (ev.type === EventType.STREAM_CHUNK) {
            const item = this._item(ev);
            if (this.#waiting) {
                const w = this.#waiting;
                this.#waiting = null;
                w.resolve({ value: item, done: false });
            } else {
                this.#queue.push(item);
            }
        } else if (ev.type === EventType.STREAM_END) {
            if (ev.ok) this._end(ev);
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
        this.#queue.clear();
        this.#finish(err);
    }

    next() {
        if (this.#queue.length) return Promise.resolve({ value: this.#queue.take(), done: false });
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
        this.#queue.clear();
        this.#error = null;
        return Promise.resolve({ value: undefined, done: true });
    }

    /** Cancels the stream; a pending or later next() rejects with CancelledError. */
    cancel() {
        this.#abort(new CancelledError('the stream was cancelled', { status: Status.CANCELLED }));
    }

    [Symbol.asyncIterator]() {
        return this;
    }
}

/** The chunks of one streamed reply, in order, as an async iterator. */
class Stream extends ChunkIterator {
    #text = '';

    constructor(cloud, text, roomId, channelType, signal, agentId) {
        super(cloud, () => cloud._beginStream(text, roomId, channelType, agentId), signal);
    }

    /** Every chunk received so far, joined. */
    get text() {
        return this.#text;
    }

    _item(ev) {
        this.#text += ev.text;
        return ev.text;
    }

    /** Waits for the end of the stream and resolves with the whole reply text. */
    async collect() {
        for await (const _ of this) {
            // chunks are accumulated in text
        }
        return this.#text;
    }
}

/** `cloud.events()`: unsolicited events as an async iterator. */
class EventIterator {
    #queue = new Fifo();
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
        if (this.#queue.length) return Promise.resolve({ value: this.#queue.take(), done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
            this.#waiting = resolve;
        });
    }

    return() {
        this.#queue.clear();
        this.end();
        return Promise.resolve({ value: undefined, done: true });
    }

    [Symbol.asyncIterator]() {
        return this;
    }
}

/**
 * The text deltas of a chat-completion or message stream (`for await (const delta of stream)`);
 * `text` is what arrived; `final()` waits for the end and resolves with the whole answer (the
 * completion or the final message, tool-use input parsed). An error event mid-stream rejects.
 */
class InferenceStream extends ChunkIterator {
    #text = '';
    /** The accumulated answer, once the stream ended. */
    result = null;

    get text() {
        return this.#text;
    }

    _item(ev) {
        this.#text += ev.text;
        return ev.text;
    }

    _end(ev) {
        this.result = ev.data && typeof ev.data === 'object' ? ev.data : {};
    }

    async final() {
        for await (const _ of this) {
            // deltas are accumulated in text
        }
        // Cancelled, or its error was reported already: there is no answer to give.
        if (this.result === null) {
            throw new CancelledError('the stream ended without its answer', { status: Status.CANCELLED });
        }
        return this.result;
    }
}

/** The bytes of a binary answer (text to speech) as Buffers; writeTo(path) saves them. */
class AudioStream extends ChunkIterator {
    /** {bytes, contentType}, once the stream ended. */
    result = null;

    _wantsBytes() {
        return true;
    }

    _item(ev) {
        return ev.raw ?? Buffer.from(ev.text);
    }

    _end(ev) {
        this.result = ev.data && typeof ev.data === 'object' ? ev.data : {};
    }

    /** Writes the remaining bytes to a file (no partial file on failure); resolves with the count. */
    async writeTo(path) {
        return writeChunks(this, path, (chunk) => chunk);
    }
}

/** Writes every remaining item of an iterator to path via path.part, renamed when complete. */
async function writeChunks(iterator, path, toBuffer) {
    const fs = require('node:fs');
    const crypto = require('node:crypto');
    // A fresh name, created exclusively: it follows no symlink and two writers never share it.
    const tmp = `${path}.${crypto.randomBytes(6).toString('hex')}.part`;
    const out = await fs.promises.open(tmp, 'wx');
    let written = 0;
    try {
        for await (const item of iterator) {
            const chunk = toBuffer(item);
            await out.write(chunk);
            written += chunk.length;
        }
        await out.close();
        await fs.promises.rename(tmp, path);
    } catch (err) {
        await out.close().catch(() => {});
        await fs.promises.rm(tmp, { force: true });
        throw err;
    }
    return written;
}

module.exports = {
    ChunkIterator,
    Stream,
    InferenceStream,
    AudioStream,
    EventIterator,
    abortError,
    writeChunks,
};
