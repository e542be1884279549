import { parentPort, workerData } from 'node:worker_threads';
import { Spinlock } from '../../src/shm/raw-lock.js';
import { DESC_WORDS, FDESC, FLOOR, SPIN_MS, type FloorLayout } from '../atomics-floor-layout.js';

// The floor's CPU, shaped as memcpy-stream's loop: `batch` descriptors, each written into
// the ring under the ring lock, then one doorbell; then wait until the window has room for
// the next batch, reading completions back in bulk under the completion lock. Each source
// slot is stamped with its descriptor's id, and each completion checks the stamp arrived.
const { buffer, layout, ms, batch } = workerData as {
  buffer: SharedArrayBuffer;
  layout: FloorLayout;
  ms: number;
  batch: number;
};
const w = new Int32Array(buffer);
const bytes = new Uint8Array(buffer);
const submitLock = new Spinlock(w, FLOOR.SUBMIT_LOCK);
const doneLock = new Spinlock(w, FLOOR.DONE_LOCK);
const { slots, size, ring, completions, src, dst } = layout;
const mask = slots - 1;
let submitted = 0;
let reaped = 0;
let mismatches = 0;

function submit(id: number): void {
  const slot = id & mask;
  w[(src + slot * size) >> 2] = id;
  submitLock.lock();
  const tail = w[FLOOR.TAIL]!;
  const d = ring + (tail & mask) * DESC_WORDS;
  w[d + FDESC.ID] = id;
  w[d + FDESC.SRC] = src + slot * size;
  w[d + FDESC.DST] = dst + slot * size;
  w[d + FDESC.LEN] = size;
  w[d + FDESC.FLAGS] = 1;
  for (let k = FDESC.FLAGS + 1; k < DESC_WORDS; k++) w[d + k] = 0;
  w[FLOOR.TAIL] = tail + 1;
  submitLock.unlock();
}

/** Rings the engine, only if it sleeps (the unlock's exchange ordered TAIL before this load). */
function doorbell(): void {
  if (Atomics.load(w, FLOOR.ENGINE_SLEEPING) !== 0) {
    Atomics.add(w, FLOOR.DOORBELL, 1);
    Atomics.notify(w, FLOOR.DOORBELL);
  }
}

/** Reads back every completion so far: records under the lock, then their bytes. */
function reap(): void {
  doneLock.lock();
  const done = w[FLOOR.DONE]!;
  const first = reaped;
  for (let k = first; k < done; k++) if (w[completions + (k & mask)] !== k) mismatches++;
  doneLock.unlock();
  for (let k = first; k < done; k++) if (w[(dst + (k & mask) * size) >> 2] !== k) mismatches++;
  reaped = done;
}

/** Waits until `need` descriptors completed: spins a while, then sleeps until woken. */
function waitDone(need: number): void {
  for (;;) {
    reap();
    if (reaped >= need) return;
    const t0 = performance.now();
    let spun = false;
    for (let n = 0; !spun; n++) {
      if (Atomics.load(w, FLOOR.DONE) >= need) break;
      spun = (n & 7) === 7 && performance.now() - t0 >= SPIN_MS;
    }
    if (!spun) continue;
    const seen = Atomics.load(w, FLOOR.IRQ);
    // Flag, then re-check DONE; the engine stores DONE, then reads the flag.
    Atomics.store(w, FLOOR.CPU_SLEEPING, 1);
    if (Atomics.load(w, FLOOR.DONE) < need) Atomics.wait(w, FLOOR.IRQ, seen, 50);
    Atomics.store(w, FLOOR.CPU_SLEEPING, 0);
  }
}

for (let i = 0; i < slots * size; i++) bytes[src + i] = (i * 7) & 0xff;
while (Atomics.load(w, FLOOR.READY) === 0) Atomics.wait(w, FLOOR.READY, 0, 50);
const t0 = performance.now();
while (performance.now() - t0 < ms) {
  let n = 0;
  for (; n < batch && submitted - reaped < slots; n++) submit(submitted++);
  if (n > 0) doorbell();
  waitDone(submitted - slots + batch);
}
// As memcpy-stream: the time stops with the loop, the count includes the drained window.
const seconds = (performance.now() - t0) / 1000;
waitDone(submitted);
Atomics.store(w, FLOOR.STOP, 1);
Atomics.add(w, FLOOR.DOORBELL, 1);
Atomics.notify(w, FLOOR.DOORBELL);
// Every slot's last copy, byte for byte.
for (let s = 0; s < Math.min(slots, submitted); s++) {
  for (let i = 0; i < size; i++) {
    if (bytes[dst + s * size + i] !== bytes[src + s * size + i]) {
      mismatches++;
      break;
    }
  }
}
parentPort?.postMessage({ descs: reaped, seconds, mismatches });
