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

module.exports = { envFlag, envText, envBaseUrl, envApiKey, exportKey, clearKey, LOG_VAR };
