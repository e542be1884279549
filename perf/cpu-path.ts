#!/usr/bin/env node
// What a 64 B descriptor costs on the CPU side, in one thread: memcpy-stream's calls (prep,
// submit, issue_pending) and the interrupt path (hardirq handler, tasklet, callback, free)
// running on cpu0 of a free-mode machine, as an actor thread runs them, with the engine's
// register effects done inline: it completes a descriptor and raises the channel's irq,
// which the CPU takes at its next point. No second thread: no cache line changes hands and
// nobody sleeps or wakes, so this is the cost of the code alone, what the CPU thread pays
// on top of the cross-thread costs. The total is the thread's CPU time (a busy machine
// takes the core away, which wall time would count); each phase gets its share of the
// wall time measured around it. Medians of `--reps`; `cpu_share` is CPU time over wall
// time (below 1: the thread lost its core meanwhile).
// `node dist/perf/cpu-path.js [--every N] [--reps N] [--json]` (after a build).
import { currentActor } from '../src/kernel/current.js';
import { raiseIrq } from '../src/kernel/cpu.js';
import { ActorRuntime } from '../src/host/actor-runtime.js';
import { prepare } from '../src/host/prepare.js';
import { CHAN } from '../src/shm/channel-struct.js';
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

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
/** Descriptors the engine completes per irq raise (the 2-thread bench sees about 1.6). */
const EVERY = arg('every', 1);
const REPS = arg('reps', 7);
const BATCH = 64;
const WINDOW = 512;
const SIZE = 64;
const json = process.argv.includes('--json');

const p = prepare('memcpy-stream', { controllers: 1, channels: 1, size: SIZE });
const runtime = new ActorRuntime();
const err = await runtime.attach({
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
const c = machine.chans;
const cb = machine.chanBase(chan.index);
const src = machine.arena.alloc(WINDOW * SIZE, 64);
const dst = machine.arena.alloc(WINDOW * SIZE, 64);
const flags = DmaCtrlFlags.DMA_CTRL_ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT;
let submitted = 0;

/** The engine's side of EVERY descriptors: HW_HEAD past them, then the irq. */
function complete(): boolean {
  const head = Atomics.load(c, cb + CHAN.HW_HEAD);
  const tail = Atomics.load(c, cb + CHAN.HW_TAIL);
  if (head === tail) return false;
  Atomics.store(c, cb + CHAN.HW_HEAD, tail - head < EVERY ? tail : head + EVERY);
  raiseIrq(schedView, chan.index);
  return true;
}

/** One batch, timed by phase (ns): prep + submit, issue, completions. */
function batch(t: number[]): void {
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
  while (complete()) sched.point(0);
  const t3 = performance.now();
  t[0]! += (t1 - t0) * 1e6;
  t[1]! += (t2 - t1) * 1e6;
  t[2]! += (t3 - t2) * 1e6;
}

/** Batches per rep: a rep lasts 0.1-0.3 s, well above the CPU clock's tick (4 ms here). */
const BATCHES = 2000;
const warm = [0, 0, 0];
for (let i = 0; i < BATCHES / 4; i++) batch(warm);
const phases: number[][] = [[], [], [], [], []];
for (let r = 0; r < REPS; r++) {
  const t = [0, 0, 0];
  const cpu0 = threadCpuNs();
  const wall0 = performance.now();
  for (let i = 0; i < BATCHES; i++) batch(t);
  const cpu = threadCpuNs() - cpu0;
  const wall = t[0]! + t[1]! + t[2]!;
  const n = BATCHES * BATCH;
  t.forEach((v, k) => phases[k]!.push(((v / wall) * cpu) / n));
  phases[3]!.push(cpu / n);
  phases[4]!.push(cpu / ((performance.now() - wall0) * 1e6));
}
const names = ['ns_prep_submit', 'ns_issue', 'ns_complete', 'ns_total', 'cpu_share'];
const out = Object.fromEntries(names.map((k, i) => [k, Number(median(phases[i]!).toFixed(2))]));
if (json) console.log(JSON.stringify({ every: EVERY, ...out }));
else {
  console.log(`CPU-side ns per 64 B descriptor, one thread, ${EVERY} per irq, medians of ${REPS}:`);
  for (const [k, v] of Object.entries(out)) console.log(`  ${k.padEnd(16)} ${v}`);
}
process.exit(0);
