'use strict';
// The process environment: the API key is exported after login and removed after logout, the
// way the reference plugin does for its host runtime (the ElizaOS cloud plugin reads these).

const KEY_VAR = 'ELIZAOS_CLOUD_API_KEY';
const ENABLED_VAR = 'ELIZAOS_CLOUD_ENABLED';

/** True when an environment flag is set to 1/true/yes/on. */
function envFlag(name) {
    return ['1', 'true', 'yes', 'on'].includes(String(process.env[name] ?? '').trim().toLowerCase());
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

module.exports = { envFlag, exportKey, clearKey };
