// Streaming replies: chunks in order, several streams at once, cancel / abort / early break,
// and streams ended by the agent or by a stalled connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Emulator, FAST_ARGS, cloudOptions, loadPackage } from './support.mjs';

const ec = loadPackage();
let emu;
let cloud;
let proxy;
let agentId;

before(async () => {
    emu = await Emulator.start([...FAST_ARGS, '--stream-chunk-chars', '3']);
    const key = await emu.createKey();
    cloud = new ec.Cloud({
        ...cloudOptions(emu, { timings: { streamIdleTimeoutMs: 300 } }),
        apiKey: key,
        noConfigFile: true,
    });
    agentId = (await cloud.agents.create('streamer')).id;
    proxy = await cloud.connect(agentId);
});
after(async () => {
    await cloud?.close();
    await emu?.stop();
});

function chunksOf(text, n) {
    const out = [];
    const chars = [...text];
    for (let i = 0; i < chars.length; i += n) out.push(chars.slice(i, i + n).join(''));
    return out;
}

test('chunks arrive in order, exactly as sent (UTF-8 included)', async () => {
    const text = 'ordered chunks — ünïcødé ✓ 🚀 and a long tail '.repeat(5);
    const chunks = [];
    const stream = proxy.stream(text);
    assert.ok(stream.requestId > 0);
    for await (const c of stream) chunks.push(c);
    assert.deepEqual(chunks, chunksOf(`echo: ${text}`, 3));
    assert.equal(stream.text, `echo: ${text}`);
    assert.equal(stream.ended, true);
});

test('several streams at once keep their own order', async () => {
    const texts = Array.from({ length: 8 }, (_, i) => `stream number ${i} `.repeat(4));
    const results = await Promise.all(texts.map((t) => proxy.stream(t).collect()));
    results.forEach((r, i) => assert.equal(r, `echo: ${texts[i]}`));
});

test('a stream works as a Node Readable', async () => {
    let text = '';
    for await (const c of Readable.from(proxy.stream('readable'))) text += c;
    assert.equal(text, 'echo: readable');
});

test('break out of the loop cancels the stream; cancel() and AbortSignal reject with CancelledError', async () => {
    await emu.control('POST', 'config', { streamChunkDelayMs: 20 });
    try {
        const s1 = proxy.stream('x'.repeat(200));
        for await (const _ of s1) break;
        assert.equal(s1.ended, true);

        const s2 = proxy.stream('y'.repeat(200));
        const it = s2[Symbol.asyncIterator]();
        await it.next();
        s2.cancel();
        await assert.rejects(it.next(), ec.CancelledError);
        assert.deepEqual(await it.next(), { value: undefined, done: true });

        const controller = new AbortController();
        const s3 = proxy.stream('z'.repeat(200), { signal: controller.signal });
        setTimeout(() => controller.abort(), 60);
        await assert.rejects(s3.collect(), ec.CancelledError);
        assert.ok(s3.text.length > 0 && s3.text.length < 206);
        assert.throws(() => proxy.stream('never', { signal: AbortSignal.abort() }), ec.CancelledError);
    } finally {
        await emu.control('POST', 'config', { streamChunkDelayMs: 0 });
    }
    // The connection is still fine afterwards.
    assert.equal(await proxy.send('still here'), 'echo: still here');
});

test('a stalled stream ends with TimeoutError (idle timeout), a cut one with an error', async () => {
    await emu.addFault({ method: 'POST', path: '/api/v1/milady/agents/*/stream', action: 'stall', afterEvents: 2, stallMs: 3000 });
    try {
        const stream = proxy.stream('stall please');
        const got = [];
        await assert.rejects(
            (async () => {
                for await (const c of stream) got.push(c);
            })(),
            ec.TimeoutError,
        );
        assert.equal(got.join(''), 'ech'); // connected + one chunk came through before the stall
    } finally {
        await emu.clearFaults();
    }
    await emu.addFault({ method: 'POST', path: '/api/v1/milady/agents/*/stream', action: 'close', afterEvents: 2 });
    try {
        await assert.rejects(proxy.stream('cut').collect(), ec.ElizaCloudError);
    } finally {
        await emu.clearFaults();
    }
});

