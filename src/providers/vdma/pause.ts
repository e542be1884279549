import type { SchedView } from '../../sched/sched-view.js';
import { Point } from '../../sched/labels.js';
import { WaitFlag, WaitOp } from '../../sched/wait-spec.js';
import { thisCpu } from '../../kernel/current.js';
import { EPERM } from '../../kernel/errno.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../../kernel/spinlock.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { reportMisuse } from '../../dmaengine/misuse.js';
import { VREG, counterDiff, ringDoorbell } from './hw-regs.js';

/**
 * device_pause: sets the channel's pause register and waits until the engine acknowledges
 * it, which it does between bursts: when this returns, no byte moves until resume, and
 * none was lost (the engine stopped at a burst boundary, HW_PROGRESS says where).
 * @returns 0, or -EPERM with no transfer in progress or already paused (as stm32-dma)
 */
export function vdmaPause(view: SchedView, dev: number, chan: DmaChan): number {
  const c = chan.hwWords;
  const cb = chan.hw;
  const f = spinLockIrqsave(chan.vcLock);
  const busy = counterDiff(c[cb + VREG.HW_TAIL]!, c[cb + VREG.DRV_DONE]!) > 0;
  if (!busy || c[cb + VREG.HW_PAUSE] !== 0) {
    spinUnlockIrqrestore(chan.vcLock, f);
    return -EPERM;
  }
  Atomics.store(c, cb + VREG.HW_PAUSE, 1);
  spinUnlockIrqrestore(chan.vcLock, f);
  ringDoorbell(view, dev);
  // Polled, as a driver polls its channel-enable bit: the engine rings nobody.
  thisCpu().waitWord(
    Point.poll,
    c,
    cb + VREG.HW_PAUSE_ACK,
    WaitOp.EQ,
    1,
    Infinity,
    WaitFlag.INTERRUPTIBLE | WaitFlag.POLLED,
  );
  return 0;
}

/**
 * device_resume: clears the pause register and rings the engine. Resuming a channel that is
 * not paused is invalid: reported as `resume-not-paused`, -EPERM as stm32-dma returns.
 */
export function vdmaResume(view: SchedView, dev: number, chan: DmaChan): number {
  const c = chan.hwWords;
  const cb = chan.hw;
  const f = spinLockIrqsave(chan.vcLock);
  if (c[cb + VREG.HW_PAUSE] === 0) {
    spinUnlockIrqrestore(chan.vcLock, f);
    reportMisuse('resume-not-paused', chan.index);
    return -EPERM;
  }
  Atomics.store(c, cb + VREG.HW_PAUSE, 0);
  spinUnlockIrqrestore(chan.vcLock, f);
  ringDoorbell(view, dev);
  return 0;
}

/** Whether the channel is paused (tx_status reports DMA_PAUSED). Caller holds vc.lock. */
export function vdmaPaused(chan: DmaChan): boolean {
  return chan.hwWords[chan.hw + VREG.HW_PAUSE] !== 0;
}
