// The dashboard's api.js (core/data/dashboard) without a browser: the SSE parser on every way a
// stream can be cut into chunks, the #token= fragment, which 401s ask for the token, and the
// fetch-based stream reader. The page itself is tested in Chromium (test_dashboard_browser.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// api.js is a browser ES module (no imports of its own): load it from its text.
const source = readFileSync(new URL('../../core/data/dashboard/api.js', import.meta.url), 'utf8');
const api = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

function parse(chunks) {
    const events = [];
    const retries = [];
    const parser = new api.SseParser((name, data) => events.push([name, data]), (ms) => retries.push(ms));
    for (const chunk of chunks) parser.push(chunk);
    return { events, retries };
}

const STREAM =
    ': elizacloud connection-state events\r\nretry: 3000\r\n\r\n' +
    'event: snapshot\r\ndata: {"state":"disconnected","agentId":null}\r\n\r\n' +
    'event: chunk\ndata:{"text":"a"}\n\n' + // no space after the colon
    'data: line one\rdata: line two\r\r' + // CR endings, two data lines, default name
    'event: only-a-name\n\n' + // no data: not dispatched
    ': keep-alive\n\n' +
    'event: done\ndata: {"text":"ab"}\n\n' +
    'event: cut\ndata: never finished';
const EXPECTED = [
    ['snapshot', '{"state":"disconnected","agentId":null}'],
    ['chunk', '{"text":"a"}'],
    ['message', 'line one\nline two'],
    ['done', '{"text":"ab"}'],
];

test('the SSE parser reads every field, line ending and comment', () => {
    const { events, retries } = parse([STREAM]);
    assert.deepEqual(events, EXPECTED);
    assert.deepEqual(retries, [3000]);
});

test('the SSE parser gives the same events however the stream is cut', () => {
    for (let i = 0; i <= STREAM.length; i += 1) {
        for (const j of [i, Math.min(STREAM.length, i + 1), Math.min(STREAM.length, i + 7)]) {
            const { events } = parse([STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)]);
            assert.deepEqual(events, EXPECTED, `cut at ${i} and ${j}`);
        }
    }
    // One character at a time, a CRLF split across two chunks included.
    assert.deepEqual(parse([...STREAM]).events, EXPECTED);
});

// A browser-like global scope for the token functions.
function browserGlobals(href) {
    const url = new URL(href);
    const store = new Map();
    const replaced = [];
    globalThis.location = {
        get hash() { return url.hash; },
        get pathname() { return url.pathname; },
        get search() { return url.search; },
    };
    globalThis.history = {
        replaceState(_state, _title, next) {
            replaced.push(next);
            const moved = new URL(next, url);
            url.hash = moved.hash;
        },
    };
    globalThis.sessionStorage = {
        getItem: (k) => (store.has(k) ? store.get(k) : null),
        setItem: (k, v) => store.set(k, String(v)),
    };
    return { store, replaced };
}

test('the token moves from the fragment to sessionStorage and the fragment goes away', () => {
    const { store, replaced } = browserGlobals('http://127.0.0.1:2138/?x=1#token=s3cret&tab=chat');
    api.adoptTokenFromFragment();
    assert.equal(store.get('elizacloud.token'), 's3cret');
    assert.equal(api.getToken(), 's3cret');
    assert.deepEqual(replaced, ['/?x=1#tab=chat']);

    const other = browserGlobals('http://127.0.0.1:2138/#token=t%2B1');
    api.adoptTokenFromFragment();
    assert.equal(other.store.get('elizacloud.token'), 't+1');
    assert.deepEqual(other.replaced, ['/']);

    const none = browserGlobals('http://127.0.0.1:2138/#main');
    api.adoptTokenFromFragment();
    assert.deepEqual(none.replaced, []); // an ordinary fragment stays
    assert.equal(none.store.size, 0);
});

function fakeFetch(responses, seen) {
    globalThis.fetch = async (path, init) => {
        seen.push({ path, init });
        return responses.shift();
    };
}

test('only the token check\'s 401 asks for the token; errors keep the server\'s words', async () => {
    browserGlobals('http://127.0.0.1:2138/');
    api.setToken('tok');
    let asked = 0;
    api.setUnauthorizedHandler(() => { asked += 1; });
    const seen = [];
    const json = (status, body) => new Response(JSON.stringify(body), {
        status, headers: { 'Content-Type': 'application/json' },
    });
    fakeFetch([
        json(401, { error: 'Not connected to Eliza Cloud' }),
        json(401, { error: 'Unauthorized' }),
        json(409, { error: 'No agent is connected' }),
        json(201, { ok: true, agent: { id: 'a' } }),
    ], seen);

    await assert.rejects(api.api('GET', '/api/cloud/agents'),
        { status: 401, message: 'Not connected to Eliza Cloud' });
    assert.equal(asked, 0);
    await assert.rejects(api.api('GET', '/api/cloud/status'), { status: 401 });
    assert.equal(asked, 1);
    await assert.rejects(api.api('POST', '/api/cloud/chat', { text: 'hi' }),
        { status: 409, message: 'No agent is connected' });
    assert.deepEqual(await api.api('POST', '/api/cloud/agents', { agentName: 'x' }),
        { ok: true, agent: { id: 'a' } });
    for (const { init } of seen) assert.equal(init.headers.Authorization, 'Bearer tok');
    assert.equal(seen[2].init.body, '{"text":"hi"}');
    assert.equal(seen[2].init.headers['Content-Type'], 'application/json');

    fakeFetch([Promise.reject(new TypeError('fetch failed'))], seen);
    await assert.rejects(api.api('GET', '/api/cloud/status'), { status: 0, message: /Cannot reach/ });
});

test('stream() hands over events as the bytes arrive and reports a drop', async () => {
    browserGlobals('http://127.0.0.1:2138/');
    const encoder = new TextEncoder();
    let pushMore;
    const body = new ReadableStream({
        start(controller) {
            controller.enqueue(encoder.encode('event: chunk\ndata: {"text":"he'));
            pushMore = () => {
                controller.enqueue(encoder.encode('llo"}\n\nevent: done\ndata: {"text":"hello"}\n\n'));
                controller.close();
            };
        },
    });
    fakeFetch([new Response(body, { headers: { 'Content-Type': 'text/event-stream' } })], []);
    const events = [];
    let opened = false;
    const done = api.stream('POST', '/api/cloud/chat/stream', { text: 'x' },
        (name, data) => events.push([name, data]), { onOpen: () => { opened = true; } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(opened, true);
    assert.deepEqual(events, []); // half an event: nothing yet
    pushMore();
    await done;
    assert.deepEqual(events, [['chunk', { text: 'hello' }], ['done', { text: 'hello' }]]);

    const broken = new ReadableStream({
        start(controller) {
            controller.enqueue(encoder.encode('event: chunk\ndata: {"text":"a"}\n\n'));
            setTimeout(() => controller.error(new TypeError('network error')), 20);
        },
    });
    fakeFetch([new Response(broken, { headers: { 'Content-Type': 'text/event-stream' } })], []);
    const got = [];
    await assert.rejects(api.stream('GET', '/api/cloud/events', undefined, (n) => got.push(n)),
        { status: 0, message: /dropped/ });
    assert.deepEqual(got, ['chunk']);

    // An error before the stream starts is the JSON error, like any request.
    fakeFetch([new Response('{"error":"text is required"}', {
        status: 400, headers: { 'Content-Type': 'application/json' } })], []);
    await assert.rejects(api.stream('POST', '/api/cloud/chat/stream', { text: '' }, () => {}),
        { status: 400, message: 'text is required' });
});
