'use strict';
// One error class per ec_status of the C ABI, all derived from ElizaCloudError (the same
// hierarchy as the Python package's elizacloud.errors, in JavaScript spelling).

// The status codes, generated from EC_STATUS_MAP (tools/gen_surfaces.py): [key, code, class, doc].
const STATUSES = require('./statuses');

/** Stable status codes of elizacloud.h (never renumbered). */
const Status = Object.freeze(Object.fromEntries(STATUSES.map(([key, code]) => [key, code])));

const NAMES = new Map(
    Object.entries(Status).map(([k, v]) => [v, v === 0 ? 'EC_OK' : `EC_ERR_${k}`]),
);

/** Stable name of a status ("EC_ERR_TIMEOUT"), as ec_status_name() gives it. */
function statusName(status) {
    return NAMES.get(status) ?? `EC_ERR_UNKNOWN(${status})`;
}

// The HTTP status a cloud error status implies when the library did not report one.
const IMPLIED_HTTP = new Map([
    [Status.INVALID_REQUEST, 400],
    [Status.UNAUTHORIZED, 401],
    [Status.INSUFFICIENT_CREDITS, 402],
    [Status.FORBIDDEN, 403],
    [Status.NOT_FOUND, 404],
    [Status.CONFLICT, 409],
    [Status.RATE_LIMITED, 429],
]);

class ElizaCloudError extends Error {
    /**
     * @param {string} [message]
     * @param {object} [details] status, httpStatus, code, retryAfter (seconds), requiredBalance,
     *   currentBalance, retryable, pricing (a price quote: show it, then pass
     *   pricing.acceptanceValue as confirmPrice), details (the cloud's details object), rateLimit
     *   ({limit, remaining, reset} from the X-RateLimit-* headers), cause
     */
    constructor(message = '', details = {}) {
        const status = details.status ?? new.target.status ?? Status.INTERNAL;
        super(message || statusName(status), details.cause ? { cause: details.cause } : undefined);
        this.name = new.target.name;
        this.status = status;
        this.statusName = statusName(status);
        this.httpStatus = details.httpStatus ?? IMPLIED_HTTP.get(status) ?? null;
        this.code = details.code ?? null;
        this.retryAfter = details.retryAfter ?? null;
        this.requiredBalance = details.requiredBalance ?? null;
        this.currentBalance = details.currentBalance ?? null;
        this.retryable = details.retryable === true;
        this.pricing = details.pricing ?? null;
        this.details = details.details ?? null;
        this.rateLimit = details.rateLimit ?? null;
    }

    /** The error as a JSON-ready object (absent details left out). */
    toJSON() {
        const out = { status: this.statusName, message: this.message };
        for (const key of ['httpStatus', 'code', 'retryAfter', 'requiredBalance', 'currentBalance', 'pricing', 'details', 'rateLimit']) {
            if (this[key] !== null && this[key] !== undefined) out[key] = this[key];
        }
        if (this.retryable) out.retryable = true;
        return out;
    }
}
ElizaCloudError.status = Status.INTERNAL;

function define(name, status, doc) {
    // A named class expression per status, so stack traces and `err.name` read naturally.
    const cls = {
        [name]: class extends ElizaCloudError {},
    }[name];
    cls.status = status;
    if (doc) cls.description = doc;
    return cls;
}

// One class per failure status, named as the generated table says.
const CLASSES = STATUSES.filter(([, code]) => code !== 0).map(([, code, name, doc]) => [name, code, doc]);

const classes = Object.fromEntries(CLASSES.map(([name, status, doc]) => [name, define(name, status, doc)]));

const BY_STATUS = new Map(Object.values(classes).map((cls) => [cls.status, cls]));

/** The error class of an ec_status (ElizaCloudError for unknown codes). */
function errorClass(status) {
    return BY_STATUS.get(status) ?? ElizaCloudError;
}

function finite(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Error details from the JSON the ABI may attach to a failure (absent fields left out). */
function parseDetails(raw) {
    let d = raw;
    if (typeof d === 'string') {
        if (!d.trim()) return {};
        try {
            d = JSON.parse(d);
        } catch {
            return {};
        }
    }
    if (!d || typeof d !== 'object' || Array.isArray(d)) return {};
    if (d.error && typeof d.error === 'object') d = d.error;
    const out = {};
    const http = d.httpStatus ?? d.http_status;
    if (Number.isInteger(http) && http > 0) out.httpStatus = http;
    const code = d.code ?? d.cloudCode;
    if (typeof code === 'string' && code) out.code = code;
    const retryMs = finite(d.retryAfterMs);
    const retry = finite(d.retryAfter);
    if (retryMs !== undefined && retryMs >= 0) out.retryAfter = retryMs / 1000;
    else if (retry !== undefined && retry >= 0) out.retryAfter = retry;
    const required = finite(d.requiredBalance);
    const current = finite(d.currentBalance);
    if (required !== undefined) out.requiredBalance = required;
    if (current !== undefined) out.currentBalance = current;
    if (d.retryable === true) out.retryable = true;
    for (const key of ['pricing', 'details', 'rateLimit']) {
        if (d[key] && typeof d[key] === 'object' && !Array.isArray(d[key])) out[key] = d[key];
    }
    return out;
}

/** The error for a failure the C ABI reported: status, message and optional details JSON. */
function fromStatus(status, message, details) {
    const cls = errorClass(status);
    return new cls(message || statusName(status), { status, ...parseDetails(details) });
}

/** The error for a bad argument of this package's API (InvalidArgumentError). */
function invalid(message) {
    return new classes.InvalidArgumentError(message, { status: Status.INVALID_ARGUMENT });
}

/**
 * A string bound for the C ABI, which takes NUL-terminated strings: one with an embedded NUL
 * would be cut there without a word ("https://a.example\0.evil" would become
 * "https://a.example"), so it is refused with InvalidArgumentError.
 */
function cString(value, what) {
    if (value.includes('\0')) throw invalid(`${what} contains a NUL character`);
    return value;
}

module.exports = {
    invalid,
    cString,
    Status,
    statusName,
    errorClass,
    fromStatus,
    parseDetails,
    ElizaCloudError,
    classes,
    ...classes,
};
