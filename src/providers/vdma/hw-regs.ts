import { CHAN, DEVICE, HW_RING_SIZE } from '../../shm/channel-struct.js';
import type { Machine } from '../../shm/machine.js';

export const HW_RING_MASK = HW_RING_SIZE - 1;

/**
 * Rings the controller's doorbell: the engine re-reads its queues. The engine sets
 * SLEEPING, re-checks its queues, then waits on DOORBELL: either it sees our queue update
 * or we see its flag and notify.
 */
export function ringDoorbell(machine: Machine, dev: number): void {
  const w = machine.devices;
  const b = machine.deviceBase(dev);
  Atomics.add(w, b + DEVICE.DOORBELL, 1);
  if (Atomics.load(w, b + DEVICE.SLEEPING) !== 0) Atomics.notify(w, b + DEVICE.DOORBELL, 1);
}

/** Wrap-safe `a - b` of two monotonic 32-bit counters. */
export function counterDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Word offset of the hardware ring entry for counter value `pos`. */
export function ringSlot(cb: number, pos: number): number {
  return cb + CHAN.HW_RING + (pos & HW_RING_MASK);
}
