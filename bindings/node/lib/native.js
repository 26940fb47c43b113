'use strict';
// The C ABI (elizacloud.h) through koffi. Loaded lazily, once per process, on first use.
//
// Threading rule of this package: no library thread ever calls into JavaScript. There is no
// koffi callback anywhere; events are pulled on the main thread (ec_cloud_next_events) when the
// cloud's wake fd becomes readable, and the only call that may wait (ec_cloud_destroy) runs on
// koffi's worker pool through `.async`.

const fs = require('node:fs');
const path = require('node:path');
const { envLogLevel } = require('./env');

// The ABI this package was written for (EC_VERSION_* of elizacloud.h).
const ABI_MAJOR = 0;
const ABI_MINOR = 1;

let cached = null;

function platformDir() {
    return `${process.platform}-${process.arch}`;
}

function defaultLibraryPath() {
    return path.join(__dirname, '..', 'prebuilds', platformDir(), 'libelizacloud.so.0');
}

/** Where the shared library is loaded from: ELIZACLOUD_LIBRARY_PATH, else the package's prebuild. */
function libraryPath() {
    const env = process.env.ELIZACLOUD_LIBRARY_PATH;
    return env && env.trim() ? path.resolve(env.trim()) : defaultLibraryPath();
}

function load() {
    if (cached) return cached;
    const koffi = require('koffi');
    const file = libraryPath();
    if (!fs.existsSync(file)) {
        throw new Error(
            `elizacloud: the native library was not found at ${file}. Build it with ` +
                '`cmake -DEC_BUILD_NODE=ON` (it is copied into bindings/node/prebuilds/' +
                `${platformDir()}/) or point ELIZACLOUD_LIBRARY_PATH at libelizacloud.so.0.`,
        );
    }
    let lib;
    try {
        lib = koffi.load(file);
    } catch (err) {
        throw new Error(`elizacloud: cannot load ${file}: ${err.message}`, { cause: err });
    }

    const ec_version = lib.func('uint32_t ec_version(void)');
    const ec_version_string = lib.func('const char *ec_version_string(void)');
    const num = ec_version();
    const major = (num >>> 16) & 0xff;
    const minor = (num >>> 8) & 0xff;
    if (major !== ABI_MAJOR || minor < ABI_MINOR) {
        throw new Error(
            `elizacloud: ${file} is version ${ec_version_string()}, but this package was ` +
                `written for the ${ABI_MAJOR}.${ABI_MINOR}+ ABI (major ${ABI_MAJOR}); ` +
                'install the matching library or package version.',
        );
    }

    const opaque = koffi.opaque('ec_cloud');
    const ec_cloud_ptr = koffi.pointer('ec_cloud_ptr', opaque);

    const ec_cloud_options = koffi.struct('ec_cloud_options', {
        struct_size: 'uint32_t',
        engine: 'void *',
        base_url: 'const char *',
        api_key: 'const char *',
        config_path: 'const char *',
        no_config_file: 'int32_t',
        insecure_local: 'int32_t',
        ca_file: 'const char *',
        allowed_hosts: 'const char *',
        heartbeat_interval_ms: 'int64_t',
        heartbeat_max_failures: 'int32_t',
        reconnect_initial_delay_ms: 'int64_t',
        reconnect_max_delay_ms: 'int64_t',
        reconnect_max_attempts: 'int32_t',
        backup_interval_ms: 'int64_t',
        final_snapshot_timeout_ms: 'int64_t',
        login_poll_interval_ms: 'int64_t',
        login_timeout_ms: 'int64_t',
        request_timeout_ms: 'int64_t',
        send_timeout_ms: 'int64_t',
        stream_idle_timeout_ms: 'int64_t',
        job_poll_interval_ms: 'int64_t',
        job_timeout_ms: 'int64_t',
        event_queue_capacity: 'uint32_t',
        forward_logs: 'int32_t',
        api_generation: 'const char *',
        confirm_price: 'const char *',
        site_url: 'const char *',
        max_retries: 'int32_t',
    });

    // Strings are read as raw pointers and decoded with their explicit lengths where the ABI
    // gives one (a chunk may legitimately contain any UTF-8).
    const ec_event = koffi.struct('ec_event', {
        struct_size: 'uint32_t',
        type: 'int32_t',
        request_id: 'uint64_t',
        status: 'int32_t',
        message: 'void *',
        text: 'void *',
        text_len: 'size_t',
        json: 'void *',
        json_len: 'size_t',
        agent_id: 'void *',
        state: 'int32_t',
        previous_state: 'int32_t',
        attempt: 'int32_t',
        next_delay_ms: 'int64_t',
        log_level: 'int32_t',
        dropped: 'uint64_t',
    });

    const ec_rest_response = koffi.struct('ec_rest_response', {
        struct_size: 'uint32_t',
        status: 'int32_t',
        headers_json: 'void *',
        body: 'void *',
        body_len: 'size_t',
        handled: 'int32_t',
        credentials: 'int32_t',
        streaming: 'int32_t',
    });

    const f = (proto) => lib.func(proto);
    const api = {
        koffi,
        file,
        ec_cloud_options,
        ec_event,
        ec_rest_response,
        versionNum: num,
        versionString: ec_version_string(),
        ec_free: f('void ec_free(void *ptr)'),
        ec_status_name: f('const char *ec_status_name(int32_t status)'),
        ec_last_error_message: f('const char *ec_last_error_message(void)'),
        ec_log_set_level: f('int32_t ec_log_set_level(int32_t level)'),
        ec_cloud_options_init: f(
            'int32_t ec_cloud_options_init(_Inout_ ec_cloud_options *options, uint32_t struct_size)',
        ),
        ec_cloud_create: f(
            'int32_t ec_cloud_create(const ec_cloud_options *options, _Out_ ec_cloud_ptr *out)',
        ),
        ec_cloud_destroy: f('void ec_cloud_destroy(ec_cloud_ptr cloud)'),
        // events: a BigUint64Array the library fills with up to max event pointers.
        ec_cloud_next_events: f(
            'int32_t ec_cloud_next_events(ec_cloud_ptr cloud, void *events, size_t max, _Out_ size_t *count)',
        ),
        ec_event_free: f('void ec_event_free(void *event)'),
        ec_cloud_event_fd: f('int ec_cloud_event_fd(ec_cloud_ptr cloud)'),
        ec_cloud_cancel: f('int32_t ec_cloud_cancel(ec_cloud_ptr cloud, uint64_t request_id)'),
        ec_cloud_operations_json: f('int32_t ec_cloud_operations_json(_Out_ void **out)'),
        ec_cloud_call: f(
            'int32_t ec_cloud_call(ec_cloud_ptr cloud, const char *method, const char *params_json, _Out_ uint64_t *request_id)',
        ),
        ec_cloud_call_with: f(
            'int32_t ec_cloud_call_with(ec_cloud_ptr cloud, const char *method, const char *params_json, const char *options_json, _Out_ uint64_t *request_id)',
        ),
        ec_cloud_api_key: f('int32_t ec_cloud_api_key(ec_cloud_ptr cloud, _Out_ void **out)'),
        ec_cloud_config_path: f('int32_t ec_cloud_config_path(ec_cloud_ptr cloud, _Out_ void **out)'),
        ec_cloud_event_stats: f('int32_t ec_cloud_event_stats(ec_cloud_ptr cloud, _Out_ void **out)'),
        ec_cloud_state: f('int32_t ec_cloud_state(ec_cloud_ptr cloud)'),
        ec_cloud_active_agent: f(
            'int32_t ec_cloud_active_agent(ec_cloud_ptr cloud, _Out_ void **out)',
        ),
    };
    // The local REST API, bound at its first use so that the rest of the package works with a
    // library that predates it. ec_cloud_rest_dispatch may block: always called through .async.
    let restApi = null;
    api.rest = () => {
        restApi ??= {
            ec_cloud_rest_dispatch: f(
                'int32_t ec_cloud_rest_dispatch(ec_cloud_ptr cloud, const char *method, const char *target, const char *headers_json, const void *body, size_t body_len, _Out_ void **out)',
            ),
            ec_rest_response_read: f(
                'int32_t ec_rest_response_read(void *response, int32_t timeout_ms, _Out_ void **data, _Out_ size_t *len)',
            ),
            ec_rest_response_free: f('void ec_rest_response_free(void *response)'),
        };
        return restApi;
    };

    // The wake fd belongs to the cloud; the net.Socket that watches it gets a duplicate so that
    // closing the socket never closes the library's descriptor.
    const libc = koffi.load('libc.so.6');
    const fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
    const F_DUPFD_CLOEXEC = 1030;
    api.dupFd = (fd) => {
        const dup = fcntl(fd, F_DUPFD_CLOEXEC, 'int', 3);
        if (dup < 0) throw new Error(`elizacloud: cannot duplicate the event fd (errno ${koffi.errno()})`);
        return dup;
    };
    api.closeFd = (fd) => {
        try {
            fs.closeSync(fd);
        } catch {
            // already closed
        }
    };

    // Quiet by default (warnings and errors), or ELIZACLOUD_LOG; setLogLevel() changes it later.
    api.ec_log_set_level(envLogLevel());

    cached = api;
    return api;
}

/** Takes an owned string the library returned through a char** out-parameter. */
function takeString(api, ptr) {
    if (!ptr) return null;
    try {
        return api.koffi.decode.string(ptr);
    } finally {
        api.ec_free(ptr);
    }
}

module.exports = { load, libraryPath, takeString, ABI_MAJOR, ABI_MINOR };
