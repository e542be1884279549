import { DmasimError } from '../errors.js';
import type { RunResult } from '../host/result.js';
import type { Scenario } from '../scenarios/scenario.js';
import { renderCrash, renderRun } from '../cli/render.js';
import {
  describeSweep,
  keepReplayIn,
  resolveSweep,
  sweep,
  type Sweep,
  type SweepOptions,
} from './sweep.js';

export type { SweepOptions as ExpectOptions } from './sweep.js';

/** A violation kind as runs report it: kebab-case (`use-after-free`, `uart-rx-lost`). */
const KIND = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A failing run, with the replay file that repeats it. */
export type FoundRun = RunResult & { replayFile?: string };

/**
 * An assertion about a scenario's runs did not hold. Not a DmasimError: the library was
 * used right, the scenario did not behave as the test expected. Any test runner shows the
 * message, which is the failing run's report as `dmasim run` prints it.
 */
export class ScenarioAssertionError extends Error {
  override readonly name = 'ScenarioAssertionError';
  readonly code = 'DMASIM_SCENARIO_ASSERTION';

  constructor(
    message: string,
    /** Runs that finished before the assertion failed. */
    readonly runs: number,
    /** For each violation kind: in how many of those runs it showed. */
    readonly seen: Readonly<Record<string, number>>,
    /** The run that failed it (expectNoViolations), with `replayFile` if one was written. */
    readonly result?: FoundRun,
  ) {
    super(message);
  }
}

/** A run's report as `dmasim run` prints it, and its crash report if an actor crashed. */
function report(r: RunResult): string {
  const crash = renderCrash(r);
  return crash === ''
    ? renderRun(r, { quiet: false })
    : `${renderRun(r, { quiet: false })}${crash}`;
}

function scenarioName(s: Sweep): string {
  return typeof s.scenario === 'string' ? s.scenario : s.scenario.name;
}

/** `kinds seen: use-after-free (2 runs), warning (1 run)`, or that no run found any. */
function seenText(seen: Readonly<Record<string, number>>): string {
  const kinds = Object.entries(seen).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (kinds.length === 0) return 'no run found any violation';
  const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;
  return `kinds seen: ${kinds.map(([k, n]) => `${k} (${runs(n)})`).join(', ')}`;
}

/**
 * Runs `scenario` on `runs` seeds and resolves when none found a violation or crashed.
 * Otherwise it writes the replay file of the lowest failing seed (as `dmasim run` does, so
 * `dmasim replay FILE` repeats the run) and rejects with a ScenarioAssertionError whose
 * message is that run's report, the kernel log included, ending with the file's path.
 * @param scenario a name from `dmasim list`, or a Scenario object with its `module` URL
 * @throws (rejects) ScenarioAssertionError as above; DmasimError DMASIM_BAD_OPTION or
 *   DMASIM_UNKNOWN_SCENARIO for input the library refuses, before any run
 */
export async function expectNoViolations(
  scenario: string | Scenario,
  options: SweepOptions = {},
): Promise<void> {
  const s = resolveSweep(scenario, options);
  const out = await sweep(s, (r) => r.exitCode !== 0);
  const r = out.stopped;
  if (r === null) return;
  keepReplayIn(r, s.replayDir);
  const what = r.exitCode === 3 ? 'crashed' : 'found violations';
  throw new ScenarioAssertionError(
    `expected no violation in ${scenarioName(s)}, ${describeSweep(s)}; seed ${r.seed} ${what}:\n\n${report(r)}`,
    out.runs,
    out.seen,
    r,
  );
}

/**
 * Runs `scenario` on `runs` seeds, in order, until one shows a violation of `kind`, and
 * resolves with that run, its replay file written (`replayFile`). A run whose actor crashed
 * ends the search as a failure.
 * @param kind a violation kind: kebab-case, as in `violationCounts`
 * @returns the lowest-seed run that showed `kind`
 * @throws (rejects) ScenarioAssertionError saying how many runs were tried and which kinds
 *   they showed; DmasimError DMASIM_BAD_OPTION for a kind that is not kebab-case, runs < 1
 *   and options the scenario refuses, before any run
 */
export async function expectViolation(
  scenario: string | Scenario,
  kind: string,
  options: SweepOptions = {},
): Promise<FoundRun> {
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `kind: expected a violation kind in kebab-case (use-after-free, data-corruption), got ${JSON.stringify(kind)}`,
    );
  }
  const s = resolveSweep(scenario, options);
  const out = await sweep(s, (r) => r.exitCode === 3 || (r.violationCounts[kind] ?? 0) > 0);
  const r = out.stopped;
  const name = scenarioName(s);
  if (r !== null && r.exitCode !== 3) {
    keepReplayIn(r, s.replayDir);
    return r;
  }
  if (r !== null) {
    keepReplayIn(r, s.replayDir);
    throw new ScenarioAssertionError(
      `expected a violation of kind '${kind}' in ${name}, ${describeSweep(s)}; seed ${r.seed} crashed first:\n\n${report(r)}`,
      out.runs,
      out.seen,
      r,
    );
  }
  throw new ScenarioAssertionError(
    `expected a violation of kind '${kind}' in ${name}, ${describeSweep(s)}: none in ${out.runs} run${out.runs === 1 ? '' : 's'}; ${seenText(out.seen)}`,
    out.runs,
    out.seen,
  );
}
