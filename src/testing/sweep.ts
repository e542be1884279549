import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DmasimError } from '../errors.js';
import { runCampaign } from '../campaign/campaign.js';
import { writeReplayFile } from '../host/replay-file.js';
import { runStem } from '../host/run-name.js';
import type { RunResult } from '../host/result.js';
import type { Scenario } from '../scenarios/scenario.js';
import { SCHED_MODES, type SchedModeName } from '../shm/sched-struct.js';

/** How many seeds an assertion runs, and how. */
export interface SweepOptions {
  /** Seeds `seed`, `seed + 1`, ...: how many (default 20). */
  runs?: number;
  /** free, chaos or controlled (default controlled: every run repeats from its seed). */
  mode?: SchedModeName;
  /** The first seed (default 1). */
  seed?: number;
  /** Run options and scenario parameters, flat, camelCase keys (`{ api: 'unsafe' }`). */
  options?: Record<string, unknown>;
  /** Each run's watchdog deadline in ms (default 0: the run's own, duration + 10 s or 60 s). */
  deadline?: number;
  /** Where a failing run's replay file goes (default `dmasim-replays`, as `dmasim run`). */
  replayDir?: string;
}

/** The sweep's settings, resolved. */
export interface Sweep {
  scenario: string | Scenario;
  runs: number;
  mode: SchedModeName;
  seed: number;
  replayDir: string;
  /** What each run gets: `options` with mode, seed and deadline. */
  input: Record<string, unknown>;
}

/** Keys that `SweepOptions` sets itself, and where to say them instead. */
const OWN_KEYS: Readonly<Record<string, string>> = {
  seed: 'seed',
  mode: 'mode',
  deadline: 'deadline',
  runs: 'runs',
  replayDir: 'replayDir',
  replayOut: 'replayDir (each failing run gets its own file)',
  shard: 'seed and runs',
  workers: '(nothing: runs at once are chosen from the cores)',
};

function bad(message: string): DmasimError {
  return new DmasimError('DMASIM_BAD_OPTION', message);
}

/**
 * Checks the options of an assertion and resolves them.
 * @throws DmasimError DMASIM_BAD_OPTION for runs < 1, an unknown mode, or an option that
 *   `options` must not carry (seed, mode, ... are options of their own)
 */
export function resolveSweep(scenario: string | Scenario, o: SweepOptions): Sweep {
  const runs = o.runs ?? 20;
  if (!Number.isInteger(runs) || runs < 1) {
    throw bad(`runs: expected an integer >= 1 (the seeds to try), got ${String(runs)}`);
  }
  const mode = o.mode ?? 'controlled';
  if (!SCHED_MODES.includes(mode)) {
    throw bad(`mode: expected ${SCHED_MODES.join(' | ')}, got ${JSON.stringify(mode)}`);
  }
  const seed = o.seed ?? 1;
  const options = o.options ?? {};
  for (const key of Object.keys(options)) {
    const instead = OWN_KEYS[key];
    if (instead !== undefined) {
      throw bad(`options.${key}: not a run option here; pass ${instead} beside options`);
    }
  }
  const input: Record<string, unknown> = { ...options, mode, seed };
  if (o.deadline !== undefined) input.deadline = o.deadline;
  return { scenario, runs, mode, seed, replayDir: o.replayDir ?? 'dmasim-replays', input };
}

/** A seed range as people read it: `seeds 1..20 (controlled)`. */
export function describeSweep(s: Sweep): string {
  const seeds = s.runs === 1 ? `seed ${s.seed}` : `seeds ${s.seed}..${s.seed + s.runs - 1}`;
  return `${seeds} (${s.mode})`;
}

/** What a sweep saw. */
export interface SweepOutcome {
  /** The lowest-seed run `stop` chose, if any. */
  stopped: RunResult | null;
  /** Runs that finished (up to `runs`; fewer once a run stopped the sweep). */
  runs: number;
  /** For each violation kind: in how many of those runs it showed. */
  seen: Record<string, number>;
}

/**
 * Runs the sweep's seeds as a campaign (reused threads, one run per core) until `stop`
 * picks a run. The run it reports is the lowest seed `stop` picks, whatever order runs
 * finish in: the sweep ends only once every lower seed has finished, so the same options
 * give the same answer on any machine.
 * @throws (rejects) DmasimError for options the scenario refuses, before any run
 */
export async function sweep(s: Sweep, stop: (r: RunResult) => boolean): Promise<SweepOutcome> {
  const done = new Map<number, RunResult>();
  let best = Infinity;
  const halt = new AbortController();
  await runCampaign(
    s.scenario,
    { ...s.input, runs: s.runs, replayDir: '' },
    {
      signal: halt.signal,
      onRun: (run, r) => {
        done.set(run, r);
        if (run < best && stop(r)) best = run;
        // Every lower seed finished without stopping: no later result can change the answer.
        let lower = 0;
        while (lower < best && done.has(lower)) lower++;
        if (lower === best) halt.abort();
      },
    },
  );
  const seen: Record<string, number> = {};
  let runs = 0;
  for (const [run, r] of done) {
    if (run > best) continue;
    runs++;
    for (const kind of Object.keys(r.violationCounts)) seen[kind] = (seen[kind] ?? 0) + 1;
  }
  return { stopped: done.get(best) ?? null, runs, seen };
}

/**
 * Writes a failing run's replay file under `dir`, named as `dmasim run` names it, and sets
 * `replayFile` (or `replayError`) on the result.
 * @returns the path, or undefined for a run without a replay record
 */
export function keepReplayIn(r: RunResult, dir: string): string | undefined {
  if (r.replayFile !== undefined) return r.replayFile;
  if (!r.replay) return undefined;
  const path = join(dir, `${runStem(r.scenario, r.mode, r.seed)}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeReplayFile(path, r.replay);
  } catch (err) {
    r.replayError = (err as Error).message;
    return undefined;
  }
  r.replayFile = path;
  return path;
}
