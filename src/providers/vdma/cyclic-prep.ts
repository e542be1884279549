import { DESC, type DescriptorPool } from '../../shm/descriptor-pool.js';
import { thisCpu } from '../../kernel/current.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { vchanTxPrep } from '../../dmaengine/virt-dma.js';
import { DmaOp, DmaTransferDirection } from '../../dmaengine/types.js';
import { vdmaSlaveDesc, type GenConfig } from './prep.js';
import { VDESC } from './vdesc.js';

/**
 * vdma's device_prep_dma_cyclic: one descriptor for the whole ring, its one segment the
 * buffer against the config's FIFO address, and its period. The engine walks the ring
 * period by period, raising the irq after each, until the channel is terminated.
 * @returns the slot, or -1: a direction other than MEM_TO_DEV / DEV_TO_MEM, an empty
 *   buffer or period, `bufLen % periodLen != 0` (dma-axi-dmac returns NULL the same way),
 *   or the pool exhausted
 */
export function vdmaPrepCyclic(
  pool: DescriptorPool,
  chan: DmaChan,
  buf: number,
  bufLen: number,
  periodLen: number,
  dir: DmaTransferDirection,
  flags: number,
  cfg: GenConfig,
): number {
  if (dir !== DmaTransferDirection.DMA_MEM_TO_DEV && dir !== DmaTransferDirection.DMA_DEV_TO_MEM)
    return -1;
  if (bufLen <= 0 || periodLen <= 0 || bufLen % periodLen !== 0) return -1;
  const i = pool.alloc();
  if (i < 0) return -1;
  const d = pool.words;
  const db = descBase(i);
  const toDev = dir === DmaTransferDirection.DMA_MEM_TO_DEV;
  d[db + DESC.KIND] = DmaOp.CYCLIC;
  d[db + DESC.DIRECTION] = dir;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = bufLen;
  d[db + DESC.RESIDUE] = bufLen;
  d[db + VDESC.SEG_COUNT] = 1;
  d[db + VDESC.SEGMENTS] = toDev ? buf : cfg.srcAddr;
  d[db + VDESC.SEGMENTS + 1] = toDev ? cfg.dstAddr : buf;
  d[db + VDESC.SEGMENTS + 2] = bufLen;
  d[db + VDESC.PERIOD_LEN] = periodLen;
  d[db + VDESC.PERIODS_DONE] = 0;
  vdmaSlaveDesc(d, db, cfg);
  return vchanTxPrep(chan, i, flags);
}
