import { thisCpu } from '../kernel/current.js';
import type { Cpu } from '../kernel/cpu.js';

/**
 * The entry point of consumer API call `label` (an ApiPoint code): a preemption point
 * before anything is read, as every call into the framework may be preempted there.
 * @returns the calling CPU
 */
export function apiEnter(label: number): Cpu {
  const cpu = thisCpu();
  cpu.point(label);
  return cpu;
}

/** The exit point of API call `label`: after its effects, before the caller goes on. */
export function apiExit(cpu: Cpu, label: number): void {
  cpu.point(label + 1);
}
