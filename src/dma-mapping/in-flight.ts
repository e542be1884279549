import { currentActor } from '../kernel/current.js';
import { DESC, DescState, POOL } from '../shm/descriptor-pool.js';
import { dmaChans } from '../dmaengine/device-list.js';
import { descBase } from '../dmaengine/vchan-list.js';

/** A descriptor whose transfer still touches some bytes. */
export interface InFlight {
  /** dma_chan_name() of its channel. */
  chan: string;
  desc: number;
  cookie: number;
  state: number;
}

const ranges: number[] = [];

/**
 * The first descriptor on a submitted, issued or active list (of any channel of any
 * controller) whose memory overlaps `[addr, addr + len)`, as its provider describes it
 * (DmaDevice.descMemRanges), or null. Reads the pool without the channels' locks: a debug
 * check, like dma-debug's, racing with the hardware's completion at worst misses a case.
 * A terminated descriptor the engine may still be finishing is not counted: only the
 * provider knows when its hardware let go of it.
 */
export function inFlightOverlap(addr: number, len: number): InFlight | null {
  const pool = currentActor().machine.pool;
  const d = pool.words;
  const chans = dmaChans();
  const used = Math.min(pool.slots, Atomics.load(d, POOL.FRESH));
  for (let i = 0; i < used; i++) {
    const db = descBase(i);
    const state = Atomics.load(d, db + DESC.STATE);
    if (state !== DescState.SUBMITTED && state !== DescState.ISSUED && state !== DescState.ACTIVE)
      continue;
    const chan = chans[d[db + DESC.CHAN]!];
    if (!chan?.device.descMemRanges) continue;
    ranges.length = 0;
    chan.device.descMemRanges(i, ranges);
    for (let k = 0; k + 1 < ranges.length; k += 2) {
      const a = ranges[k]!;
      const n = ranges[k + 1]!;
      if (a < addr + len && addr < a + n) {
        return { chan: chan.name, desc: i, cookie: d[db + DESC.COOKIE]!, state };
      }
    }
  }
  return null;
}
