// The generic request from Node (cloud.request): catalogued routes on both generations, refusal
// of unknown routes before any request, retries of idempotent requests only, SSE frames and
// binary bytes as async iterators, writeTo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Emulator, loadPackage, requestsSeen, withKeyedCloud } from './support.mjs';

const ec = loadPackage();
const BINARY = Buffer.from([0x89, 0x45, 0x4d, 0x55, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02, 0x03,
    0xfe, 0xff, 0x7f, 0x80]);
const emulators = {};

before(async () => {
    emulators.milady = await Emulator.start(['--generation', 'milady']);
    emulators.eliza = await Emulator.start(['--generation', 'eliza']);
});
after(async () => {
    await emulators.milady?.stop();
    await emulators.eliza?.stop();
});

function withCloud(generation, fn) {
    return withKeyedCloud(ec, emulators[generation], fn);
}

const seen = requestsSeen;

for (const generation of ['milady', 'eliza']) {
    test(`${generation}: a catalogued route answers with a Response`, async () => {
        await withCloud(generation, async (cloud) => {
            const r = await cloud.request('GET', '/api/v1/models');
            assert.ok(r instanceof ec.Response);
            assert.equal(r.status, 200);
            assert.equal(r.attempts, 1);
            assert.equal(r.route.path, '/api/v1/models');
            assert.equal(typeof r.json(), 'object');
            const posted = await cloud.request('POST', '/api/v1/advertising/campaigns/{id}/creatives', {
                pathParams: { id: 'my app' },
                query: { tag: ['a', 'b'] },
                json: { domain: 'x.io' },
            });
            assert.equal(posted.status, 201);
            assert.deepEqual(posted.data.data.pathParams, ['my app']);
            assert.deepEqual(posted.data.data.body, { domain: 'x.io' });
        });
    });

    test(`${generation}: unknown routes are refused before any request`, async () => {
        await withCloud(generation, async (cloud, emu) => {
            const before = await seen(emu, 'GET /api/v1/models');
            await assert.rejects(cloud.request('GET', '/api/v1/nope'), (err) => {
                assert.ok(err instanceof ec.InvalidArgumentError);
                assert.match(err.message, /not a public route/);
                return true;
            });
            await assert.rejects(cloud.request('GET', '/api/v1/models', { headers: { Host: 'x' } }),
                ec.InvalidArgumentError);
            assert.equal(await seen(emu, 'GET /api/v1/models'), before);
        });
    });

    test(`${generation}: retries follow idempotency`, async () => {
        await withCloud(generation, async (cloud, emu) => {
            await emu.addFault({ method: 'GET', path: '/api/v1/models', times: 2, action: 'status',
                status: 503, headers: { 'retry-after-ms': '10' } });
            assert.equal((await cloud.request('GET', '/api/v1/models')).attempts, 3);
            await emu.addFault({ method: 'POST', path: '/api/v1/advertising/campaigns/*/creatives', times: 1,
                action: 'status', status: 502, headers: { 'Retry-After': '0' } });
            await assert.rejects(cloud.request('POST', '/api/v1/advertising/campaigns/{id}/creatives',
                { pathParams: { id: 'a' } }), ec.ServerError);
            await emu.addFault({ method: 'GET', path: '/api/v1/models', times: 1, action: 'status',
                status: 429, headers: { 'Retry-After': '61', 'X-RateLimit-Remaining': '0' } });
            await assert.rejects(cloud.request('GET', '/api/v1/models'), (err) => {
                assert.ok(err instanceof ec.RateLimitedError, String(err));
                assert.equal(err.retryAfter, 61);
                assert.equal(err.rateLimit.remaining, 0);
                return true;
            });
        });
    });

    test(`${generation}: binary bodies and byte streams`, async () => {
        await withCloud(generation, async (cloud) => {
            const r = await cloud.request('POST', '/api/elevenlabs/tts', { json: { text: 'hi' } });
            assert.deepEqual(r.content, BINARY);
            assert.equal(r.data, null);
            const stream = await cloud.request('POST', '/api/elevenlabs/tts',
                { json: { text: 'hi' }, stream: 'bytes' });
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec-req-'));
            const file = path.join(dir, 'a.bin');
            assert.equal(await stream.writeTo(file), BINARY.length);
            assert.deepEqual(fs.readFileSync(file), BINARY);
            assert.equal(stream.response.status, 200);
            fs.rmSync(dir, { recursive: true });
        });
    });

    test(`${generation}: an SSE stream iterates frames`, async () => {
        await withCloud(generation, async (cloud) => {
            const [p, pathParams] = generation === 'eliza'
                ? ['/api/v1/eliza/agents/{agentId}/api/conversations/{conversationId}/messages/stream',
                    { agentId: 'a', conversationId: 'c' }]
                : ['/api/v1/app-builder/stream', undefined];
            const frames = [];
            for await (const frame of await cloud.request('POST', p, { pathParams, stream: 'sse' })) {
                frames.push(frame);
            }
            assert.equal(frames.at(-1).data, '[DONE]');
            assert.equal(frames[0].event, 'message');
            assert.equal(JSON.parse(frames[0].data).emulated, true);
        });
    });

    test(`${generation}: inference streams give deltas, then the whole answer`, async () => {
        await withCloud(generation, async (cloud) => {
            const stream = await cloud.chatCompletions.stream('openai/gpt-5-mini',
                [{ role: 'user', content: 'one two' }]);
            assert.ok(stream instanceof ec.InferenceStream);
            const deltas = [];
            for await (const delta of stream) deltas.push(delta);
            assert.ok(deltas.length > 1);
            assert.equal(deltas.join(''), 'echo: one two');
            assert.equal(stream.result.finishReason, 'stop');
            const message = await (await cloud.messages.stream('anthropic/claude-haiku-4.5', 32,
                [{ role: 'user', content: 'hi' }])).final();
            assert.deepEqual(message.content, [{ type: 'text', text: 'echo: hi' }]);
            const audio = await cloud.voices.tts('hello');
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec-tts-'));
            assert.equal(await audio.writeTo(path.join(dir, 'a.mp3')), BINARY.length);
            assert.equal(audio.result.bytes, BINARY.length);
            fs.rmSync(dir, { recursive: true });
        });
    });

    test(`${generation}: routes lists the catalogue`, async () => {
        await withCloud(generation, async (cloud) => {
            const catalogue = await cloud.routes();
            assert.equal(catalogue.generation, generation);
            assert.ok(catalogue.routes.length > 390);
        });
    });
}
