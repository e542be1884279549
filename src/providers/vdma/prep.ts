import { DESC, type DescriptorPool } from '../../shm/descriptor-pool.js';
import { VREG } from './hw-regs.js';
import { MAX_SEGMENTS, VDESC } from './vdesc.js';
import { vdmaMetadataReset } from './metadata.js';
import { thisCpu } from '../../kernel/current.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { vchanTxPrep } from '../../dmaengine/virt-dma.js';
import {
  DmaOp,
  DmaTransferDirection,
  type DmaSlaveConfig,
  type Scatterlist,
} from '../../dmaengine/types.js';

/** A slave config with the generation it had (which config a descriptor was built from). */
export type GenConfig = DmaSlaveConfig & { gen: number };

/** vdma's device_prep_dma_memcpy: one segment, no config. @returns the slot, or -1 */
export function vdmaPrepMemcpy(
  pool: DescriptorPool,
  chan: DmaChan,
  dst: number,
  src: number,
  len: number,
  flags: number,
): number {
  const i = pool.alloc();
  if (i < 0) return -1;
  const d = pool.words;
  const db = descBase(i);
  d[db + DESC.KIND] = DmaOp.MEMCPY;
  d[db + DESC.DIRECTION] = DmaTransferDirection.DMA_MEM_TO_MEM;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = len;
  d[db + DESC.RESIDUE] = len;
  d[db + VDESC.SEG_COUNT] = 1;
  d[db + VDESC.PERIOD_LEN] = 0;
  d[db + VDESC.SEGMENTS] = src;
  d[db + VDESC.SEGMENTS + 1] = dst;
  d[db + VDESC.SEGMENTS + 2] = len;
  vdmaMetadataReset(d, db);
  return vchanTxPrep(chan, i, flags);
}

/**
 * The channel's config registers as they are now, read without a lock: another CPU's
 * device_config may land between two of these reads, as on the hardware.
 */
export function vdmaConfigRegisters(chan: DmaChan): GenConfig {
  const c = chan.hwWords;
  const cb = chan.hw;
  return {
    gen: Atomics.load(c, cb + VREG.CFG_GEN),
    srcAddr: c[cb + VREG.CFG_SRC_ADDR]!,
    dstAddr: c[cb + VREG.CFG_DST_ADDR]!,
    srcAddrWidth: c[cb + VREG.CFG_SRC_WIDTH]!,
    dstAddrWidth: c[cb + VREG.CFG_DST_WIDTH]!,
    srcMaxburst: c[cb + VREG.CFG_SRC_MAXBURST]!,
    dstMaxburst: c[cb + VREG.CFG_DST_MAXBURST]!,
  };
}

/**
 * Builds a slave descriptor from `cfg` and records which config it was (generation and
 * FIFO addresses), so a checker can tell the config applied from the one intended.
 * @returns the slot, or -1 (bad list or direction, pool exhausted)
 */
export function vdmaPrepSg(
  pool: DescriptorPool,
  chan: DmaChan,
  sgl: readonly Scatterlist[],
  dir: DmaTransferDirection,
  flags: number,
  cfg: GenConfig,
): number {
  if (sgl.length === 0 || sgl.length > MAX_SEGMENTS) return -1;
  if (dir !== DmaTransferDirection.DMA_MEM_TO_DEV && dir !== DmaTransferDirection.DMA_DEV_TO_MEM)
    return -1;
  const i = pool.alloc();
  if (i < 0) return -1;
  const d = pool.words;
  const db = descBase(i);
  const toDev = dir === DmaTransferDirection.DMA_MEM_TO_DEV;
  // The device side is a window at the config's FIFO address; successive segments fill
  // it in order, so what landed where can be verified byte by byte.
  let devOff = 0;
  let len = 0;
  for (let s = 0; s < sgl.length; s++) {
    const sg = sgl[s]!;
    const o = db + VDESC.SEGMENTS + s * 3;
    d[o] = toDev ? sg.dmaAddress : cfg.srcAddr + devOff;
    d[o + 1] = toDev ? cfg.dstAddr + devOff : sg.dmaAddress;
    d[o + 2] = sg.length;
    devOff += sg.length;
    len += sg.length;
  }
  d[db + DESC.KIND] = DmaOp.SLAVE_SG;
  d[db + DESC.DIRECTION] = dir;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = len;
  d[db + DESC.RESIDUE] = len;
  d[db + VDESC.SEG_COUNT] = sgl.length;
  d[db + VDESC.PERIOD_LEN] = 0;
  vdmaSlaveDesc(d, db, cfg);
  return vchanTxPrep(chan, i, flags);
}

/**
 * What every slave descriptor records of the config it was built from (generation and FIFO
 * addresses for the config checker, widths and bursts for the engine), with no metadata
 * attached yet.
 */
export function vdmaSlaveDesc(d: Int32Array, db: number, cfg: GenConfig): void {
  d[db + DESC.CFG_GEN] = cfg.gen;
  d[db + DESC.CFG_SRC_ADDR] = cfg.srcAddr;
  d[db + DESC.CFG_DST_ADDR] = cfg.dstAddr;
  d[db + VDESC.CFG_SRC_WIDTH] = cfg.srcAddrWidth;
  d[db + VDESC.CFG_DST_WIDTH] = cfg.dstAddrWidth;
  d[db + VDESC.CFG_SRC_MAXBURST] = cfg.srcMaxburst;
  d[db + VDESC.CFG_DST_MAXBURST] = cfg.dstMaxburst;
  vdmaMetadataReset(d, db);
}

/**
 * device_config: writes the config registers for later preps, without a lock (as most
 * drivers do), and bumps the config generation.
 * @returns the new generation
 */
export function vdmaWriteConfig(chan: DmaChan, config: DmaSlaveConfig): number {
  const c = chan.hwWords;
  const cb = chan.hw;
  c[cb + VREG.CFG_DIRECTION] = config.direction ?? DmaTransferDirection.DMA_TRANS_NONE;
  c[cb + VREG.CFG_SRC_ADDR] = config.srcAddr;
  c[cb + VREG.CFG_DST_ADDR] = config.dstAddr;
  c[cb + VREG.CFG_SRC_WIDTH] = config.srcAddrWidth;
  c[cb + VREG.CFG_DST_WIDTH] = config.dstAddrWidth;
  c[cb + VREG.CFG_SRC_MAXBURST] = config.srcMaxburst;
  c[cb + VREG.CFG_DST_MAXBURST] = config.dstMaxburst;
  return Atomics.add(c, cb + VREG.CFG_GEN, 1) + 1;
}
