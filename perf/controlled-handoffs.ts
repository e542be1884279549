import { runScenario } from '../src/index.js';
import type { RunResult } from '../src/host/result.js';
import { median, type Figure } from './measure.js';

/** What a controlled run costs per token handoff, with the run it was measured on. */
export interface HandoffFigures {
  /** Token handoffs between actor threads per second. */
  handoffs: Figure;
  /** Scheduling points per second of the same runs. */
  points: Figure;
  /** Median durationMs of a one-iteration run: subtracted from every measured run. */
  emptyMs: number;
  /** Iterations per writer of the measured runs. */
  iterations: number;
  /** Handoffs and points of one measured run (they are the same for every seed-1 run). */
  switches: number;
  pointCount: number;
  durationMs: number;
}

/** A controlled locktorture run (2 writer CPUs, strategy random): every point is a choice. */
async function locktorture(iterations: number): Promise<RunResult> {
  const r = await runScenario('locktorture', {
    mode: 'controlled',
    strategy: 'random',
    iterations,
  });
  if (r.exitCode !== 0)
    throw new Error(`locktorture failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  return r;
}

/** Iterations of the warm-up run, which also sizes the measured runs. */
const PROBE_ITERATIONS = 5000;

/**
 * Token handoffs per second in controlled mode: `schedule.switches` over the run's
 * duration, less the duration of an empty (one-iteration) run measured in the same bench,
 * which is the part of durationMs that does not scale with the schedule (start barrier,
 * the last actor's exit reaching the host). The measured runs are sized from the warm-up
 * run to last about `targetMs`, whatever the points per lock operation are today.
 */
export async function controlledHandoffs(reps: number, targetMs: number): Promise<HandoffFigures> {
  const probe = await locktorture(PROBE_ITERATIONS);
  const empties: number[] = [];
  for (let i = 0; i < 3; i++) empties.push((await locktorture(1)).durationMs);
  const emptyMs = median(empties);
  const perIteration = Math.max(1, probe.durationMs - emptyMs) / PROBE_ITERATIONS;
  const iterations = Math.min(100_000, Math.max(1000, Math.round(targetMs / perIteration)));
  const handoffs: number[] = [];
  const points: number[] = [];
  let last: RunResult | null = null;
  for (let i = 0; i < reps; i++) {
    const r = await locktorture(iterations);
    const s = Math.max(1, r.durationMs - emptyMs) / 1000;
    handoffs.push(r.schedule.switches / s);
    points.push(r.schedule.points / s);
    last = r;
  }
  return {
    handoffs: { value: median(handoffs), unit: 'handoffs/s', samples: handoffs },
    points: { value: median(points), unit: 'points/s', samples: points },
    emptyMs,
    iterations,
    switches: last!.schedule.switches,
    pointCount: last!.schedule.points,
    durationMs: last!.durationMs,
  };
}
