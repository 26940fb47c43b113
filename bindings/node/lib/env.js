'use strict';
// The process environment: the API key is exported after login and removed after logout, the
// way the reference plugin does for its host runtime (the ElizaOS cloud plugin reads these).

const KEY_VAR = 'ELIZAOS_CLOUD_API_KEY';
const ENABLED_VAR = 'ELIZAOS_CLOUD_ENABLED';

/** True when an environment flag is set to 1/true/yes/on. */
function envFlag(name) {
    return ['1', 'true', 'yes', 'on'].includes(String(process.env[name] ?? '').trim().toLowerCase());
}

/** An environment variable's value, or undefined when it is unset or blank. */
function envText(name) {
    const value = String(process.env[name] ?? '').trim();
    return value === '' ? undefined : value;
}

// Read when the caller did not pass the option; an explicit option wins (docs/node.md).
const BASE_URL_VAR = 'ELIZACLOUD_BASE_URL';
const API_KEY_VARS = ['ELIZACLOUD_API_KEY', KEY_VAR]; // the first set wins; login exports the second
const LOG_VAR = 'ELIZACLOUD_LOG';

function envBaseUrl() {
    return envText(BASE_URL_VAR);
}

function envApiKey() {
    for (const name of API_KEY_VARS) {
        const value = envText(name);
        if (value !== undefined) return value;
    }
    return undefined;
}

// ELIZACLOUD_LOG's names → the library's levels (EC_LOG_*).
const LOG_LEVELS = Object.freeze({ trace: 0, debug: 1, info: 2, warn: 3, warning: 3, error: 4, off: 6 });
const DEFAULT_LOG_LEVEL = LOG_LEVELS.warn; // quiet by default: warnings and errors only

/** The library's log level from ELIZACLOUD_LOG, else the default (warn). */
function envLogLevel() {
    const name = envText(LOG_VAR);
    if (name === undefined) return DEFAULT_LOG_LEVEL;
    const level = LOG_LEVELS[name.toLowerCase()];
    if (level !== undefined) return level;
    process.emitWarning(
        `${LOG_VAR}=${JSON.stringify(name)} is not one of trace, debug, info, warn, error, off; ` +
            'using warn',
        { code: 'ELIZACLOUD_LOG' },
    );
    return DEFAULT_LOG_LEVEL;
}

function exportKey(key) {
    if (key) {
        process.env[KEY_VAR] = key;
        process.env[ENABLED_VAR] = 'true';
    }
}

function clearKey() {
    delete process.env[KEY_VAR];
    delete process.env[ENABLED_VAR];
}

module.exports = {
    envFlag,
    envText,
    envBaseUrl,
    envApiKey,
    envLogLevel,
    exportKey,
    clearKey,
    LOG_VAR,
};
