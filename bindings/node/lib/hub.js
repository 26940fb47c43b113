'use strict';
// How events travel: the library queues every event of a cloud; its wake fd (a pipe, readable
// while the queue is non-empty) is watched by a net.Socket on a duplicate descriptor. On 'data'
// the main thread drains the queue with ec_cloud_next_events and routes each event by its request
// id: completions and stream chunks to the request that is waiting for them, everything else to
// the cloud's EventEmitter and to cloud.events() iterators (a request's progress events to its
// waiter as well). No library thread ever runs JavaScript.

const net = require('node:net');
const { EventType, fromRaw } = require('./events');
const { Status } = require('./errors');

// Events that belong to one request and never reach the emitter.
const REQUEST_ONLY = new Set([
    EventType.STREAM_CHUNK,
    EventType.STREAM_END,
    EventType.REQUEST_COMPLETED,
]);

// Events taken from the library per call (ec_cloud_next_events).
const DRAIN_BATCH = 256;

// An error of the event path surfaces as an uncaught exception on its own tick, where it does not
// keep the events behind it from their waiters.
function raiseLater(err) {
    process.nextTick(() => {
        throw err;
    });
}

// The EventEmitter's own events: their listeners are the hub's, not someone waiting.
const EMITTER_EVENTS = new Set(['newListener', 'removeListener']);

/** A readable socket on a duplicate of the cloud's wake fd (closing it leaves the library's). */
function wakeSocket(api, handle) {
    const fd = api.dupFd(api.ec_cloud_event_fd(handle));
    try {
        return new net.Socket({ fd, readable: true, writable: false });
    } catch (err) {
        api.closeFd(fd);
        throw err;
    }
}

// The socket's listener is created outside the hub's constructor so that its closure cannot
// share a context that holds the cloud (V8 shares one context among the closures of a scope).
function watch(socket, hub) {
    socket.on('data', () => hub.drain());
    socket.on('error', () => {}); // a closed pipe is not an error worth crashing on
}

/**
 * The events of one cloud, routed by request id to the waiters of its requests
 * ({deliver(event), fail(error)}; a login's waiter also has `login: true`), the others published.
 *
 * The open socket keeps its listener, and so the hub, alive; the hub reaches the cloud through a
 * weak reference unless something is waiting on it (a request, an iterator, a listener), so that
 * a cloud nobody references can still be collected (the leak backstop).
 */
class EventHub {
    #api;
    #handle; // null once closed
    #publish; // (cloud, event): the cloud's part of an event that is not a request's alone
    #weak;
    #strong = null;
    #waiters = new Map(); // request id → waiter
    #subscribers = new Set(); // cloud.events() iterators
    #closed = false;
    #batch = new BigUint64Array(DRAIN_BATCH); // ec_cloud_next_events fills it with pointers

    constructor(api, handle, socket, cloud, publish) {
        this.#api = api;
        this.#handle = handle;
        this.#publish = publish;
        this.#weak = new WeakRef(cloud);
        watch(socket, this);
        // 'newListener' is emitted before the listener is added: count it.
        cloud.on('newListener', (name) => this.#hold(EMITTER_EVENTS.has(name) ? 0 : 1));
        cloud.on('removeListener', () => this.#hold(0));
    }

    #hold(extraListeners) {
        const cloud = this.#weak.deref();
        let listeners = extraListeners;
        for (const name of cloud.eventNames()) {
            if (!EMITTER_EVENTS.has(name)) listeners += cloud.listenerCount(name);
        }
        const busy = this.#waiters.size > 0 || this.#subscribers.size > 0 || listeners > 0;
        this.#strong = busy && !this.#closed ? cloud : null;
    }

    /** True once close() was called. */
    get closed() {
        return this.#closed;
    }

    /** Hands the events of request `id` to `waiter` until forget(id). */
    register(id, waiter) {
        this.#waiters.set(id, waiter);
        this.#hold(0);
    }

    forget(id) {
        if (this.#waiters.delete(id)) this.#hold(0);
    }

    /** The waiters of the requests in flight (a copy: failing one forgets it). */
    get waiters() {
        return [...this.#waiters.values()];
    }

    /** Adds a cloud.events() iterator: it gets every published event (push) until unsubscribed. */
    subscribe(iterator) {
        this.#subscribers.add(iterator);
        this.#hold(0);
    }

    unsubscribe(iterator) {
        this.#subscribers.delete(iterator);
        this.#hold(0);
    }

    /**
     * Empties the library's queue, routing every event (on the wake fd's 'data'). Taken in
     * batches (ec_cloud_next_events): one call into the library per batch rather than per event,
     * until the library says the queue is empty (a short batch does not say so: the library may
     * return fewer than it holds, and its wake fd signals only a queue that was empty). Each
     * batch is decoded and freed whole before any of it is routed. An event that fails to decode
     * or to route is reported on its own tick (as Cloud's listeners are) and the others go on.
     */
    drain() {
        const cloud = this.#strong ?? this.#weak.deref();
        if (!cloud) return; // collected: the leak backstop releases the handle
        const api = this.#api;
        const koffi = api.koffi;
        const pointers = this.#batch;
        const count = [0];
        while (this.#handle) {
            const status = api.ec_cloud_next_events(this.#handle, pointers, DRAIN_BATCH, count);
            if (status !== Status.OK) break; // EC_ERR_EMPTY
            const n = Number(count[0]);
            const events = [];
            for (let i = 0; i < n; ++i) {
                try {
                    const raw = koffi.decode(pointers[i], api.ec_event);
                    const waiter = this.#waiters.get(Number(raw.request_id));
                    events.push(fromRaw(koffi, raw, waiter?.wantsBytes === true));
                } catch (err) {
                    raiseLater(err);
                } finally {
                    api.ec_event_free(pointers[i]);
                }
            }
            for (const event of events) {
                if (!this.#handle) return; // closed meanwhile: nothing more is delivered
                try {
                    this.#route(cloud, event);
                } catch (err) {
                    raiseLater(err);
                }
            }
        }
    }

    #route(cloud, ev) {
        const waiter = ev.requestId ? this.#waiters.get(ev.requestId) : undefined;
        // Events of a request carry its id (login, provisioning progress of a connect or a
        // provision call); one without an id is unsolicited (a reconnect's progress).
        if (waiter) waiter.deliver(ev);
        if (REQUEST_ONLY.has(ev.type)) return;
        this.#publish(cloud, ev);
        for (const sub of this.#subscribers) sub.push(ev);
    }

    /** Fails every waiter with `err`, ends every iterator and stops draining (the cloud closes). */
    close(err) {
        this.#closed = true;
        this.#strong = null;
        for (const w of this.waiters) w.fail(err);
        this.#waiters.clear();
        for (const sub of [...this.#subscribers]) sub.end();
        this.#subscribers.clear();
        this.#handle = null;
    }
}

module.exports = { EventHub, wakeSocket };
