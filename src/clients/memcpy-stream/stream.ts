import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { msleep } from '../../kernel/waitqueue.js';
import { isErr } from '../../kernel/errno.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaRequestChan, dmaReleaseChannel } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepDmaMemcpy,
  dmaengineSubmit,
} from '../../dmaengine/consumer.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { DmaCtrlFlags } from '../../dmaengine/types.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { DmasimError } from '../../errors.js';

/** Per-stream shared words: completions counted by the callback, and its wait queue. */
export const MEMCPY_STREAM = defineStruct('memcpy_stream', { done: 'i32', wq: 'waitqueue' });

/** One stream per CPU. */
export const STREAM = declareState('memcpy-stream', MEMCPY_STREAM, 'cpu');

/** Parameters of one memcpy stream. */
export interface MemcpyStreamParams {
  size: number;
  batch: number;
  window: number;
  verify: boolean;
  iterations: number;
}

/** What one stream did. */
export interface MemcpyStreamResult {
  chan: string;
  transfers: number;
  bytes: number;
  mismatches: number;
  seconds: number;
  prepFailures: number;
}

/** Counts a completion and wakes the stream when it waits for room in its window. */
export const memcpyStreamCallback = defineCallback('memcpy_stream_callback', (cpu: number) => {
  const st = stateOf(currentActor().machine, STREAM).at(cpu);
  st.add('done', 1);
  st.waitQueue('wq').wakeUp();
});

/**
 * A client that streams memcpy descriptors through one channel: `batch` preps and submits,
 * one issue_pending, up to `window` in flight, a callback per descriptor. With `verify`,
 * each batch completes before its destination bytes are compared with the source.
 */
export function memcpyStream(
  cpuId: number,
  chanIndex: number,
  p: MemcpyStreamParams,
): MemcpyStreamResult {
  const cpu = thisCpu();
  const { machine, clock } = currentActor();
  const st = stateOf(machine, STREAM).at(cpuId);
  const w = st.words;
  const done = st.i('done');
  const wq = st.waitQueue('wq');
  const name = machine.chanName(chanIndex);
  const res: MemcpyStreamResult = {
    chan: name,
    transfers: 0,
    bytes: 0,
    mismatches: 0,
    seconds: 0,
    prepFailures: 0,
  };
  const chan = dmaRequestChan(name);
  if (isErr(chan)) {
    printk(`memcpy-stream: ${name}: request failed (${chan})`);
    return res;
  }
  const window = p.verify ? p.batch : Math.max(p.batch, p.window);
  const src = machine.arena.alloc(window * p.size, 64);
  const dst = machine.arena.alloc(window * p.size, 64);
  if (src === 0 || dst === 0) {
    // The plan sized the arena for every buffer: NULL here is a bug, not a kernel outcome.
    throw new DmasimError(
      'DMASIM_INTERNAL',
      `memcpy-stream: ${name}: the arena has no room for 2 x ${window * p.size} bytes of buffers ` +
        `(${machine.arena.used()} of ${machine.arena.size} bytes used): the plan's arenaBytes is too small`,
    );
  }
  const bytes = machine.arena.bytes;
  for (let i = 0; i < window * p.size; i++) bytes[src + i] = (i * 7 + cpuId) & 0xff;
  const flags = DmaCtrlFlags.DMA_CTRL_ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT;
  let submitted = 0;
  const t0 = clock.now();
  while (!cpu.shouldStop() && !(p.iterations && submitted >= p.iterations)) {
    let n = 0;
    while (n < p.batch && submitted - Atomics.load(w, done) < window) {
      if (p.iterations && submitted >= p.iterations) break;
      const slot = submitted % window;
      const tx = dmaenginePrepDmaMemcpy(
        chan,
        dst + slot * p.size,
        src + slot * p.size,
        p.size,
        flags,
      );
      if (!tx) {
        res.prepFailures++;
        break;
      }
      tx.callback = memcpyStreamCallback;
      tx.callbackParam = cpuId;
      dmaengineSubmit(tx);
      submitted++;
      n++;
    }
    if (n > 0) dmaAsyncIssuePending(chan);
    // Out of descriptors with none of ours in flight: back off as a driver would.
    else if (submitted === Atomics.load(w, done)) msleep(1);
    const need = p.verify ? submitted : submitted - window + p.batch;
    wq.waitEventTimeout(() => Atomics.load(w, done) >= need, 5000);
    if (p.verify && Atomics.load(w, done) >= submitted) {
      res.mismatches += verifyBatch(bytes, src, dst, n, submitted - n, window, p.size, chan.index);
    }
  }
  res.seconds = (clock.now() - t0) / 1000;
  wq.waitEventTimeout(() => Atomics.load(w, done) >= submitted, 1000);
  res.transfers = Atomics.load(w, done);
  res.bytes = res.transfers * p.size;
  dmaengineTerminateSync(chan);
  dmaReleaseChannel(chan);
  return res;
}

function verifyBatch(
  bytes: Uint8Array,
  src: number,
  dst: number,
  n: number,
  first: number,
  window: number,
  size: number,
  chan: number,
): number {
  // Word compares where the buffers allow (64-byte aligned, whole words), bytes elsewhere:
  // verification must not dominate what it measures.
  const words = (size & 3) === 0 ? new Int32Array(bytes.buffer, 0, bytes.byteLength >> 2) : null;
  let errors = 0;
  let firstAddr = -1;
  let expected = 0;
  let actual = 0;
  for (let k = 0; k < n; k++) {
    const slot = (first + k) % window;
    const s = src + slot * size;
    const d = dst + slot * size;
    let clean = true;
    if (words) {
      const sw = s >> 2;
      const dw = d >> 2;
      for (let i = 0; i < size >> 2; i++) {
        if (words[sw + i] !== words[dw + i]) {
          clean = false;
          break;
        }
      }
    }
    if (!clean || !words) {
      for (let i = 0; i < size; i++) {
        if (bytes[s + i] !== bytes[d + i]) {
          if (firstAddr < 0) {
            firstAddr = d + i;
            expected = bytes[s + i]!;
            actual = bytes[d + i]!;
          }
          errors++;
        }
      }
    }
    bytes.fill(0, d, d + size);
  }
  if (errors) VERIFY_EVENTS.trace['verify.error'](chan, firstAddr, expected, actual, errors);
  return errors;
}
