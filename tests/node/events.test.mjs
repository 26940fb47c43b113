// Event delivery through the wake fd: many events, none lost, in order; the emitter and the
// async iterator see the same sequence; listener errors do not lose events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator, cloudOptions, loadPackage } from './support.mjs';

const ec = loadPackage();
let emu;
let key;

before(async () => {
    emu = await Emulator.start();
    key = await emu.createKey();
});
after(async () => {
    await emu?.stop();
});

test('1000+ state events arrive without loss and in order (emitter and iterator)', async () => {
    const cloud = new ec.Cloud({ ...cloudOptions(emu), apiKey: key, noConfigFile: true });
    try {
        const { id } = await cloud.agents.create('many-states');
        await cloud.agents.provision(id);
        const emitted = [];
        cloud.on('state', (ev) => emitted.push(ev.state));
        const iterated = [];
        const iterator = cloud.events({ types: [ec.EventType.STATE_CHANGED] });
        const consume = (async () => {
            for await (const ev of iterator) iterated.push(`${ev.previousState}>${ev.state}`);
        })();
        const cycles = 340; // 3 state events each: connecting, connected, disconnected
        for (let i = 0; i < cycles; i++) {
            await cloud.connect(id);
            await cloud.disconnect();
        }
        assert.equal(emitted.length, cycles * 3);
        for (let i = 0; i < cycles; i++) {
            assert.deepEqual(emitted.slice(i * 3, i * 3 + 3), ['connecting', 'connected', 'disconnected']);
        }
        await cloud.close();
        await consume;
        assert.equal(iterated.length, cycles * 3);
        assert.deepEqual(iterated.slice(0, 3), [
            'disconnected>connecting',
            'connecting>connected',
            'connected>disconnected',
        ]);
    } finally {
        await cloud.close();
    }
});

test('1000 log events forwarded without loss and in order', async () => {
    ec.setLogLevel('debug');
    const cloud = new ec.Cloud({
        ...cloudOptions(emu),
        apiKey: key,
        noConfigFile: true,
        forwardLogs: true,
    });
    try {
        const logs = [];
        let overflow = 0;
        cloud.on('log', (ev) => logs.push(ev));
        cloud.on('overflow', (ev) => (overflow += ev.dropped));
        // 1000 requests with distinct agent ids, one after the other (each a 404): the library
        // logs one line per request naming its path, so the forwarded lines must name the ids
        // in exactly this order.
        const n = 1000;
        const ids = Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
        for (const id of ids) {
            await assert.rejects(cloud.agents.get(id), ec.NotFoundError);
        }
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(overflow, 0);
        assert.ok(logs.every((ev) => typeof ev.text === 'string' && ev.text.length > 0));
        assert.ok(logs.every((ev) => ['trace', 'debug', 'info', 'warn', 'error'].includes(ev.logLevel)));
        const named = [];
        for (const ev of logs) {
            const m = ev.text.match(/agents\/(00000000-0000-4000-8000-\d{12})/);
            if (m && named.at(-1) !== m[1]) named.push(m[1]);
        }
        assert.equal(named.length, n, `one log line per request (got ${named.length} of ${logs.length})`);
        assert.deepEqual(named, ids);
    } finally {
        ec.setLogLevel('warn');
        await cloud.close();
    }
});

test('a throwing listener does not lose the events behind it', async () => {
    const cloud = new ec.Cloud({ ...cloudOptions(emu), apiKey: key, noConfigFile: true });
    const uncaught = [];
    const onUncaught = (err) => uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    // node:test installs its own handler; make sure ours sees the error first and swallow it.
    const listeners = process.listeners('uncaughtException').filter((l) => l !== onUncaught);
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
        const { id } = await cloud.agents.create('throwing-listener');
        let calls = 0;
        cloud.on('state', () => {
            calls++;
            throw new Error('listener bug');
        });
        const later = [];
        cloud.on('state', (ev) => later.push(ev.state));
        await cloud.connect(id);
        await cloud.disconnect();
        await new Promise((r) => setImmediate(r));
        assert.equal(calls, 3);
        assert.deepEqual(later, []); // EventEmitter stops at the throwing listener…
        const seen = [];
        cloud.removeAllListeners('state');
        cloud.on('state', (ev) => seen.push(ev.state));
        await cloud.connect(id);
        await cloud.disconnect();
        assert.deepEqual(seen, ['connecting', 'connected', 'disconnected']); // …but no event is lost
        assert.equal(uncaught.length, 3);
        assert.match(uncaught[0].message, /listener bug/);
    } finally {
        process.removeAllListeners('uncaughtException');
        for (const l of listeners) process.on('uncaughtException', l);
        await cloud.close();
    }
});

test('events() ends on close and on abort; state events carry reconnect details', async () => {
    const cloud = new ec.Cloud({
        ...cloudOptions(emu, { timings: { reconnectMaxAttempts: 2, reconnectInitialDelayMs: 50 } }),
        apiKey: key,
        noConfigFile: true,
    });
    try {
        const { id } = await cloud.agents.create('reconnect-details');
        const controller = new AbortController();
        const aborted = cloud.events({ signal: controller.signal });
        controller.abort();
        assert.deepEqual(await aborted.next(), { value: undefined, done: true });

        const states = [];
        const iterator = cloud.events({ types: ['state'] });
        await cloud.connect(id);
        // Heartbeats fail and so does re-provisioning: reconnecting with attempts, then disconnected.
        await emu.control('POST', 'provision-failures', { always: true });
        await emu.control('POST', `agents/${id}/status`, { status: 'error' });
        await emu.control('POST', 'heartbeat-failures', { count: 1000, agentId: id, mode: 'http' });
        for await (const ev of iterator) {
            states.push(ev);
            if (ev.state === 'disconnected') break;
        }
        const reconnecting = states.find((ev) => ev.state === 'reconnecting');
        assert.ok(reconnecting, states.map((e) => e.describe()).join('\n'));
        assert.ok(reconnecting.message.length > 0);
        assert.ok(states.some((ev) => ev.attempt >= 1));
        assert.ok(states.some((ev) => ev.nextDelayMs !== null && ev.nextDelayMs >= 50));
        assert.equal(states.at(-1).state, 'disconnected');
        const tail = cloud.events();
        await cloud.close();
        assert.deepEqual(await tail.next(), { value: undefined, done: true });
    } finally {
        await emu.control('POST', 'provision-failures', { count: 0 });
        await emu.clearFaults();
        await cloud.close();
    }
});
