import { defineLayout } from '../../shm/layout.js';

/** Entries in a channel's hardware descriptor queue (a power of two). */
export const HW_RING_SIZE = 256;
export const HW_RING_MASK = HW_RING_SIZE - 1;

/** Driver-side words of a vdma channel (CPUs write them). */
const DRIVER_FIELDS = [
  'CFG_GEN',
  'CFG_DIRECTION',
  'CFG_SRC_ADDR',
  'CFG_DST_ADDR',
  'CFG_SRC_WIDTH',
  'CFG_DST_WIDTH',
  'CFG_SRC_MAXBURST',
  'CFG_DST_MAXBURST',
  'DRV_DONE',
  'DRV_PERIODS',
  'META_AREA',
] as const;

/**
 * vdma's per-channel state (`struct vdma_chan` beside its virt_dma_chan): the slave config
 * device_config stored, and the channel's hardware registers and queue. It lives in the
 * device's hardware words in the arena (DeviceSpec.regs).
 *
 *   CFG_*       the slave config registers (device_config writes them, without a lock)
 *   DRV_DONE    hardware completions the driver has already processed (under vc.lock)
 *   DRV_PERIODS cyclic periods the irq handler has signalled (under vc.lock)
 *   META_AREA   engine-mode metadata buffers of the channel, one per descriptor slot (0 until
 *               first used; see metadata.ts)
 *
 * Lines, each written by one side: the driver's fields above, registers the driver writes
 * (HW_TAIL, HW_RESET_REQ/TAIL), registers the engine writes (HW_HEAD, HW_ACTIVE,
 * HW_PROGRESS, HW_RESET_ACK), then the queue.
 *
 *   HW_HEAD     descriptors the hardware has finished (monotonic; engine writes)
 *   HW_TAIL     descriptors the driver has queued (monotonic; driver writes, then rings)
 *   HW_ACTIVE   descriptor the hardware is moving now, -1 when none
 *   HW_PROGRESS bytes moved of HW_ACTIVE (for BURST residue)
 *   HW_RESET_*  terminate: the driver bumps REQ with TAIL at that moment; the engine skips
 *               everything before that TAIL, then copies REQ to ACK (synchronize waits on it)
 *   HW_PAUSE    1 while the driver wants the channel paused; the engine copies it to
 *               HW_PAUSE_ACK between bursts and moves nothing while both are 1
 *   HW_PERIODS  cyclic periods the hardware finished (monotonic), raising the irq each time
 *   HW_RING     the queue itself: descriptor indices, HW_TAIL & (HW_RING_SIZE - 1)
 *
 *        HW_HEAD                HW_TAIL
 *           v                      v
 *   ... | done | active | queued | free ... (ring of HW_RING_SIZE)
 */
export const VREG = defineLayout(
  DRIVER_FIELDS,
  {
    // Each group below is written by one side only and gets its own 64-byte line, so that
    // an engine polling its registers does not bounce the line a CPU is updating.
    PAD_DRIVER: 16 - DRIVER_FIELDS.length,
    HW_TAIL: 1,
    HW_RESET_REQ: 1,
    HW_RESET_TAIL: 1,
    HW_PAUSE: 1,
    PAD_HW_DRIVER: 12,
    HW_HEAD: 1,
    HW_ACTIVE: 1,
    HW_PROGRESS: 1,
    HW_RESET_ACK: 1,
    HW_PAUSE_ACK: 1,
    HW_PERIODS: 1,
    PAD_HW_ENGINE: 10,
    HW_RING: HW_RING_SIZE,
  },
  16,
);

/** Wrap-safe `a - b` of two monotonic 32-bit counters. */
export function counterDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Word offset of the hardware ring entry for counter value `pos`. */
export function ringSlot(rb: number, pos: number): number {
  return rb + VREG.HW_RING + (pos & HW_RING_MASK);
}

export { ringDoorbell } from '../../platform/engine-idle.js';
