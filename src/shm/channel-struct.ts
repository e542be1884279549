import { defineLayout } from './layout.js';

/** Entries in a channel's hardware descriptor queue (a power of two). */
export const HW_RING_SIZE = 256;

/** List heads for the five virt-dma lists; each list is index-linked through descriptors. */
export const VCHAN_LISTS = ['ALLOCATED', 'SUBMITTED', 'ISSUED', 'COMPLETED', 'TERMINATED'] as const;
export type VchanList = (typeof VCHAN_LISTS)[number];

/**
 * `struct dma_chan` + `struct virt_dma_chan` + the controller's per-channel registers.
 *
 * Kernel-side (driver state, under VC_LOCK unless noted):
 *   CLIENT_COUNT, OWNER          dma_chan.client_count; owner = requesting CPU (-1: free)
 *   COOKIE, COMPLETED_COOKIE     dma_chan.cookie / completed_cookie
 *   COOKIE_WRAPPED               set once cookies wrapped past INT_MAX (foreign-cookie check)
 *   TERMINATING                  the terminate_async..synchronize window and the issues
 *                                inside it (see dmaengine/terminate-window.ts)
 *   CFG_*                        the slave config registers (device_config writes them)
 *   <LIST>_HEAD / <LIST>_TAIL    virt-dma lists, descriptor indices, -1 when empty
 *   VC_LOCK                      virt_dma_chan.lock (spinlock word: owner cpu + 1)
 *   CHAN_LOCK                    dma_chan.lock, the safe prep API's fallback lock
 *   CHAN_MUTEX                   dma_chan.lock as the v3 series had it: a mutex
 *   IRQ_PENDING, IRQ_CPU         the channel's interrupt line and its affinity
 *   TASKLET_STATE, TASKLET_CPU   the vchan tasklet: SCHED/RUN bits and the CPU it is queued on
 *                                (see TaskletState); TASKLET_CPU repeats that CPU for reports
 *   DRV_DONE                     hardware completions the driver has already processed
 *
 * Lines, each written by one side: kernel fields (CPUs), the irq line (engine raises, CPU
 * clears), registers the driver writes (HW_TAIL, HW_RESET_REQ/TAIL), registers the engine
 * writes (HW_HEAD, HW_ACTIVE, HW_PROGRESS, HW_RESET_ACK), then the queue.
 *
 * Hardware registers (the engine actor is the hardware):
 *   HW_HEAD     descriptors the hardware has finished (monotonic; engine writes)
 *   HW_TAIL     descriptors the driver has queued (monotonic; driver writes, then rings)
 *   HW_ACTIVE   descriptor the hardware is moving now, -1 when none
 *   HW_PROGRESS bytes moved of HW_ACTIVE (for BURST residue)
 *   HW_RESET_*  terminate: the driver bumps REQ with TAIL at that moment; the engine skips
 *               everything before that TAIL, then copies REQ to ACK (synchronize waits on it)
 *   HW_RING     the queue itself: descriptor indices, HW_TAIL & (HW_RING_SIZE - 1)
 *
 *        HW_HEAD                HW_TAIL
 *           v                      v
 *   ... | done | active | queued | free ... (ring of HW_RING_SIZE)
 */
/** The kernel-side words of a channel (the first group of CHAN). */
const KERNEL_FIELDS = [
  'DEVICE',
  'CHAN_ID',
  'CLIENT_COUNT',
  'OWNER',
  'COOKIE',
  'COMPLETED_COOKIE',
  'COOKIE_WRAPPED',
  'TERMINATING',
  'CFG_GEN',
  'CFG_DIRECTION',
  'CFG_SRC_ADDR',
  'CFG_DST_ADDR',
  'CFG_SRC_WIDTH',
  'CFG_DST_WIDTH',
  'CFG_SRC_MAXBURST',
  'CFG_DST_MAXBURST',
  'ALLOCATED_HEAD',
  'ALLOCATED_TAIL',
  'SUBMITTED_HEAD',
  'SUBMITTED_TAIL',
  'ISSUED_HEAD',
  'ISSUED_TAIL',
  'COMPLETED_HEAD',
  'COMPLETED_TAIL',
  'TERMINATED_HEAD',
  'TERMINATED_TAIL',
  'VC_LOCK',
  'CHAN_LOCK',
  'CHAN_MUTEX',
  'TASKLET_STATE',
  'TASKLET_CPU',
  'DRV_DONE',
] as const;

export const CHAN = defineLayout(
  KERNEL_FIELDS,
  {
    // Each group below is written by one side only and gets its own 64-byte line, so that
    // an engine polling its registers does not bounce the line a CPU is updating.
    PAD_KERNEL: 48 - KERNEL_FIELDS.length,
    IRQ_PENDING: 1,
    IRQ_CPU: 1,
    PAD_IRQ: 14,
    HW_TAIL: 1,
    HW_RESET_REQ: 1,
    HW_RESET_TAIL: 1,
    PAD_HW_DRIVER: 13,
    HW_HEAD: 1,
    HW_ACTIVE: 1,
    HW_PROGRESS: 1,
    HW_RESET_ACK: 1,
    PAD_HW_ENGINE: 12,
    HW_RING: HW_RING_SIZE,
  },
  16,
);

/**
 * Bits of CHAN.TASKLET_STATE (TASKLET_STATE_SCHED / TASKLET_STATE_RUN). While SCHED is set,
 * the bits from CPU_SHIFT up hold the scheduling CPU + 1: the kernel's per-CPU tasklet list.
 * SCHED and the CPU are set by one compare-and-swap, so no CPU ever sees SCHED with another
 * CPU's name (TASKLET_CPU, stored after, is only for reports).
 */
export const TaskletState = { SCHED: 1, RUN: 2, CPU_SHIFT: 2 } as const;
