// Shared helpers of the Node test suite (not a test file itself): locating the native library
// and the emulator, starting an emulator per test file, and small waiting utilities.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_DIR = path.join(ROOT, 'bindings', 'node');
export const PREBUILD = path.join(
    PACKAGE_DIR,
    'prebuilds',
    `${process.platform}-${process.arch}`,
    'libelizacloud.so.0',
);

function newest(candidates) {
    const existing = candidates.filter((p) => fs.existsSync(p));
    existing.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    return existing[0];
}

function buildDirs() {
    const dirs = [];
    if (process.env.EC_BUILD_DIR) dirs.push(path.resolve(ROOT, process.env.EC_BUILD_DIR));
    dirs.push(path.join(ROOT, 'build', 'release'));
    return dirs;
}

function otherBuilds(rel) {
    const base = path.join(ROOT, 'build');
    if (!fs.existsSync(base)) return [];
    return fs
        .readdirSync(base)
        .filter((d) => !/asan|tsan|fuzz/.test(d)) // a sanitizer build cannot be loaded into node
        .map((d) => path.join(base, d, rel));
}

/** A build artifact: $envVar, else `preferred` if it exists, else EC_BUILD_DIR, build/release, newest build. */
function artifact(envVar, rel, preferred) {
    if (process.env[envVar]) return process.env[envVar];
    if (preferred && fs.existsSync(preferred)) return preferred;
    for (const dir of buildDirs()) {
        const p = path.join(dir, rel);
        if (fs.existsSync(p)) return p;
    }
    const found = newest(otherBuilds(rel));
    if (!found) throw new Error(`${path.basename(rel)} not found: build it or set ${envVar}`);
    return found;
}

/** The library the tests load: $ELIZACLOUD_LIBRARY_PATH, the staged prebuild, else a build dir. */
export function libraryPath() {
    return artifact('ELIZACLOUD_LIBRARY_PATH', path.join('core', 'libelizacloud.so.0'), PREBUILD);
}

/** The emulator binary: $EC_EMULATOR, $EC_BUILD_DIR, build/release, else the newest build. */
export function emulatorPath() {
    return artifact('EC_EMULATOR', path.join('tests', 'emulator', 'elizacloud-emulator'));
}

/** The package under test (bindings/node), loading the library found above. */
export function loadPackage() {
    if (!process.env.ELIZACLOUD_LIBRARY_PATH && !fs.existsSync(PREBUILD)) {
        process.env.ELIZACLOUD_LIBRARY_PATH = libraryPath();
    }
    // Clouds read these when an option is not given: the developer's own must not leak in.
    for (const name of ['ELIZACLOUD_API_KEY', 'ELIZACLOUD_BASE_URL', 'ELIZAOS_CLOUD_API_KEY']) {
        delete process.env[name];
    }
    const ec = createRequire(import.meta.url)(PACKAGE_DIR);
    // The package's default is 'warn' (ELIZACLOUD_LOG changes it); EC_NODE_TEST_LOG_LEVEL here.
    ec.setLogLevel(process.env.EC_NODE_TEST_LOG_LEVEL ?? 'warn');
    return ec;
}

export const FAST_ARGS = ['--auto-approve', '--provision-ms', '50', '--job-poll-interval-ms', '50'];

/** A running emulator: url, control(), stop(). */
export class Emulator {
    static async start(args = FAST_ARGS) {
        const emu = new Emulator();
        await emu.#start(args);
        return emu;
    }

