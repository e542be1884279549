import { DmasimError } from '../errors.js';
import { prepare } from '../host/prepare.js';
import type { RunResult } from '../host/result.js';
import { startPrepared, type RunControl } from '../host/run.js';
import type { Scenario } from '../scenarios/scenario.js';
import { ENTITY_MASK, PREEMPTED, RAN_ON, RUN_ON } from '../sched/strategies/shrink.js';

/** How big a schedule is: what the shrinker makes smaller. */
export interface ScheduleSize {
  /** Real choices of the run: the length of its decision list. */
  decisions: number;
  /** Choices that switched away from an entity that could have gone on. */
  preemptions: number;
  /** Handoffs from one actor thread to another (context switches). */
  switches: number;
}

/** A schedule the shrinker holds: the candidate list, and the run it makes. */
export interface Schedule {
  /** The run options and scenario parameters it runs with. */
  options: Record<string, unknown>;
  /**
   * The entity of every pick that RUN_ON would not make, RUN_ON elsewhere, up to its last
   * entity: the run's own decisions without those the fallback makes anyway, so a run of this
   * list is the same run.
   */
  list: Uint16Array;
  /** Indices in `list` of the picks that were preemptions, ascending. */
  preemptAt: number[];
  /** Indices in `list` of the other picks it names: forced switches to a higher entity. */
  forcedAt: number[];
  /** The run's actors, by name: actor a's entities are 2a and 2a + 1. */
  actors: readonly string[];
  result: RunResult;
}

/** The size of a controlled run's schedule. */
export function sizeOf(r: RunResult): ScheduleSize {
  return {
    decisions: r.schedule.choices,
    preemptions: r.schedule.preemptions,
    switches: r.schedule.switches,
  };
}

/**
 * Runs `list` as a candidate (the shrink strategy) and reads back what each reached entry
 * picked.
 * @param stopAt the real choice at which the clients are stopped (0: none), as recorded
 * @param watchdogMs the run's watchdog deadline
 * @param control the threads to run on (the shrink's crew)
 * @param actors the actors `list` names entities of, when other than the run's (a run with
 *   fewer clients): its entries are renumbered by actor name, RUN_ON for an actor it lacks
 * @returns the schedule, or null when the options are refused (a scaled-down option)
 */
export async function runCandidate(
  scenario: string | Scenario,
  options: Record<string, unknown>,
  list: Uint16Array,
  stopAt: number,
  watchdogMs: number,
  control: RunControl = {},
  actors?: readonly string[],
): Promise<Schedule | null> {
  let p: ReturnType<typeof prepare>;
  try {
    p = prepare(
      scenario,
      { ...options, mode: 'controlled', replayOut: '', deadline: Math.ceil(watchdogMs) },
      { strategy: 'shrink', decisions: list, stopAt },
    );
  } catch (err) {
    if (err instanceof DmasimError && err.code === 'DMASIM_BAD_OPTION') return null;
    throw err;
  }
  const own = p.machine.spec.actors.map((a) => a.name);
  if (actors && p.view.replay) renumber(p.view.replay, actors, own);
  const result = await startPrepared(p, control).result;
  const taken = p.view.replay ?? new Uint16Array(0);
  const reached = Math.min(taken.length, result.schedule.choices);
  const mine = new Uint16Array(reached);
  const preemptAt: number[] = [];
  const forcedAt: number[] = [];
  let end = 0;
  for (let k = 0; k < reached; k++) {
    const t = taken[k]!;
    if (t & RAN_ON) {
      mine[k] = RUN_ON;
      continue;
    }
    mine[k] = t & ENTITY_MASK;
    (t & PREEMPTED ? preemptAt : forcedAt).push(k);
    end = k + 1;
  }
  // Past its list a candidate makes only RUN_ON picks, none of them a preemption.
  if (preemptAt.length !== result.schedule.preemptions) {
    throw new DmasimError(
      'DMASIM_INTERNAL',
      `a candidate schedule counted ${result.schedule.preemptions} preemptions, its list ${preemptAt.length}`,
    );
  }
  return { options, list: mine.subarray(0, end), preemptAt, forcedAt, actors: own, result };
}

/** Renumbers the entities of `list` from actors `from` to actors `to`, by name. */
function renumber(list: Uint16Array, from: readonly string[], to: readonly string[]): void {
  if (from.length === to.length && from.every((n, a) => to[a] === n)) return;
  const index = new Map(to.map((n, a) => [n, a]));
  for (let k = 0; k < list.length; k++) {
    const e = list[k]!;
    if (e === RUN_ON) continue;
    const a = index.get(from[e >> 1] ?? '');
    list[k] = a === undefined ? RUN_ON : 2 * a + (e & 1);
  }
}

/** A copy of `list` with the entries at `at` set to RUN_ON. */
export function runOnAt(list: Uint16Array, at: readonly number[]): Uint16Array {
  const out = list.slice();
  for (const k of at) out[k] = RUN_ON;
  return out;
}
