'use strict';
// elizacloud — connect Node.js agent hosts to Eliza Cloud, over the project's C ABI (koffi).
// See README.md and docs/node.md.

const native = require('./lib/native');
const errors = require('./lib/errors');
const events = require('./lib/events');
const { Cloud } = require('./lib/client');
const { Proxy } = require('./lib/proxy');
const { Stream, EventIterator, InferenceStream, AudioStream } = require('./lib/streaming');
const operations = require('./lib/operations');
const request = require('./lib/request');

/** Version string of the loaded native library ("0.2.0"). */
function version() {
    return native.load().versionString;
}

/** Path of the native library this package loads (ELIZACLOUD_LIBRARY_PATH or the prebuild). */
function libraryPath() {
    return native.libraryPath();
}

/**
 * The operation catalogue of the loaded library (ec_cloud_operations_json): every operation with
 * its params, result type and route; the plain ones are the methods of Cloud and its resources.
 */
function catalogue() {
    return operations.catalogue(native.load());
}

/** Minimum level of the library's own log lines (process-wide): 'trace' … 'error', 'off'. */
function setLogLevel(level) {
    const value = typeof level === 'string' ? events.LogLevel[level.toUpperCase()] : level;
    if (value === undefined) throw new errors.InvalidArgumentError(`unknown log level ${level}`);
    const api = native.load();
    const status = api.ec_log_set_level(value);
    if (status !== 0) throw errors.fromStatus(status, api.ec_last_error_message());
}

// index.mjs re-exports these by name: scripts/gen_surfaces.sh regenerates it from this list.
module.exports = {
    Cloud,
    Agents: operations.Agents,
    Proxy,
    AgentProxy: Proxy,
    Stream,
    EventIterator,
    InferenceStream,
    AudioStream,
    Response: request.Response,
    RequestStream: request.RequestStream,
    CloudEvent: events.CloudEvent,
    EventType: events.EventType,
    State: events.State,
    LogLevel: events.LogLevel,
    Status: errors.Status,
    statusName: errors.statusName,
    errorClass: errors.errorClass,
    version,
    libraryPath,
    catalogue,
    setLogLevel,
    ElizaCloudError: errors.ElizaCloudError,
    ...errors.classes, // one class per status: AuthError, TimeoutError, …
};
