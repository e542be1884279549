import { defineLayout } from '../../shm/layout.js';
import { DESC, DESC_EXT_WORDS, type DescriptorPool } from '../../shm/descriptor-pool.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { vchanTxPrep } from '../../dmaengine/virt-dma.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { thisCpu } from '../../kernel/current.js';
import {
  DmaCtrlFlags,
  DmaOp,
  DmaTransferDirection,
  type Scatterlist,
} from '../../dmaengine/types.js';
import { DescFlag } from './regs.js';

/** Hardware descriptors one transfer carries inline (a longer transfer fails prep). */
export const MAX_HW_DESCS = 16;

/** What kind of descriptor a slot holds: a client's transfer, or a lock bracket's end. */
export const LockKind = { NONE: 0, LOCK: 1, UNLOCK: 2 } as const;

const LAYOUT = defineLayout(
  ['NUM_DESC', 'XFER_LEN', 'CURR', 'AFLAGS', 'DIR', 'LENGTH', 'LOCK_KIND', 'RESERVED'],
  { HW: MAX_HW_DESCS * 2 },
);
if (LAYOUT.WORDS > DESC_EXT_WORDS) {
  throw new Error(`bam's descriptor needs ${LAYOUT.WORDS} words, a slot has ${DESC_EXT_WORDS}`);
}

/**
 * `struct bam_async_desc` around its virt_dma_desc, in the slot's provider words:
 *
 *   NUM_DESC   hardware descriptors not yet consumed (decremented as the FIFO drains)
 *   XFER_LEN   how many bam_start_dma() copied into the FIFO the last time
 *   CURR       index of the first not yet consumed (curr_desc)
 *   AFLAGS     EOT / NWD for the last hardware descriptor (from DMA_PREP_*)
 *   DIR        enum dma_transfer_direction
 *   LENGTH     bytes of the whole transfer
 *   LOCK_KIND  LockKind: a lock bracket's LOCK or UNLOCK descriptor, or a transfer
 *   HW         the hardware descriptors, two words each: addr, size | flags << 16
 */
export const BDESC = {
  NUM_DESC: DESC.EXT + LAYOUT.NUM_DESC,
  XFER_LEN: DESC.EXT + LAYOUT.XFER_LEN,
  CURR: DESC.EXT + LAYOUT.CURR,
  AFLAGS: DESC.EXT + LAYOUT.AFLAGS,
  DIR: DESC.EXT + LAYOUT.DIR,
  LENGTH: DESC.EXT + LAYOUT.LENGTH,
  LOCK_KIND: DESC.EXT + LAYOUT.LOCK_KIND,
  HW: DESC.EXT + LAYOUT.HW,
} as const;

/** Size of hardware descriptor `i` of the slot at `db`. */
export function hwSize(d: Int32Array, db: number, i: number): number {
  return d[db + BDESC.HW + i * 2 + 1]! & 0xffff;
}

/** Sets one hardware descriptor. */
export function setHw(
  d: Int32Array,
  db: number,
  i: number,
  addr: number,
  size: number,
  flags: number,
): void {
  d[db + BDESC.HW + i * 2] = addr;
  d[db + BDESC.HW + i * 2 + 1] = (size & 0xffff) | (flags << 16);
}

/** ORs `flags` into hardware descriptor `i`. */
export function orHwFlags(d: Int32Array, db: number, i: number, flags: number): void {
  d[db + BDESC.HW + i * 2 + 1] = d[db + BDESC.HW + i * 2 + 1]! | (flags << 16);
}

/**
 * bam_prep_slave_sg(): one hardware descriptor per `chunk` bytes of each sg entry;
 * DMA_PREP_FENCE becomes NWD and DMA_PREP_INTERRUPT EOT, kept for the last hardware
 * descriptor only; DMA_PREP_CMD sets CMD on every one.
 * @returns the slot, or -1 (bad direction, more than MAX_HW_DESCS chunks, pool exhausted)
 */
export function bamPrepSlaveSg(
  pool: DescriptorPool,
  chan: DmaChan,
  sgl: readonly Scatterlist[],
  dir: DmaTransferDirection,
  flags: number,
  chunk: number,
): number {
  if (dir !== DmaTransferDirection.DMA_MEM_TO_DEV && dir !== DmaTransferDirection.DMA_DEV_TO_MEM)
    return -1;
  let num = 0;
  for (const sg of sgl) num += Math.max(1, Math.ceil(sg.length / chunk));
  if (sgl.length === 0 || num > MAX_HW_DESCS) return -1;
  // kzalloc(GFP_NOWAIT) of the descriptor with its hardware descriptors.
  const i = pool.alloc();
  if (i < 0) return -1;
  const d = pool.words;
  const db = descBase(i);
  let aflags = 0;
  if ((flags & DmaCtrlFlags.DMA_PREP_FENCE) !== 0) aflags |= DescFlag.NWD;
  if ((flags & DmaCtrlFlags.DMA_PREP_INTERRUPT) !== 0) aflags |= DescFlag.EOT;
  const hwFlags = (flags & DmaCtrlFlags.DMA_PREP_CMD) !== 0 ? DescFlag.CMD : 0;
  let n = 0;
  let length = 0;
  for (const sg of sgl) {
    let left = sg.length;
    let off = 0;
    do {
      const size = Math.min(left, chunk);
      setHw(d, db, n++, sg.dmaAddress + off, size, hwFlags);
      left -= size;
      off += size;
      length += size;
    } while (left > 0);
  }
  d[db + BDESC.NUM_DESC] = num;
  d[db + BDESC.XFER_LEN] = 0;
  d[db + BDESC.CURR] = 0;
  d[db + BDESC.AFLAGS] = aflags;
  d[db + BDESC.DIR] = dir;
  d[db + BDESC.LENGTH] = length;
  d[db + BDESC.LOCK_KIND] = LockKind.NONE;
  d[db + DESC.KIND] = DmaOp.SLAVE_SG;
  d[db + DESC.DIRECTION] = dir;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = length;
  d[db + DESC.RESIDUE] = length;
  d[db + DESC.CFG_GEN] = 0;
  d[db + DESC.CFG_SRC_ADDR] = 0;
  d[db + DESC.CFG_DST_ADDR] = 0;
  return vchanTxPrep(chan, i, flags);
}

/** Residue of a transfer in the FIFO: the sizes of its hardware descriptors not yet consumed. */
export function bamRemaining(d: Int32Array, db: number): number {
  const curr = d[db + BDESC.CURR]!;
  const num = d[db + BDESC.NUM_DESC]!;
  let n = 0;
  for (let k = 0; k < num; k++) n += hwSize(d, db, curr + k);
  return n;
}

/** The memory a BAM descriptor touches (DmaDevice.descMemRanges): each hardware descriptor's buffer. */
export function bamDescMemRanges(d: Int32Array, desc: number, out: number[]): void {
  const db = descBase(desc);
  const n = Math.min(MAX_HW_DESCS, d[db + BDESC.CURR]! + d[db + BDESC.NUM_DESC]!);
  for (let k = 0; k < n; k++) out.push(d[db + BDESC.HW + k * 2]!, hwSize(d, db, k));
}
