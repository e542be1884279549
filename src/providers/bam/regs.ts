import { defineLayout } from '../../shm/layout.js';

/** Flags of a hardware descriptor (`bam_desc_hw.flags`): bam_dma.c's DESC_FLAG_*. */
export const DescFlag = {
  INT: 1 << 15,
  EOT: 1 << 14,
  EOB: 1 << 13,
  NWD: 1 << 12,
  CMD: 1 << 11,
  /** The pipe-lock series (bits 10 and 9). */
  LOCK: 1 << 10,
  UNLOCK: 1 << 9,
} as const;

/** Execution environments a BAM has interrupt registers for (BAM_IRQ_SRCS_EE(n)). */
export const MAX_EES = 8;

/** Samples of lock wait and hold time a pipe keeps (the latest; sums count every one). */
export const LOCK_SAMPLES = 256;

/** Hardware descriptors a pipe's descriptor FIFO can hold at most (32 KiB / 8 B). */
export const MAX_FIFO_ENTRIES = 4096;

/**
 * The BAM's global registers (the device part of its hardware words):
 *
 *   DESC_CNT_TRSHLD  BAM_DESC_CNT_TRSHLD: device-global; a pending slave config writes its
 *                    maxburst here when a pipe's next descriptor starts
 *   LOCK_OWNER       the pipe group holding the pipe lock, + 1 (0: unlocked); the engine
 *                    serves only that group's pipes meanwhile
 *   IRQ_SRCS_EE      per execution environment, the pipes with an interrupt pending
 *                    (BAM_IRQ_SRCS_EE: the engine sets bits, the EE's handler reads and
 *                    clears them at once)
 *   TOTAL_*          what the engine counted over every pipe: data bytes forwarded,
 *                    descriptors processed, locks taken, and the microseconds locks were
 *                    held and waited for (a pipe's own counters sum to these)
 */
export const BREG = defineLayout(
  [
    'DESC_CNT_TRSHLD',
    'LOCK_OWNER',
    'TOTAL_BYTES',
    'TOTAL_DESCS',
    'TOTAL_LOCKS',
    'TOTAL_HOLD_US',
    'TOTAL_WAIT_US',
  ],
  { IRQ_SRCS_EE: MAX_EES },
  16,
);

/** Driver-side words of a pipe (`struct bam_chan`), written under vc.lock. */
const DRIVER_FIELDS = [
  'HEAD',
  'TAIL',
  'INITIALIZED',
  'PAUSED',
  'RECONFIGURE',
  'SLAVE_SRC_ADDR',
  'SLAVE_DST_ADDR',
  'SLAVE_SRC_MAXBURST',
  'SLAVE_DST_MAXBURST',
  'BAM_LOCKED',
  'SCRATCHPAD',
  'META_DIR',
  'DESC_LIST',
  'DESC_LIST_TAIL',
] as const;

/**
 * A pipe (`struct bam_chan` and the pipe's registers), in its channel's hardware words:
 *
 *   HEAD, TAIL       the driver's FIFO markers (entries; the ring has `ring` of them)
 *   INITIALIZED      bam_chan_init_hw() ran since the last reset
 *   PAUSED           bchan->paused
 *   RECONFIGURE      a slave config waits to be applied when the next descriptor starts
 *   SLAVE_*          the stored dma_slave_config (addresses and bursts)
 *   BAM_LOCKED       a LOCK was queued and its UNLOCK is not yet in the FIFO (bam_locked)
 *   SCRATCHPAD       the scratchpad address the client attached (0: none), and its
 *   META_DIR         direction: the lock bracket needs both, and DMA_MEM_TO_DEV
 *   DESC_LIST        head and tail of bchan->desc_list: transfers (partly) in the FIFO
 *
 * Registers the driver writes:
 *   P_EVNT_REG       the FIFO tail in bytes: writing it starts the hardware
 *   P_RST            pipe resets asked (a counter: the engine copies it to P_RST_ACK)
 *   P_HALT           1: the pipe is halted (pause)
 *   P_CTRL_DIR       the pipe's direction (P_DIRECTION), set by bam_chan_init_hw()
 *   P_PERIPH         the peripheral FIFO the pipe is wired to (its data register address)
 *   LOCK_CE, UNLOCK_CE  the command elements of the pipe's LOCK and UNLOCK descriptors
 *
 * Registers the engine writes:
 *   P_SW_OFSTS       the FIFO offset (bytes) the hardware has processed up to
 *   P_RST_ACK        the last reset the engine carried out
 *   DATA_BYTES, DESCS, LOCKS, HOLD_US, WAIT_US   this pipe's share of BREG.TOTAL_*
 *   WAIT_N, HOLD_N   samples taken (the latest LOCK_SAMPLES are kept, in microseconds)
 *
 *   FIFO             the descriptor FIFO: entry i is words 2i (addr) and 2i + 1
 *                    (size | flags << 16), as struct bam_desc_hw
 */
export const PIPE = defineLayout(
  DRIVER_FIELDS,
  {
    PAD_DRIVER: 16 - DRIVER_FIELDS.length,
    P_EVNT_REG: 1,
    P_RST: 1,
    P_HALT: 1,
    P_CTRL_DIR: 1,
    P_PERIPH: 1,
    LOCK_CE: 4,
    UNLOCK_CE: 4,
    PAD_HW_DRIVER: 3,
    P_SW_OFSTS: 1,
    P_RST_ACK: 1,
    DATA_BYTES: 1,
    DESCS: 1,
    LOCKS: 1,
    HOLD_US: 1,
    WAIT_US: 1,
    WAIT_N: 1,
    HOLD_N: 1,
    PAD_HW_ENGINE: 7,
    WAIT_SAMPLES: LOCK_SAMPLES,
    HOLD_SAMPLES: LOCK_SAMPLES,
    FIFO: MAX_FIFO_ENTRIES * 2,
  },
  16,
);

/**
 * The ring as the hardware sees it: BAM_P_FIFO_SIZES is the FIFO size less one descriptor
 * (BAM_FIFO_SIZE = 32 KiB - 8), so a 32 KiB FIFO rings over 4095 entries; the driver keeps
 * one free (CIRC_SPACE), so 4094 are usable at once.
 */
export function ringEntries(fifoBytes: number): number {
  return fifoBytes / 8 - 1;
}

/** The most bytes one hardware descriptor moves: BAM_FIFO_SIZE (the FIFO size less 8). */
export function maxChunk(fifoBytes: number): number {
  return Math.min(fifoBytes - 8, 0xffff);
}

/** CIRC_SPACE(tail, head, ring): entries the driver may still write. */
export function circSpace(tail: number, head: number, ring: number): number {
  return (((head - tail - 1) % ring) + ring) % ring;
}

/** CIRC_CNT(offset, head, ring): entries between the driver's head and the hardware's offset. */
export function circCnt(offset: number, head: number, ring: number): number {
  return (((offset - head) % ring) + ring) % ring;
}

/** The EE a pipe belongs to: pipes are split into contiguous blocks, one per EE. */
export function pipeEe(pipe: number, pipes: number, ees: number): number {
  return Math.min(ees - 1, Math.floor((pipe * ees) / pipes));
}

/**
 * The pipe's reset count as P_EVNT_REG and P_SW_OFSTS carry it in their upper half: the
 * reset is a request to the engine here, not a synchronous register write, so each side
 * ignores the other's offset from before the last reset.
 */
export function resetTag(rst: number): number {
  return (rst & 0x7fff) << 16;
}
