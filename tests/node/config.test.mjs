// Configuration from the environment: new Cloud() reads ELIZACLOUD_BASE_URL, ELIZACLOUD_API_KEY
// (else ELIZAOS_CLOUD_API_KEY, which login exports) and ELIZACLOUD_INSECURE_LOCAL when the
// option is not given; an explicit option wins.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Emulator, FAST_ARGS, loadPackage, tempDir } from './support.mjs';

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
