import { busyShare } from './busy-share.js';
import { controlledHandoffs } from './controlled-handoffs.js';
import { human, median, type Figure } from './measure.js';
import { runOverhead } from './run-overhead.js';
import { TARGET_POINTS, schedulesPerSecond } from './schedules-per-second.js';
import { timeToFirstFailure } from './time-to-first-failure.js';

/** Where the section puts its figures and lines (bench.ts owns the output format). */
export interface FigureSink {
  /** Records figure `name` and prints it on a line labelled `label`. */
  add(name: string, label: string, fig: Figure): void;
  /** Prints one line (nothing with --json). */
  log(line: string): void;
}

const ms = (v: number): string => `${v.toFixed(1)} ms`;
const spread = (xs: readonly number[]): string =>
  `${human(Math.min(...xs))}-${human(Math.max(...xs))}`;

/**
 * The scheduler's figures: what a controlled run costs per handoff and per schedule, how
 * long each mode takes to find the config-vs-prep race, the fixed cost of a run, and how
 * the actors share the machine with a busy process. Goals quoted from the scheduler issue.
 */
export async function benchSchedules(out: FigureSink, quick: boolean): Promise<void> {
  const reps = quick ? 1 : 3;
  out.log('controlled mode (one token; locktorture, 2 writer CPUs, strategy random):');
  const h = await controlledHandoffs(reps, quick ? 250 : 500);
  out.add('controlled_handoffs_per_s', '  token handoffs between actor threads', h.handoffs);
  out.add('controlled_points_per_s', '  scheduling points, same runs', h.points);
  out.log(
    `    one run (${h.iterations} iterations per writer): ${h.switches} handoffs, ${h.pointCount} points in ${h.durationMs} ms, less ${h.emptyMs} ms of an empty run; spread ${spread(h.handoffs.samples)}`,
  );
  out.log('');
  const batches = quick ? 1 : 3;
  const perBatch = quick ? 20 : 50;
  out.log(
    `complete controlled runs of ~${TARGET_POINTS} points, warm, back to back (dmatest 1 channel, noverify, pct, a seed each):`,
  );
  const s = await schedulesPerSecond(batches, perBatch, 10);
  out.add('schedules_per_s_200', '  runs/s (goal >= 1000; Coyote ~27 at 200 steps)', s.rate);
  out.log(
    `    iterations ${s.iterations}: points per run ${Math.min(...s.points)}/${median(s.points)}/${Math.max(...s.points)} (min/median/max), handoffs ${median(s.switches)}; ` +
      `run ${ms(median(s.runMs))} median, ${ms(Math.max(...s.runMs))} max; ${batches} x ${perBatch} runs, spread ${spread(s.rate.samples)}`,
  );
  out.log('');
  const seeds = quick ? 10 : 20;
  out.log(
    `time to first failure: config-race, unsafe API, --stop-on-first, seeds 1-${seeds}, wall ms from startRun() to the first violation`,
  );
  out.log(
    "(free and chaos: 1000 ms runs; pct and random: controlled, the scenario's 16 iterations):",
  );
  for (const [name, options] of [
    ['free', { mode: 'free' }],
    ['chaos', { mode: 'chaos' }],
    ['pct', { mode: 'controlled', strategy: 'pct' }],
    ['random', { mode: 'controlled', strategy: 'random' }],
  ] as const) {
    const t = await timeToFirstFailure(options, seeds);
    out.add(`ttff_ms_${name}`, `  ${name}, median`, t.median);
    out.add(`ttff_ms_${name}_max`, `  ${name}, max`, t.max);
    out.add(`ttff_found_${name}`, `  ${name}, seeds that found a failure (of ${seeds})`, {
      value: t.found,
      unit: 'seeds',
      samples: [],
    });
    const kinds = Object.entries(t.kinds).map(([k, n]) => `${k} ${n}`);
    out.log(`    first violation: ${kinds.join(', ') || 'none'}`);
    if (t.missed.length)
      out.log(
        `    found nothing with seed(s) ${t.missed.join(', ')}: counted as their whole run (the median understates the time)`,
      );
  }
  out.log('');
  out.log('the fixed cost of a run (free dmatest, 1 iteration, 2 channels: 3 actors), warm:');
  const o = await runOverhead(batches, quick ? 30 : 50, 10);
  out.add('run_ms_warm', '  one run, median (goal <= 10 ms)', o.runMs);
  out.add('runs_per_s', '  runs/s back to back (goal >= 100)', o.runsPerS);
  out.log(
    `    slowest run ${ms(o.maxMs)}; ${batches} x ${quick ? 30 : 50} runs, medians per batch ${o.runMs.samples.map(ms).join(', ')}`,
  );
  out.log('');
  const pairs = quick ? 2 : 5;
  out.log(
    `sharing the cores: dmatest 1 channel (2 actor threads), quiet and with one busy process, ${pairs} pairs alternated:`,
  );
  const b = await busyShare(pairs, 4000);
  out.add('busy_share_1ch_quiet_tests_per_s', '  quiet', b.quiet);
  out.add('busy_share_1ch_busy_tests_per_s', '  one busy process', b.busy);
  out.add('busy_share_1ch', '  busy / quiet (goal >= 0.25)', b.share);
  out.log(
    `    per pair busy/quiet ${b.share.samples.map((x) => x.toFixed(2)).join(', ')}; quiet ${spread(b.quiet.samples)}, busy ${spread(b.busy.samples)} tests/s`,
  );
}
