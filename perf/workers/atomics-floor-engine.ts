import { workerData } from 'node:worker_threads';
import { Spinlock } from '../../src/shm/raw-lock.js';
import { DESC_WORDS, FDESC, FLOOR, SPIN_MS, type FloorLayout } from '../atomics-floor-layout.js';

// The floor's engine: pops one descriptor under the ring lock, copies its bytes in the
// shared arena, writes its completion under the completion lock, and wakes the CPU only
// if it sleeps. Idle, it polls the ring's tail, then sleeps until the doorbell.
const { buffer, layout } = workerData as { buffer: SharedArrayBuffer; layout: FloorLayout };
const w = new Int32Array(buffer);
const bytes = new Uint8Array(buffer);
const submitLock = new Spinlock(w, FLOOR.SUBMIT_LOCK);
const doneLock = new Spinlock(w, FLOOR.DONE_LOCK);
const mask = layout.slots - 1;

/** Waits until the CPU queued past `head` or stopped the run. */
function idle(head: number): void {
  const t0 = performance.now();
  for (let n = 0; ; n++) {
    if (Atomics.load(w, FLOOR.TAIL) !== head || Atomics.load(w, FLOOR.STOP) !== 0) return;
    if ((n & 7) === 7 && performance.now() - t0 >= SPIN_MS) break;
  }
  const seen = Atomics.load(w, FLOOR.DOORBELL);
  // Flag, then re-check TAIL; the CPU stores TAIL, then reads the flag: one of us sees
  // the other, so a doorbell is never missed.
  Atomics.store(w, FLOOR.ENGINE_SLEEPING, 1);
  if (Atomics.load(w, FLOOR.TAIL) === head && Atomics.load(w, FLOOR.STOP) === 0) {
    Atomics.wait(w, FLOOR.DOORBELL, seen, 50);
  }
  Atomics.store(w, FLOOR.ENGINE_SLEEPING, 0);
}

Atomics.store(w, FLOOR.READY, 1);
Atomics.notify(w, FLOOR.READY);
for (;;) {
  submitLock.lock();
  const head = w[FLOOR.HEAD]!;
  const empty = head === w[FLOOR.TAIL]!;
  let id = 0;
  let src = 0;
  let dst = 0;
  let len = 0;
  if (!empty) {
    const d = layout.ring + (head & mask) * DESC_WORDS;
    id = w[d + FDESC.ID]!;
    src = w[d + FDESC.SRC]!;
    dst = w[d + FDESC.DST]!;
    len = w[d + FDESC.LEN]!;
    w[FLOOR.HEAD] = head + 1;
  }
  submitLock.unlock();
  if (empty) {
    if (Atomics.load(w, FLOOR.STOP) !== 0) break;
    idle(head);
    continue;
  }
  bytes.copyWithin(dst, src, src + len);
  doneLock.lock();
  const done = w[FLOOR.DONE]!;
  w[layout.completions + (done & mask)] = id;
  w[FLOOR.DONE] = done + 1;
  doneLock.unlock();
  // The unlock's exchange orders DONE before this load; the CPU flags, then re-reads DONE.
  if (Atomics.load(w, FLOOR.CPU_SLEEPING) !== 0) {
    Atomics.add(w, FLOOR.IRQ, 1);
    Atomics.notify(w, FLOOR.IRQ);
  }
}
