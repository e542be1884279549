import { runScenario } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { renderCrash, renderRun } from '../render.js';
import { jsonResult, keepReplay } from '../replay-path.js';

/** A parsed `dmasim run`. */
export interface RunRequest {
  scenario: string;
  /** Raw CLI values keyed by ParamDef.key; the library converts and checks them. */
  options: Record<string, string>;
  json: boolean;
  quiet: boolean;
}

/**
 * `dmasim run`: runs the scenario and prints the result. With --json stdout gets exactly
 * the RunResult (with `replayFile` for a failing run); a crash report always goes to
 * stderr. A failing run leaves its replay file (--replay-out, else a default path). Bad
 * options throw (the caller maps them to exit 2) before any thread starts.
 * @returns the run's own exit code: 0 clean, 1 violations, 3 an actor crashed or a
 *   --trace / --events-out file could not be written whole
 */
export async function runCommand(req: RunRequest, io: Output): Promise<ExitCode> {
  const result = await runScenario(req.scenario, req.options);
  keepReplay(result);
  io.out(req.json ? jsonResult(result) : renderRun(result, req));
  if (result.replayError)
    io.err(`dmasim: warning: could not write the replay file: ${result.replayError}\n`);
  if (result.outputError) io.err(`dmasim: warning: ${result.outputError}\n`);
  if (result.exitCode === 3) io.err(renderCrash(result));
  return result.outputError ? EXIT.INTERNAL : result.exitCode;
}
