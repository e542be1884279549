import { defineLayout } from '../../shm/layout.js';
import { DESC, DESC_EXT_WORDS } from '../../shm/descriptor-pool.js';
import { descBase } from '../../dmaengine/vchan-list.js';

/** Segments one vdma descriptor carries inline (an sg list longer than this fails prep). */
export const MAX_SEGMENTS = 8;

/**
 * vdma's part of a descriptor (`struct vdma_desc` around its virt_dma_desc), in the slot's
 * provider words: the rest of the slave config it was built from, its metadata (see
 * metadata.ts), then its segments, each (src, dst, len). The engine reads SEG_COUNT,
 * PERIOD_LEN and the segments, all in the slot's provider lines: the header line that holds
 * DESC.KIND is the CPUs' (descriptor-pool.ts), so the engine tells a cyclic descriptor by its
 * PERIOD_LEN (0 for every other prep), not by its KIND.
 */
const LAYOUT = defineLayout(
  [
    'CFG_SRC_WIDTH',
    'CFG_DST_WIDTH',
    'CFG_SRC_MAXBURST',
    'CFG_DST_MAXBURST',
    'SEG_COUNT',
    'PERIOD_LEN',
    'META_ADDR',
    'META_LEN',
    'META_PAYLOAD',
  ],
  // The periods a cyclic descriptor's irq handler signalled (under vc.lock); PERIOD_LEN
  // above is its period (its one segment is the whole ring).
  { SEGMENTS: MAX_SEGMENTS * 3, PERIODS_DONE: 1 },
);
if (LAYOUT.WORDS > DESC_EXT_WORDS) {
  throw new Error(`vdma's descriptor needs ${LAYOUT.WORDS} words, a slot has ${DESC_EXT_WORDS}`);
}

/** Offsets of vdma's descriptor words from the slot's base (DESC.EXT + its own offset). */
export const VDESC = {
  CFG_SRC_WIDTH: DESC.EXT + LAYOUT.CFG_SRC_WIDTH,
  CFG_DST_WIDTH: DESC.EXT + LAYOUT.CFG_DST_WIDTH,
  CFG_SRC_MAXBURST: DESC.EXT + LAYOUT.CFG_SRC_MAXBURST,
  CFG_DST_MAXBURST: DESC.EXT + LAYOUT.CFG_DST_MAXBURST,
  SEG_COUNT: DESC.EXT + LAYOUT.SEG_COUNT,
  /** Client-mode metadata: the attached buffer and its length (see metadata.ts). */
  META_ADDR: DESC.EXT + LAYOUT.META_ADDR,
  META_LEN: DESC.EXT + LAYOUT.META_LEN,
  /** Bytes of metadata in the buffer (engine mode: set by the client or the engine). */
  META_PAYLOAD: DESC.EXT + LAYOUT.META_PAYLOAD,
  SEGMENTS: DESC.EXT + LAYOUT.SEGMENTS,
  PERIOD_LEN: DESC.EXT + LAYOUT.PERIOD_LEN,
  PERIODS_DONE: DESC.EXT + LAYOUT.PERIODS_DONE,
} as const;

/** The memory a vdma descriptor touches: both sides of every segment (DmaDevice.descMemRanges). */
export function vdmaDescMemRanges(d: Int32Array, desc: number, out: number[]): void {
  const db = descBase(desc);
  const n = Math.min(MAX_SEGMENTS, d[db + VDESC.SEG_COUNT]!);
  for (let s = 0; s < n; s++) {
    const o = db + VDESC.SEGMENTS + s * 3;
    out.push(d[o]!, d[o + 2]!, d[o + 1]!, d[o + 2]!);
  }
}
