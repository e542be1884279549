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
    // The word other threads write (irq raise) lives on its own line, away from the words
    // this CPU updates at every lock and preemption point. (A CPU's wake-up word is its
    // actor's SCHED_ACTOR.WAKE.)
    PAD_LOCAL: 64 - 6 - 3 * MAX_HELD_LOCKS,
    IRQ_PENDING: 1,
    PAD_REMOTE: 15,
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

/**
 * Whether CPU `b`'s pending interrupts can be delivered now: a pending line with irqs on and
 * not already in a hardirq handler, or a scheduled tasklet in process context with bh and
 * irqs on (irq_exit() -> invoke_softirq()). Readable from any thread.
 */
export function interruptsDeliverable(w: Int32Array, b: number): boolean {
  if (w[b + CPU.IRQ_DISABLED] !== 0) return false;
  const ctx = w[b + CPU.CONTEXT];
  if (w[b + CPU.IRQ_PENDING] !== 0 && ctx !== CpuContext.HARDIRQ) return true;
  return (
    w[b + CPU.SOFTIRQ_PENDING] !== 0 && ctx === CpuContext.PROCESS && w[b + CPU.BH_DISABLED] === 0
  );
}

/** Names used in events and reports. */
export const CPU_CONTEXT_NAMES = ['process', 'softirq', 'hardirq'] as const;
