'use strict';
// Files to upload (knowledge files, speech-to-text audio, voice samples, request({files})), as the
// JSON the C ABI takes: a path string (the library streams the file from disk while sending),
// {path, filename?, contentType?}, or {data: base64, filename, contentType?} for bytes in memory.
// The library checks the route's limits (count, size, accepted types) before anything is sent.

const { invalid } = require('./errors');

function isBytes(value) {
    return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

function base64(bytes) {
    const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('base64');
}

/** One file: a path, {path, filename?, contentType?} or {data: Uint8Array, filename, contentType?}. */
function fileParam(value, what = 'file') {
    if (typeof value === 'string') return value;
    if (value instanceof URL && value.protocol === 'file:') return require('node:url').fileURLToPath(value);
    if (isBytes(value)) throw invalid(`${what}: bytes need a file name: pass {data, filename}`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw invalid(`${what}: a file is a path, {path, filename?, contentType?} or {data, filename, contentType?}`);
    }
    for (const key of Object.keys(value)) {
        if (!['path', 'data', 'filename', 'contentType'].includes(key)) {
            throw invalid(`${what}: unknown member "${key}" (a file is {path | data, filename, contentType})`);
        }
    }
    const hasPath = value.path !== undefined && value.path !== null;
    const hasData = value.data !== undefined && value.data !== null;
    if (hasPath === hasData) throw invalid(`${what}: give either path or data`);
    const out = {};
    if (hasPath) {
        out.path = value.path instanceof URL ? require('node:url').fileURLToPath(value.path) : value.path;
    } else {
        if (!isBytes(value.data)) throw invalid(`${what}: data must be a Uint8Array or Buffer`);
        out.data = base64(value.data);
    }
    if (value.filename !== undefined) out.filename = value.filename;
    if (value.contentType !== undefined) out.contentType = value.contentType;
    return out;
}

/** request({files}): {field: file | file[]}. */
function filesParam(files) {
    if (files === null || typeof files !== 'object' || Array.isArray(files)) {
        throw invalid('files must be an object {field: file or [files]}');
    }
    const out = {};
    for (const [field, value] of Object.entries(files)) {
        out[field] = Array.isArray(value)
            ? value.map((v) => fileParam(v, `files.${field}`))
            : fileParam(value, `files.${field}`);
    }
    return out;
}

/** The params of a catalogue operation with its file parameters converted. */
function convertFileParams(op, params) {
    for (const p of op.params) {
        const value = params[p.name];
        if (value === undefined || value === null) continue;
        if (p.type === 'file') params[p.name] = fileParam(value, p.name);
        if (p.type === 'file[]') {
            if (!Array.isArray(value)) throw invalid(`${p.name} must be an array of files`);
            params[p.name] = value.map((v, i) => fileParam(v, `${p.name}[${i}]`));
        }
    }
    return params;
}

module.exports = { fileParam, filesParam, convertFileParams };
