// Configuration from the environment: new Cloud() reads ELIZACLOUD_BASE_URL, ELIZACLOUD_API_KEY
// (else ELIZAOS_CLOUD_API_KEY, which login exports) and ELIZACLOUD_INSECURE_LOCAL when the
// option is not given; an explicit option wins. The library is quiet by default (warnings and
// errors) and ELIZACLOUD_LOG changes that.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Emulator, FAST_ARGS, PACKAGE_DIR, libraryPath, loadPackage, tempDir } from './support.mjs';

const ec = loadPackage();
const VARS = ['ELIZACLOUD_BASE_URL', 'ELIZACLOUD_API_KEY', 'ELIZAOS_CLOUD_API_KEY',
    'ELIZAOS_CLOUD_ENABLED', 'ELIZACLOUD_INSECURE_LOCAL'];
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
const UNREACHABLE = 'http://127.0.0.1:9'; // the discard port: nothing answers there
let emu;

before(async () => {
    emu = await Emulator.start(FAST_ARGS);
});
after(async () => {
    await emu?.stop();
});
afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
});

function configPath() {
    return path.join(tempDir(), 'milady.json');
}

async function statusOf(options) {
    const cloud = new ec.Cloud({ configPath: configPath(), ...options });
    try {
        return { apiKey: cloud.apiKey, status: await cloud.status() };
    } finally {
        await cloud.close();
    }
}

test('the environment gives the URL and the key', async () => {
    const key = await emu.createKey();
    process.env.ELIZACLOUD_BASE_URL = emu.url;
    process.env.ELIZACLOUD_API_KEY = key;
    process.env.ELIZACLOUD_INSECURE_LOCAL = '1';
    const { apiKey, status } = await statusOf({});
    assert.equal(apiKey, key);
    assert.equal(status.connected, true);
});

test("login's exported ELIZAOS_CLOUD_API_KEY is read back; ELIZACLOUD_API_KEY comes first", async () => {
    const key = await emu.createKey();
    process.env.ELIZAOS_CLOUD_API_KEY = key;
    const read = await statusOf({ baseUrl: emu.url, insecureLocal: true });
    assert.equal(read.apiKey, key);
    assert.equal(read.status.connected, true);
    process.env.ELIZACLOUD_API_KEY = 'eliza_from_elizacloud_api_key';
    const first = await statusOf({ baseUrl: emu.url, insecureLocal: true });
    assert.equal(first.apiKey, 'eliza_from_elizacloud_api_key');
});

test('explicit options win over the environment; blank variables are unset', async () => {
    const key = await emu.createKey();
    process.env.ELIZACLOUD_BASE_URL = UNREACHABLE;
    process.env.ELIZACLOUD_API_KEY = 'eliza_not_this_one';
    const explicit = await statusOf({ baseUrl: emu.url, apiKey: key, insecureLocal: true });
    assert.equal(explicit.apiKey, key);
    assert.equal(explicit.status.connected, true);
    process.env.ELIZACLOUD_API_KEY = ' ';
    const blank = await statusOf({ baseUrl: emu.url, insecureLocal: true });
    assert.equal(blank.apiKey, null);
});

/** A child node that connects to an agent and disconnects; resolves {code, stdout, stderr}. */
function connectInChild(env) {
    const file = path.join(tempDir(), 'child.cjs');
    fs.writeFileSync(
        file,
        `const ec = require(${JSON.stringify(PACKAGE_DIR)});
(async () => {
    const cloud = new ec.Cloud({ noConfigFile: true, insecureLocal: true });
    const agent = await cloud.agents.create('quiet');
    await cloud.connect(agent.id);
    await cloud.disconnect();
    await cloud.close();
    console.log('done');
})();
`,
    );
    const childEnv = { ...process.env, ...env, ELIZACLOUD_LIBRARY_PATH: libraryPath() };
    for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [file], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
}

test('quiet by default: no info lines; ELIZACLOUD_LOG=info shows them', async () => {
    const env = { ELIZACLOUD_BASE_URL: emu.url, ELIZACLOUD_API_KEY: await emu.createKey(), ELIZACLOUD_LOG: undefined };
    const quiet = await connectInChild(env);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout.trim(), 'done');
    assert.doesNotMatch(quiet.stderr, /\[info\]/);
    assert.match(quiet.stderr, /\[warning\] insecure_local/); // warnings still show

    const chatty = await connectInChild({ ...env, ELIZACLOUD_LOG: 'info' });
    assert.equal(chatty.code, 0, chatty.stderr);
    assert.match(chatty.stderr, /\[info\] \[cloud-manager\] Connected to agent/);

    const errorsOnly = await connectInChild({ ...env, ELIZACLOUD_LOG: 'error' });
    assert.equal(errorsOnly.code, 0, errorsOnly.stderr);
    assert.equal(errorsOnly.stderr, '');
});
