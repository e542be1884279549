import type { ActorUsage, CpuProfileRun, RunResult } from '../index.js';
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
      `CPU profiles, one per actor thread (${p.dir}): open them in Chrome DevTools ` +
        "(Performance, Load profile) or speedscope. cpu ms is the thread's CPU time from attach to the end of its run.",
      width,
    ),
    ...table(['actor', 'cpu ms', 'profile'], rows),
    '',
  ].join('\n');
}

/** What clinic sees, and what it does not: said with every clinic report. */
export function clinicScope(tool: string, width: number): string {
  return `${wrap(
    `note: clinic ${tool} profiles the host's main thread: event draining, the checkers and ` +
      "the host's loop. The actors (simulated CPUs and DMA engines) run in worker threads it " +
      'does not see' +
      (tool === 'flame'
        ? " (flame keeps the samples of one thread only: usually the main thread, sometimes an actor's)"
        : '') +
      "; for the simulated kernel's work use --tool cpu.",
    width,
  ).join('\n')}\n`;
}
