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
    let quote;
    try {
        assert.equal((await cloud.status()).apiGeneration, null);
        const agent = await cloud.agents.create('gen-node');
        assert.equal(agent.executionTier, 'dedicated-lazy');
        // Starting dedicated compute needs the price confirmed: a typed error with the quote.
        await assert.rejects(cloud.connect(agent.id), (err) => {
            assert.ok(err instanceof ec.PriceConfirmationError, String(err));
            assert.equal(err.httpStatus, 428);
            assert.equal(err.pricing.acceptanceHeader, 'X-Eliza-Dedicated-Price');
            quote = err.pricing.acceptanceValue;
            return true;
        });
        assert.equal((await cloud.status()).apiGeneration, 'eliza');
    } finally {
        await cloud.close();
    }
    // The host accepted the quote: the whole session runs.
    const consenting = new ec.Cloud(cloudOptions(emu, { apiKey, confirmPrice: quote }));
    try {
        const [agent] = await consenting.agents.list();
        const proxy = await consenting.connect(agent.id);
        assert.match(await proxy.send('hello'), /hello/);
        let streamed = '';
        for await (const chunk of proxy.stream('streamed')) streamed += chunk;
        assert.match(streamed, /streamed/);
        const backup = await consenting.backups.snapshot();
        assert.ok(backup.backupId);
        const backups = await consenting.backups.list();
        assert.ok(backups.some((b) => b.id === backup.backupId && 'backupKind' in b));
        await consenting.disconnect();
        const credits = await consenting.credits();
        assert.equal(typeof credits.balance, 'number');
    } finally {
        await consenting.close();
    }
});

test('an eager create takes the price per call and follows its job', async () => {
    const apiKey = await emu.createKey();
    const cloud = new ec.Cloud(cloudOptions(emu, { apiKey }));
    try {
        const quote = 'dedicated-compute-v1:USD:0.150000:0.300000';
        const agent = await cloud.agents.create('eager', {
            alwaysOn: true, forceCreate: true, confirmPrice: quote,
        });
        assert.equal(agent.status, 'running');
        assert.equal(agent.created, true);
        const again = await cloud.agents.create('again');
        assert.equal(again.id, agent.id);
        assert.equal(again.created, false);
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
