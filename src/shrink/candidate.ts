import { DmasimError } from '../errors.js';
import { prepare } from '../host/prepare.js';
import type { RunResult } from '../host/result.js';
import { startPrepared, type RunControl } from '../host/run.js';
import type { Scenario } from '../scenarios/scenario.js';
import { SCHED } from '../shm/sched-struct.js';
import {
  ANCHOR_STATE_PAIRS,
  ENTITY_MASK,
  LIST_HEADER,
  PREEMPTED,
  RECORD,
} from '../sched/strategies/shrink.js';

/** How big a schedule is: what the shrinker makes smaller. */
export interface ScheduleSize {
  /** Real choices of the run: the length of its decision list. */
  decisions: number;
  /** Choices that switched away from an entity that could have gone on. */
  preemptions: number;
  /** Handoffs from one actor thread to another (context switches). */
  switches: number;
}

/**
 * A pick other than the non-preemptive one, keyed by who chose: `actor` (an index into the
 * run's actors; the host's first choice is actor 0 at point 0), the points it had passed,
 * and how many choices it had made at that point before.
 */
export interface Anchor {
  actor: number;
  point: number;
  occ: number;
  entity: number;
  /** The actor that ran could have gone on: a preemption. */
  preempt: boolean;
}

/**
 * A schedule the shrinker holds: the anchors that make its run (every pick other than the
 * non-preemptive one, in the order the run made them), and that run.
 */
export interface Schedule {
  /** The run options and scenario parameters it runs with. */
  options: Record<string, unknown>;
  anchors: readonly Anchor[];
  /** The run's actors, by name: actor a's entities are 2a and 2a + 1. */
  actors: readonly string[];
  result: RunResult;
}

/** What a candidate run follows. */
export interface CandidateInput {
  /** Anchors, naming actors and entities of `actors`. */
  anchors: readonly Anchor[];
  actors: readonly string[];
  /** The first picks, by choice (a recorded run's decision list, to start from). */
  list?: Uint16Array;
}

/** The size of a controlled run's schedule. */
export function sizeOf(r: RunResult): ScheduleSize {
  return {
    decisions: r.schedule.choices,
    preemptions: r.schedule.preemptions,
    switches: r.schedule.switches,
  };
}

/** The actors a run with `options` has, by name (the scenario's plan decides). */
export function actorNames(
  scenario: string | Scenario,
  options: Record<string, unknown>,
): string[] {
  return prepare(scenario, { ...options, mode: 'controlled' }).machine.spec.actors.map(
    (a) => a.name,
  );
}

/**
 * Runs a candidate (the shrink strategy) and reads back every pick it made other than the
 * non-preemptive one.
 * @param actors the run's actors (actorNames() of `options`); anchors naming actors it lacks
 *   are left out, the rest renumbered by name
 * @param stopAt the real choice at which the clients are stopped (0: none), as recorded
 * @param watchdogMs the run's watchdog deadline
 * @param control the threads to run on (the shrink's crew)
 * @returns the schedule, or null when the options are refused (a scaled-down option)
 */
export async function runCandidate(
  scenario: string | Scenario,
  options: Record<string, unknown>,
  actors: readonly string[],
  input: CandidateInput,
  stopAt: number,
  watchdogMs: number,
  control: RunControl = {},
): Promise<Schedule | null> {
  const list = input.list ?? new Uint16Array(0);
  const anchors = renumber(input.anchors, input.actors, actors);
  const buf = new Uint16Array(LIST_HEADER + list.length + RECORD * (list.length + anchors.length));
  buf[0] = list.length & 0xffff;
  buf[1] = list.length >>> 16;
  buf.set(list, LIST_HEADER);
  let p: ReturnType<typeof prepare>;
  try {
    p = prepare(
      scenario,
      { ...options, mode: 'controlled', replayOut: '', deadline: Math.ceil(watchdogMs) },
      { strategy: 'shrink', decisions: buf, points: tables(anchors, actors.length), stopAt },
    );
  } catch (err) {
    if (err instanceof DmasimError && err.code === 'DMASIM_BAD_OPTION') return null;
    throw err;
  }
  const result = await startPrepared(p, control).result;
  const back = p.view.replay!;
  const records = p.view.i32[SCHED.FOLLOWED]!;
  // Every record is a listed pick or an anchor's: the buffer holds one per each.
  if (LIST_HEADER + list.length + RECORD * records > back.length) {
    throw new DmasimError('DMASIM_INTERNAL', `a candidate made ${records} picks it was not given`);
  }
  const made: Anchor[] = [];
  for (let r = 0; r < records; r++) {
    const at = LIST_HEADER + list.length + RECORD * r;
    const w = back[at + 4]!;
    made.push({
      actor: back[at]!,
      point: back[at + 1]! | (back[at + 2]! << 16),
      occ: back[at + 3]!,
      entity: w & ENTITY_MASK,
      preempt: (w & PREEMPTED) !== 0,
    });
  }
  // Only listed and anchored picks preempt: the non-preemptive pick never does.
  const preempted = made.filter((a) => a.preempt).length;
  if (preempted !== result.schedule.preemptions) {
    throw new DmasimError(
      'DMASIM_INTERNAL',
      `a candidate counted ${result.schedule.preemptions} preemptions, and read back ${preempted}`,
    );
  }
  return { options, anchors: made, actors, result };
}

/** `anchors` from actors `from` to actors `to`, by name; those of actors `to` lacks dropped. */
function renumber(
  anchors: readonly Anchor[],
  from: readonly string[],
  to: readonly string[],
): Anchor[] {
  if (from.length === to.length && from.every((n, a) => to[a] === n)) return [...anchors];
  const index = new Map(to.map((n, a) => [n, a]));
  const out: Anchor[] = [];
  for (const an of anchors) {
    const a = index.get(from[an.actor] ?? '');
    const e = index.get(from[an.entity >> 1] ?? '');
    if (a !== undefined && e !== undefined)
      out.push({ ...an, actor: a, entity: 2 * e + (an.entity & 1) });
  }
  return out;
}

/** Each actor's anchor table, as the shrink strategy reads it. */
function tables(anchors: readonly Anchor[], actors: number): Int32Array[] {
  const per: Anchor[][] = Array.from({ length: actors }, () => []);
  for (const an of anchors) per[an.actor]?.push(an);
  return per.map((as) => {
    as.sort((x, y) => x.point - y.point || x.occ - y.occ);
    const t = new Int32Array(2 * (ANCHOR_STATE_PAIRS + as.length));
    t[0] = -1;
    as.forEach((an, k) => {
      t[2 * (ANCHOR_STATE_PAIRS + k)] = an.point;
      t[2 * (ANCHOR_STATE_PAIRS + k) + 1] =
        (an.occ << 16) | (an.preempt ? PREEMPTED : 0) | an.entity;
    });
    return t;
  });
}
