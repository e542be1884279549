import { readFileSync } from 'node:fs';
import { memcpyStreamScenario } from '../src/scenarios/memcpy-stream.js';
import type { MemcpyStreamResult } from '../src/clients/memcpy-stream/stream.js';
import type { Scenario } from '../src/scenarios/scenario.js';

/** A memcpy stream's result with its CPU thread's on-CPU time. */
export type TimedStreamResult = MemcpyStreamResult & { cpuNs: number };

/**
 * On-CPU nanoseconds of the calling thread so far, or NaN off Linux. Node 20 has no
 * per-thread CPU clock (process.cpuUsage() sums every thread; threadCpuUsage() is Node 23),
 * and an actor's program blocks its event loop, so event-loop utilisation says nothing.
 * Linux keeps the thread's run time in ns (the scheduler's sum_exec_runtime) as the first
 * field of /proc/thread-self/schedstat. It moves at scheduler ticks and switches (every
 * 4 ms here), so time spans of a second or so; reading it costs about 20 us.
 */
export function threadCpuNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    // Not Linux (or no schedstat): the figure is reported as unavailable.
    return NaN;
  }
}

/**
 * memcpy-stream, unchanged, with each CPU's program timed on its own thread's CPU clock.
 * The time covers everything that thread does for its stream: prep, submit, issue, the
 * irq handler and tasklet (taken on that CPU), the callbacks, and the spinning of its
 * waits (free mode spins up to 0.2 ms before it sleeps).
 */
export const scenario: Scenario = {
  ...memcpyStreamScenario,
  name: 'memcpy-stream-timed',
  module: import.meta.url,
  cpuProgram(cpu, opts, params): TimedStreamResult {
    const t0 = threadCpuNs();
    const r = memcpyStreamScenario.cpuProgram(cpu, opts, params) as MemcpyStreamResult;
    return { ...r, cpuNs: threadCpuNs() - t0 };
  },
};
