// Every error class the emulator can provoke, from real faults (control API fault rules,
// heartbeat failures, provision failures, credits, login sessions) — and the error model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Emulator, cloudOptions, loadPackage, tempDir } from './support.mjs';

const ec = loadPackage();
let emu;
let key;
let cloud;

const AGENTS = '/api/v1/milady/agents';

before(async () => {
    emu = await Emulator.start();
    key = await emu.createKey();
    // The mapping of single answers: retries of transient failures (tested in request.test.mjs)
    // would turn a one-off fault into a success.
    cloud = new ec.Cloud({ ...cloudOptions(emu), apiKey: key, noConfigFile: true, maxRetries: 0 });
});
after(async () => {
    await cloud?.close();
    await emu?.stop();
});

async function expectError(promise, cls, check = () => {}) {
    let caught;
    try {
        await promise;
    } catch (err) {
        caught = err;
    }
    assert.ok(caught, `expected ${cls.name}`);
    assert.ok(caught instanceof cls, `expected ${cls.name}, got ${caught?.name}: ${caught?.message}`);
    assert.ok(caught instanceof ec.ElizaCloudError);
    assert.ok(caught instanceof Error);
    assert.equal(caught.name, cls.name);
    assert.equal(caught.status, cls.status);
    assert.equal(caught.statusName, ec.statusName(cls.status));
    assert.ok(caught.message.length > 0);
    assert.ok(!caught.message.includes(key), 'the API key never appears in errors');
    check(caught);
    return caught;
}

async function withFault(rule, fn) {
    await emu.addFault(rule);
    try {
        return await fn();
    } finally {
        await emu.clearFaults();
    }
}

test('error classes: one per status, statusName, errorClass', () => {
    assert.equal(ec.errorClass(ec.Status.UNAUTHORIZED), ec.AuthError);
    assert.equal(ec.errorClass(-999), ec.ElizaCloudError);
    assert.equal(ec.statusName(ec.Status.TIMEOUT), 'EC_ERR_TIMEOUT');
    const e = new ec.RateLimitedError('slow down', { retryAfter: 2 });
    assert.equal(e.status, ec.Status.RATE_LIMITED);
    assert.equal(e.httpStatus, 429);
    assert.equal(e.retryAfter, 2);
    assert.deepEqual(e.toJSON(), {
        status: 'EC_ERR_RATE_LIMITED',
        message: 'slow down',
        httpStatus: 429,
        retryAfter: 2,
    });
    assert.ok(String(e.stack).includes('RateLimitedError'));
});

test('AuthError (401: unknown key)', async () => {
    const other = new ec.Cloud({ ...cloudOptions(emu), apiKey: `eliza_${'0'.repeat(64)}`, noConfigFile: true });
    try {
        await expectError(other.agents.list(), ec.AuthError, (e) => assert.equal(e.httpStatus, 401));
    } finally {
        await other.close();
    }
});

test('ForbiddenError, ConflictError, InvalidRequestError, ServerError (status faults)', async () => {
    const cases = [
        [403, ec.ForbiddenError],
        [409, ec.ConflictError],
        [400, ec.InvalidRequestError],
        [500, ec.ServerError],
        [503, ec.ServerError],
    ];
    for (const [status, cls] of cases) {
        await withFault({ method: 'GET', path: AGENTS, action: 'status', status }, () =>
            expectError(cloud.agents.list(), cls, (e) => {
                if (status !== 500 && status !== 503) assert.equal(e.httpStatus, status);
            }),
        );
    }
});

test('NotFoundError (404), InvalidArgumentError (non-UUID id, before any request)', async () => {
    await expectError(cloud.agents.get('11111111-1111-4111-8111-111111111111'), ec.NotFoundError, (e) =>
        assert.equal(e.httpStatus, 404),
    );
    await expectError(cloud.agents.get('not-a-uuid'), ec.InvalidArgumentError);
    await expectError(cloud.call('no.such.method'), ec.InvalidArgumentError);
    assert.throws(() => new ec.Cloud({ timings: { bogusMs: 1 } }), ec.InvalidArgumentError);
});

test('RateLimitedError (429 with Retry-After)', async () => {
    await withFault(
        { method: 'GET', path: AGENTS, action: 'status', status: 429, headers: { 'Retry-After': '2' } },
        () =>
            expectError(cloud.agents.list(), ec.RateLimitedError, (e) => {
                assert.equal(e.httpStatus, 429);
            }),
    );
});

test(
    'error details reach JavaScript (retryAfter, requiredBalance, currentBalance)',
    async () => {
        await withFault(
            { method: 'GET', path: AGENTS, action: 'status', status: 429, headers: { 'Retry-After': '2' } },
            () => expectError(cloud.agents.list(), ec.RateLimitedError, (e) => assert.equal(e.retryAfter, 2)),
        );
        await emu.control('POST', 'credits', { balance: 1.5 });
        try {
            await expectError(cloud.agents.create('poor'), ec.InsufficientCreditsError, (e) => {
                assert.equal(e.requiredBalance, 5);
                assert.equal(e.currentBalance, 1.5);
            });
        } finally {
            await emu.control('POST', 'credits', { balance: 25 });
        }
    },
);

