import { SCHED, SCHED_ACTOR, STRATEGIES } from '../shm/sched-struct.js';
import type { EventDrain } from '../events/drain.js';
import type { Violation } from '../events/violation.js';
import { packageVersion } from '../version.js';
import { moduleHash, scheduleCodeHash } from './code-hash.js';
import type { Prepared } from './prepare.js';
import type { ActorSpec } from '../shm/machine.js';
import type { ActorReport } from './protocol.js';
import { REPLAY_FORMAT, toBase64, writeReplayFile, type ReplayFile } from './replay-file.js';
import {
  collectStats,
  dmesgLine,
  type ActorUsage,
  type RunResult,
  type ScheduleStats,
} from './result.js';

/** Options a replay file leaves out: where this run wrote its own files. */
const NOT_REPLAYED = new Set(['replayOut', 'trace', 'eventsOut']);

/** The run's result from every actor's report, the drained events and the checkers' findings. */
export function buildResult(
  p: Prepared,
  drain: EventDrain,
  reports: readonly (ActorReport | Error | undefined)[],
  violations: Violation[],
  violationCounts: Record<string, number>,
  durationMs: number,
  killed: boolean,
): RunResult {
  const { machine, scenario, opts } = p;
  const actors = machine.spec.actors;
  const lines: { time: number; line: string }[] = [];
  const programs: unknown[] = [];
  let error: RunResult['error'];
  reports.forEach((r, i) => {
    const a = actors[i]!;
    if (r === undefined || r instanceof Error) {
      // A thread the watchdog killed has no report; its deadlock is already a violation.
      // A thread that died on its own (process.exit(), out of memory) is the crash.
      if (r && !(killed && violations.some((v) => v.kind === 'deadlock')) && !error)
        error = { actor: a.name, name: r.name, message: r.message, stack: r.stack ?? '' };
      return;
    }
    lines.push(...r.dmesg);
    if (r.outcome.type === 'crashed' && !error) error = { actor: a.name, ...r.outcome.error };
    if (a.kind === 'cpu') programs[a.index] = r.outcome.type === 'ok' ? r.outcome.program : null;
  });
  lines.sort((x, y) => x.time - y.time);
  const stats = collectStats(
    machine,
    drain.deliveredCount(),
    drain.producedCount(),
    drain.unknownCount(),
  );
  const exitCode = error ? 3 : violations.length > 0 ? 1 : 0;
  const options = { ...opts, ...p.providerOptions, ...p.params };
  const result: RunResult = {
    scenario: scenario.name,
    seed: opts.seed,
    mode: opts.mode,
    strategy: opts.mode === 'controlled' ? machine.spec.sched.strategy : null,
    eventHash: drain.eventHash(),
    schedule: scheduleStats(p),
    durationMs: Math.round(durationMs * 100) / 100,
    exitCode,
    stats,
    violations,
    violationCounts,
    results: scenario.collect(programs),
    ...(error ? { error } : {}),
    dmesg: lines.map((l) => dmesgLine(l.time, l.line)),
    actors: actors.map((a, i) => actorUsage(a, reports[i])),
    options,
  };
  if (exitCode === 1) {
    result.replay = replayFile(p, violations, options);
    if (opts.replayOut) {
      try {
        writeReplayFile(opts.replayOut, result.replay);
        result.replayFile = opts.replayOut;
      } catch (err) {
        result.replayError = `${opts.replayOut}: ${(err as Error).message}`;
      }
    }
  }
  return result;
}

/** An actor's usage from its report; a thread that died or was killed reports none. */
function actorUsage(a: ActorSpec, r: ActorReport | Error | undefined): ActorUsage {
  const usage = r === undefined || r instanceof Error ? undefined : r.usage;
  return { name: a.name, kind: a.kind, cpuMs: null, ...usage };
}

function scheduleStats(p: Prepared): ScheduleStats {
  const v = p.view;
  let points = 0;
  for (let a = 0; a < v.actors; a++) points += v.i32[v.base[a]! + SCHED_ACTOR.POINTS]!;
  const controlled = p.opts.mode === 'controlled';
  return {
    points,
    choices: v.i32[SCHED.CHOICES]!,
    switches: v.i32[SCHED.SWITCHES]!,
    preemptions: v.i32[SCHED.PREEMPTIONS]!,
    virtualMs: controlled ? Math.round(v.vnow() * 1000) / 1000 : null,
    diverged: v.i32[SCHED.DIVERGED]!,
  };
}

/** The replay file of a failing run. */
function replayFile(
  p: Prepared,
  violations: readonly Violation[],
  options: Record<string, unknown>,
): ReplayFile {
  const { scenario, opts, view } = p;
  const spec = p.machine.spec.sched;
  const kinds = new Set<string>();
  const file: ReplayFile = {
    dmasim: packageVersion(),
    format: REPLAY_FORMAT,
    scenario: scenario.module
      ? { name: scenario.name, module: scenario.module, moduleHash: moduleHash(scenario.module) }
      : { name: scenario.name },
    options: Object.fromEntries(Object.entries(options).filter(([k]) => !NOT_REPLAYED.has(k))),
    mode: opts.mode,
    seed: opts.seed,
    strategy:
      opts.mode === 'controlled'
        ? {
            name: STRATEGIES[view.i32[SCHED.STRATEGY]!]!,
            pctDepth: spec.pctDepth,
            pctSteps: spec.pctSteps,
          }
        : null,
    codeHash: scheduleCodeHash(),
    violations: violations
      .filter((v) => !kinds.has(v.kind) && kinds.add(v.kind))
      .map((v) => ({ kind: v.kind, message: v.message })),
  };
  if (opts.mode === 'controlled') {
    const logged = view.i32[SCHED.LOGGED]!;
    const n = Math.min(logged, view.log.length);
    file.decisions = toBase64(view.log.subarray(0, n));
    file.decisionCount = n;
    if (logged > n) file.truncated = true;
    const stopAt = view.i32[SCHED.STOP_AT]!;
    if (stopAt > 0) file.stopAt = stopAt;
  } else {
    const records = p.machine.buffers.records ?? [];
    file.points = records.map((buf, a) => {
      const r = new Int32Array(buf);
      const n = Math.min(view.i32[view.base[a]! + SCHED_ACTOR.POINTS]!, r.length / 2);
      return toBase64(r.subarray(0, 2 * n));
    });
  }
  return file;
}
