import { startRun } from '../src/index.js';
import { median, type Figure } from './measure.js';

/** Time to first failure over a set of seeds. */
export interface Ttff {
  /** Median ms over the seeds; samples are every seed's ms, seed order. */
  median: Figure;
  /** The slowest seed. */
  max: Figure;
  /** Seeds whose run found a violation. */
  found: number;
  /** Seeds whose run found nothing: their ms is the whole run's. */
  missed: number[];
  /** The first violation's kind, per kind, over the seeds that found one. */
  kinds: Record<string, number>;
}

/** One seed: wall ms from startRun() to the first violation (or to the end of the run). */
async function once(
  options: Record<string, unknown>,
  seed: number,
): Promise<{ ms: number; kind: string | null }> {
  const t0 = performance.now();
  const run = startRun('config-race', { api: 'unsafe', stopOnFirst: true, ...options, seed });
  let first: { ms: number; kind: string } | null = null;
  run.violations$.subscribe((v) => {
    first ??= { ms: performance.now() - t0, kind: v.kind };
  });
  await run.result;
  const end = performance.now() - t0;
  return first ?? { ms: end, kind: null };
}

/**
 * How long it takes to find the config-vs-prep race (config-race, unsafe API, stop on the
 * first violation) with `options` (the scheduling mode): the wall time from startRun() to
 * the first violation, per seed 1..seeds, all of it (machine set-up and attach included),
 * as a user waiting for the failure sees it. A seed that finds nothing counts as its whole
 * run: the figure then understates the real time to failure. One warm-up run first.
 */
export async function timeToFirstFailure(
  options: Record<string, unknown>,
  seeds: number,
): Promise<Ttff> {
  await once(options, 1_000_000);
  const ms: number[] = [];
  const missed: number[] = [];
  const kinds: Record<string, number> = {};
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await once(options, seed);
    ms.push(r.ms);
    if (r.kind === null) missed.push(seed);
    else kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  }
  return {
    median: { value: median(ms), unit: 'ms', samples: ms },
    max: { value: Math.max(...ms), unit: 'ms', samples: [] },
    found: seeds - missed.length,
    missed,
    kinds,
  };
}
