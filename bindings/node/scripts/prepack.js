'use strict';
// `npm pack` / `npm publish` run this first: the package must carry its native library, and
// carry it stripped (a release build keeps its symbol table and debug info: tens of megabytes
// nobody installing the package needs). Packing fails when the library is missing or cannot be
// stripped, rather than producing a package that cannot load or is needlessly large.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_DIR = path.join(__dirname, '..');
const pkg = require(path.join(PACKAGE_DIR, 'package.json'));
const LIBRARY = 'libelizacloud.so.0';

function fail(message) {
    process.stderr.write(`elizacloud prepack: ${message}\n`);
    process.exit(1);
}

// One prebuild per declared platform (package.json "os" × "cpu").
for (const os of pkg.os) {
    for (const cpu of pkg.cpu) {
        const dir = `${os}-${cpu}`;
        const file = path.join(PACKAGE_DIR, 'prebuilds', dir, LIBRARY);
        let stat;
        try {
            stat = fs.statSync(file);
        } catch {
            fail(
                `prebuilds/${dir}/${LIBRARY} is missing: build with \`cmake -DEC_BUILD_NODE=ON\` ` +
                    `(it stages the library there) or copy build/release/core/${LIBRARY} into ` +
                    `prebuilds/${dir}/, then pack again.`,
            );
        }
        if (!stat.isFile() || stat.size === 0) fail(`prebuilds/${dir}/${LIBRARY} is not a library file`);
        // --strip-unneeded keeps the dynamic symbol table, which is what koffi loads from. The
        // stripped copy replaces the file by rename, a new inode: a process that has the library
        // loaded (a test run) keeps its mapping intact, and a symbolic link into a build
        // directory is replaced rather than followed, so the build's own library is left alone.
        const strip = process.env.STRIP || 'strip';
        const stripped = `${file}.stripped-${process.pid}`;
        const r = spawnSync(strip, ['--strip-unneeded', '-o', stripped, file], { encoding: 'utf8' });
        if (r.error || r.status !== 0) {
            fs.rmSync(stripped, { force: true });
            fail(
                `cannot strip prebuilds/${dir}/${LIBRARY} with \`${strip}\` ` +
                    `(${r.error ? r.error.message : r.stderr.trim()}); install binutils or set STRIP.`,
            );
        }
        fs.chmodSync(stripped, 0o755);
        fs.renameSync(stripped, file);
        const after = fs.statSync(file).size;
        process.stderr.write(`elizacloud prepack: prebuilds/${dir}/${LIBRARY} stripped ` +
            `(${stat.size} → ${after} bytes)\n`);
    }
}
