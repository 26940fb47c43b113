// node_stream_bench: stream chunk events through the Node package's async iterator
// (`for await (const chunk of proxy.stream(text))`). The source is sse_bench's replay server
// (`sse_bench --serve 1`), as for python_stream_bench.py: the emulator's reply to a long message
// in one-character chunks, recorded once and served whole from memory for every stream request.
// Figure = chunks per second, median (min-max) over the rounds, and the process's CPU time per
// chunk. Prints ROW lines as the C benchmarks do, for scripts/bench.sh.
//
// Usage: node tests/bench/node_stream_bench.mjs [--rounds N] [--chars N]
// Needs EC_BUILD_DIR (a build with tests/bench/sse_bench and core/libelizacloud.so.0); the
// package in bindings/node loads that library (ELIZACLOUD_LIBRARY_PATH).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.resolve(process.env.EC_BUILD_DIR ?? 'build/release');
process.env.ELIZACLOUD_LIBRARY_PATH = path.join(buildDir, 'core', 'libelizacloud.so.0');
const { Cloud } = createRequire(import.meta.url)(path.join(here, '..', '..', 'bindings', 'node'));

function option(name, fallback) {
    const at = process.argv.indexOf(name);
    return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const rounds = option('--rounds', 7);
const chars = option('--chars', 100_000);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const figure = (rates) =>
    `${(median(rates) / 1000).toFixed(0)} k/s (${(Math.min(...rates) / 1000).toFixed(0)}-` +
    `${(Math.max(...rates) / 1000).toFixed(0)})`;
const cpuMicros = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
};

const replay = spawn(path.join(buildDir, 'tests', 'bench', 'sse_bench'),
    ['--serve', '1', '--chars', String(chars)], { stdio: ['pipe', 'pipe', 'ignore'] });
const source = JSON.parse(await new Promise((resolve, reject) => {
    readline.createInterface({ input: replay.stdout }).once('line', resolve);
    replay.once('exit', () => reject(new Error('sse_bench --serve exited')));
}));

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'node-stream-bench-'));
const rates = [];
const cpu = [];
let cloud = null;
try {
    cloud = new Cloud({
        baseUrl: source.url,
        apiKey: source.apiKey,
        configPath: path.join(folder, 'n.json'),
        insecureLocal: true,
    });
    const agent = await cloud.agents.create('bench-node');
    const proxy = await cloud.connect(agent.id);
    for (let r = 0; r < rounds; ++r) {
        let count = 0;
        const start = process.hrtime.bigint();
        const cpu0 = cpuMicros();
        for await (const _chunk of proxy.stream('go')) ++count;
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (count !== source.chunks) throw new Error(`${count} chunks, expected ${source.chunks}`);
        rates.push(count / seconds);
        cpu.push((cpuMicros() - cpu0) / count);
    }
    await cloud.disconnect();
} finally {
    // Closed on a failure too: an open cloud's wake socket would keep the process alive.
    await cloud?.close();
    replay.stdin.end();
    fs.rmSync(folder, { recursive: true, force: true });
}
console.log(`ROW|SSE chunks through the Node async iterator|-|${figure(rates)}|-|-|-`);
console.log(`ROW|  same, process CPU per chunk (library + Node)|-|${median(cpu).toFixed(2)} µs|-|-|-`);
