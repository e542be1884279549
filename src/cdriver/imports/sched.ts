import { currentActor, thisCpu } from '../../kernel/current.js';
import { msleep, waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
import { mightSleep } from '../../kernel/might-sleep.js';
import { WaitOp } from '../../sched/wait-spec.js';
import type { CRuntime } from '../runtime.js';

/** `done` of a complete_all()ed completion (UINT_MAX). */
const ALL = -1;

/** Longest wait_for_completion(): a run ends long before (its deadline). */
const FOREVER_MS = 0x3fffffff;

/**
 * wait_for_completion_timeout(): sleeps until `done` is non-zero, then consumes one
 * complete() (none of a complete_all()).
 * @returns 0 on timeout, else the jiffies (ms) left, at least 1
 */
function waitForCompletion(rt: CRuntime, x: number, timeoutMs: number): number {
  mightSleep('wait_for_completion');
  const clock = currentActor().clock;
  const end = clock.now() + timeoutMs;
  const i = x >>> 2;
  const w = rt.words;
  for (;;) {
    const done = Atomics.load(w, i);
    if (done === ALL) return Math.max(1, Math.ceil(end - clock.now()));
    if (done !== 0) {
      if (Atomics.compareExchange(w, i, done, done - 1) === done) {
        return Math.max(1, Math.ceil(end - clock.now()));
      }
      continue;
    }
    const left = end - clock.now();
    if (left <= 0) return 0;
    Atomics.add(w, i + 1, 1);
    waitVarEventTimeout(w, i, WaitOp.NE, 0, left);
    Atomics.sub(w, i + 1, 1);
  }
}

export const SCHED_IMPORTS = {
  init_completion: (rt: CRuntime) => (x: number) => {
    rt.setI32(x, 0);
    rt.setI32(x + 4, 0);
  },
  reinit_completion: (rt: CRuntime) => (x: number) => Atomics.store(rt.words, x >>> 2, 0),
  complete: (rt: CRuntime) => (x: number) => {
    const i = x >>> 2;
    const w = rt.words;
    for (;;) {
      const done = Atomics.load(w, i);
      if (done === ALL || Atomics.compareExchange(w, i, done, done + 1) === done) break;
    }
    wakeUpVar(w, i);
  },
  complete_all: (rt: CRuntime) => (x: number) => {
    Atomics.store(rt.words, x >>> 2, ALL);
    wakeUpVar(rt.words, x >>> 2);
  },
  wait_for_completion: (rt: CRuntime) => (x: number) => {
    waitForCompletion(rt, x, FOREVER_MS);
  },
  wait_for_completion_timeout: (rt: CRuntime) => (x: number, timeout: number) =>
    waitForCompletion(rt, x, timeout >>> 0),
  try_wait_for_completion: (rt: CRuntime) => (x: number) => {
    const i = x >>> 2;
    const done = Atomics.load(rt.words, i);
    if (done === ALL) return 1;
    return done !== 0 && Atomics.compareExchange(rt.words, i, done, done - 1) === done ? 1 : 0;
  },
  completion_done: (rt: CRuntime) => (x: number) => (Atomics.load(rt.words, x >>> 2) !== 0 ? 1 : 0),
  msleep: () => (ms: number) => msleep(ms >>> 0),
  __dmasim_jiffies: () => () => Math.floor(currentActor().clock.now()),
  in_interrupt: () => () => (thisCpu().inInterrupt() ? 1 : 0),
  in_hardirq: () => () => (thisCpu().inHardirq() ? 1 : 0),
  in_softirq: () => () => (thisCpu().context() === 1 ? 1 : 0),
  smp_processor_id: () => () => thisCpu().id,
} as const;
