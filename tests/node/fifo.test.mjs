// The iterators' queue (lib/fifo.js): first in, first out across its compactions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_DIR } from './support.mjs';

const { Fifo } = createRequire(import.meta.url)(path.join(PACKAGE_DIR, 'lib', 'fifo.js'));

test('items come out in the order they went in, across compactions', () => {
    const q = new Fifo();
    assert.equal(q.length, 0);
    assert.equal(q.take(), undefined);
    let next = 0;
    let expected = 0;
    // Interleaved: pushes run ahead of takes, so the taken part grows past the compaction point
    // (1024 and half the array) many times while items stay queued behind it.
    for (let round = 0; round < 50; ++round) {
        for (let i = 0; i < 300; ++i) q.push(next++);
        for (let i = 0; i < 200; ++i) assert.equal(q.take(), expected++);
        assert.equal(q.length, next - expected);
    }
    while (q.length) assert.equal(q.take(), expected++);
    assert.equal(expected, next);
    assert.equal(q.take(), undefined);
    q.push('again');
    assert.equal(q.take(), 'again');
});

test('clear() empties it; undefined and null are items like any other', () => {
    const q = new Fifo();
    for (let i = 0; i < 5000; ++i) q.push(i);
    q.take();
    q.clear();
    assert.equal(q.length, 0);
    assert.equal(q.take(), undefined);
    q.push(null);
    q.push(undefined);
    q.push(0);
    assert.equal(q.length, 3);
    assert.equal(q.take(), null);
    assert.equal(q.take(), undefined);
    assert.equal(q.length, 1); // the undefined was an item: one is left
    assert.equal(q.take(), 0);
    assert.equal(q.length, 0);
});
