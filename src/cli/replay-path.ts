import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runStem, writeReplayFile, type RunResult } from '../index.js';

/** Where a failing run's replay file goes when --replay-out does not say. */
export function defaultReplayPath(r: Pick<RunResult, 'scenario' | 'mode' | 'seed'>): string {
  return join('dmasim-replays', `${runStem(r.scenario, r.mode, r.seed)}.json`);
}

/**
 * Writes the replay file of a failing run that has none on disk yet, at its default path.
 * @returns the path, or undefined for a run without a replay (no violation)
 */
export function keepReplay(r: RunResult): string | undefined {
  if (r.replayFile !== undefined) return r.replayFile;
  if (!r.replay) return undefined;
  const path = defaultReplayPath(r);
  mkdirSync(dirname(path), { recursive: true });
  writeReplayFile(path, r.replay);
  r.replayFile = path;
  return path;
}

/** The result as `--json` prints it: the replay itself is in its file, not on stdout. */
export function jsonResult(r: RunResult): string {
  return `${JSON.stringify(printedResult(r), null, 2)}\n`;
}

/** A result without its replay record (which goes to a file). */
export function printedResult(r: RunResult): Omit<RunResult, 'replay'> {
  const printed: Partial<RunResult> = { ...r };
  delete printed.replay;
  return printed as Omit<RunResult, 'replay'>;
}
