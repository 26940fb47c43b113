// The whole lifecycle against the emulator: login → create → connect → send → stream →
// snapshot/backups/restore → heartbeat failures → reconnect → disconnect → logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Emulator, FAST_ARGS, cloudOptions, loadPackage, waitFor } from './support.mjs';

const ec = loadPackage();
let emu;
let elizaEmu; // answers as the live cloud's eliza generation

before(async () => {
    emu = await Emulator.start([...FAST_ARGS, '--stream-chunk-chars', '4']);
    elizaEmu = await Emulator.start([...FAST_ARGS, '--stream-chunk-chars', '4', '--generation', 'eliza']);
});
after(async () => {
    await emu?.stop();
    await elizaEmu?.stop();
});

test('full lifecycle', async () => {
    await fullLifecycle(emu, {});
});

test('full lifecycle on the eliza generation', async () => {
    // That cloud starts dedicated compute only with the user's consent to its price: the host
    // passes the price the user accepted (a PriceConfirmationError's pricing.acceptanceValue).
    const config = await elizaEmu.control('GET', 'config');
    await fullLifecycle(elizaEmu, { confirmPrice: config.dedicatedPriceAcceptance });
});

async function fullLifecycle(server, extra) {
    delete process.env.ELIZAOS_CLOUD_API_KEY;
    delete process.env.ELIZAOS_CLOUD_ENABLED;
    const options = cloudOptions(server, extra);
    const cloud = new ec.Cloud(options);
    try {
        await lifecycle(cloud, options, server, extra.confirmPrice !== undefined);
    } finally {
        await cloud[Symbol.asyncDispose]();
    }
    assert.equal(cloud.closed, true);
}