test('invalid arguments are refused at once', async () => {
    assert.throws(() => proxy.stream(''), ec.InvalidArgumentError);
    assert.throws(() => proxy.stream('x', { channelType: 'NOPE' }), ec.InvalidArgumentError);
    await assert.rejects(proxy.send(''), ec.InvalidArgumentError);
});

test('closing the cloud rejects a pending next() with CancelledError at once', async () => {
    const other = new ec.Cloud({ ...cloudOptions(emu), apiKey: await emu.createKey(), noConfigFile: true });
    await emu.control('POST', 'config', { streamChunkDelayMs: 200 });
    try {
        const { id } = await other.agents.create('closer');
        const p = await other.connect(id);
        const it = p.stream('w'.repeat(100))[Symbol.asyncIterator]();
        const pending = it.next();
        const closed = other.close();
        await assert.rejects(pending, ec.CancelledError);
        await closed;
    } finally {
        await emu.control('POST', 'config', { streamChunkDelayMs: 0 });
        await other.close();
    }
});

test('a 1 MiB reply in 8-character chunks arrives whole: a full queue pauses the stream', async () => {
    // A cloud of its own: the emulator takes a while to start so long a reply, longer than the
    // short idle timeout of the shared one.
    const long = new ec.Cloud({ ...cloudOptions(emu), apiKey: await emu.createKey(), noConfigFile: true });
    await emu.control('POST', 'config', { streamChunkChars: 8 });
    await emu.control('POST', 'bridge/script', {
        agentId: '*',
        replies: [{ text: '0123456789abcdef', repeat: 65536 }],
    });
    try {
        const p = await long.connect((await long.agents.create('long')).id);
        assert.equal(long.eventStats().streamPauses, 0);
        const stream = p.stream('long');
        // Block the loop (nobody drains) until the library has paused the stream at least once.
        const deadline = Date.now() + 60_000;
        while (long.eventStats().streamPauses === 0 && Date.now() < deadline) {
            // spin
        }
        assert.ok(long.eventStats().streamPauses > 0, 'the stream was never paused');
        let chunks = 0;
        let text = '';
        for await (const c of stream) {
            chunks += 1;
            text += c;
        }
        assert.equal(chunks, 131072);
        assert.equal(text.length, 1 << 20);
        assert.ok(text === '0123456789abcdef'.repeat(65536), 'the reply differs');
    } finally {
        await emu.control('POST', 'config', { streamChunkChars: 3 });
        await emu.control('DELETE', 'bridge/script');
        await long.close();
    }
});

test('a stream read only after it ended yields every chunk in order', async () => {
    // The hub queues all 20 000 chunks in the iterator before the first next(): the queue's
    // taken part is dropped many times over while the rest waits.
    const text = 'x'.repeat(60_000 - 'echo: '.length);
    const stream = proxy.stream(text);
    const deadline = Date.now() + 30_000;
    while (!stream.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(stream.ended, 'the stream did not end');
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    assert.equal(chunks.length, 20_000);
    assert.equal(chunks.join(''), `echo: ${text}`);
});

test('a direct proxy talks to a running agent without connecting', async () => {
    // A second handle with the same key: the agent runs (the first handle connected it), this
    // one never connects.
    const other = new ec.Cloud({ ...cloudOptions(emu), apiKey: cloud.apiKey, noConfigFile: true });
    try {
        const direct = new ec.Proxy(other, agentId, { direct: true });
        assert.equal(await direct.send('hello direct'), 'echo: hello direct');
        const chunks = [];
        for await (const chunk of direct.stream('streamed direct')) chunks.push(chunk);
        assert.equal(chunks.join(''), 'echo: streamed direct');
        assert.ok(chunks.length > 1);
        assert.equal(other.state, 'disconnected');
        // Without direct, the same proxy needs a connected agent.
        await assert.rejects(new ec.Proxy(other, agentId).send('hi'));
    } finally {
        await other.close();
    }
});
