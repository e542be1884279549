import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DmasimError } from '../errors.js';
import type { Scenario } from '../scenarios/scenario.js';
import { resolveParams } from '../platform/param-schema.js';
import { prepare } from '../host/prepare.js';
import { startPrepared } from '../host/run.js';
import { scenarioArg } from '../host/scenario-module.js';
import { Crew } from '../host/crew.js';
import { actorPool, MAX_ACTORS } from '../host/pool.js';
import { writeReplayFile } from '../host/replay-file.js';
import { runStem } from '../host/run-name.js';
import type { RunResult } from '../host/result.js';
import { CAMPAIGN_OPTION_DEFS, type CampaignOptions } from './options.js';
import { parseShard, shardRuns } from './shard.js';
import { Tally, type CampaignSummary } from './summary.js';

/** What a campaign reports after each run. */
export interface CampaignProgress {
  /** Runs of this job (its shard) and how many finished. */
  total: number;
  done: number;
  failures: number;
  byKind: Record<string, number>;
  firstFailingSeed: number | null;
  elapsedMs: number;
}

/** How a caller steers a campaign. */
export interface CampaignControl {
  /** Ends the campaign: runs in flight are interrupted (not counted), threads stopped. */
  signal?: AbortSignal;
  /** Called after each run with the counts so far. */
  onProgress?: (p: CampaignProgress) => void;
  /** Called with each finished run's result (its index in the unsharded campaign). */
  onRun?: (run: number, r: RunResult) => void;
}

/**
 * Runs many seeds of one scenario: seeds `seed`, `seed + 1`, ... (`runs` of them, or this
 * shard's slice), on `workers` crews of actor threads reserved for the campaign and reused
 * from run to run. A run prepares its own machine; its actors attach to the same threads.
 * Counts runs by outcome, groups failures by violation signature and writes one replay file
 * per run that was the first to show a signature.
 * @param scenarioOrPath a built-in's name, a module path or a Scenario object (see startRun())
 * @param options run options, scenario parameters and CAMPAIGN_OPTION_DEFS, flat
 * @throws (rejects) DmasimError DMASIM_BAD_OPTION for a bad option, before any run
 */
