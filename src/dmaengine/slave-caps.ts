import { ApiPoint } from '../sched/labels.js';
import { EINVAL, ENXIO } from '../kernel/errno.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import type { DmaChan } from './chan.js';
import { DmaTransactionType, dmaHasCap } from './types.js';

/** struct dma_slave_caps: what dma_get_slave_caps() reports of a channel. */
export interface DmaSlaveCaps {
  /** Bit mask of the source address widths in bytes (BIT(DMA_SLAVE_BUSWIDTH_n_BYTES)). */
  srcAddrWidths: number;
  dstAddrWidths: number;
  /** Bit mask of DmaTransferDirection values. */
  directions: number;
  minBurst: number;
  maxBurst: number;
  maxSgBurst: number;
  cmdPause: boolean;
  cmdResume: boolean;
  cmdTerminate: boolean;
  /** enum dma_residue_granularity. */
  residueGranularity: number;
  descriptorReuse: boolean;
}

/** A zeroed struct dma_slave_caps for dma_get_slave_caps() to fill. */
export function emptySlaveCaps(): DmaSlaveCaps {
  return {
    srcAddrWidths: 0,
    dstAddrWidths: 0,
    directions: 0,
    minBurst: 0,
    maxBurst: 0,
    maxSgBurst: 0,
    cmdPause: false,
    cmdResume: false,
    cmdTerminate: false,
    residueGranularity: 0,
    descriptorReuse: false,
  };
}

/**
 * dma_get_slave_caps() (dmaengine.c): the device's slave capabilities, then the driver's
 * device_caps() override for this channel. A device field a provider leaves out counts as 0.
 * @returns 0; -EINVAL for a NULL chan or caps; -ENXIO unless the device has DMA_SLAVE or
 *   DMA_CYCLIC and some direction
 */
export function dmaGetSlaveCaps(chan: DmaChan | null, caps: DmaSlaveCaps | null): number {
  const cpu = apiEnter(ApiPoint.dma_get_slave_caps);
  if (!chan || !caps) return apiReturn(ApiPoint.dma_get_slave_caps, -EINVAL);
  const device = chan.device;
  // "check if the channel supports slave transactions"
  if (!(
    dmaHasCap(DmaTransactionType.DMA_SLAVE, device.capMask) ||
    dmaHasCap(DmaTransactionType.DMA_CYCLIC, device.capMask)
  ))
    return apiReturn(ApiPoint.dma_get_slave_caps, -ENXIO);
  // "Check whether it reports it uses the generic slave capabilities, if not, that means it
  // doesn't support any kind of slave capabilities reporting."
  if (!device.directions) return apiReturn(ApiPoint.dma_get_slave_caps, -ENXIO);
  caps.srcAddrWidths = device.srcAddrWidths ?? 0;
  caps.dstAddrWidths = device.dstAddrWidths ?? 0;
  caps.directions = device.directions;
  caps.minBurst = device.minBurst ?? 0;
  caps.maxBurst = device.maxBurst ?? 0;
  caps.maxSgBurst = device.maxSgBurst ?? 0;
  caps.residueGranularity = device.residueGranularity;
  caps.descriptorReuse = device.descriptorReuse;
  caps.cmdPause = !!device.devicePause;
  caps.cmdResume = !!device.deviceResume;
  caps.cmdTerminate = !!device.deviceTerminateAll;
  device.deviceCaps?.(chan, caps);
  apiExit(cpu, ApiPoint.dma_get_slave_caps);
  return 0;
}
