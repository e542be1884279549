import { thisCpu } from '../kernel/current.js';
import type { Cpu } from '../kernel/cpu.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';

/**
 * The entry point of consumer API call `label` (an ApiPoint code): a preemption point
 * before anything is read, as every call into the framework may be preempted there.
 * @returns the calling CPU
 */
export function apiEnter(label: number): Cpu {
  const cpu = thisCpu();
  // Recorded before the point: interrupts taken there run inside the call.
  trace(EventCode['api.entry'], label);
  cpu.point(label);
  return cpu;
}

/** The exit point of API call `label`: after its effects, before the caller goes on. */
export function apiExit(cpu: Cpu, label: number): void {
  cpu.point(label + 1);
  trace(EventCode['api.exit'], label);
}

/**
 * Records the return of API call `label` on a path without an exit point (an error return,
 * or a call that has none): a timeline sees every call end, and the schedule is unchanged.
 * @returns `ret`, for `return apiReturn(label, ret)`
 */
export function apiReturn<T>(label: number, ret: T): T {
  trace(EventCode['api.exit'], label);
  return ret;
}
