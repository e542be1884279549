import { DESC } from '../../shm/descriptor-pool.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { DmaOp } from '../../dmaengine/types.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { vchanCyclicCallback } from '../../dmaengine/vchan-cyclic.js';
import { VREG, counterDiff, ringSlot } from './hw-regs.js';
import { VDESC } from './vdesc.js';

/**
 * The cyclic part of vdma's irq handler: one vchan_cyclic_callback() per period the
 * hardware finished since the handler last looked (HW_PERIODS), for the cyclic descriptor
 * at the head of the queue. Caller holds vc.lock.
 * @param d the descriptor pool's words
 * @returns the periods signalled
 */
export function vdmaCyclicIrq(chan: DmaChan, d: Int32Array): number {
  const c = chan.hwWords;
  const cb = chan.hw;
  const hw = Atomics.load(c, cb + VREG.HW_PERIODS);
  const seen = c[cb + VREG.DRV_PERIODS]!;
  if (hw === seen) return 0;
  c[cb + VREG.DRV_PERIODS] = hw;
  // After a terminate the queue is empty (DRV_DONE == HW_TAIL): periods of the terminated
  // descriptor that the handler had not seen yet get no callback.
  const done = c[cb + VREG.DRV_DONE]!;
  if (counterDiff(c[cb + VREG.HW_TAIL]!, done) <= 0) return 0;
  const desc = c[ringSlot(cb, done)]!;
  if (d[descBase(desc) + DESC.KIND] !== DmaOp.CYCLIC) return 0;
  const n = counterDiff(hw, seen);
  d[descBase(desc) + VDESC.PERIODS_DONE]! += n;
  for (let k = 0; k < n; k++) vchanCyclicCallback(chan, desc);
  return n;
}
