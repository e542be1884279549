import { CHAN, DEVICE, HW_RING_SIZE } from '../../shm/channel-struct.js';
import type { Machine } from '../../shm/machine.js';

export const HW_RING_MASK = HW_RING_SIZE - 1;

/**
 * Rings the controller's doorbell after the driver published new work (HW_TAIL or
 * HW_RESET_REQ). A spinning engine polls those registers itself, so the doorbell is rung
 * only for a sleeping one: the engine stores SLEEPING then re-reads the registers, we store
 * the register then read SLEEPING (Dekker), so one of us sees the other. Skipping the ring
 * while the engine is awake keeps its polled line from bouncing at every refill.
 */
export function ringDoorbell(machine: Machine, dev: number): void {
  const w = machine.devices;
  const b = machine.deviceBase(dev);
  if (Atomics.load(w, b + DEVICE.SLEEPING) === 0) return;
  Atomics.add(w, b + DEVICE.DOORBELL, 1);
  Atomics.notify(w, b + DEVICE.DOORBELL, 1);
}

/** Wrap-safe `a - b` of two monotonic 32-bit counters. */
export function counterDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Word offset of the hardware ring entry for counter value `pos`. */
export function ringSlot(cb: number, pos: number): number {
  return cb + CHAN.HW_RING + (pos & HW_RING_MASK);
}
