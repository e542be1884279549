import type { RunClock } from './run-clock.js';

/** A CPU's interrupts as the scheduler sees them (the kernel's Cpu implements it). */
export interface InterruptSink {
  /** Whether interrupts could be delivered now (see interruptsDeliverable). */
  pending(): boolean;
  /** Runs them: hardirq handlers, then softirqs, as irq_exit() does. */
  take(): void;
}

/**
 * The one scheduling point of an actor thread. Kernel and driver code stays plain
 * synchronous code and calls these; the mode decides what happens there:
 *   free        real parallelism; a point takes pending interrupts at once
 *   chaos       free, plus seeded random delays at points (KCSAN's idea)
 *   controlled  one actor runs at a time; at every point a seeded strategy picks who goes
 *               on, and when a CPU takes its interrupts
 *
 * A wait is prepare / check / block, as prepare_to_wait(), the condition, schedule():
 *   for (;;) {
 *     const seen = sched.prepareWait();   // announce the wait, read WAKE
 *     if (condition) break;
 *     sched.block(label, flags, deadline, seen, buf, index, op, value);
 *   }
 *   sched.finishWait();
 * so a wake between the check and the block is never lost, and what the wait is for is
 * data (a word and a comparison, see wait-spec.ts) that any thread can evaluate.
 */
export interface Scheduler {
  readonly clock: RunClock;
  /** Run-clock deadline `ms` from now (Infinity stays Infinity). */
  deadline(ms: number): number;
  /** The actor's first point: in controlled mode it waits here for its first turn. */
  start(): void;
  /** A preemption point with a label from POINT_LABELS. */
  point(label: number): void;
  /** cpu_relax(): one step of a busy-poll loop (a point, and time passing). */
  relax(): void;
  /**
   * Spins, as the waiting policy allows, until `check()` (the caller's own test of data it
   * polls, such as hardware registers) holds: cheaper than a wait when the data changes
   * soon, because nobody has to signal it. Never spins in a controlled run. A spin that
   * pays is a point labelled `label`, as the wait it spared would have been.
   * @returns whether `check()` held; if not, the caller waits (WaitFlag.NO_SPIN)
   */
  spinUntil(check: () => boolean, label: number): boolean;
  /** Announces a wait; @returns WAKE as read now, for block(). */
  prepareWait(): number;
  /**
   * Blocks until the condition word satisfies `op value`, WAKE moves from `seen`, the
   * run-clock `deadline` passes, or (WaitFlag.INTERRUPTIBLE) the CPU takes its interrupts
   * here. May return early: callers re-check in a loop.
   */
  block(
    label: number,
    flags: number,
    deadline: number,
    seen: number,
    buf: number,
    index: number,
    op: number,
    value: number,
  ): void;
  /** Ends a wait announced by prepareWait(). */
  finishWait(): void;
  /** The actor's life in the run ended. */
  exit(): void;
  /**
   * The actor's life ended abnormally (aborted, crashed): publish what the host reads (the
   * points passed), schedule nothing.
   */
  detach(): void;
}
