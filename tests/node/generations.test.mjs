// The cloud's API generation (SPEC §2.10): detected once per cloud when apiGeneration is 'auto'
// (the default), used as given otherwise; against an emulator that answers as the live cloud.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, cloudOptions, loadPackage } from './support.mjs';

const ec = loadPackage();
let emu;

before(async () => {
    emu = await Emulator.start(['--generation', 'eliza', '--provision-ms', '30',
        '--job-poll-interval-ms', '10']);
});
after(async () => {
    await emu?.stop();
});

test('auto detects the eliza generation and the session runs on its routes', async () => {
    const apiKey = await emu.createKey();
    const cloud = new ec.Cloud(cloudOptions(emu, { apiKey }));
    try {
        assert.equal((await cloud.status()).apiGeneration, null);
        const agent = await cloud.agents.create('gen-node');
        const proxy = await cloud.connect(agent.id);
        assert.match(await proxy.send('hello'), /hello/);
        assert.equal((await cloud.status()).apiGeneration, 'eliza');
    } finally {
        await cloud.close();
    }
});

test('a forced wrong generation fails clearly; an unknown one is refused', async () => {
    const apiKey = await emu.createKey();
    const cloud = new ec.Cloud(cloudOptions(emu, { apiKey, apiGeneration: 'milady' }));
    try {
        await assert.rejects(cloud.agents.list(), (err) => {
            assert.ok(err instanceof ec.GenerationError, String(err));
            assert.match(err.message, /milady API generation/);
            return true;
        });
    } finally {
        await cloud.close();
    }
    assert.throws(() => new ec.Cloud(cloudOptions(emu, { apiKey, apiGeneration: 'beta' })),
        ec.InvalidArgumentError);
});
