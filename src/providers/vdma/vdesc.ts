import { defineLayout } from '../../shm/layout.js';
import { DESC, DESC_EXT_WORDS } from '../../shm/descriptor-pool.js';

/** Segments one vdma descriptor carries inline (an sg list longer than this fails prep). */
export const MAX_SEGMENTS = 8;

/**
 * vdma's part of a descriptor (`struct vdma_desc` around its virt_dma_desc), in the slot's
 * provider words: the rest of the slave config it was built from, then its segments, each
 * (src, dst, len). The engine reads SEG_COUNT and the segments.
 */
const LAYOUT = defineLayout(
  ['CFG_SRC_WIDTH', 'CFG_DST_WIDTH', 'CFG_SRC_MAXBURST', 'CFG_DST_MAXBURST', 'SEG_COUNT'],
  // A cyclic descriptor's period (its one segment is the whole ring), and the periods its
  // irq handler signalled (under vc.lock).
  { SEGMENTS: MAX_SEGMENTS * 3, PERIOD_LEN: 1, PERIODS_DONE: 1 },
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
  SEGMENTS: DESC.EXT + LAYOUT.SEGMENTS,
  PERIOD_LEN: DESC.EXT + LAYOUT.PERIOD_LEN,
  PERIODS_DONE: DESC.EXT + LAYOUT.PERIODS_DONE,
} as const;
