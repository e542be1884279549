import { currentActor } from '../kernel/current.js';
import { DESC, DescState, POOL } from '../shm/descriptor-pool.js';
import { dmaChans } from '../dmaengine/device-list.js';
import { descBase } from '../dmaengine/vchan-list.js';
import type { DmaDebugEntry } from '../shm/dma-debug-table.js';
import { addrSize, dirName, errPrintk, type DmaMapDevice } from './debug.js';

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

/**
 * dmasim's addition to dma-debug: the bytes of `entry` must not be in a transfer still
 * queued or running (the kernel cannot see this; a client that unmaps before the completion
 * reads stale bytes or lets the device write freed memory). Another live mapping of the
 * same bytes owned by the device may be the one the transfer uses: then nothing is said.
 */
export function checkInUse(
  dev: DmaMapDevice,
  entry: DmaDebugEntry,
  fn: string,
  check: 'unmap-in-use' | 'sync-in-use',
  what: string,
): void {
  const using = inFlightOverlap(entry.addr, entry.size);
  if (!using) return;
  const table = currentActor().machine.dmaDebug;
  const others = table
    .overlapping(entry.addr, entry.size)
    .filter((e) => e.slot !== entry.slot && e.owner === 1);
  if (others.length > 0) return;
  const STATE = ['free', 'prepared', 'submitted', 'issued', 'active'];
  errPrintk(
    dev,
    fn,
    check,
    `device driver ${what} still in use by the device ${addrSize(entry.addr, entry.size)} ` +
      `[mapped with ${dirName(entry.dir)}] [in use by ${using.chan} descriptor ${using.desc} cookie ${using.cookie} (${STATE[using.state] ?? using.state})]`,
    { addr: entry.addr, size: entry.size, entry },
  );
}
