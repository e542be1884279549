import { runScenario } from '../src/index.js';
import type { DmatestSummary } from '../src/clients/dmatest/thread.js';
import { withBusyProcess } from './busy-process.js';
import { median, type Figure } from './measure.js';

/** One-channel dmatest throughput with and without a competing busy process. */
export interface BusyShare {
  /** median(busy) / median(quiet); samples are each pair's busy / quiet. */
  share: Figure;
  quiet: Figure;
  busy: Figure;
}

/** Tests per second of a one-channel dmatest run (cpu0 + dma0: two actor threads). */
async function oneChannel(iterations: number): Promise<number> {
  const r = await runScenario('dmatest', { channels: 1, noverify: true, iterations });
  if (r.exitCode !== 0)
    throw new Error(`dmatest failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const tests = (r.results.threads as DmatestSummary[]).reduce((n, t) => n + t.tests, 0);
  return tests / (Math.max(1, r.durationMs) / 1000);
}

/**
 * How much of its quiet throughput dmatest keeps when another process spins on one of the
 * cores: the actors' waits must then give the core up rather than spin. Quiet and busy runs
 * alternate, `pairs` times, so that the machine's drift hits both alike.
 */
export async function busyShare(pairs: number, iterations: number): Promise<BusyShare> {
  await oneChannel(iterations);
  const quiet: number[] = [];
  const busy: number[] = [];
  for (let i = 0; i < pairs; i++) {
    quiet.push(await oneChannel(iterations));
    busy.push(await withBusyProcess(() => oneChannel(iterations)));
  }
  const q = median(quiet);
  const b = median(busy);
  return {
    share: { value: b / q, unit: 'x', samples: busy.map((x, i) => x / quiet[i]!) },
    quiet: { value: q, unit: 'tests/s', samples: quiet },
    busy: { value: b, unit: 'tests/s', samples: busy },
  };
}
