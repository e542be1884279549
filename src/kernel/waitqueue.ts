import { thisCpu } from './current.js';
import { mightSleep } from './might-sleep.js';
import { wakeCpu } from './cpu.js';
import type { Machine } from '../shm/machine.js';

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
   * @returns whether `cond()` held
   */
  waitEventTimeout(cond: () => boolean, timeoutMs: number): boolean {
    const cpu = thisCpu();
    const bit = 1 << cpu.id;
    // Register before the condition check inside idle(): a wake_up after registration
    // bumps our WAKE word, so the sleep cannot miss it.
    Atomics.or(this.words, this.index, bit);
    try {
      return cpu.idle(cond, timeoutMs);
    } finally {
      Atomics.and(this.words, this.index, ~bit);
    }
  }

  /** wake_up(): wakes every CPU sleeping on this queue. */
  wakeUp(): void {
    let mask = Atomics.load(this.words, this.index);
    while (mask !== 0) {
      const cpu = 31 - Math.clz32(mask);
      mask &= ~(1 << cpu);
      wakeCpu(this.machine, cpu);
    }
  }
}

/** msleep(): sleeps for `ms`; the CPU still takes its interrupts meanwhile. */
export function msleep(ms: number): void {
  mightSleep('msleep');
  thisCpu().idle(() => false, ms);
}
