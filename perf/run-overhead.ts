import { runScenario } from '../src/index.js';
import { median, type Figure } from './measure.js';

/** The fixed cost of a run: how long a trivial one takes, and how many fit in a second. */
export interface RunOverhead {
  /** Median wall ms of one run, per batch; the figure is the median of the batches. */
  runMs: Figure;
  /** Runs per second of each batch, back to back. */
  runsPerS: Figure;
  /** The slowest single run of all batches, ms. */
  maxMs: number;
}

/**
 * Warm per-run time of a short free run (dmatest, one iteration per thread, defaults
 * otherwise: 2 channels, 3 actors), from runScenario() to its result: what every run
 * pays whatever it does (machine set-up, attach, start barrier, teardown, the result).
 */
export async function runOverhead(
  batches: number,
  runsPerBatch: number,
  warmup: number,
): Promise<RunOverhead> {
  const once = async (): Promise<number> => {
    const t = performance.now();
    const r = await runScenario('dmatest', { iterations: 1 });
    const ms = performance.now() - t;
    if (r.exitCode !== 0)
      throw new Error(`dmatest failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
    return ms;
  };
  for (let i = 0; i < warmup; i++) await once();
  const medians: number[] = [];
  const rates: number[] = [];
  let maxMs = 0;
  for (let b = 0; b < batches; b++) {
    const ms: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < runsPerBatch; i++) ms.push(await once());
    rates.push(runsPerBatch / ((performance.now() - t0) / 1000));
    medians.push(median(ms));
    maxMs = Math.max(maxMs, ...ms);
  }
  return {
    runMs: { value: median(medians), unit: 'ms', samples: medians },
    runsPerS: { value: median(rates), unit: 'runs/s', samples: rates },
    maxMs,
  };
}
