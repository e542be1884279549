import { currentActor, thisCpu } from './current.js';
import { mightSleep } from './might-sleep.js';
import { wakeCpu } from './cpu.js';
import type { Machine } from '../shm/machine.js';
import { Point } from '../sched/labels.js';
import { WaitFlag, type WaitOp, wordRef } from '../sched/wait-spec.js';

/**
 * A wait queue head in shared memory: one word holding a bitmask of the CPUs waiting on it
 * (up to 31 CPUs). wait_event_timeout() registers, re-checks, and sleeps on its CPU's WAKE
 * word; wake_up() bumps the WAKE word of every registered CPU.
 */
export class WaitQueueHead {
  constructor(
    readonly machine: Machine,
    readonly words: Int32Array,
    readonly index: number,
  ) {}

  /**
   * wait_event_timeout(wq, cond, timeout): sleeps until `cond()` or the timeout. Like the
   * kernel's, it is not cut short by kthread_stop(): a stopping client finishes its wait.
   * `cond` is re-checked by the waiter after every wake_up(), as in the kernel.
   * @returns whether `cond()` held
   */
  waitEventTimeout(cond: () => boolean, timeoutMs: number): boolean {
    const cpu = thisCpu();
    const bit = 1 << cpu.id;
    // Register before the condition check inside the wait: a wake_up after registration
    // bumps our WAKE word, so the sleep cannot miss it.
    Atomics.or(this.words, this.index, bit);
    try {
      return cpu.waitEvent(Point.wait_event, cond, timeoutMs);
    } finally {
      Atomics.and(this.words, this.index, ~bit);
    }
  }

  /** wake_up(): wakes every CPU sleeping on this queue. */
  wakeUp(): void {
    const view = currentActor().schedView;
    let mask = Atomics.load(this.words, this.index);
    while (mask !== 0) {
      const cpu = 31 - Math.clz32(mask);
      mask &= ~(1 << cpu);
      wakeCpu(view, cpu);
    }
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
