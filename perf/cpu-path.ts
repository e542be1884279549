#!/usr/bin/env node
// What a 64 B descriptor costs on the CPU side, in one thread: memcpy-stream's calls (prep,
// submit, issue_pending) and the interrupt path (hardirq handler, tasklet, callback, free)
// running on cpu0 of a free-mode machine, as an actor thread runs them, with the engine's
// register effects done inline: it completes descriptors and raises the channel's irq,
// which the CPU takes at its next point. No second thread: no cache line changes hands and
// nobody sleeps or wakes, so this is the cost of the code alone, what the CPU thread pays
// on top of the cross-thread costs. The totals are the thread's CPU time (a busy machine
// takes the core away, which wall time would count); each phase gets its share of the wall
// time measured around it. Then the counts that make it up: atomics, points and lock pairs
// per descriptor, and what one of each costs here.
// `node dist/perf/cpu-path.js [--every 1,2,64] [--reps 7] [--json]` (after a build).
import { currentActor } from '../src/kernel/current.js';
import { raiseIrq } from '../src/kernel/cpu.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../src/kernel/spinlock.js';
import { ActorRuntime } from '../src/host/actor-runtime.js';
import { prepare } from '../src/host/prepare.js';
import { VREG } from '../src/providers/vdma/hw-regs.js';
import { CONTROL, Phase } from '../src/shm/control-block.js';
import { dmaRequestChan } from '../src/dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepDmaMemcpy,
  dmaengineSubmit,
} from '../src/dmaengine/consumer.js';
import { DmaCtrlFlags } from '../src/dmaengine/types.js';
import { memcpyStreamCallback } from '../src/clients/memcpy-stream/stream.js';
import { median } from './measure.js';
import { threadCpuNs } from './timed-stream.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1]!;
};
/** Descriptors the engine completes per irq raise: the 2-thread bench sees 1.5-3. */
const EVERY = arg('every', '1,2,64').split(',').map(Number);
const REPS = Number(arg('reps', '7'));
const BATCH = 64;
const WINDOW = 512;
const SIZE = 64;
/** Batches per rep: a rep lasts 0.1-0.3 s, well above the CPU clock's tick (4 ms here). */
const BATCHES = 2000;
const json = process.argv.includes('--json');

const p = prepare('memcpy-stream', { controllers: 1, channels: 1, size: SIZE });
const err = await new ActorRuntime().attach({
  spec: p.machine.spec,
  buffers: p.machine.buffers,
  actor: 0,
  scenario: p.scenario.name,
  options: { ...p.opts },
  params: p.params,
});
if (err) throw new Error(`attach failed: ${err.message}`);
Atomics.store(p.machine.control, CONTROL.PHASE, Phase.RUNNING);
const { machine, schedView, sched } = currentActor();
const requested = dmaRequestChan('dma0chan0');
if (typeof requested === 'number') throw new Error(`dma0chan0: request failed (${requested})`);
const chan = requested;
const c = chan.hwWords;
const cb = chan.hw;
const src = machine.arena.alloc(WINDOW * SIZE, 64);
const dst = machine.arena.alloc(WINDOW * SIZE, 64);
const flags = DmaCtrlFlags.DMA_CTRL_ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT;
let submitted = 0;

/** The engine's side: HW_HEAD past the next `every` descriptors, then the irq. */
function complete(every: number): boolean {
  const head = Atomics.load(c, cb + VREG.HW_HEAD);
  const tail = Atomics.load(c, cb + VREG.HW_TAIL);
  if (head === tail) return false;
  Atomics.store(c, cb + VREG.HW_HEAD, tail - head < every ? tail : head + every);
  raiseIrq(schedView, machine.spec.devices[0]!.firstIrq + chan.chanId);
  return true;
}

/** One batch, timed by phase (wall ns, added to `t`): prep + submit, issue, completions. */
function batch(every: number, t: number[]): void {
  const t0 = performance.now();
  for (let k = 0; k < BATCH; k++) {
    const slot = submitted++ % WINDOW;
    const tx = dmaenginePrepDmaMemcpy(chan, dst + slot * SIZE, src + slot * SIZE, SIZE, flags);
    if (!tx) throw new Error('prep failed: pool exhausted');
    tx.callback = memcpyStreamCallback;
    tx.callbackParam = 0;
    dmaengineSubmit(tx);
  }
  const t1 = performance.now();
  dmaAsyncIssuePending(chan);
  const t2 = performance.now();
  // Each raise is taken at the CPU's next point, as in a run.
  while (complete(every)) sched.point(0);
  const t3 = performance.now();
  t[0]! += t1 - t0;
  t[1]! += t2 - t1;
  t[2]! += t3 - t2;
}

