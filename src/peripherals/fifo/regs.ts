import { defineLayout } from '../../shm/layout.js';

/**
 * The FIFO peripheral's registers (its first words; its FIFO's PORT block follows):
 *
 *   CTRL       driver writes: EN starts the device, IRQ_* bits unmask its interrupts
 *   STATUS     the device sets DONE / OVERRUN / UNDERRUN; the driver clears a bit by
 *              acknowledging it (as write-1-to-clear: the bits it handled, and no others)
 *   COUNT      bytes the device produced (rx) or consumed (tx) so far
 *   OVERRUNS   rx bytes lost because the FIFO was full when they arrived
 *   UNDERRUNS  tx periods the device found too little data for
 *   MISMATCHES tx bytes that were not the stream's (what the DMA wrote was wrong)
 */
export const FIFO_REGS = defineLayout(
  ['CTRL', 'STATUS', 'COUNT', 'OVERRUNS', 'UNDERRUNS', 'MISMATCHES'],
  {},
  16,
);

/** Bits of CTRL. */
export const FifoCtrl = { EN: 1, IRQ_DONE: 2, IRQ_OVERRUN: 4, IRQ_UNDERRUN: 8 } as const;

/** Bits of STATUS (and the CTRL.IRQ_* bit that unmasks each, shifted left by one). */
export const FifoStatus = { DONE: 1, OVERRUN: 2, UNDERRUN: 4 } as const;

/**
 * Byte `k` of a FIFO device's stream: what an rx device produces and a tx device expects,
 * so that both ends can verify every byte (a lost or doubled byte shifts what follows).
 */
export function fifoStreamByte(k: number): number {
  return (Math.imul(k, 0x9e3779b1) >>> 24) ^ (k & 0xff);
}
