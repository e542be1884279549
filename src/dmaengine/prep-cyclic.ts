import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import type { DmaChan } from './chan.js';
import type { DmaAsyncTxDescriptor } from './descriptor.js';
import { noChan, wrapPrep } from './consumer.js';
import { reportMisuse } from './misuse.js';
import { DmaOp, DmaTransactionType, dmaHasCap, type DmaTransferDirection } from './types.js';

/**
 * dmaengine_prep_dma_cyclic(): a transfer over the ring [bufAddr, bufAddr + bufLen) that
 * calls its callback after every `periodLen` bytes and runs "till the operation is
 * explicitly stopped". `bufLen % periodLen` is the driver's to enforce (vdma returns NULL,
 * as dma-axi-dmac does), not the core's.
 * @returns the descriptor, or null (NULL chan or chan->device, no device_prep_dma_cyclic or
 *   no DMA_CYCLIC capability, no client, zero length, the driver's NULL)
 */
export function dmaenginePrepDmaCyclic(
  chan: DmaChan | null,
  bufAddr: number,
  bufLen: number,
  periodLen: number,
  dir: DmaTransferDirection,
  flags: number,
): DmaAsyncTxDescriptor | null {
  const cpu = apiEnter(ApiPoint.dmaengine_prep_dma_cyclic);
  // The kernel's wrapper tests the op; dma_async_device_register() refuses DMA_CYCLIC
  // without it, so for a registered device the capability says the same.
  if (
    noChan(chan) ||
    !chan.device.devicePrepDmaCyclic ||
    !dmaHasCap(DmaTransactionType.DMA_CYCLIC, chan.device.capMask)
  )
    return apiReturn(ApiPoint.dmaengine_prep_dma_cyclic, null);
  if (chan.clientCount() === 0) {
    reportMisuse('chan-not-held', chan.index);
    return apiReturn(ApiPoint.dmaengine_prep_dma_cyclic, null);
  }
  if (bufLen <= 0 || periodLen <= 0) {
    reportMisuse('zero-length', chan.index, bufLen <= 0 ? bufLen : periodLen);
    return apiReturn(ApiPoint.dmaengine_prep_dma_cyclic, null);
  }
  const tx = wrapPrep(
    chan,
    chan.device.devicePrepDmaCyclic(chan, bufAddr, bufLen, periodLen, dir, flags),
    DmaOp.CYCLIC,
    bufLen,
    flags,
  );
  apiExit(cpu, ApiPoint.dmaengine_prep_dma_cyclic);
  return tx;
}
