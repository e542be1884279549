import { DESC, DescState } from '../../shm/descriptor-pool.js';
import type { SchedView } from '../../sched/sched-view.js';
import { Point } from '../../sched/labels.js';
import { WaitFlag, WaitOp } from '../../sched/wait-spec.js';
import { thisCpu } from '../../kernel/current.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../../kernel/spinlock.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import {
  vchanDmaDescFreeList,
  vchanGetAllDescriptors,
  vchanSynchronize,
  vchanTerminateVdesc,
} from '../../dmaengine/virt-dma.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { EventCode } from '../../events/kinds.js';
import { trace } from '../../events/trace.js';
import { VREG, counterDiff, ringDoorbell, ringSlot } from './hw-regs.js';
import { DmaOp } from '../../dmaengine/types.js';

/**
 * device_terminate_all: asks the hardware to drop its queue, parks what it may still be
 * reading on desc_terminated (freed by synchronize, or by the next terminate once the
 * hardware no longer reads it), frees everything else now. No callback runs for any of
 * them.
 * @param dev the controller's device index (whose doorbell is rung)
 * @param terminateVdesc false: the race before vchan_terminate_vdesc() existed: a cyclic
 *   descriptor is freed at once and vc->cyclic keeps naming it, so a tasklet that
 *   vchan_cyclic_callback() scheduled reads freed memory
 */
export function vdmaTerminateAll(
  view: SchedView,
  dev: number,
  chan: DmaChan,
  terminateVdesc = true,
): number {
  const machine = view.machine;
  const c = chan.hwWords;
  const cb = chan.hw;
  const d = machine.pool.words;
  const drop: number[] = [];
  const freeNow: number[] = [];
  const f = spinLockIrqsave(chan.vcLock);
  // A terminate ends a pause: the channel runs the next transfers.
  Atomics.store(c, cb + VREG.HW_PAUSE, 0);
  const tail = c[cb + VREG.HW_TAIL]!;
  Atomics.store(c, cb + VREG.HW_RESET_TAIL, tail);
  Atomics.add(c, cb + VREG.HW_RESET_REQ, 1);
  const inRing: number[] = [];
  for (let pos = c[cb + VREG.DRV_DONE]!; counterDiff(tail, pos) > 0; pos = (pos + 1) | 0) {
    const slot = c[ringSlot(cb, pos)]!;
    if (!terminateVdesc && d[descBase(slot) + DESC.KIND] === DmaOp.CYCLIC) {
      freeNow.push(slot);
      continue;
    }
    vchanTerminateVdesc(chan, slot);
    inRing.push(slot);
  }
  c[cb + VREG.DRV_DONE] = tail;
  // Read after the reset request: an engine that publishes a descriptor later sees the
  // request and abandons it (engine.ts), so only this one may still be copied.
  const active = Atomics.load(c, cb + VREG.HW_ACTIVE);
  const parked: number[] = [];
  vchanGetAllDescriptors(chan, drop);
  for (let k = drop.length - 1; k >= 0; k--) {
    const i = drop[k]!;
    // As the kernel's vchan_get_all_descriptors() takes desc_terminated, what earlier
    // terminates parked is freed now (a driver that terminates and re-arms without
    // dmaengine_synchronize() must not run the pool dry); what the hardware may still
    // read stays parked: this terminate's ring, and the descriptor being copied.
    if (
      d[descBase(i) + DESC.STATE] === DescState.TERMINATED &&
      (i === active || inRing.includes(i))
    ) {
      parked.push(i);
      drop.splice(k, 1);
    }
  }
  for (let k = parked.length - 1; k >= 0; k--) vchanTerminateVdesc(chan, parked[k]!);
  spinUnlockIrqrestore(chan.vcLock, f);
  ringDoorbell(view, dev);
  vchanDmaDescFreeList(chan, drop);
  vchanDmaDescFreeList(chan, freeNow);
  trace(EventCode.terminate, chan.index, drop.length + parked.length);
  return 0;
}

/** device_synchronize: the hardware has acknowledged the reset, then vchan_synchronize(). */
export function vdmaSynchronize(chan: DmaChan): void {
  const c = chan.hwWords;
  const cb = chan.hw;
  // readx_poll_timeout() on the reset-ack register: nobody signals it, the driver polls.
  thisCpu().waitWord(
    Point.poll,
    c,
    cb + VREG.HW_RESET_ACK,
    WaitOp.GE,
    Atomics.load(c, cb + VREG.HW_RESET_REQ),
    Infinity,
    WaitFlag.INTERRUPTIBLE | WaitFlag.POLLED,
  );
  vchanSynchronize(chan);
}