test('InsufficientCreditsError (402 credit gate)', async () => {
    await emu.control('POST', 'credits', { balance: 1.5 });
    try {
        await expectError(cloud.agents.create('poor'), ec.InsufficientCreditsError, (e) => {
            assert.equal(e.httpStatus, 402);
            assert.match(e.message, /Insufficient credits/);
        });
    } finally {
        await emu.control('POST', 'credits', { balance: 25 });
    }
});

test('TimeoutError (delayed response) and TimeoutError from the timeout option', async () => {
    const slow = new ec.Cloud({
        ...cloudOptions(emu, { timings: { requestTimeoutMs: 200 } }),
        apiKey: key,
        noConfigFile: true,
        maxRetries: 0,
    });
    try {
        await withFault({ method: 'GET', path: AGENTS, action: 'delay', delayMs: 1500 }, () =>
            expectError(slow.agents.list(), ec.TimeoutError),
        );
        await withFault({ method: 'GET', path: AGENTS, action: 'delay', delayMs: 1500 }, () =>
            expectError(cloud.agents.list({ timeout: 100 }), ec.TimeoutError, (e) =>
                assert.match(e.message, /timed out after 100 ms/),
            ),
        );
    } finally {
        await slow.close();
    }
});

test('NetworkError (connection closed mid-body), ProtocolError (malformed JSON)', async () => {
    await withFault({ method: 'GET', path: AGENTS, action: 'close' }, () =>
        expectError(cloud.agents.list(), ec.NetworkError),
    );
    await withFault({ method: 'GET', path: AGENTS, action: 'malformed' }, () =>
        expectError(cloud.agents.list(), ec.ProtocolError),
    );
});

test('RedirectRefusedError (3xx never followed)', async () => {
    await withFault(
        { method: 'GET', path: AGENTS, action: 'redirect', status: 302, location: 'http://169.254.169.254/' },
        () => expectError(cloud.agents.list(), ec.RedirectRefusedError, (e) => assert.match(e.message, /302|redirect/i)),
    );
});

test('UrlBlockedError (plain http / loopback without insecureLocal, metadata address)', async () => {
    // The base URL policy refuses these when the cloud is created.
    for (const baseUrl of [emu.url, 'https://127.0.0.1:1', 'https://169.254.169.254']) {
        await expectError(
            (async () => new ec.Cloud({ baseUrl, insecureLocal: false, apiKey: key, noConfigFile: true }))(),
            ec.UrlBlockedError,
        );
    }
});

test('CancelledError (AbortSignal) and CancelledError on close', async () => {
    await withFault({ method: 'GET', path: AGENTS, action: 'delay', delayMs: 1000, always: true }, async () => {
        const controller = new AbortController();
        const pending = cloud.agents.list({ signal: controller.signal });
        setTimeout(() => controller.abort(new Error('user gave up')), 50);
        const e = await expectError(pending, ec.CancelledError);
        assert.equal(e.cause?.message, 'user gave up');
        // An already-aborted signal never starts the request.
        await expectError(cloud.agents.list({ signal: AbortSignal.abort() }), ec.CancelledError);

        const doomed = new ec.Cloud({ ...cloudOptions(emu), apiKey: key, noConfigFile: true });
        const inflight = doomed.agents.list();
        setTimeout(() => doomed.close(), 50);
        await expectError(inflight, ec.CancelledError, (err) => assert.match(err.message, /closed/));
        await expectError(doomed.agents.list(), ec.InvalidArgumentError);
    });
});

test('AgentError (JSON-RPC error from the bridge), NotConnectedError', async () => {
    const { id } = await cloud.agents.create('rpc-errors');
    assert.equal(cloud.proxy, null);
    await expectError(cloud.call('send', { text: 'x' }), ec.NotConnectedError);
    const proxy = await cloud.connect(id);
    try {
        await emu.control('POST', 'bridge/script', {
            agentId: id,
            replies: [{ error: { code: -32000, message: 'Sandbox is not running' } }],
        });
        await expectError(proxy.send('hello'), ec.AgentError, (e) => assert.match(e.message, /Sandbox is not running/));
        await emu.control('POST', 'bridge/script', {
            agentId: id,
            replies: [{ error: { code: -32000, message: 'agent failed mid-stream' } }],
        });
        const stream = proxy.stream('boom');
        let err;
        try {
            for await (const _ of stream) {
                // no chunk expected
            }
        } catch (e) {
            err = e;
        }
        assert.ok(err instanceof ec.ElizaCloudError, `stream failure is an ElizaCloudError (${err})`);
    } finally {
        await emu.control('DELETE', 'bridge/script');
        await cloud.disconnect();
    }
    await expectError(proxy.send('gone'), ec.NotConnectedError);
});