/** ns per descriptor of each phase and the total, medians of REPS. */
function phases(every: number): number[] {
  const warm = [0, 0, 0];
  for (let i = 0; i < BATCHES / 4; i++) batch(every, warm);
  const out: number[][] = [[], [], [], []];
  for (let r = 0; r < REPS; r++) {
    const t = [0, 0, 0];
    const cpu0 = threadCpuNs();
    for (let i = 0; i < BATCHES; i++) batch(every, t);
    const ns = (threadCpuNs() - cpu0) / (BATCHES * BATCH);
    const wall = t[0]! + t[1]! + t[2]!;
    t.forEach((v, k) => out[k]!.push((v / wall) * ns));
    out[3]!.push(ns);
  }
  return out.map(median);
}

type Fn = (...a: unknown[]) => unknown;

/** Atomics calls, points and lock acquisitions per descriptor (an untimed pass). */
function counts(every: number): { atomics: number; points: number; locks: number } {
  const table = Atomics as unknown as Record<string, Fn>;
  const names = ['load', 'store', 'add', 'sub', 'and', 'or', 'exchange', 'compareExchange'];
  const saved = new Map(names.map((k) => [k, table[k]!]));
  const n = { atomics: 0, points: 0, locks: 0 };
  // vc.lock is the only kernel lock on this path: count the CASes on its word.
  const lock = chan.vcLock;
  for (const [k, f] of saved) {
    table[k] = (...a: unknown[]) => {
      n.atomics++;
      if (k === 'compareExchange' && a[0] === lock.words && a[1] === lock.index) n.locks++;
      return f.apply(Atomics, a);
    };
  }
  // The free scheduler's own count (a private field): wrapping point() would change the
  // scheduler object's shape, and the code measured after.
  const points = (): number => (sched as unknown as { pointCount: number }).pointCount;
  const points0 = points();
  const before = submitted;
  const t = [0, 0, 0];
  try {
    for (let i = 0; i < 50; i++) batch(every, t);
  } finally {
    for (const [k, f] of saved) table[k] = f;
  }
  n.points = points() - points0;
  // Not the CPU's: the engine's side (complete(): 3 atomics, 2 for the last call of a
  // batch; raiseIrq(): 4) and the point this loop passes to take each irq.
  const d = submitted - before;
  const irqs = Math.ceil(BATCH / every) * 50;
  return {
    atomics: (n.atomics - 7 * irqs - 2 * 50) / d,
    points: (n.points - irqs) / d,
    locks: n.locks / d,
  };
}

/** ns per iteration of `loop(n)`, the best of 9 (short loops: wall time, the minimum). */
function perIteration(loop: (n: number) => unknown): number {
  const N = 200_000;
  loop(N);
  let best = Infinity;
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    loop(N);
    best = Math.min(best, ((performance.now() - t0) * 1e6) / N);
  }
  return best;
}

// One loop per unit, so that each call site sees one callee (V8 inlines it as on the path).
const word = cb + VREG.HW_RESET_TAIL;
function atomicLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Atomics.compareExchange(c, word, 0, 0);
  return s;
}
function pointLoop(n: number): void {
  for (let i = 0; i < n; i++) sched.point(0);
}
function lockLoop(n: number): void {
  for (let i = 0; i < n; i++) spinUnlockIrqrestore(chan.vcLock, spinLockIrqsave(chan.vcLock));
}
function emptyLoop(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += c[word]!;
  return s;
}

const timed = EVERY.map((every) => ({ every, ns: phases(every) }));
const empty = perIteration(emptyLoop);
const units = {
  atomic: perIteration(atomicLoop) - empty,
  point: perIteration(pointLoop) - empty,
  lockPair: perIteration(lockLoop) - empty,
};
// Last: counting replaces the Atomics functions, and V8 then no longer treats them as the
// known builtins in code compiled after.
const results = timed.map((r) => ({ ...r, ...counts(r.every) }));
if (json) {
  console.log(JSON.stringify({ results, units }));
} else {
  const row = (label: string, f: (r: (typeof results)[number]) => string): void =>
    console.log(`  ${label.padEnd(30)}${results.map((r) => f(r).padStart(8)).join('')}`);
  console.log(`CPU side of a 64 B descriptor, one thread, medians of ${REPS} (thread CPU ns):`);
  row('descriptors per irq', (r) => String(r.every));
  row('prep + submit', (r) => r.ns[0]!.toFixed(0));
  row('issue_pending', (r) => r.ns[1]!.toFixed(0));
  row('irq, tasklet, callback, free', (r) => r.ns[2]!.toFixed(0));
  row('total', (r) => r.ns[3]!.toFixed(0));
  row('atomics per descriptor', (r) => r.atomics.toFixed(1));
  row('points per descriptor', (r) => r.points.toFixed(1));
  row('lock pairs per descriptor', (r) => r.locks.toFixed(2));
  console.log(
    `one atomic ${units.atomic.toFixed(1)} ns, one point ${units.point.toFixed(1)} ns, one ` +
      `irqsave lock pair ${units.lockPair.toFixed(0)} ns (its 2 atomics and 3 points included)`,
  );
}
process.exit(0);
