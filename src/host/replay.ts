import { pathToFileURL } from 'node:url';
import { DmasimError } from '../errors.js';
import { getScenario } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import { moduleHash, scheduleCodeHash } from './code-hash.js';
import { fromBase64, readReplayFile, type ReplayFile } from './replay-file.js';
import type { RunResult } from './result.js';
import { startReplay } from './run.js';
import { importScenario } from './scenario-module.js';

/** What `dmasim replay` found. */
export interface ReplayOutcome {
  file: ReplayFile;
  result: RunResult;
  /** The violation kinds the file recorded. */
  recorded: string[];
  /** Whether a recorded kind was found again. */
  reproduced: boolean;
}

/**
 * Runs a replay file again under the controlled scheduler: a controlled run follows its
 * decision list (exactly, on the same code), a free or chaos run follows the order of
 * points it recorded (best effort: where the recorded order cannot be followed the run has
 * diverged, and `result.schedule.diverged` counts it).
 * @param options run options that override the file's (replayOut, deadline, trace, eventsOut)
 * @throws DmasimError DMASIM_BAD_REPLAY (corrupt or stale file), DMASIM_UNKNOWN_SCENARIO
 */
export async function replay(
  path: string,
  options: Record<string, unknown> = {},
): Promise<ReplayOutcome> {
  const file = readReplayFile(path);
  const code = scheduleCodeHash();
  if (file.codeHash !== code) {
    throw new DmasimError(
      'DMASIM_BAD_REPLAY',
      `${path}: recorded by a build whose schedule code differs (code hash ${file.codeHash}, ` +
        `this build ${code}); a schedule replays only on the code that made it: record it again`,
    );
  }
  const scenario = await replayScenario(path, file);
  const recorded = file.violations.map((v) => v.kind);
  const input =
    file.mode === 'controlled'
      ? {
          strategy: 'replay' as const,
          decisions: fromBase64(file.decisions ?? '', Uint16Array),
          stopAt: file.stopAt ?? 0,
        }
      : {
          strategy: 'follow' as const,
          points: (file.points ?? []).map((p) => fromBase64(p, Int32Array)),
        };
  const run = await named(path, () =>
    startReplay(
      scenario,
      { ...file.options, mode: 'controlled', replayOut: '', trace: '', eventsOut: '', ...options },
      input,
    ),
  );
  const result = await run.result;
  const reproduced = recorded.some((k) => (result.violationCounts[k] ?? 0) > 0);
  return { file, result, recorded, reproduced };
}

/**
 * The scenario a replay file names: a built-in one by name, or its module, loaded once its
 * hash matches the recorded one.
 * @throws DmasimError DMASIM_BAD_REPLAY naming the file
 */
export function replayScenario(path: string, file: ReplayFile): Promise<string | Scenario> {
  return named(path, () => scenarioOf(path, file));
}

/**
 * `fn()`, with a refusal of what the file holds (an unknown scenario, options this build
 * does not take, actors it does not have) turned into one that names the file.
 */
async function named<T>(path: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (
      err instanceof DmasimError &&
      (err.code === 'DMASIM_UNKNOWN_SCENARIO' || err.code === 'DMASIM_BAD_OPTION')
    ) {
      throw new DmasimError('DMASIM_BAD_REPLAY', `${path}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

async function scenarioOf(path: string, file: ReplayFile): Promise<string | Scenario> {
  const { name, module, moduleHash: recordedHash } = file.scenario;
  if (!module) return getScenario(name).name;
  let hash: string;
  try {
    hash = moduleHash(module);
  } catch (err) {
    throw new DmasimError(
      'DMASIM_BAD_REPLAY',
      `${path}: scenario module ${module} cannot be read (${(err as Error).message})`,
    );
  }
  if (recordedHash !== undefined && hash !== recordedHash) {
    throw new DmasimError(
      'DMASIM_BAD_REPLAY',
      `${path}: scenario module ${module} changed since it was recorded (hash ${recordedHash}, now ${hash}): record it again`,
    );
  }
  return importScenario(pathToFileURL(new URL(module).pathname).href);
}
