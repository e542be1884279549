import { currentActor } from '../../kernel/current.js';
import { kcsanCheck } from '../../kernel/kcsan/detector.js';
import { accessor } from '../../kernel/kcsan/caller.js';
import type { CRuntime } from '../runtime.js';

/**
 * ThreadSanitizer's instrumentation calls of a --kcsan build: every plain load and store
 * (__tsan_readN / __tsan_writeN), volatile ones as marked accesses (READ_ONCE, WRITE_ONCE).
 * Accesses by this thread's CPU to any memory are checked (stack slots that escape are
 * instrumented too: one CPU's stack is exclusive to it and never reported).
 */
function hook(rt: CRuntime, size: number, write: boolean, marked: boolean): (addr: number) => void {
  const check = (addr: number): void => {
    const k = rt.machine.kcsan;
    if (k === null || rt.kcsanOff > 0) return;
    const cpu = currentActor().cpu;
    if (cpu === null) return;
    kcsanCheck(k, cpu, addr >>> 0, size, write, marked, accessor, '');
  };
  return check;
}

const SIZES = [1, 2, 4, 8, 16] as const;

function hooks(): Record<string, (rt: CRuntime) => (addr: number) => void> {
  const out: Record<string, (rt: CRuntime) => (addr: number) => void> = {};
  for (const n of SIZES) {
    out[`__tsan_read${n}`] = (rt) => hook(rt, n, false, false);
    out[`__tsan_write${n}`] = (rt) => hook(rt, n, true, false);
    out[`__tsan_unaligned_read${n}`] = (rt) => hook(rt, n, false, false);
    out[`__tsan_unaligned_write${n}`] = (rt) => hook(rt, n, true, false);
    out[`__tsan_volatile_read${n}`] = (rt) => hook(rt, n, false, true);
    out[`__tsan_volatile_write${n}`] = (rt) => hook(rt, n, true, true);
  }
  return out;
}

export const KCSAN_IMPORTS = {
  ...hooks(),
  __tsan_init: () => () => undefined,
  __tsan_read_range: (rt: CRuntime) => (addr: number, n: number) => hook(rt, n, false, false)(addr),
  __tsan_write_range: (rt: CRuntime) => (addr: number, n: number) => hook(rt, n, true, false)(addr),
  __kcsan_disable_current: (rt: CRuntime) => () => {
    rt.kcsanOff++;
  },
  __kcsan_enable_current: (rt: CRuntime) => () => {
    rt.kcsanOff = Math.max(0, rt.kcsanOff - 1);
  },
} as const;
