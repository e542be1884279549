import { DESC } from '../shm/descriptor-pool.js';
import { EINVAL, EPERM } from '../kernel/errno.js';
import type { DmaAsyncTxDescriptor } from './descriptor.js';
import { reportMisuse } from './misuse.js';
import { descBase } from './vchan-list.js';
import { DmaCtrlFlags } from './types.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';

/**
 * dmaengine_desc_set_reuse(): keeps the descriptor after completion for resubmission.
 * @returns 0, or -EPERM unless the device supports descriptor reuse
 */
export function dmaengineDescSetReuse(tx: DmaAsyncTxDescriptor): number {
  const cpu = apiEnter(ApiPoint.dmaengine_desc_set_reuse);
  if (!tx.chan.device.descriptorReuse) {
    reportMisuse('reuse-unsupported', tx.chan.index);
    return apiReturn(ApiPoint.dmaengine_desc_set_reuse, -EPERM);
  }
  const d = tx.chan.machine.pool.words;
  const db = descBase(tx.index);
  d[db + DESC.REUSE] = 1;
  d[db + DESC.FLAGS] = d[db + DESC.FLAGS]! | DmaCtrlFlags.DMA_CTRL_REUSE;
  apiExit(cpu, ApiPoint.dmaengine_desc_set_reuse);
  return 0;
}

/** dmaengine_desc_free(): frees a REUSE descriptor. -EPERM unless reuse is set. */
export function dmaengineDescFree(tx: DmaAsyncTxDescriptor): number {
  const cpu = apiEnter(ApiPoint.dmaengine_desc_free);
  if (!tx.valid()) {
    reportMisuse('stale-descriptor', tx.chan.index, tx.index);
    return apiReturn(ApiPoint.dmaengine_desc_free, -EINVAL);
  }
  const ret = tx.chan.device.descFree(tx.chan, tx.index);
  apiExit(cpu, ApiPoint.dmaengine_desc_free);
  return ret;
}

/** async_tx_ack(): sets DMA_CTRL_ACK. */
export function asyncTxAck(tx: DmaAsyncTxDescriptor): void {
  const cpu = apiEnter(ApiPoint.async_tx_ack);
  const d = tx.chan.machine.pool.words;
  const db = descBase(tx.index);
  d[db + DESC.FLAGS] = d[db + DESC.FLAGS]! | DmaCtrlFlags.DMA_CTRL_ACK;
  apiExit(cpu, ApiPoint.async_tx_ack);
}
