// Process lifetime: an open cloud keeps the process alive, close() lets it exit by itself,
// unref() lets a daemon exit, and a forgotten cloud is released by the GC backstop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Emulator, PACKAGE_DIR, libraryPath, tempDir } from './support.mjs';

let emu;
before(async () => {
    emu = await Emulator.start();
});
after(async () => {
    await emu?.stop();
});

/** Runs `body` in a child node; resolves {code, signal, ms, stdout, stderr, timedOut}. */
function runChild(body, { timeoutMs = 5000, args = [] } = {}) {
    const dir = tempDir();
    const file = path.join(dir, 'child.cjs');
    fs.writeFileSync(
        file,
        `const ec = require(${JSON.stringify(PACKAGE_DIR)});\nconst url = process.argv[2];\n${body}\n`,
    );
    const env = { ...process.env, ELIZACLOUD_LIBRARY_PATH: libraryPath() };
    return new Promise((resolve) => {
        const start = Date.now();
        const child = spawn(process.execPath, [...args, file, emu.url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        child.on('exit', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, ms: Date.now() - start, stdout, stderr, timedOut });
        });
    });
}

const OPEN = `
const cloud = new ec.Cloud({ baseUrl: url, insecureLocal: true, noConfigFile: true });
`;

test('the process exits by itself after close()', async () => {
    const r = await runChild(`${OPEN}
(async () => {
    const s = await cloud.status();
    console.log('status', s.hasApiKey);
    await cloud.close();
    console.log('closed');
})();`);
    assert.equal(r.timedOut, false, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /status false\nclosed/);
    assert.ok(r.ms < 4000, `exited in ${r.ms} ms`);
});

test('close() without awaiting, while a connection is up, still exits', async () => {
    const r = await runChild(`${OPEN}
(async () => {
    const key = (await (await fetch(url + '/__emulator/keys', { method: 'POST', body: '{}' })).json()).apiKey;
    const c = new ec.Cloud({ baseUrl: url, insecureLocal: true, noConfigFile: true, apiKey: key,
        timings: { heartbeatIntervalMs: 50, jobPollIntervalMs: 50 } });
    const { id } = await c.agents.create('exit-test');
    await c.connect(id);
    c.on('state', () => {});
    cloud.close();
    c.close();
    console.log('closing');
})();`);
    assert.equal(r.timedOut, false, r.stderr);
    assert.equal(r.code, 0, r.stderr);
});

test('an open cloud keeps the process alive; unref() lets it exit', async () => {
    const alive = await runChild(OPEN, { timeoutMs: 1500 });
    assert.equal(alive.timedOut, true, 'still running while the cloud is open');

    const daemon = await runChild(`${OPEN}cloud.unref();`, { timeoutMs: 4000 });
    assert.equal(daemon.timedOut, false, daemon.stderr);
    assert.equal(daemon.code, 0, daemon.stderr);

    const reref = await runChild(`${OPEN}cloud.unref(); cloud.ref();`, { timeoutMs: 1500 });
    assert.equal(reref.timedOut, true);
});

test('a cloud dropped without close() is released by the GC backstop', async () => {
    const r = await runChild(
        `
(function make() {
    new ec.Cloud({ baseUrl: url, insecureLocal: true, noConfigFile: true });
})();
setTimeout(() => { globalThis.gc(); }, 50);
`,
        { timeoutMs: 4000, args: ['--expose-gc'] },
    );
    assert.equal(r.timedOut, false, 'the collected cloud no longer keeps the process alive');
    assert.equal(r.code, 0, r.stderr);
});

test('a pending request keeps its cloud reachable', async () => {
    const r = await runChild(
        `
(async () => {
    const s = await new ec.Cloud({ baseUrl: url, insecureLocal: true, noConfigFile: true }).status();
    globalThis.gc();
    console.log('ok', s.hasApiKey);
    process.exit(0);
})();
setInterval(() => globalThis.gc(), 5).unref();
`,
        { timeoutMs: 4000, args: ['--expose-gc'] },
    );
    assert.equal(r.timedOut, false, r.stderr);
    assert.match(r.stdout, /ok false/);
});

test('version check and library path', async () => {
    const r = await runChild(`console.log(ec.version(), ec.libraryPath());`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^0\.\d+\.\d+ \//);
    const bad = await new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            ['-e', `try { require(${JSON.stringify(PACKAGE_DIR)}).version(); } catch (e) { console.log(e.message); }`],
            { env: { ...process.env, ELIZACLOUD_LIBRARY_PATH: '/nonexistent/libelizacloud.so.0' } },
        );
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', () => resolve(out));
    });
    assert.match(bad, /native library was not found at \/nonexistent/);
});

test('a library of another major version is refused with a clear error', async (t) => {
    const dir = tempDir();
    const src = path.join(dir, 'fake.c');
    const lib = path.join(dir, 'libelizacloud.so.0');
    fs.writeFileSync(
        src,
        'unsigned ec_version(void) { return 0x010203u; }\nconst char *ec_version_string(void) { return "1.2.3"; }\n',
    );
    const cc = spawn('cc', ['-shared', '-fPIC', '-o', lib, src], { stdio: 'ignore' });
    const ok = await new Promise((resolve) => {
        cc.on('error', () => resolve(false));
        cc.on('exit', (code) => resolve(code === 0));
    });
    if (!ok) {
        t.skip('no C compiler');
        return;
    }
    const out = await new Promise((resolve) => {
        const child = spawn(
            process.execPath,
            ['-e', `try { require(${JSON.stringify(PACKAGE_DIR)}).version(); } catch (e) { console.log(e.message); }`],
            { env: { ...process.env, ELIZACLOUD_LIBRARY_PATH: lib } },
        );
        let text = '';
        child.stdout.on('data', (d) => (text += d));
        child.on('exit', () => resolve(text));
    });
    assert.match(out, /is version 1\.2\.3, but this package was written for the 0\.1\+ ABI/);
});
