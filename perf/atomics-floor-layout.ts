import { defineLayout } from '../src/shm/layout.js';

/**
 * The floor's shared words, one 64-byte line per group: dmasim's 64 B protocol with nothing
 * else. A lock shares its line with the words it guards, as in a kernel struct.
 *
 *   SUBMIT_LOCK, TAIL, HEAD   the descriptor ring and its lock (the CPU pushes, the engine pops)
 *   DONE_LOCK, DONE           the completion ring and its lock (the engine pushes, the CPU reads
 *                             back in bulk)
 *   ENGINE_SLEEPING, DOORBELL the engine's wait: the CPU rings only while it sleeps
 *   CPU_SLEEPING, IRQ         the CPU's wait for completions: the engine wakes it the same way
 *   READY, STOP               the engine is up; the CPU has drained and the run is over
 */
export const FLOOR = defineLayout([], {
  SUBMIT_LOCK: 1,
  TAIL: 1,
  HEAD: 1,
  PAD_0: 13,
  DONE_LOCK: 1,
  DONE: 1,
  PAD_1: 14,
  ENGINE_SLEEPING: 1,
  DOORBELL: 1,
  PAD_2: 14,
  CPU_SLEEPING: 1,
  IRQ: 1,
  PAD_3: 14,
  READY: 1,
  STOP: 1,
  PAD_4: 14,
});

/** Words of one ring descriptor: one 64-byte line. */
export const DESC_WORDS = 16;

/** Fields of a ring descriptor (the rest of its 16 words is written as zero). */
export const FDESC = { ID: 0, SRC: 1, DST: 2, LEN: 3, FLAGS: 4 } as const;

/** How long a waiter spins before it sleeps (ms): dmasim's wait policy's ceiling. */
export const SPIN_MS = 0.2;

/**
 * Where everything sits in the one SharedArrayBuffer, in words (arena offsets in bytes):
 *
 *   [ FLOOR header | ring: slots x 16 words | completions: slots words | src | dst ]
 *
 * `slots` is the window: at most `slots` descriptors are in flight, so neither ring can
 * overflow.
 */
export interface FloorLayout {
  slots: number;
  size: number;
  ring: number;
  completions: number;
  /** Byte offsets of the source and destination windows (slot k at k * size). */
  src: number;
  dst: number;
  bytes: number;
}

/** The layout for a window of `slots` descriptors of `size` bytes. */
export function floorLayout(slots: number, size: number): FloorLayout {
  const ring = FLOOR.WORDS;
  const completions = ring + slots * DESC_WORDS;
  // 64-byte aligned windows, as memcpy-stream allocates its buffers.
  const src = Math.ceil(((completions + slots) * 4) / 64) * 64;
  const dst = src + Math.ceil((slots * size) / 64) * 64;
  return { slots, size, ring, completions, src, dst, bytes: dst + slots * size };
}
