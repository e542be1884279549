import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DmasimError } from '../errors.js';
import { Crew } from '../host/crew.js';
import { actorPool } from '../host/pool.js';
import { replay, replayScenario, type ReplayOutcome } from '../host/replay.js';
import {
  fromBase64,
  readReplayFile,
  writeReplayFile,
  type ReplayFile,
} from '../host/replay-file.js';
import type { RunResult } from '../host/result.js';
import { resolveParams } from '../platform/param-schema.js';
import { RUN_OPTION_DEFS } from '../scenarios/run-options.js';
import { actorNames, runCandidate, sizeOf, type ScheduleSize } from './candidate.js';
import { SHRINK_OPTION_DEFS, type ShrinkOptions } from './options.js';
import { ddminPreemptions, runOnForced, truncate } from './passes.js';
import { SCALE_KEYS, scaleDown } from './scale.js';
import { Shrinker, failsWith, type ShrinkStop } from './shrinker.js';

/** A candidate's watchdog: this many times the recorded run's replay time, and at least... */
const WATCHDOG_FACTOR = 20;
/** ...this many ms (a candidate's run is about as long as the recorded one, or shorter). */
const MIN_WATCHDOG_MS = 2000;
/** The watchdog of a run whose options set none (see RunOptions.deadline). */
const DEFAULT_WATCHDOG_MS = 60_000;

const DEFS = [
  ...RUN_OPTION_DEFS.filter((d) => ['replayOut', 'deadline', 'trace', 'eventsOut'].includes(d.key)),
  ...SHRINK_OPTION_DEFS,
];

/** What `dmasim shrink` did. */
export interface ShrinkOutcome {
  /** The replay file shrunk. */
  file: string;
  /** A free or chaos run's file: the controlled replay of it that was shrunk. */
  controlledFile?: string;
  /** Where the shrunk replay file was written. */
  replayFile: string;
  scenario: string;
  /** The violation kind every kept candidate found. */
  kind: string;
  /** The recorded schedule, as its replay ran. */
  before: ScheduleSize;
  /** The shrunk schedule, as its replay ran. */
  after: ScheduleSize;
  /** Options the shrunk run lowered: key -> [recorded, shrunk]. */
  scaled: Record<string, [number, number]>;
  /** Candidate schedules run. */
  runs: number;
  /** Candidates kept (each smaller than the one before). */
  kept: number;
  /** 'done' when no pass found anything smaller; else the budget that ran out. */
  stoppedBy: ShrinkStop;
  durationMs: number;
  /** The shrunk replay file. */
  replay: ReplayFile;
  /** The replay of the shrunk file that checked it. */
  result: RunResult;
}

/** Where shrink keeps the controlled schedule of a free or chaos run's file: next to it. */
export function controlledPath(path: string): string {
  return besideFile(path, 'controlled');
}

/**
 * The controlled replay file to shrink. A free or chaos run's file holds the order of its
 * points, not a schedule: its replay (which follows that order on the controlled scheduler)
 * is a controlled run with a schedule of its own, written next to it; that is what shrinks,
 * when it found the recorded violation again.
 * @throws DmasimError DMASIM_BAD_REPLAY when the replay did not find it again
 */
async function controlledSource(path: string): Promise<{ source: string; file: ReplayFile }> {
  const file = readReplayFile(path);
  if (file.mode === 'controlled') return { source: path, file };
  const source = controlledPath(path);
  const out = await replay(path, { replayOut: source, stopOnFirst: false });
  if (!out.reproduced || out.result.replayFile !== source) {
    throw new DmasimError(
      'DMASIM_BAD_REPLAY',
      `${path}: its ${file.mode} run's recorded order of points, replayed on the controlled ` +
        `scheduler, did not find ${out.recorded.join(', ') || 'its violations'} again, so there ` +
        `is no failing schedule to shrink (try the campaign's other seeds, or record it controlled)`,
    );
  }
  return { source, file: readReplayFile(source) };
}

/** Where `dmasim shrink FILE` writes by default: `<name>.shrunk.json` next to FILE. */
export function shrunkPath(path: string): string {
  return besideFile(path, 'shrunk');
}

/** `dir/name.json` -> `dir/name.<what>.json`. */
function besideFile(path: string, what: string): string {
  return join(dirname(path), `${basename(path).replace(/\.json$/, '')}.${what}.json`);
}

/**
 * Minimises the schedule of a failing controlled run: delta debugging over the picks of its
 * decision list that were not the non-preemptive one (each anchored to the actor that chose
 * and its progress), every candidate run (on the controlled scheduler, the shrink strategy)
 * and kept only when it fails with the same violation kind (not by the watchdog) and is
 * smaller: fewer preemptions, else fewer decisions, else fewer context switches or lower
 * options, and never more preemptions or decisions than the recorded run. The kind is
 * `options.kind`, else the first kind the file recorded that its replay finds again.
 * Passes, cheapest cut first: lower iterations; then, until none finds anything: forced
 * switches to the lowest entity, cutting before a preemption (bisection), ddmin over the
 * preemptions, lower iteration and client counts. Every run goes to its end
 * (--stop-on-first off), so that it is a function of its schedule. The shrunk file (the
 * decision list its run took) is written, then replayed as a check.
 * @param path a replay file of a controlled run
 * @param options replayOut (default: shrunkPath(path)), deadline (ms for the whole shrink,
 *   0: none), maxRuns, kind
 * @throws DmasimError DMASIM_BAD_REPLAY for a file that cannot be used (corrupt, stale, not
 *   a controlled run's, or whose run does not fail when replayed); DMASIM_BAD_OPTION
 */
