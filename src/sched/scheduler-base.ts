import type { RunClock } from './run-clock.js';
import type { InterruptSink } from './scheduler.js';
import type { SchedView } from './sched-view.js';

/**
 * What every mode's Scheduler of one actor shares: the actor's SCHED_ACTOR words, the CPU
 * whose interrupts it takes, and the bookkeeping of a wait (prepare, count once, finish).
 */
export abstract class SchedulerBase {
  protected readonly i: Int32Array;
  protected readonly b: number;
  protected sink: InterruptSink | null = null;
  /** Whether the wait in progress was counted as a point. */
  private counted = false;
  abstract readonly clock: RunClock;

  constructor(
    protected readonly v: SchedView,
    protected readonly actor: number,
  ) {
    this.i = v.i32;
    this.b = v.base[actor]!;
  }

  /** The CPU whose interrupts this actor takes (never set for an engine). */
  setInterruptSink(sink: InterruptSink): void {
    this.sink = sink;
  }

  deadline(ms: number): number {
    return ms === Infinity ? Infinity : this.clock.now() + ms;
  }

  prepareWait(): number {
    return this.v.prepareWait(this.actor);
  }

  finishWait(): void {
    this.counted = false;
    this.v.finishWait(this.actor);
  }

  /**
   * Counts the wait in progress as one point labelled `label`, at its first block: a wait
   * is one point however often it re-blocks (how often is the OS's doing), in every mode,
   * because replay counts points.
   */
  protected countWait(label: number): void {
    if (this.counted) return;
    this.counted = true;
    this.countPoint(label);
  }

  /** Counts one point passed by this actor. */
  protected abstract countPoint(label: number): void;
}
