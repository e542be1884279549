import type { ActorUsage, CpuProfileRun, RunResult } from '../index.js';
import type { ClinicTool } from './clinic.js';
import { table, wrap } from './layout.js';

/** The run's part of `profile --json`: what it was and how it ended, without its log. */
export type ProfiledRun = Pick<
  RunResult,
  'scenario' | 'seed' | 'mode' | 'exitCode' | 'durationMs' | 'eventHash' | 'violationCounts'
> &
  Partial<Pick<RunResult, 'actors' | 'replayFile' | 'error'>>;

/** The summary of a result (from this process, or parsed from a child's `run --json`). */
export function profiledRun(r: RunResult): ProfiledRun {
  return {
    scenario: r.scenario,
    seed: r.seed,
    mode: r.mode,
    exitCode: r.exitCode,
    durationMs: r.durationMs,
    eventHash: r.eventHash,
    violationCounts: r.violationCounts,
    ...(r.actors !== undefined ? { actors: r.actors } : {}),
    ...(r.replayFile !== undefined ? { replayFile: r.replayFile } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

/** `profile --tool cpu --json`. */
export function cpuProfileJson(p: CpuProfileRun): string {
  const out = { tool: 'cpu', dir: p.dir, profiles: p.profiles, result: profiledRun(p.result) };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** What a profile has to say about one actor's thread. */
function profileCell(a: ActorUsage): string {
  if (a.profile !== undefined) return a.profile;
  return a.profileError ?? 'none (its thread was killed)';
}

/** The profiles of `profile --tool cpu`, after the run's own summary. */
export function renderCpuProfiles(p: CpuProfileRun, width: number): string {
  const rows = p.result.actors.map((a) => [
    a.name,
    a.cpuMs === null ? '-' : a.cpuMs.toFixed(1),
    profileCell(a),
  ]);
  return [
    '',
    ...wrap(
      `CPU profiles, one per actor thread, from attach to the end of its run (${p.dir}), ` +
        'for Chrome DevTools or speedscope. Their samples follow the wall clock: a thread ' +
        'blocked in a wait shows under the function that waits (sleep, waitWord). cpu ms is ' +
        "the thread's CPU time over the same span.",
      width,
    ),
    ...table(['actor', 'cpu ms', 'profile'], rows),
    '',
  ].join('\n');
}

/** What each clinic tool sees of a dmasim run. */
const CLINIC_SEES: Record<ClinicTool, string> = {
  doctor:
    "clinic doctor watches the host's main thread (event draining, the checkers, the host's " +
    'loop): its event-loop delay, heap and handles; only its CPU graph covers the whole process.',
  flame:
    'clinic flame keeps the samples of one thread only: usually the main thread (event ' +
    "draining, the checkers, the host's loop), sometimes one actor's.",
  bubbleprof:
    "clinic bubbleprof follows the asynchronous work of the host's main thread only (event " +
    "draining, the checkers, the host's loop).",
};

/** What clinic sees, and what it does not: said with every clinic report. */
export function clinicScope(tool: ClinicTool, width: number): string {
  return `${wrap(
    `note: ${CLINIC_SEES[tool]} The ` +
      'actors (simulated CPUs and DMA engines) run in worker threads: for the simulated ' +
      "kernel's work use --tool cpu.",
    width,
  ).join('\n')}\n`;
}
