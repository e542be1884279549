import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { Arena, ARENA_PAGE } from '../../src/shm/arena.js';

/**
 * A wasm32 module importing a shared memory of `pages` pages as env.memory and exporting
 * add(addr, v) = i32.atomic.rmw.add: a C `__atomic_fetch_add((int *)addr, v)`.
 */
function atomicAddModule(pages: number): Uint8Array {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // type: (i32, i32) -> i32
    ...[0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f],
    // import env.memory: shared, min = max = pages
    ...[0x02, 0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79],
    ...[0x02, 0x03, pages, pages],
    // one function of type 0, exported as "add"
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00],
    // body: local.get 0, local.get 1, i32.atomic.rmw.add align=2 offset=0, end
    ...[0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0xfe, 0x1e, 0x02, 0x00, 0x0b],
  ]);
}

/** The worker: adds 1 to the word at `addr` n times, half through Atomics, half through wasm. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { memory, wasm, addr, n } = workerData;
const words = new Int32Array(memory.buffer);
const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory } });
for (let i = 0; i < n; i++) {
  if (i & 1) instance.exports.add(addr, 1);
  else Atomics.add(words, addr >> 2, 1);
}
parentPort.postMessage({
  isMemory: memory instanceof WebAssembly.Memory,
  shared: memory.buffer instanceof SharedArrayBuffer,
  bytes: memory.buffer.byteLength,
});
`;

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('Arena in worker threads', () => {
  it('is the same memory in every worker, for JS views and wasm code alike', async () => {
    const arena = Arena.create(ARENA_PAGE * 2);
    const addr = arena.alloc(4, 4);
    const wasm = atomicAddModule(arena.size / ARENA_PAGE);
    const n = 20_000;

    const replies = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const w = new Worker(WORKER, {
              eval: true,
              workerData: { memory: arena.memory, wasm, addr, n },
            });
            workers.push(w);
            const deadline = setTimeout(() => reject(new Error('worker deadline')), 20_000);
            w.once('message', (m) => {
              clearTimeout(deadline);
              resolve(m);
            });
            w.once('error', (e) => {
              clearTimeout(deadline);
              reject(e);
            });
          }),
      ),
    );

    expect(replies).toEqual(Array(3).fill({ isMemory: true, shared: true, bytes: arena.size }));
    expect(Atomics.load(arena.words, addr / 4)).toBe(3 * n);
  });
});
