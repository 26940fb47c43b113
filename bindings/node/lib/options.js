'use strict';
// The options of new Cloud(options) as the C library's ec_cloud_options struct.

const { cString, invalid } = require('./errors');
const { envFlag, envBaseUrl, envApiKey } = require('./env');

// Timing options (camelCase) → ec_cloud_options fields.
const TIMINGS = Object.freeze({
    heartbeatIntervalMs: 'heartbeat_interval_ms',
    heartbeatMaxFailures: 'heartbeat_max_failures',
    reconnectInitialDelayMs: 'reconnect_initial_delay_ms',
    reconnectMaxDelayMs: 'reconnect_max_delay_ms',
    reconnectMaxAttempts: 'reconnect_max_attempts',
    backupIntervalMs: 'backup_interval_ms',
    finalSnapshotTimeoutMs: 'final_snapshot_timeout_ms',
    loginPollIntervalMs: 'login_poll_interval_ms',
    loginTimeoutMs: 'login_timeout_ms',
    requestTimeoutMs: 'request_timeout_ms',
    sendTimeoutMs: 'send_timeout_ms',
    streamIdleTimeoutMs: 'stream_idle_timeout_ms',
    jobPollIntervalMs: 'job_poll_interval_ms',
    jobTimeoutMs: 'job_timeout_ms',
});
const INT32_TIMINGS = new Set(['heartbeat_max_failures', 'reconnect_max_attempts']);

function optionalString(value, what) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw invalid(`${what} must be a string`);
    return cString(value, what);
}

/** The ec_cloud_options for ec_cloud_create: the library's defaults, then `options`. */
function buildOptions(api, options) {
    const o = {};
    api.ec_cloud_options_init(o, api.koffi.sizeof(api.ec_cloud_options));
    const { timings = {} } = options;
    // The environment fills what the caller left out: ELIZACLOUD_BASE_URL, ELIZACLOUD_API_KEY
    // (else ELIZAOS_CLOUD_API_KEY, which login exports), then the config file, then the defaults.
    o.base_url = optionalString(options.baseUrl ?? envBaseUrl(), 'baseUrl');
    o.api_key = optionalString(options.apiKey ?? envApiKey(), 'apiKey');
    o.config_path = optionalString(options.configPath, 'configPath');
    o.ca_file = optionalString(options.caFile, 'caFile');
    let hosts = options.allowedHosts;
    if (Array.isArray(hosts)) hosts = hosts.join(',');
    o.allowed_hosts = optionalString(hosts, 'allowedHosts');
    o.api_generation = optionalString(options.apiGeneration, 'apiGeneration');
    o.confirm_price = optionalString(options.confirmPrice, 'confirmPrice');
    o.site_url = optionalString(options.siteUrl, 'siteUrl');
    o.no_config_file = options.noConfigFile ? 1 : 0;
    // An explicit false (-1) wins over ELIZACLOUD_INSECURE_LOCAL and cloud.insecureLocal.
    const insecure = options.insecureLocal ?? (envFlag('ELIZACLOUD_INSECURE_LOCAL') || undefined);
    o.insecure_local = insecure === undefined ? 0 : insecure ? 1 : -1;
    o.forward_logs = options.forwardLogs ? 1 : 0;
    if (options.maxRetries !== undefined && options.maxRetries !== null) {
        const n = options.maxRetries;
        if (!Number.isInteger(n) || n < 0 || n > 10) {
            throw invalid('maxRetries must be an integer from 0 (never retry) to 10');
        }
        o.max_retries = n === 0 ? -1 : n; // the library's 0 is "the default"
    }
    if (options.eventQueueCapacity !== undefined) {
        const cap = options.eventQueueCapacity;
        if (!Number.isInteger(cap) || cap < 0 || cap > 0xffffffff) {
            throw invalid('eventQueueCapacity must be a non-negative integer');
        }
        o.event_queue_capacity = cap;
    }
    for (const [name, value] of Object.entries(timings)) {
        const field = TIMINGS[name];
        if (!field) {
            throw invalid(`unknown timing "${name}"; known: ${Object.keys(TIMINGS).join(', ')}`);
        }
        if (value === undefined) continue;
        const max = INT32_TIMINGS.has(field) ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
        if (!Number.isInteger(value) || value < 0 || value > max) {
            throw invalid(`timing ${name} must be a non-negative integer (milliseconds)`);
        }
        o[field] = value;
    }
    return o;
}

module.exports = { buildOptions };
