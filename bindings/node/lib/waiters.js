'use strict';
// The waiter of one request: the event hub hands it the request's events (by request id) and it
// settles the request's promise on EC_EVENT_REQUEST_COMPLETED. A timeout or an aborted signal
// fails it earlier and cancels the request in the library; so do close() and, for a login,
// cancelLogin().

const { EventType } = require('./events');
const { Status, TimeoutError } = require('./errors');
const { abortError } = require('./streaming');

class RequestWaiter {
    #client;
    #id;
    #resolve;
    #reject;
    #onEvent;
    #signal;
    #onAbort = null;
    #timer = null;
    #settled = false;

    /**
     * client: the cloud that started request `id` of `method` (its _forget and _cancel);
     * options: onEvent (the request's progress events), signal, timeout (ms), login (a login
     * request: cancelLogin() fails it); resolve, reject: the request's promise.
     */
    constructor(client, id, method, options, resolve, reject) {
        const { onEvent, signal, timeout, login = false } = options;
        this.#client = client;
        this.#id = id;
        this.#resolve = resolve;
        this.#reject = reject;
        this.#onEvent = onEvent;
        this.login = login;
        if (signal) {
            this.#signal = signal;
            this.#onAbort = () => this.fail(abortError(signal));
            signal.addEventListener('abort', this.#onAbort, { once: true });
        }
        if (timeout !== undefined && timeout !== null) {
            const message = `${method} timed out after ${timeout} ms`;
            this.#timer = setTimeout(() => this.fail(new TimeoutError(message, { status: Status.TIMEOUT })), timeout);
            this.#timer.unref();
        }
    }

    deliver(ev) {
        if (this.#settled) return;
        if (ev.type === EventType.REQUEST_COMPLETED) {
            this.#cleanup();
            if (ev.ok) this.#resolve(ev.data);
            else this.#reject(ev.error);
            return;
        }
        const onEvent = this.#onEvent; // called as a plain function, not as a method
        if (onEvent) {
            try {
                const r = onEvent(ev);
                if (r && typeof r.then === 'function') r.then(undefined, (err) => this.fail(err));
            } catch (err) {
                this.fail(err);
            }
        }
    }

    /** Rejects with `err` and cancels the request (unless it has settled already). */
    fail(err) {
        if (this.#settled) return;
        this.#cleanup();
        this.#client._cancel(this.#id);
        this.#reject(err);
    }

    #cleanup() {
        this.#settled = true;
        this.#client._forget(this.#id);
        if (this.#timer) clearTimeout(this.#timer);
        this.#signal?.removeEventListener('abort', this.#onAbort);
    }
}

module.exports = { RequestWaiter };
