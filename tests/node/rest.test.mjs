// cloud.restDispatch() mounted in a node:http server: login through the local REST API, the
// environment export, the event stream written as it comes, and paths that are not ours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Emulator, FAST_ARGS, cloudOptions, loadPackage } from './support.mjs';

const ec = loadPackage();
let emu;

before(async () => {
    emu = await Emulator.start(FAST_ARGS);
});
after(async () => {
    await emu?.stop();
});

// The whole mount: every request goes to the cloud; streams are piped as they come.
function mount(cloud) {
    return http.createServer(async (req, res) => {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const headers = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = String(value);
        const r = await cloud.restDispatch(req.method, req.url, { headers, body: Buffer.concat(chunks) });
        if (!r.handled) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('host route');
            return;
        }
        res.writeHead(r.status, r.headers);
        if (!r.stream) {
            res.end(r.body);
            return;
        }
        res.on('close', () => r.stream.close());
        for await (const piece of r.stream) {
            if (!res.write(piece)) await new Promise((ok) => res.once('drain', ok));
        }
        res.end();
    });
}

async function listen(server) {
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${server.address().port}`;
}

test('login, status and disconnect through a mounted dispatcher', async () => {
    delete process.env.ELIZAOS_CLOUD_API_KEY;
    const cloud = new ec.Cloud(cloudOptions(emu));
    const server = mount(cloud);
    const base = await listen(server);
    try {
        const started = await (await fetch(`${base}/api/cloud/login`, { method: 'POST' })).json();
        assert.equal(started.ok, true);
        const poll = await fetch(`${base}/api/cloud/login/status?sessionId=${started.sessionId}`);
        const done = await poll.json();
        assert.equal(done.status, 'authenticated');
        assert.equal(process.env.ELIZAOS_CLOUD_API_KEY, cloud.apiKey);
        assert.equal(done.keyPrefix, cloud.apiKey.slice(0, 12));

        const status = await (await fetch(`${base}/api/cloud/status`)).json();
        assert.equal(status.connected, true);
        const elsewhere = await fetch(`${base}/health`);
        assert.equal(await elsewhere.text(), 'host route');

        const r = await cloud.restDispatch('POST', '/api/cloud/agents', { body: '{' });
        assert.equal(r.status, 400);
        assert.deepEqual(JSON.parse(r.body), { error: 'Invalid JSON in request body' });

        const bye = await fetch(`${base}/api/cloud/disconnect`, { method: 'POST' });
        assert.deepEqual(await bye.json(), { ok: true, status: 'disconnected' });
        assert.equal(process.env.ELIZAOS_CLOUD_API_KEY, undefined);
    } finally {
        server.closeAllConnections();
        server.close();
        await cloud.close();
    }
});

test('the event stream reaches an HTTP client as states change', async () => {
    const cloud = new ec.Cloud(cloudOptions(emu));
    const server = mount(cloud);
    const base = await listen(server);
    const controller = new AbortController();
    try {
        const key = await emu.createKey();
        await cloud.restDispatch('POST', '/api/cloud/disconnect'); // start clean
        const events = await fetch(`${base}/api/cloud/events`, { signal: controller.signal });
        assert.equal(events.headers.get('content-type'), 'text/event-stream');
        const reader = events.body.getReader();
        let text = '';
        const readUntil = async (needle) => {
            while (!text.includes(needle)) {
                const { value, done } = await reader.read();
                if (done) throw new Error(`stream ended before ${needle}: ${text}`);
                text += Buffer.from(value).toString();
            }
        };
        await readUntil('event: snapshot');

        // Log in with a key directly, then connect through the REST API.
        const keyed = new ec.Cloud(cloudOptions(emu, { apiKey: key }));
        const agent = await keyed.agents.create('watched');
        await keyed.close();
        const login = await cloud.restDispatch('POST', '/api/cloud/login');
        const session = JSON.parse(login.body).sessionId;
        await cloud.restDispatch('GET', `/api/cloud/login/status?sessionId=${session}`);
        const connected = await cloud.restDispatch('POST', `/api/cloud/agents/${agent.id}/connect`);
        assert.equal(connected.status, 200, connected.body.toString());
        await readUntil('"state":"connected"');
        assert.match(text, /event: state\ndata: \{"state":"connecting","previousState":"disconnected"/);
        await cloud.restDispatch('POST', '/api/cloud/disconnect');
        await readUntil('"state":"disconnected"');
    } finally {
        controller.abort();
        server.closeAllConnections();
        server.close();
        await cloud.close();
    }
});
