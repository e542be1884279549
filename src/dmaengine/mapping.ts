import { thisCpu, currentActor } from '../kernel/current.js';
import { Point } from '../sched/labels.js';

/** Bytes per cache line that mapping for the device writes back. */
const CACHE_LINE = 64;

/**
 * dma_map_single(): an identity mapping here (no IOMMU: an arena address is its own bus
 * address), but not free: mapping a buffer for the device writes its cache lines back on a
 * non-coherent machine, one line at a time. An interrupt that arrives meanwhile is taken
 * when that work ends, as real code would take it somewhere inside it.
 * @returns the DMA address
 */
export function dmaMapSingle(addr: number, len: number): number {
  const w = currentActor().machine.arena.bytes;
  let sink = 0;
  for (let a = addr; a < addr + len; a += CACHE_LINE) sink ^= Atomics.load(w, a);
  thisCpu().point(Point.dma_map_single);
  return addr + (sink & 0);
}
