// Uploads from Node: speech to text, voice cloning and knowledge files given as paths, file URLs,
// {path} and {data: Buffer, filename}; the limits the library checks before sending; and
// request({files, form}), on both generations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Emulator, loadPackage, requestsSeen, withKeyedCloud } from './support.mjs';

const ec = loadPackage();
const MP3 = Buffer.concat([Buffer.from('ID3\x04'), Buffer.alloc(796, 0x55)]);
const emulators = {};
let dir;

before(async () => {
    emulators.milady = await Emulator.start(['--generation', 'milady']);
    emulators.eliza = await Emulator.start(['--generation', 'eliza']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec-node-upload-'));
});
after(async () => {
    await emulators.milady?.stop();
    await emulators.eliza?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

function withCloud(generation, fn) {
    return withKeyedCloud(ec, emulators[generation], fn);
}

const seen = requestsSeen;

for (const generation of ['milady', 'eliza']) {
    test(`${generation}: every form of file reaches the route`, async () => {
        const memo = path.join(dir, 'memo.mp3');
        fs.writeFileSync(memo, MP3);
        await withCloud(generation, async (cloud, emu) => {
            const heard = async (audio, options) => (await cloud.voices.transcribe(audio, options)).transcript;
            assert.equal(await heard(memo, { languageCode: 'en' }), '800 bytes of audio/mpeg audio from memo.mp3 (en)');
            assert.match(await heard(pathToFileURL(memo)), /from memo\.mp3$/);
            assert.match(await heard({ path: memo, filename: 'x.mp3' }), /from x\.mp3$/);
            assert.match(await heard({ data: MP3, filename: 'mem.mp3' }), /800 bytes .* from mem\.mp3$/);
            assert.match(await heard({ data: new Uint8Array(MP3), filename: 'u8.mp3' }), /from u8\.mp3$/);
            assert.equal(await seen(emu, 'POST /api/v1/voice/stt'), 5);  // a fresh emulator per generation

            const cloned = await cloud.voices.clone('Node voice', 'instant', [memo, { data: MP3, filename: 'b.mp3' }]);
            assert.equal(cloned.voice.sampleCount, 2);
            const notes = path.join(dir, 'notes.txt');
            fs.writeFileSync(notes, 'Volcanoes vent magma and ash.');
            const up = await cloud.knowledge.upload([notes]);
            assert.equal(up.successCount, 1);
            assert.match((await cloud.knowledge.query('volcanoes magma')).results[0].content, /^Volcanoes/);

            const raw = await cloud.request('POST', '/api/v1/voice/stt', {
                files: { audio: { data: MP3, filename: 'r.mp3' } },
                form: { languageCode: 'pt' },
            });
            assert.match(raw.json().transcript, /from r\.mp3 \(pt\)$/);
        });
    });
}

test('files are refused before sending', async () => {
    await withCloud('milady', async (cloud, emu) => {
        const stt = await seen(emu, 'POST /api/v1/voice/stt');
        const uploads = await seen(emu, 'POST /api/v1/knowledge/upload-file');
        await assert.rejects(cloud.voices.transcribe(MP3), (e) => e instanceof ec.InvalidArgumentError && /file name/.test(e.message));
        await assert.rejects(cloud.voices.transcribe({ data: 'SUQz', filename: 'a.mp3' }), /Uint8Array/);
        await assert.rejects(cloud.voices.transcribe({ path: '/x.mp3', size: 1 }), /unknown member "size"/);
        await assert.rejects(cloud.voices.transcribe(path.join(dir, 'missing.mp3')), /no such file/);
        await assert.rejects(cloud.voices.transcribe({ data: MP3, filename: 'a.txt' }), /not a type the cloud takes/);
        const six = Array.from({ length: 6 }, () => ({ data: Buffer.from('a'), filename: 'a.txt' }));
        await assert.rejects(cloud.knowledge.upload(six), /at most 5 files at a time/);
        await assert.rejects(cloud.knowledge.upload('a.txt'), /array of files/);
        await assert.rejects(cloud.request('POST', '/api/v1/voice/stt', { files: [MP3] }), /files must be an object/);
        assert.equal(await seen(emu, 'POST /api/v1/voice/stt'), stt);
        assert.equal(await seen(emu, 'POST /api/v1/knowledge/upload-file'), uploads);
    });
});

test('maxRetries per call replaces the client maxRetries for one call', async () => {
    await withCloud('milady', async (cloud, emu) => {
        const before = await seen(emu, 'GET /api/v1/models');
        await emu.control('POST', 'faults', {
            method: 'GET', path: '/api/v1/models', times: 1, action: 'status', status: 503,
            headers: { 'Retry-After': '0' },
        });
        await assert.rejects(cloud.models.list({ maxRetries: 0 }), ec.ServerError);
        assert.equal(await seen(emu, 'GET /api/v1/models'), before + 1);
        await emu.control('POST', 'faults', {
            method: 'GET', path: '/api/v1/models', times: 3, action: 'status', status: 503,
            headers: { 'Retry-After': '0' },
        });
        assert.ok((await cloud.models.list({ maxRetries: 3 })).data.length > 0);
        assert.equal(await seen(emu, 'GET /api/v1/models'), before + 5);
        await assert.rejects(cloud.models.list({ maxRetries: 11 }), /maxRetries must be 0 to 10/);
        await assert.rejects(cloud.messages.stream('m', 1, [], { maxRetries: 1 }), /unknown option "maxRetries"/);
    });
});