export async function runCampaign(
  scenarioOrPath: string | Scenario,
  options: Record<string, unknown>,
  control: CampaignControl = {},
): Promise<CampaignSummary> {
  // A path (see startRun()) is loaded once, here: every run prepares the loaded object.
  const scenario = await scenarioArg(scenarioOrPath);
  const campaignKeys = new Set(CAMPAIGN_OPTION_DEFS.map((d) => d.key));
  const runInput: Record<string, unknown> = {};
  const campaignInput: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    (campaignKeys.has(k) ? campaignInput : runInput)[k] = v;
  }
  const co = resolveParams(CAMPAIGN_OPTION_DEFS, campaignInput) as unknown as CampaignOptions;
  for (const [key, flag] of [
    ['trace', 'trace'],
    ['eventsOut', 'events-out'],
  ] as const) {
    const given = runInput[key];
    if (given !== undefined && given !== '') {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--${flag}: a campaign's runs would all write the one file; trace the run you want ` +
          `from its replay file (dmasim replay FILE --${flag} ${JSON.stringify(given)})`,
      );
    }
  }
  const shard = parseShard(co.shard);
  // Every option is checked (and the first machine planned) before any thread starts.
  const first = prepare(scenario, runInput);
  const base = first.opts.seed;
  if (base + co.runs - 1 > 0xffffffff) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--runs: seeds ${base}..${base + co.runs - 1} pass 4294967295, the largest seed; lower --seed or --runs`,
    );
  }
  const actors = first.machine.spec.actors.length;
  const runs = shardRuns(co.runs, shard);
  const workers = Math.max(
    1,
    Math.min(runs.length, co.workers || defaultWorkers(first.opts.mode, actors)),
  );
  if (workers * actors > MAX_ACTORS) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--workers: ${workers} runs at once of ${actors} actors each need ${workers * actors} threads, ` +
        `more than ${MAX_ACTORS}; use --workers ${Math.max(1, Math.floor(MAX_ACTORS / actors))} or fewer`,
    );
  }
  // Runs side by side share the cores: each spins for the token (or a lock) on its share
  // only, or they would take each other's cores away.
  const cores = Math.max(1, Math.floor(availableParallelism() / workers));
  let prepared: typeof first | null =
    workers > 1 ? prepare(scenario, runInput, undefined, cores) : first;
  const tally = new Tally();
  const t0 = performance.now();
  const inFlight = new AbortController();
  const { signal } = control;
  const onAbort = (): void => inFlight.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let next = 0;
  let stoppedEarly = false;
  const replayDir = co.replayDir;
  const replayErrors: string[] = [];
  const keep = (r: RunResult): string => {
    const path = keepReplay(r, replayDir);
    if (r.replayError) replayErrors.push(`seed ${r.seed}: ${r.replayError}`);
    return path;
  };
  const crews = Array.from({ length: workers }, () => new Crew(actorPool()));

  const worker = async (crew: Crew): Promise<void> => {
    while (!inFlight.signal.aborted && next < runs.length) {
      const run = runs[next++]!;
      const p =
        prepared && prepared.opts.seed === base + run
          ? prepared
          : prepare(scenario, { ...runInput, seed: base + run }, undefined, cores);
      prepared = null;
      const r = await startPrepared(p, { signal: inFlight.signal, crew }).result;
      if (r.interrupted) continue;
      control.onRun?.(run, r);
      const { failed } = tally.add(run, r, performance.now() - t0, keep);
      if (failed && p.opts.stopOnFirst && !inFlight.signal.aborted) {
        stoppedEarly = true;
        inFlight.abort();
      }
      control.onProgress?.({
        total: runs.length,
        done: tally.runs,
        failures: tally.failures,
        byKind: { ...tally.byKind },
        firstFailingSeed: tally.first?.seed ?? null,
        elapsedMs: performance.now() - t0,
      });
    }
  };
  // A run that cannot start ends the campaign: the other crews stop at once too.
  const guarded = (c: Crew): Promise<void> =>
    worker(c).catch((err: unknown) => {
      inFlight.abort();
      throw err;
    });
  try {
    await Promise.all(crews.map(guarded));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(crews.map((c) => c.release()));
  }
  const durationMs = performance.now() - t0;
  const distinct = tally.distinct();
  return {
    scenario: first.scenario.name,
    mode: first.opts.mode,
    strategy: first.opts.mode === 'controlled' ? first.opts.strategy : null,
    seed: base,
    plannedRuns: co.runs,
    shard,
    runs: tally.runs,
    passes: tally.passes,
    failures: tally.failures,
    crashes: tally.crashes,
    byKind: sortedKeys(tally.byKind),
    distinct: distinct.length,
    failuresBySignature: distinct,
    firstFailure: tally.first,
    timeToFirstFailureMs: tally.timeToFirstFailureMs,
    runsToFirstFailure: tally.runsToFirstFailure,
    replayFiles: tally.replayFiles,
    ...(replayErrors.length > 0 ? { replayErrors } : {}),
    runsPerSecond: durationMs > 0 ? (tally.runs * 1000) / durationMs : 0,
    durationMs,
    workers,
    interrupted: signal?.aborted === true && !stoppedEarly && tally.runs < runs.length,
    stoppedEarly,
    exitCode: tally.crashes > 0 ? 3 : tally.failures > 0 ? 1 : 0,
    options: { ...first.opts, ...first.params },
  };
}

/**
 * Runs at once by default: a controlled run keeps one thread busy at a time, so one per
 * core; a free or chaos run wants a core per actor for its real parallelism.
 */
function defaultWorkers(mode: string, actors: number): number {
  const cores = availableParallelism();
  return mode === 'controlled' ? cores : Math.max(1, Math.floor(cores / actors));
}

/** Writes a failing run's replay file under `dir`. @returns its path, '' if not written */
function keepReplay(r: RunResult, dir: string): string {
  if (!r.replay || dir === '') return '';
  const path = join(dir, `${runStem(r.scenario, r.mode, r.seed)}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeReplayFile(path, r.replay);
    return path;
  } catch (err) {
    r.replayError = (err as Error).message;
    return '';
  }
}

function sortedKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
