// Secrets and inputs: strings with an embedded NUL are refused (the C ABI would cut them short),
// refused base URLs never show a password or a key, and insecureLocal: false wins over the
// environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support.mjs';

const ec = loadPackage();

const KEY = 'eliza_0123abcdefSECRETSECRETSECRET';
const PASSWORD = 'hunter2pass';

function expectThrows(fn, cls) {
    let caught;
    try {
        const cloud = fn();
        cloud?.close?.();
    } catch (err) {
        caught = err;
    }
    assert.ok(caught instanceof cls, `expected ${cls.name}, got ${caught?.name}: ${caught?.message}`);
    return caught;
}

test('an embedded NUL in a string option is refused, not cut', () => {
    const cases = [
        { baseUrl: 'https://www.elizacloud.ai\0.evil.com' },
        { baseUrl: 'https://evil.com', allowedHosts: 'evil.com\0x' },
        { baseUrl: 'https://evil.com', allowedHosts: ['evil.com\0x'] },
        { apiKey: 'eliza_abc\0def' },
        { configPath: '/tmp/x\0y' },
        { caFile: '/tmp/ca\0.pem' },
    ];
    for (const options of cases) {
        const err = expectThrows(
            () => new ec.Cloud({ noConfigFile: !options.configPath, ...options }),
            ec.InvalidArgumentError,
        );
        assert.match(err.message, /NUL/);
    }
});

test('an embedded NUL in a method name is refused', async () => {
    const cloud = new ec.Cloud({ noConfigFile: true });
    try {
        await assert.rejects(cloud.call('agents.list\0x'), ec.InvalidArgumentError);
    } finally {
        await cloud.close();
    }
});

test('refused base URLs never show a password or a key', () => {
    const urls = [
        `https://user:${PASSWORD}@www.elizacloud.ai`,
        `https://${KEY}@www.elizacloud.ai`,
        `https://evil.example/${KEY}`,
        `https://www.elizacloud.ai/?key=${KEY}`,
        `https://www.elizacloud.ai/#${KEY}`,
    ];
    for (const baseUrl of urls) {
        const err = expectThrows(() => new ec.Cloud({ baseUrl, noConfigFile: true }), ec.ElizaCloudError);
        for (const secret of ['SECRET', PASSWORD, 'eliza_0123abc']) {
            assert.ok(!err.message.includes(secret), err.message);
            assert.ok(!String(err.stack).includes(secret), err.stack);
        }
    }
});

test('insecureLocal: false wins over ELIZACLOUD_INSECURE_LOCAL=1', async () => {
    const saved = process.env.ELIZACLOUD_INSECURE_LOCAL;
    process.env.ELIZACLOUD_INSECURE_LOCAL = '1';
    try {
        const baseUrl = 'http://127.0.0.1:9';
        expectThrows(
            () => new ec.Cloud({ baseUrl, noConfigFile: true, insecureLocal: false }),
            ec.UrlBlockedError,
        );
        const cloud = new ec.Cloud({ baseUrl, noConfigFile: true });
        await cloud.close();
    } finally {
        if (saved === undefined) delete process.env.ELIZACLOUD_INSECURE_LOCAL;
        else process.env.ELIZACLOUD_INSECURE_LOCAL = saved;
    }
});
