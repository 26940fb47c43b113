// The package as users get it: the ESM entry, the TypeScript declarations, and `npm pack` →
// `npm install <tarball>` into an empty directory → a short script against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Emulator, PACKAGE_DIR, PREBUILD, ROOT, libraryPath, loadPackage, tempDir } from './support.mjs';

let emu;
before(async () => {
    emu = await Emulator.start();
});
after(async () => {
    await emu?.stop();
});

function run(cmd, args, options = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180000, ...options });
    if (r.status !== 0) {
        throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
    }
    return r.stdout;
}

/** The section names of a 64-bit little-endian ELF file. */
function elfSections(buf) {
    assert.equal(buf.toString('latin1', 1, 4), 'ELF');
    const shoff = Number(buf.readBigUInt64LE(0x28));
    const shentsize = buf.readUInt16LE(0x3a);
    const shnum = buf.readUInt16LE(0x3c);
    const strtab = Number(buf.readBigUInt64LE(shoff + buf.readUInt16LE(0x3e) * shentsize + 0x18));
    const names = [];
    for (let i = 0; i < shnum; i++) {
        const start = strtab + buf.readUInt32LE(shoff + i * shentsize);
        names.push(buf.toString('latin1', start, buf.indexOf(0, start)));
    }
    return names;
}

test('package.json declares the platform its prebuild is for', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.os, ['linux']);
    assert.deepEqual(pkg.cpu, ['x64']);
    assert.equal(pkg.scripts.prepack, 'node scripts/prepack.js');
});

test('npm pack fails when the native library is missing', () => {
    const copy = tempDir('elizacloud-nolib-');
    for (const name of ['package.json', 'index.js', 'index.mjs', 'index.d.ts', 'README.md', 'lib', 'scripts']) {
        fs.cpSync(path.join(PACKAGE_DIR, name), path.join(copy, name), { recursive: true });
    }
    const r = spawnSync('npm', ['pack', '--pack-destination', tempDir()], { cwd: copy, encoding: 'utf8', timeout: 180000 });
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /prebuilds\/linux-x64\/libelizacloud\.so\.0 is missing/);
    assert.equal(fs.readdirSync(copy).filter((f) => f.endsWith('.tgz')).length, 0);
});

test('the ESM entry exports the same objects as the CommonJS one', async () => {
    const cjs = loadPackage();
    const esm = await import(path.join(PACKAGE_DIR, 'index.mjs'));
    assert.equal(esm.Cloud, cjs.Cloud);
    assert.equal(esm.default, cjs);
    for (const name of Object.keys(cjs)) assert.equal(esm[name], cjs[name], name);
    const pkg = createRequire(import.meta.url)(path.join(PACKAGE_DIR, 'package.json'));
    assert.equal(pkg.exports['.'].import, './index.mjs');
    assert.deepEqual(Object.keys(pkg.dependencies), ['koffi']);
});

test('index.d.ts type-checks against a program using the whole API (tsc --noEmit)', (t) => {
    const tsc = path.join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
    if (process.env.EC_TSC_CHECKED === '1') {
        t.skip('scripts/test.sh already ran tsc --noEmit -p tests/node');
        return;
    }
    if (!fs.existsSync(tsc)) {
        t.skip('typescript is not installed (run scripts/setup.sh)');
        return;
    }
    run(process.execPath, [tsc, '-p', path.join(ROOT, 'tests', 'node', 'tsconfig.json')]);
});

test('npm pack → install the tarball into an empty directory → it works', async () => {
    if (!fs.existsSync(PREBUILD)) {
        // Stage the library the way the EC_BUILD_NODE build and scripts/test.sh do.
        fs.mkdirSync(path.dirname(PREBUILD), { recursive: true });
        fs.copyFileSync(libraryPath(), PREBUILD);
    }
    const dest = tempDir('elizacloud-pack-');
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: PACKAGE_DIR }));
    const files = packed[0].files.map((f) => f.path);
    for (const f of [
        'package.json',
        'index.js',
        'index.mjs',
        'index.d.ts',
        'README.md',
        'lib/client.js',
        'lib/native.js',
        `prebuilds/${process.platform}-${process.arch}/libelizacloud.so.0`,
    ]) {
        assert.ok(files.includes(f), `${f} in the tarball (${files.join(', ')})`);
    }
    assert.ok(!files.some((f) => f.startsWith('node_modules/')));
    assert.ok(!files.some((f) => f.startsWith('scripts/')), 'the pack script stays out');
    const tarball = path.join(dest, packed[0].filename);

    const app = tempDir('elizacloud-app-');
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app });

    fs.writeFileSync(
        path.join(app, 'main.js'),
        `import { Cloud, version, libraryPath } from 'elizacloud';
const cloud = new Cloud({ baseUrl: process.argv[2], insecureLocal: true, noConfigFile: true,
    timings: { jobPollIntervalMs: 50, loginPollIntervalMs: 50 } });
try {
    const login = await cloud.login();
    const agent = await cloud.agents.create('packed');
    const proxy = await cloud.connect(agent.id);
    const reply = await proxy.send('from the tarball');
    let streamed = '';
    for await (const c of proxy.stream('streamed')) streamed += c;
    await cloud.disconnect();
    console.log(JSON.stringify({ version: version(), lib: libraryPath(), prefix: login.keyPrefix,
        reply, streamed, env: process.env.ELIZAOS_CLOUD_ENABLED }));
} finally {
    await cloud.close();
}
`,
    );
    const env = { ...process.env };
    delete env.ELIZACLOUD_LIBRARY_PATH;
    const out = run(process.execPath, ['main.js', emu.url], { cwd: app, env, timeout: 30000 });
    const result = JSON.parse(out.trim().split('\n').pop());
    assert.match(result.version, /^0\.\d+\.\d+$/);
    assert.ok(
        result.lib.startsWith(path.join(app, 'node_modules', 'elizacloud', 'prebuilds')),
        `loaded from the installed package: ${result.lib}`,
    );
    assert.match(result.prefix, /^eliza_/);
    assert.equal(result.reply, 'echo: from the tarball');
    assert.equal(result.streamed, 'echo: streamed');
    assert.equal(result.env, 'true');
    // The packed library is stripped: no symbol table, no debug info (the dynamic symbols stay).
    const sections = elfSections(fs.readFileSync(result.lib));
    assert.ok(sections.includes('.dynsym'), sections.join(' '));
    assert.ok(!sections.includes('.symtab') && !sections.some((s) => s.startsWith('.debug')), sections.join(' '));
    // CommonJS consumers get the same package.
    const cjs = run(process.execPath, ['-e', "console.log(typeof require('elizacloud').Cloud)"], { cwd: app, env });
    assert.equal(cjs.trim(), 'function');
});
