import { fileURLToPath } from 'node:url';
import {
  RUN_OPTION_DEFS,
  checkRun,
  getScenario,
  scenarioOptionDefs,
  profileCpu,
  resolveProfileOptions,
  scenarioArg,
  type Scenario,
  type CpuProfileRun,
  type RunResult,
} from '../../index.js';
import { clinicBin, clinicCommandLine, clinicMissing, runClinic, runFlags } from '../clinic.js';
import type { ClinicOutcome, ClinicTool } from '../clinic.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { renderCrash, renderRun } from '../render.js';
import { clinicScope, cpuProfileJson, profiledRun, renderCpuProfiles } from '../render-profile.js';
import { keepReplay } from '../replay-path.js';
import { ensureDest } from '../../profile/dest.js';

/** A parsed `dmasim profile`. */
export interface ProfileRequest {
  scenario: string;
  options: Record<string, string>;
  json: boolean;
}

/**
 * `dmasim profile <scenario>`: one run, profiled. --tool cpu: a .cpuprofile per actor
 * thread; doctor, flame, bubbleprof: clinic.js on `dmasim run` in a child process. Bad
 * options (--tool, --dest included) throw before anything runs (exit 2).
 * @returns the run's exit code; 3 when the profiler produced nothing
 */
export async function profileCommand(req: ProfileRequest, io: Output): Promise<ExitCode> {
  const { tool, dest, run } = resolveProfileOptions(req.options);
  // A scenario given as a path is loaded here; clinic's child run loads it again.
  const scenario = await scenarioArg(req.scenario);
  if (tool === 'cpu') return cpuProfile(req, scenario, run, dest, io);
  return clinicProfile(req, scenario, tool, run, dest, io);
}

/** Ctrl-C stops `onFirst`'s work politely; a second one exits at once. */
function onInterrupt(io: Output, onFirst: () => void, what: string): () => void {
  let seen = false;
  const handler = (): void => {
    if (seen) process.exit(130);
    seen = true;
    io.err(`\ndmasim: interrupted: ${what} (Ctrl-C again to quit at once)\n`);
    onFirst();
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

async function cpuProfile(
  req: ProfileRequest,
  scenario: string | Scenario,
  run: Record<string, unknown>,
  dest: string,
  io: Output,
): Promise<ExitCode> {
  const stop = new AbortController();
  const off = onInterrupt(io, () => stop.abort(), 'stopping the run; the profiles are written');
  let p: CpuProfileRun;
  try {
    p = await profileCpu(scenario, run, dest, { signal: stop.signal });
  } finally {
    off();
  }
  keepReplay(p.result);
  io.out(
    req.json
      ? cpuProfileJson(p)
      : renderRun(p.result, { quiet: true }) + renderCpuProfiles(p, io.width),
  );
  if (p.result.exitCode === 3) io.err(renderCrash(p.result));
  return p.result.exitCode;
}

async function clinicProfile(
  req: ProfileRequest,
  scenario: string | Scenario,
  tool: ClinicTool,
  run: Record<string, unknown>,
  dest: string,
  io: Output,
): Promise<ExitCode> {
  checkRun(scenario, run);
  ensureDest(dest);
  const bin = clinicBin();
  if (bin === null) throw clinicMissing(tool);
  const inv = clinicCommandLine({
    tool,
    bin,
    dest,
    cli: fileURLToPath(new URL('../main.js', import.meta.url)),
    scenario: req.scenario,
    flags: runFlags(run, [
      ...RUN_OPTION_DEFS,
      ...scenarioOptionDefs(typeof scenario === 'string' ? getScenario(scenario) : scenario),
    ]),
  });
  const env = Object.entries(inv.env).map(([k, v]) => `${k}=${v}`);
  io.err(`dmasim: ${[...env, inv.command, ...inv.args].join(' ')}\n`);
  // clinic passes Ctrl-C on to the run and still writes its report: wait for it.
  const off = onInterrupt(
    io,
    () => undefined,
    `clinic ${tool} stops the run and writes its report`,
  );
  let outcome: ClinicOutcome;
  try {
    outcome = await runClinic(
      inv,
      (line) => io.err(`clinic: ${line}\n`),
      (text) => io.err(text),
    );
  } finally {
    off();
  }
  const result = isRunResult(outcome.result) ? outcome.result : null;
  if (req.json) {
    const out = {
      tool,
      html: outcome.html,
      dest,
      command: [inv.command, ...inv.args],
      result: result ? profiledRun(result) : null,
    };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    if (result) io.out(renderRun(result, { quiet: true }));
    if (outcome.html)
      io.out(`\nclinic ${tool} report: ${outcome.html}\n${clinicScope(tool, io.width)}`);
  }
  if (outcome.html === null || result === null) {
    const how = outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
    io.err(
      `dmasim: clinic ${tool} ${outcome.html === null ? 'wrote no report' : 'ran, but the run printed no result'} ` +
        `(clinic ended with ${how}; its output is above)\n`,
    );
    return EXIT.INTERNAL;
  }
  if (result.exitCode === 3) io.err(renderCrash(result));
  return result.exitCode;
}

/** Whether a child's `run --json` output is a run result (enough of one to report). */
function isRunResult(v: unknown): v is RunResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<RunResult>;
  return (
    typeof r.scenario === 'string' &&
    (r.exitCode === 0 || r.exitCode === 1 || r.exitCode === 3) &&
    Array.isArray(r.dmesg) &&
    Array.isArray(r.violations)
  );
}