test('ProvisionFailedError (provisioning job fails)', async () => {
    const { id } = await cloud.agents.create('doomed');
    await emu.control('POST', 'provision-failures', { count: 1, message: 'no capacity' });
    try {
        await expectError(cloud.agents.provision(id), ec.ProvisionFailedError, (e) =>
            assert.match(e.message, /no capacity/),
        );
        const states = [];
        cloud.on('state', (ev) => states.push(ev.state));
        await emu.control('POST', 'provision-failures', { count: 1, message: 'still no capacity' });
        await expectError(cloud.connect(id), ec.ProvisionFailedError);
        assert.deepEqual(states.slice(-3), ['connecting', 'error', 'disconnected']);
        cloud.removeAllListeners('state');
    } finally {
        await emu.control('POST', 'provision-failures', { count: 0 });
    }
});

test('a stream read too slowly into a small queue is paused, not cut (no EventOverflowError)', async () => {
    const small = new ec.Cloud({
        ...cloudOptions(emu),
        apiKey: key,
        noConfigFile: true,
        eventQueueCapacity: 8,
    });
    await emu.control('POST', 'config', { streamChunkChars: 1 });
    try {
        const { id } = await small.agents.create('overflow');
        const proxy = await small.connect(id);
        const stream = proxy.stream('x'.repeat(400));
        // Keep the main thread busy until the full queue has paused the stream.
        const end = Date.now() + 60_000;
        while (small.eventStats().streamPauses === 0 && Date.now() < end) {
            // spin
        }
        assert.ok(small.eventStats().streamPauses > 0);
        assert.equal(await stream.collect(), `echo: ${'x'.repeat(400)}`);
        assert.equal(small.eventStats().capacity, 8);
        assert.equal(ec.errorClass(ec.Status.OVERFLOW), ec.EventOverflowError);
        await small.disconnect();
    } finally {
        await emu.control('POST', 'config', { streamChunkChars: 0 });
        await small.close();
    }
});

test('BusyError (second concurrent login), LoginExpiredError, KeyAlreadyRetrievedError, login cancel', async () => {
    await emu.control('POST', 'config', { autoApprove: false, sessionTtlMs: 300 });
    const c = new ec.Cloud({ ...cloudOptions(emu), noConfigFile: true });
    try {
        const first = c.login();
        await expectError(c.login(), ec.BusyError);
        await expectError(first, ec.LoginExpiredError);

        await emu.control('POST', 'config', { sessionTtlMs: 600000 });
        // Cancelling through an AbortSignal (ec_cloud_cancel).
        const controller = new AbortController();
        let url;
        const pending = c.login({
            signal: controller.signal,
            onBrowserUrl: (u) => {
                url = u;
                controller.abort();
            },
        });
        await expectError(pending, ec.CancelledError);
        assert.match(url, /cli-login\?session=/);
        // A new login is accepted as soon as the cancellation was reported.
        // cancelLogin() does the same for every login in progress.
        const p2 = c.login({ onBrowserUrl: () => c.cancelLogin() });
        await expectError(p2, ec.CancelledError);

        await withFault(
            {
                method: 'GET',
                path: '/api/auth/cli-session/*',
                action: 'status',
                status: 200,
                body: { status: 'authenticated', message: 'API key already retrieved' },
            },
            () => expectError(c.login(), ec.KeyAlreadyRetrievedError),
        );
        assert.equal(c.apiKey, null);
    } finally {
        await emu.control('POST', 'config', { autoApprove: true, sessionTtlMs: 600000 });
        await c.close();
    }
});

test('ConfigIOError (the key cannot be saved)', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'not-a-directory');
    (await import('node:fs')).writeFileSync(blocker, 'x');
    let c;
    const attempt = async () => {
        c = new ec.Cloud({ ...cloudOptions(emu), configPath: path.join(blocker, 'milady.json') });
        await c.login();
    };
    try {
        await expectError(attempt(), ec.ConfigIOError);
    } finally {
        await c?.close();
    }
});

test('TlsError (HTTPS emulator, CA not trusted) and success with caFile', async () => {
    const tls = await Emulator.start(['--tls']);
    const tlsKey = await fetchKey(tls);
    const untrusted = new ec.Cloud({ baseUrl: tls.url, insecureLocal: true, apiKey: tlsKey, noConfigFile: true });
    const trusted = new ec.Cloud({
        baseUrl: tls.url,
        insecureLocal: true,
        apiKey: tlsKey,
        noConfigFile: true,
        caFile: tls.caFile,
    });
    try {
        await expectError(untrusted.agents.list(), ec.TlsError);
        assert.deepEqual(await trusted.agents.list(), []);
    } finally {
        await untrusted.close();
        await trusted.close();
        await tls.stop();
    }
});

async function fetchKey(tlsEmu) {
    // Node's fetch does not trust the emulator's CA; use https with it for the control call.
    const https = await import('node:https');
    const fs = await import('node:fs');
    const ca = fs.readFileSync(tlsEmu.caFile);
    return new Promise((resolve, reject) => {
        const req = https.request(
            `${tlsEmu.url}/__emulator/keys`,
            { method: 'POST', ca, headers: { 'content-type': 'application/json' } },
            (res) => {
                let body = '';
                res.on('data', (d) => (body += d));
                res.on('end', () => resolve(JSON.parse(body).apiKey));
            },
        );
        req.on('error', reject);
        req.end('{}');
    });
}