async function lifecycle(cloud, options, emu, eliza) {
    const states = [];
    const seen = { urls: [], credentials: [], identity: [], backups: [] };
    cloud.on('state', (ev) => states.push([ev.previousState, ev.state, ev.agentId]));
    cloud.on('login-url', (ev) => seen.urls.push(ev.text));
    cloud.on('credentials', (ev) => seen.credentials.push(ev.text));
    cloud.on('identity', (ev) => seen.identity.push(ev.data));
    cloud.on('backup', (ev) => seen.backups.push(ev.data));

    assert.equal(cloud.state, 'disconnected');
    assert.equal(cloud.activeAgent, null);
    assert.equal(cloud.apiKey, null);
    assert.equal(cloud.configPath, options.configPath);
    const before = await cloud.status();
    assert.equal(before.hasApiKey, false);
    assert.equal(before.connected, false);
    const noCredits = await cloud.credits();
    assert.equal(noCredits.balance, null);

    // Login (auto-approved by the emulator).
    const urls = [];
    const login = await cloud.login({ onBrowserUrl: (url) => urls.push(url) });
    assert.match(login.keyPrefix, /^eliza_/);
    assert.equal(login.userId, '00000000-0000-4000-8000-000000000001');
    assert.equal(urls.length, 1);
    assert.match(urls[0], /\/auth\/cli-login\?session=[0-9a-f-]{36}$/);
    assert.deepEqual(seen.urls, urls);
    const key = cloud.apiKey;
    assert.match(key, /^eliza_[0-9a-f]{64}$/);
    assert.equal(process.env.ELIZAOS_CLOUD_API_KEY, key);
    assert.equal(process.env.ELIZAOS_CLOUD_ENABLED, 'true');
    await waitFor(() => seen.credentials.length && seen.identity.length, 5000, 'credentials');
    assert.equal(seen.credentials[0], login.keyPrefix);
    assert.equal(seen.identity[0].organizationId, '00000000-0000-4000-8000-0000000000a1');
    // Saved to the config file with mode 0600.
    const config = JSON.parse(fs.readFileSync(options.configPath, 'utf8'));
    assert.equal(config.cloud.apiKey, key);
    assert.equal(fs.statSync(options.configPath).mode & 0o777, 0o600);

    const status = await cloud.status();
    assert.equal(status.hasApiKey, true);
    assert.equal(status.connected, true);
    const credits = await cloud.credits({ fresh: true });
    assert.equal(credits.balance, 25);
    assert.equal(credits.low, false);
    const identity = await cloud.identity();
    assert.equal(identity.userId, login.userId);

    // Agents.
    const created = await cloud.agents.create('node-bot', { config: { bio: 'test' } });
    const agentId = created.id;
    assert.match(agentId, /^[0-9a-f-]{36}$/);
    const list = await cloud.agents.list();
    assert.ok(list.some((a) => a.id === agentId));
    const got = await cloud.agents.get(agentId);
    assert.equal(got.agentName, 'node-bot');

    // Connect (provisioning job followed), with progress.
    const progress = [];
    const proxy = await cloud.connect(agentId, { onProgress: (ev) => progress.push(ev.text) });
    assert.equal(proxy.agentId, agentId);
    assert.equal(cloud.state, 'connected');
    assert.equal(cloud.activeAgent, agentId);
    assert.ok(progress.length >= 1, 'provisioning progress reported');
    assert.deepEqual(
        states.map(([, s]) => s),
        ['connecting', 'connected'],
    );
    assert.equal(states[1][2], agentId);
    // Connecting again to the same agent is a no-op.
    const again = await cloud.connect(agentId);
    assert.equal(again.agentId, agentId);
    assert.equal(cloud.proxy.agentId, agentId);

    // Send and stream.
    assert.equal(await proxy.send('hello'), 'echo: hello');
    assert.equal(await proxy.send('in a room', { roomId: 'room-1', channelType: 'GROUP' }), 'echo: in a room');
    const text = 'stream me please, in order';
    const chunks = [];
    for await (const chunk of proxy.stream(text)) chunks.push(chunk);
    // A dedicated eliza agent streams on its own host only: through the cloud, its reply comes
    // from the bridge, whole.
    if (eliza) assert.equal(chunks.length, 1);
    else assert.ok(chunks.length > 3, `several chunks (got ${chunks.length})`);
    assert.equal(chunks.join(''), `echo: ${text}`);
    const collected = await proxy.stream('again').collect();
    assert.equal(collected, 'echo: again');
    const agentStatus = await proxy.status();
    assert.ok(agentStatus && typeof agentStatus === 'object');
    assert.equal(await proxy.isAlive(), true);

    // Backups.
    const snap = await cloud.snapshot();
    assert.ok(snap.backupId, JSON.stringify(snap));
    const backups = await cloud.backups();
    assert.ok(backups.some((b) => b.id === snap.backupId));
    const restored = await cloud.restore(snap.backupId);
    assert.equal(restored.restoredFromBackupId, snap.backupId);
    assert.ok((await cloud.restore()).restoredFromBackupId);

    // Heartbeat failures → reconnecting → connected again.
    // Both transitions may arrive in one drain: wait on the recorded sequence, not on one event.
    const mark = states.length;
    await emu.control('POST', 'heartbeat-failures', { count: 2, agentId });
    await waitFor(() => states.length >= mark + 2, 10000, 'reconnecting, then connected');
    assert.deepEqual(states.slice(mark, mark + 2), [
        ['connected', 'reconnecting', agentId],
        ['reconnecting', 'connected', agentId],
    ]);
    assert.equal(cloud.state, 'connected');
    assert.equal(await proxy.send('after reconnect'), 'echo: after reconnect');
    const hb = await emu.agentState(agentId);
    assert.ok(hb.heartbeatFailures >= 2);

    // Disconnect (final snapshot → 'backup' event), then logout.
    const snapshotsBefore = (await emu.agentState(agentId)).snapshots;
    await cloud.disconnect();
    assert.equal(cloud.state, 'disconnected');
    assert.equal(cloud.activeAgent, null);
    assert.equal(cloud.proxy, null);
    assert.ok((await emu.agentState(agentId)).snapshots > snapshotsBefore, 'final snapshot taken');
    await waitFor(() => seen.backups.length > 0, 5000, 'backup event');
    await assert.rejects(proxy.send('nobody home'), ec.NotConnectedError);

    await cloud.agents.delete(agentId);
    await assert.rejects(cloud.agents.get(agentId), ec.NotFoundError);

    await cloud.logout();
    assert.equal(cloud.apiKey, null);
    assert.equal(process.env.ELIZAOS_CLOUD_API_KEY, undefined);
    assert.equal(process.env.ELIZAOS_CLOUD_ENABLED, undefined);
    await waitFor(() => seen.credentials.includes(''), 5000, 'credentials removed');
    const after = JSON.parse(fs.readFileSync(options.configPath, 'utf8'));
    assert.equal(after.cloud.apiKey, undefined);
    assert.equal(after.cloud.enabled, false);
    // The eliza cloud revokes a CLI login's key by its session; the seeds' cloud cannot.
    const session = urls[0].split('=').pop();
    const { sessions } = await emu.control('GET', 'sessions');
    assert.equal(sessions.find((s) => s.sessionId === session).keyRevoked ?? false, eliza);
}

test('a stored key is picked up by a new cloud from the config file', async () => {
    const key = await emu.createKey({ newOrganization: true });
    const options = cloudOptions(emu);
    fs.writeFileSync(options.configPath, JSON.stringify({ other: { keep: 1 }, cloud: { apiKey: key } }));
    const cloud = new ec.Cloud(options);
    try {
        assert.equal(cloud.apiKey, key);
        assert.deepEqual(await cloud.agents.list(), []);
    } finally {
        await cloud.close();
    }
    const config = JSON.parse(fs.readFileSync(options.configPath, 'utf8'));
    assert.deepEqual(config.other, { keep: 1 });
});

test('apiKey option, no config file, and the events() iterator', async () => {
    const key = await emu.createKey();
    const cloud = new ec.Cloud({ ...cloudOptions(emu), apiKey: key, noConfigFile: true });
    try {
        assert.equal(cloud.configPath, '');
        const { id } = await cloud.agents.create('iter-bot');
        const iterator = cloud.events({ types: ['state'] });
        await cloud.connect(id);
        await cloud.disconnect();
        const got = [];
        for await (const ev of iterator) {
            got.push(ev.state);
            if (got.length === 3) break;
        }
        assert.deepEqual(got, ['connecting', 'connected', 'disconnected']);
        assert.ok(got.length === 3);
    } finally {
        await cloud.close();
    }
});
