import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenarios/scenario.js';
import { prepare, type Prepared } from '../host/prepare.js';
import { startPrepared } from '../host/run.js';
import { runStem } from '../host/run-name.js';
import type { RunResult } from '../host/result.js';
import { ensureDest } from './dest.js';

/** A run profiled with one V8 CPU profile per actor thread. */
export interface CpuProfileRun {
  /** The run's own folder under the destination: `<scenario>-<mode>-seed<seed>`. */
  dir: string;
  /** The run's result, as runScenario() gives it; `actors` holds each thread's CPU time. */
  result: RunResult;
  /** The profiles written, in actor order (a killed thread writes none). */
  profiles: { actor: string; file: string }[];
}

/**
 * Runs a scenario as runScenario() does, with every actor thread under the V8 CPU profiler
 * from attach to the end of its run: `<dest>/<scenario>-<mode>-seed<seed>/<actor>.cpuprofile`.
 * Profiles of an earlier run in that folder are removed first, so the folder holds one run.
 * @param options run options and scenario parameters, flat, camelCase keys
 * @param dest the destination directory, created if needed
 * @param control the run's stop signal, as for startRun()
 * @throws (rejects) DmasimError DMASIM_BAD_OPTION for a bad option or an unwritable dest
 */
export async function profileCpu(
  scenario: string | Scenario,
  options: Record<string, unknown>,
  dest: string,
  control: { signal?: AbortSignal } = {},
): Promise<CpuProfileRun> {
  const prepared = prepare(scenario, options);
  const dir = join(dest, runFolder(prepared));
  ensureDest(dir);
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.cpuprofile')) rmSync(join(dir, f), { force: true });
  }
  const result = await startPrepared(prepared, { ...control, cpuProfileDir: dir }).result;
  const profiles = result.actors.flatMap((a) =>
    a.profile === undefined ? [] : [{ actor: a.name, file: a.profile }],
  );
  return { dir, result, profiles };
}

/** The folder of one run's profiles: `dmatest-free-seed1`. */
function runFolder(p: Prepared): string {
  return runStem(p.scenario.name, p.opts.mode, p.opts.seed);
}
