import { runScenario } from '../src/index.js';
import { median, type Figure } from './measure.js';

/** Scheduling points the measured runs aim at. */
export const TARGET_POINTS = 200;

/** Complete short controlled runs per second, and what one of them is. */
export interface ScheduleRate {
  /** Runs per second of each batch; the figure is their median. */
  rate: Figure;
  /** dmatest iterations chosen so that a run has about TARGET_POINTS points. */
  iterations: number;
  /** Wall ms of every single run, all batches. */
  runMs: number[];
  /** `schedule.points` of every run. */
  points: number[];
  /** `schedule.switches` of every run. */
  switches: number[];
}

/** One controlled dmatest run: one channel (cpu0 + dma0), noverify, strategy pct. */
async function once(
  iterations: number,
  seed: number,
): Promise<{ points: number; switches: number }> {
  const r = await runScenario('dmatest', {
    mode: 'controlled',
    strategy: 'pct',
    channels: 1,
    noverify: true,
    iterations,
    seed,
  });
  if (r.exitCode !== 0)
    throw new Error(`dmatest seed ${seed} failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  return r.schedule;
}

/**
 * The iterations that give about TARGET_POINTS points. A run's points grow linearly with
 * its iterations (a fixed start and end, a fixed cost per test); the slope depends on how
 * many points the kernel code has, which changes with it, so it is measured, not fixed.
 */
async function calibrate(): Promise<number> {
  const seeds = [1_000_001, 1_000_002, 1_000_003];
  const at = async (k: number): Promise<number> => {
    const points: number[] = [];
    for (const s of seeds) points.push((await once(k, s)).points);
    return median(points);
  };
  const p2 = await at(2);
  const p6 = await at(6);
  const perIteration = (p6 - p2) / 4;
  const fixed = p2 - 2 * perIteration;
  return Math.max(1, Math.round((TARGET_POINTS - fixed) / perIteration));
}

/**
 * How many complete controlled runs (strategy pct) of a ~200-point schedule one process
 * does per second, back to back: what a search over seeds gets per second, everything
 * included (machine set-up, attach, the schedule, the result). Each run has its own seed,
 * as a search has. Warmed up first: the first run of a process starts the pool's threads.
 */
export async function schedulesPerSecond(
  batches: number,
  runsPerBatch: number,
  warmup: number,
): Promise<ScheduleRate> {
  const iterations = await calibrate();
  for (let i = 0; i < warmup; i++) await once(iterations, 2_000_000 + i);
  const rates: number[] = [];
  const runMs: number[] = [];
  const points: number[] = [];
  const switches: number[] = [];
  let seed = 1;
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < runsPerBatch; i++) {
      const t = performance.now();
      const s = await once(iterations, seed++);
      runMs.push(performance.now() - t);
      points.push(s.points);
      switches.push(s.switches);
    }
    rates.push(runsPerBatch / ((performance.now() - t0) / 1000));
  }
  return {
    rate: { value: median(rates), unit: 'runs/s', samples: rates },
    iterations,
    runMs,
    points,
    switches,
  };
}
