import { CHAN, HW_RING_SIZE } from '../../shm/channel-struct.js';
import type { SchedView } from '../../sched/sched-view.js';

export const HW_RING_MASK = HW_RING_SIZE - 1;

/**
 * Rings the controller's doorbell after the driver published new work (HW_TAIL or
 * HW_RESET_REQ): wakes the engine actor. A busy engine polls those registers itself, so
 * the doorbell rings only for a waiting one (SchedView.wake() checks): the engine announces
 * its wait then re-reads the registers, we store the register then read its flag (Dekker),
 * so one of us sees the other. Skipping the ring while the engine is busy keeps its line
 * from bouncing at every refill.
 */
export function ringDoorbell(view: SchedView, dev: number): void {
  view.wake(view.machine.engineActor[dev]!);
}

/** Wrap-safe `a - b` of two monotonic 32-bit counters. */
export function counterDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Word offset of the hardware ring entry for counter value `pos`. */
export function ringSlot(cb: number, pos: number): number {
  return cb + CHAN.HW_RING + (pos & HW_RING_MASK);
}