    async #start(args) {
        this.proc = spawn(emulatorPath(), ['--port', '0', ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        this.stderr = '';
        this.proc.stderr.on('data', (d) => {
            this.stderr += d;
        });
        const lines = readline.createInterface({ input: this.proc.stdout });
        const first = await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`emulator did not start: ${this.stderr}`)), 15000);
            lines.once('line', (line) => {
                clearTimeout(timer);
                resolve(line);
            });
            this.proc.once('exit', (code) => {
                clearTimeout(timer);
                reject(new Error(`emulator exited (${code}): ${this.stderr}`));
            });
        });
        const info = JSON.parse(first);
        this.url = info.url;
        this.caFile = info.caFile;
    }

    /** Control API call (/__emulator/<p>); JSON result, throws on >= 400. */
    async control(method, p, body) {
        const url = `${this.url}/__emulator/${p.replace(/^\/?(__emulator\/)?/, '')}`;
        const init = {
            method,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            body: body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body),
        };
        let res;
        try {
            res = await fetch(url, init);
        } catch (err) {
            // A pooled keep-alive connection the emulator closed for idleness (after a long
            // test step) fails the request before the server saw it: one retry on a new one.
            if (err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
            res = await fetch(url, init);
        }
        const text = await res.text();
        const data = text ? JSON.parse(text) : null;
        if (res.status >= 400) throw new Error(`control ${method} ${p}: ${res.status} ${text}`);
        return data;
    }

    addFault(rule) {
        return this.control('POST', 'faults', rule);
    }

    clearFaults() {
        return this.control('DELETE', 'faults');
    }

    /** A new API key: of the default organization, or of a new one (no agents, own credits). */
    async createKey({ newOrganization = false } = {}) {
        const body = newOrganization ? { organizationId: crypto.randomUUID() } : {};
        return (await this.control('POST', 'keys', body)).apiKey;
    }

    async agentState(id) {
        const state = await this.control('GET', 'state');
        return state.agents.find((a) => a.id === id);
    }

    /** Plain cloud request (fresh fetch, no redirects followed). */
    async request(method, p, { key, body } = {}) {
        const headers = {};
        if (key) headers['x-api-key'] = key;
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(`${this.url}${p}`, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            redirect: 'manual',
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
    }

    async stop() {
        if (!this.proc || this.proc.exitCode !== null) return;
        const exited = new Promise((resolve) => this.proc.once('exit', resolve));
        this.proc.kill('SIGTERM');
        const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
    }
}

/** A fresh temporary directory (removed by the returned cleanup). */
export function tempDir(prefix = 'elizacloud-node-') {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Fast timings for clouds under test. */
export const FAST_TIMINGS = {
    heartbeatIntervalMs: 100,
    heartbeatMaxFailures: 2,
    reconnectInitialDelayMs: 50,
    reconnectMaxDelayMs: 200,
    backupIntervalMs: 60000,
    finalSnapshotTimeoutMs: 2000,
    loginPollIntervalMs: 50,
    loginTimeoutMs: 10000,
    requestTimeoutMs: 5000,
    jobPollIntervalMs: 50,
    jobTimeoutMs: 10000,
};

/** Options for a cloud against `emu`, with its own config file in a temp dir. */
export function cloudOptions(emu, extra = {}) {
    const dir = tempDir();
    return {
        baseUrl: emu.url,
        insecureLocal: true,
        configPath: path.join(dir, 'milady.json'),
        ...extra,
        timings: { ...FAST_TIMINGS, ...(extra.timings ?? {}) },
    };
}

/** Resolves when `predicate()` is truthy (polled), rejects after `timeoutMs`. */
export async function waitFor(predicate, timeoutMs = 5000, what = 'condition') {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await predicate();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** Runs fn(cloud, emu) with a Cloud of a fresh key of emu, closed afterwards. */
export async function withKeyedCloud(ec, emu, fn) {
    const cloud = new ec.Cloud(cloudOptions(emu, { apiKey: await emu.createKey() }));
    try {
        await fn(cloud, emu);
    } finally {
        await cloud.close();
    }
}

/** How many requests the emulator saw on a route ("GET /api/v1/models"). */
export async function requestsSeen(emu, route) {
    const state = await emu.control('GET', 'state');
    return Number(state.requests[route] ?? 0);
}
