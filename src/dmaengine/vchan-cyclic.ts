import { CHAN } from '../shm/channel-struct.js';
import { DESC, DescState, POOL } from '../shm/descriptor-pool.js';
import type { SlabObject } from '../shm/slab.js';
import { currentActor, thisCpu } from '../kernel/current.js';
import { STAT } from '../shm/control-block.js';
import { kasanReport } from '../kernel/kasan.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import { Point } from '../sched/labels.js';
import type { DmaChan } from './chan.js';
import { invokeCallback } from './callbacks.js';
import { DmaengineTxResult } from './types.js';
import { descBase } from './vchan-list.js';

/**
 * Where KASAN reports place descriptor slots: a region of its own (the pool is not in the
 * arena), one DESC.BYTES object per slot, as a driver's descriptor kmem_cache would.
 */
export const DESC_POOL_ADDR = 0xd0000000;

/** The cache name KASAN reports give the descriptor pool. */
export const DESC_POOL_CACHE = 'virt_dma_desc';

/**
 * vchan_cyclic_callback(): a period of the cyclic descriptor `desc` elapsed. Sets
 * vc->cyclic (one pointer: periods signalled before the tasklet takes it coalesce into one
 * callback) and schedules the tasklet on this CPU. The driver calls it from its interrupt
 * handler under vc.lock.
 */
export function vchanCyclicCallback(chan: DmaChan, desc: number): void {
  const w = chan.w;
  const b = chan.base;
  w[b + CHAN.CYCLIC] = desc;
  w[b + CHAN.CYCLIC_GEN] = chan.machine.pool.words[descBase(desc) + DESC.GEN]!;
  const periods = ++w[b + CHAN.CYCLIC_PERIODS]!;
  trace(EventCode['cyclic.period'], chan.index, desc, periods);
  thisCpu().taskletSchedule(chan.tasklet);
}

/** What vchan_complete() copied of vc->cyclic under the lock: its callback, and periods. */
export interface CyclicTaken {
  desc: number;
  gen: number;
  callback: number;
  callbackResult: number;
  param: number;
  /** Periods signalled since the last cyclic callback (>1: they coalesced). */
  periods: number;
}

/**
 * The cyclic half of vchan_complete() under vc.lock: takes vc->cyclic, clears it and
 * copies its callback (dmaengine_desc_get_callback(&vd->tx, &cb)). A vc->cyclic whose
 * descriptor was freed since vchan_cyclic_callback() set it (a terminate_all that freed it
 * without vchan_terminate_vdesc()) is that read of freed memory: KASAN's use-after-free,
 * with the slot's alloc and free records. Its callback is then not invoked.
 * @returns the copy, or null (vc->cyclic NULL, or freed)
 */
export function vchanTakeCyclic(chan: DmaChan): CyclicTaken | null {
  const w = chan.w;
  const b = chan.base;
  const desc = w[b + CHAN.CYCLIC]!;
  if (desc < 0) return null;
  w[b + CHAN.CYCLIC] = -1;
  const periods = w[b + CHAN.CYCLIC_PERIODS]! - w[b + CHAN.CYCLIC_SEEN]!;
  w[b + CHAN.CYCLIC_SEEN] = w[b + CHAN.CYCLIC_PERIODS]!;
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  const gen = w[b + CHAN.CYCLIC_GEN]!;
  if (d[db + DESC.STATE] === DescState.FREE || d[db + DESC.GEN] !== gen) {
    reportFreedCyclic(chan, desc);
    return null;
  }
  if (periods > 1) w[b + CHAN.CYCLIC_COALESCED]! += periods - 1;
  return {
    desc,
    gen,
    callback: d[db + DESC.CALLBACK]!,
    callbackResult: d[db + DESC.CALLBACK_RESULT]!,
    param: d[db + DESC.CALLBACK_PARAM]!,
    periods,
  };
}

const noError = { result: DmaengineTxResult.DMA_TRANS_NOERROR as DmaengineTxResult, residue: 0 };

/**
 * The cyclic callback of vchan_complete(), after it dropped vc.lock:
 * dmaengine_desc_callback_invoke(&cb, &vd->tx_result) (a cyclic descriptor's result is
 * NOERROR while it runs).
 */
export function vchanInvokeCyclic(chan: DmaChan, t: CyclicTaken): void {
  trace(EventCode['cyclic.callback'], chan.index, t.desc, t.periods, t.gen);
  if (t.callback === 0 && t.callbackResult === 0) return;
  const cpu = thisCpu();
  Atomics.add(chan.w, chan.base + CHAN.CYCLIC_CALLBACKS, 1);
  const actor = currentActor();
  actor.machine.stats[actor.machine.statBase(actor.index) + STAT.CALLBACKS]!++;
  cpu.point(Point.callback);
  invokeCallback(t.callback, t.callbackResult, t.param, noError);
  cpu.point(Point['callback/exit']);
}

/** Counts of a channel's cyclic periods and callbacks since it was set up. */
export interface CyclicStats {
  /** Periods the driver signalled (vchan_cyclic_callback() calls). */
  periods: number;
  /** Cyclic callbacks invoked. */
  callbacks: number;
  /** Periods that coalesced into another's callback. */
  coalescedPeriods: number;
}

/** The channel's cyclic counters (CHAN.CYCLIC_*). */
export function vchanCyclicStats(chan: DmaChan): CyclicStats {
  const w = chan.w;
  const b = chan.base;
  return {
    periods: Atomics.load(w, b + CHAN.CYCLIC_PERIODS),
    callbacks: Atomics.load(w, b + CHAN.CYCLIC_CALLBACKS),
    coalescedPeriods: Atomics.load(w, b + CHAN.CYCLIC_COALESCED),
  };
}

/** The KASAN report of vchan_complete() reading the freed descriptor vc->cyclic named. */
function reportFreedCyclic(chan: DmaChan, desc: number): void {
  const pool = chan.machine.pool;
  const addr = DESC_POOL_ADDR + (pool.base(desc) - POOL.WORDS) * 4;
  const alloc = pool.records.alloc(desc);
  const free = pool.records.free(desc);
  const reused = pool.words[descBase(desc) + DESC.STATE] !== DescState.FREE;
  const object: SlabObject = {
    addr,
    size: DESC.BYTES,
    cache: DESC.BYTES,
    state: reused ? 'allocated' : 'free',
    alloc: { ...alloc, seq: pool.words[descBase(desc) + DESC.GEN]! },
    free: free ? { ...free, seq: pool.words[descBase(desc) + DESC.GEN]! } : null,
  };
  // dmaengine_desc_get_callback() reads tx.callback and tx.callback_result: 16 bytes.
  const at = addr + DESC.CALLBACK * 4;
  kasanReport(
    { kind: 'use-after-free', addr: at, access: { addr: at, size: 16, write: false }, object },
    'vchan_complete',
    DESC_POOL_CACHE,
  );
}
