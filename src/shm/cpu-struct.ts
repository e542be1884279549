import { defineLayout } from './layout.js';

/** Maximum locks one CPU can hold at once (lockdep's MAX_LOCK_DEPTH is 48). */
export const MAX_HELD_LOCKS = 16;

/**
 * Per simulated CPU, one cache line apart. The truth about what a CPU is doing lives here,
 * so that other actors and the host's watchdog can read it.
 *
 *   CONTEXT          CpuContext of the code running now
 *   IRQ_DISABLED     local_irq_disable() depth (spin_lock_irqsave nests)
 *   BH_DISABLED      local_bh_disable() depth
 *   PREEMPT_COUNT    spinlocks held (each disables preemption): with the context and the
 *                    disable depths, what in_atomic() sees
 *   WAKE             futex word: bumped by irq raise and wake_up; a sleeping CPU waits on it
 *   SLEEPING         1 while the CPU is (about to be) in Atomics.wait on WAKE
 *   IRQ_PENDING      count of pending irq lines routed here (summary; lines hold the truth)
 *   SOFTIRQ_PENDING  count of tasklets scheduled here (only this CPU schedules its own)
 *   HELD*            the held-lock stack: lock id, lock class, and the state at acquire
 *                    (HeldState bits: context, hardirqs on, softirqs on)
 */
export const CPU = defineLayout(
  ['CONTEXT', 'IRQ_DISABLED', 'BH_DISABLED', 'SOFTIRQ_PENDING', 'PREEMPT_COUNT', 'HELD_COUNT'],
  {
    HELD: MAX_HELD_LOCKS,
    HELD_CLASS: MAX_HELD_LOCKS,
    HELD_STATE: MAX_HELD_LOCKS,
    // Words other threads write (irq raise, wake_up) live on their own line, away from the
    // words this CPU updates at every lock and preemption point.
    PAD_LOCAL: 64 - 6 - 3 * MAX_HELD_LOCKS,
    WAKE: 1,
    SLEEPING: 1,
    IRQ_PENDING: 1,
    PAD_REMOTE: 13,
  },
  16,
);

/** Values of CPU.CONTEXT. */
export const CpuContext = {
  PROCESS: 0,
  SOFTIRQ: 1,
  HARDIRQ: 2,
} as const;
export type CpuContext = (typeof CpuContext)[keyof typeof CpuContext];

/** Bits of a CPU.HELD_STATE entry: the context and interrupt state a lock was taken in. */
export const HeldState = {
  /** CpuContext in the low 2 bits. */
  CONTEXT_MASK: 3,
  HARDIRQS_ON: 4,
  SOFTIRQS_ON: 8,
} as const;

/** Names used in events and reports. */
export const CPU_CONTEXT_NAMES = ['process', 'softirq', 'hardirq'] as const;
