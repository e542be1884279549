import { currentActor, thisCpu } from './current.js';
import { mightSleep } from './might-sleep.js';
import type { Machine } from '../shm/machine.js';
import { Point } from '../sched/labels.js';
import { WaitFlag, type WaitOp, type WordRef, wordRef } from '../sched/wait-spec.js';

/**
 * A wait queue head in shared memory: one word counting the CPUs that wait on it. A waiter
 * registers on the word in its actor's SCHED_ACTOR.WQ_* words, counts itself in, and only
 * then checks its condition; wake_up() skips the search when the count is 0, else wakes
 * every actor registered on the word. (A registration per waiter, not a bitmask in the
 * word: a run may have any number of CPUs.)
 */
export class WaitQueueHead {
  private ref: WordRef | null = null;

  constructor(
    readonly machine: Machine,
    readonly words: Int32Array,
    readonly index: number,
  ) {}

  private wordRef(): WordRef {
    return (this.ref ??= wordRef(this.machine.waitBuffers, this.words, this.index));
  }

  /**
   * wait_event_timeout(wq, cond, timeout): sleeps until `cond()` or the timeout. Like the
   * kernel's, it is not cut short by kthread_stop(): a stopping client finishes its wait.
   * `cond` is re-checked by the waiter after every wake_up(), as in the kernel.
   * @returns whether `cond()` held
   */
  waitEventTimeout(cond: () => boolean, timeoutMs: number): boolean {
    const cpu = thisCpu();
    const ref = this.wordRef();
    // Register and count in before the condition check inside the wait: a wake_up() that
    // comes after the check sees the count, finds the registration and moves our WAKE.
    const before = cpu.schedView.registerWaitQueue(cpu.actorIndex, ref.buf, ref.index);
    Atomics.add(this.words, this.index, 1);
    try {
      return cpu.waitEvent(Point.wait_event, cond, timeoutMs);
    } finally {
      Atomics.sub(this.words, this.index, 1);
      cpu.schedView.registerWaitQueue(cpu.actorIndex, before[0], before[1]);
    }
  }

  /** wake_up(): wakes every CPU sleeping on this queue. */
  wakeUp(): void {
    // The waker changed the condition before this load: a waiter not counted yet checks
    // its condition after counting itself in, and sees the change.
    if (Atomics.load(this.words, this.index) === 0) return;
    const ref = this.wordRef();
    currentActor().schedView.wakeQueue(ref.buf, ref.index);
  }
}

/** msleep(): sleeps for `ms` of run time; the CPU still takes its interrupts meanwhile. */
export function msleep(ms: number): void {
  mightSleep('msleep');
  thisCpu().waitEvent(Point.msleep, () => false, ms);
}

/**
 * wait_var_event_timeout(&var, var <op> value, timeout), with the condition as data: sleeps
 * until `words[index] op value` (WaitOp) or the timeout, taking interrupts meanwhile.
 * @returns whether the condition held
 */
export function waitVarEventTimeout(
  words: Int32Array,
  index: number,
  op: WaitOp,
  value: number,
  timeoutMs: number,
): boolean {
  return thisCpu().waitWord(
    Point.wait_var,
    words,
    index,
    op,
    value,
    timeoutMs,
    WaitFlag.INTERRUPTIBLE | WaitFlag.POLLED,
  );
}

/** wake_up_var(&var): wakes the CPUs waiting on `words[index]` at once (else they poll). */
export function wakeUpVar(words: Int32Array, index: number): void {
  const { machine, schedView } = currentActor();
  const ref = wordRef(machine.waitBuffers, words, index);
  schedView.wakeWaitersOn(ref.buf, ref.index);
}
