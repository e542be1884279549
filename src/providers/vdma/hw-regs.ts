import { CHAN, HW_RING_SIZE } from '../../shm/channel-struct.js';
import { SCHED_ACTOR } from '../../shm/sched-struct.js';
import type { SchedView } from '../../sched/sched-view.js';

export const HW_RING_MASK = HW_RING_SIZE - 1;

/**
 * Rings the controller's doorbell after the driver published new work (HW_TAIL or
 * HW_RESET_REQ): wakes the engine actor. A busy engine polls those registers itself, so
 * the doorbell is rung only for a waiting one: the engine announces its wait (SLEEPING)
 * then re-reads the registers, we store the register then read SLEEPING (Dekker), so one
 * of us sees the other. Skipping the ring while the engine is busy keeps its line from
 * bouncing at every refill.
 */
export function ringDoorbell(view: SchedView, dev: number): void {
  const a = view.machine.engineActor[dev]!;
  if (Atomics.load(view.i32, view.base[a]! + SCHED_ACTOR.SLEEPING) === 0) return;
  view.wake(a);
}

/** Wrap-safe `a - b` of two monotonic 32-bit counters. */
export function counterDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Word offset of the hardware ring entry for counter value `pos`. */
export function ringSlot(cb: number, pos: number): number {
  return cb + CHAN.HW_RING + (pos & HW_RING_MASK);
}
