'use strict';
// Events a Cloud reports, converted from the C ABI's ec_event on the main thread.

const { Status, statusName, fromStatus } = require('./errors');

/** Kinds of event (EC_EVENT_*). */
const EventType = Object.freeze({
    STATE_CHANGED: 1,
    LOGIN_BROWSER_URL: 2,
    LOGIN_PROGRESS: 3,
    CREDENTIALS_CHANGED: 4,
    IDENTITY: 5,
    PROVISION_PROGRESS: 6,
    BACKUP_DONE: 7,
    BACKUP_FAILED: 8,
    STREAM_CHUNK: 9,
    STREAM_END: 10,
    REQUEST_COMPLETED: 11,
    LOG: 12,
    OVERFLOW: 13,
});

/** The EventEmitter name of each event type. */
const EVENT_NAMES = Object.freeze({
    [EventType.STATE_CHANGED]: 'state',
    [EventType.LOGIN_BROWSER_URL]: 'login-url',
    [EventType.LOGIN_PROGRESS]: 'login-progress',
    [EventType.CREDENTIALS_CHANGED]: 'credentials',
    [EventType.IDENTITY]: 'identity',
    [EventType.PROVISION_PROGRESS]: 'provision-progress',
    [EventType.BACKUP_DONE]: 'backup',
    [EventType.BACKUP_FAILED]: 'backup-failed',
    [EventType.STREAM_CHUNK]: 'stream-chunk',
    [EventType.STREAM_END]: 'stream-end',
    [EventType.REQUEST_COMPLETED]: 'request-completed',
    [EventType.LOG]: 'log',
    [EventType.OVERFLOW]: 'overflow',
});

/** Connection states (EC_STATE_*), as the strings the API uses. */
const State = Object.freeze({
    DISCONNECTED: 'disconnected',
    CONNECTING: 'connecting',
    CONNECTED: 'connected',
    RECONNECTING: 'reconnecting',
    ERROR: 'error',
});
const STATES = [State.DISCONNECTED, State.CONNECTING, State.CONNECTED, State.RECONNECTING, State.ERROR];

function stateName(code) {
    return STATES[code] ?? `unknown(${code})`;
}

/** Log levels (EC_LOG_*). */
const LogLevel = Object.freeze({ TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, OFF: 6 });
const LOG_NAMES = { 0: 'trace', 1: 'debug', 2: 'info', 3: 'warn', 4: 'error', 6: 'off' };

/** One event. Fields that do not apply to its type keep their empty value. */
class CloudEvent {
    constructor(fields) {
        Object.assign(this, fields);
        Object.freeze(this);
    }

    get ok() {
        return this.status === Status.OK;
    }

    get statusName() {
        return statusName(this.status);
    }

    /** The failure this event reports as an error object, or null. */
    get error() {
        return this.ok ? null : fromStatus(this.status, this.message, this.data ?? '');
    }

    /** A one-line human description. */
    describe() {
        if (this.type === EventType.STATE_CHANGED) {
            let text = `state ${this.previousState} -> ${this.state}`;
            if (this.agentId) text += ` (agent ${this.agentId})`;
            if (this.attempt) text += `, attempt ${this.attempt}`;
            if (this.nextDelayMs !== null) text += `, next retry in ${(this.nextDelayMs / 1000).toFixed(1)}s`;
            if (this.message) text += `: ${this.message}`;
            return text;
        }
        if (this.type === EventType.CREDENTIALS_CHANGED) {
            return `${this.name}: ${this.text ? `key ${this.text}…` : 'key removed'}`;
        }
        let detail = this.text || (this.data !== null ? JSON.stringify(this.data) : '');
        if (!this.ok) detail = `${this.statusName}: ${this.message}`;
        return detail ? `${this.name}: ${detail}` : this.name;
    }
}

function str(koffi, ptr, len) {
    if (!ptr) return '';
    if (len === undefined) return koffi.decode.string(ptr);
    const n = Number(len);
    return n > 0 ? koffi.decode.string(ptr, n) : '';
}

function bytes(koffi, ptr, len) {
    const n = Number(len);
    return ptr && n > 0 ? Buffer.from(koffi.decode(ptr, 'uint8_t', n)) : Buffer.alloc(0);
}

/**
 * Converts a raw ec_event (decoded struct) into a CloudEvent. withBytes: a chunk's bytes are
 * copied as `raw` too (only for the streams that hand out bytes: a copy per chunk otherwise).
 */
function fromRaw(koffi, raw, withBytes = false) {
    const type = raw.type;
    const jsonText = str(koffi, raw.json, raw.json_len);
    let data = null;
    if (jsonText) {
        try {
            data = JSON.parse(jsonText);
        } catch {
            data = jsonText;
        }
    }
    const changed = type === EventType.STATE_CHANGED;
    const delay = Number(raw.next_delay_ms);
    return new CloudEvent({
        type,
        name: EVENT_NAMES[type] ?? `event-${type}`,
        requestId: Number(raw.request_id),
        status: raw.status,
        message: str(koffi, raw.message),
        text: str(koffi, raw.text, raw.text_len),
        // A chunk's bytes as they came (a generic request's binary stream).
        raw: withBytes && type === EventType.STREAM_CHUNK ? bytes(koffi, raw.text, raw.text_len) : null,
        data,
        agentId: str(koffi, raw.agent_id) || null,
        state: changed ? stateName(raw.state) : null,
        previousState: changed ? stateName(raw.previous_state) : null,
        attempt: raw.attempt,
        nextDelayMs: delay >= 0 ? delay : null,
        logLevel: type === EventType.LOG ? LOG_NAMES[raw.log_level] ?? String(raw.log_level) : null,
        dropped: Number(raw.dropped),
    });
}

module.exports = { EventType, EVENT_NAMES, State, LogLevel, CloudEvent, stateName, fromRaw };