export async function shrink(
  path: string,
  options: Record<string, unknown> = {},
): Promise<ShrinkOutcome> {
  const t0 = performance.now();
  const o = resolveParams(DEFS, options) as unknown as ShrinkOptions & {
    replayOut: string;
    deadline: number;
    trace: string;
    eventsOut: string;
  };
  const endsAt = o.deadline > 0 ? t0 + o.deadline : Infinity;
  const { source, file } = await controlledSource(path);
  const base = await replay(source, { stopOnFirst: false });
  const kind = targetKind(path, o.kind, base);
  const scenario = await replayScenario(source, file);
  const stopAt = file.stopAt ?? 0;
  const recorded = { ...file.options, stopOnFirst: false };
  const watchdogMs = Math.min(
    Number(file.options.deadline) || DEFAULT_WATCHDOG_MS,
    Math.max(MIN_WATCHDOG_MS, WATCHDOG_FACTOR * base.result.durationMs),
  );
  const crew = new Crew(actorPool());
  let sh: Shrinker;
  try {
    // The recorded decisions, followed by choice, give the first schedule's anchors.
    const list = fromBase64(base.result.replay?.decisions ?? '', Uint16Array);
    const actors = actorNames(scenario, recorded);
    const start = await runCandidate(
      scenario,
      recorded,
      actors,
      { anchors: [], actors, list },
      stopAt,
      watchdogMs,
      { crew },
    );
    if (!start || !failsWith(start.result, kind)) {
      throw new DmasimError(
        'DMASIM_INTERNAL',
        `${path}: its schedule, run as a shrink candidate, did not find ${kind} as its replay did`,
      );
    }
    sh = new Shrinker(start, scenario, kind, stopAt, watchdogMs, o.maxRuns, endsAt, { crew });
    await scaleDown(sh, ['iterations']);
    for (let more = true; more && !sh.spent();) {
      more = false;
      for (const pass of [runOnForced, truncate, ddminPreemptions, scaleDown])
        if (await pass(sh)) more = true;
    }
  } finally {
    await crew.release();
  }
  const shrunk = sh.current;
  const out = o.replayOut || shrunkPath(path);
  // The recorded watchdog, not the one the candidates ran with.
  const replayed = shrunk.result.replay!;
  const written: ReplayFile = {
    ...replayed,
    options: { ...replayed.options, deadline: file.options.deadline },
  };
  mkdirSync(dirname(out), { recursive: true });
  writeReplayFile(out, written);
  // The check is the shrunk schedule's own run: its timeline is what --trace asks for.
  const check = await replay(out, { trace: o.trace, eventsOut: o.eventsOut });
  const after = sizeOf(check.result);
  const ran = sizeOf(shrunk.result);
  if (
    !failsWith(check.result, kind) ||
    after.decisions !== ran.decisions ||
    after.preemptions !== ran.preemptions
  ) {
    throw new DmasimError(
      'DMASIM_INTERNAL',
      `${out}: the shrunk schedule did not replay as it ran (${JSON.stringify(ran)}, replayed ` +
        `${JSON.stringify(after)}, ${kind} ${failsWith(check.result, kind) ? '' : 'not '}found)`,
    );
  }
  const scaled: Record<string, [number, number]> = {};
  for (const key of SCALE_KEYS) {
    const was = file.options[key];
    const now = shrunk.options[key];
    if (typeof was === 'number' && typeof now === 'number' && now !== was) scaled[key] = [was, now];
  }
  return {
    file: path,
    ...(source !== path ? { controlledFile: source } : {}),
    replayFile: out,
    scenario: file.scenario.name,
    kind,
    before: sizeOf(base.result),
    after,
    scaled,
    runs: sh.runs,
    kept: sh.kept,
    stoppedBy: sh.stoppedBy,
    durationMs: Math.round(performance.now() - t0),
    replay: written,
    result: check.result,
  };
}

/**
 * The kind to keep: `wanted` if the replay finds it, else the first recorded kind the
 * replay finds again (the run's first finding: the bug the file is about).
 * @throws DmasimError DMASIM_BAD_OPTION (--kind not found), DMASIM_BAD_REPLAY (no failure)
 */
function targetKind(path: string, wanted: string, base: ReplayOutcome): string {
  const r = base.result;
  if (r.exitCode === 3) {
    throw new DmasimError(
      'DMASIM_ACTOR_CRASHED',
      `${path}: an actor crashed when its run was replayed (${r.error?.actor ?? '?'}: ${r.error?.message ?? '?'})`,
    );
  }
  const found = Object.keys(r.violationCounts).filter((k) => failsWith(r, k));
  if (wanted) {
    if (found.includes(wanted)) return wanted;
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--kind: the replay of ${path} does not find ${wanted} (it finds ${found.join(', ') || 'no violation'})`,
    );
  }
  const kind = base.recorded.find((k) => found.includes(k));
  if (kind === undefined) {
    throw new DmasimError(
      'DMASIM_BAD_REPLAY',
      `${path}: its run does not fail when replayed (the recorded ${base.recorded.join(', ') || 'violations'} ` +
        `${found.length ? `not found; it finds ${found.join(', ')}` : 'not found again'}): there is nothing to shrink`,
    );
  }
  return kind;
}
