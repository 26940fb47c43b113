'use strict';
// A first-in first-out queue with O(1) take. An iterator's queue can hold a whole stream when its
// reader is slower than the network (100 000 one-character chunks); Array.prototype.shift() copies
// what is left on every call there, which made reading such a stream quadratic (16 000 chunks/s,
// 38 µs of CPU per chunk, tests/bench/node_stream_bench.mjs).

class Fifo {
    #items = [];
    #head = 0; // index of the next item to take

    get length() {
        return this.#items.length - this.#head;
    }

    push(item) {
        this.#items.push(item);
    }

    /** The oldest item (undefined when empty). */
    take() {
        if (this.#head >= this.#items.length) return undefined;
        const item = this.#items[this.#head];
        this.#items[this.#head++] = undefined; // the queue no longer keeps it alive
        // Taken items are dropped in one copy once they are most of the array.
        if (this.#head === this.#items.length) {
            this.#items = [];
            this.#head = 0;
        } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
            this.#items = this.#items.slice(this.#head);
            this.#head = 0;
        }
        return item;
    }

    clear() {
        this.#items = [];
        this.#head = 0;
    }
}

module.exports = { Fifo };
