import {
  ActorSchedState,
  Go,
  Outcome,
  SCHED,
  SCHED_ACTOR,
  SCHED_DURATION_F64,
  SCHED_MODES,
  STRATEGIES,
  TOKEN_HOST,
  type SchedSpec,
} from '../shm/sched-struct.js';
import { DECIDED_DEADLOCK, decide } from './decide.js';
import { Point } from './labels.js';
import type { SchedView } from './sched-view.js';
import { strategyById } from './strategies/registry.js';
import { handToken } from './token.js';

/**
 * Host side, before any actor runs: formats the sched buffer for `spec`. Every actor stands
 * READY at its actor.start point (so the first decision sees them all, whichever thread is
 * quicker to start), and the strategy gets its initial state from the run's seed.
 */
export function initSched(v: SchedView, spec: SchedSpec, seed: number): void {
  const i = v.i32;
  i[SCHED.MODE] = SCHED_MODES.indexOf(spec.mode);
  i[SCHED.STRATEGY] = STRATEGIES.indexOf(spec.strategy);
  i[SCHED.PCT_DEPTH] = spec.pctDepth;
  i[SCHED.PCT_BOUND] = spec.pctSteps;
  i[SCHED.ENTITIES] = 2 * v.actors;
  i[SCHED.TOKEN] = TOKEN_HOST;
  i[SCHED.OUTCOME] = Outcome.RUNNING;
  i[SCHED.LAST] = -1;
  v.f64[SCHED_DURATION_F64] = spec.mode === 'controlled' ? spec.durationMs : 0;
  const controlled = spec.mode === 'controlled';
  for (let a = 0; a < v.actors; a++) {
    const b = v.base[a]!;
    i[b + SCHED_ACTOR.STATE] = controlled ? ActorSchedState.READY : ActorSchedState.RUNNING;
    i[b + SCHED_ACTOR.POINTS] = controlled ? 1 : 0;
    i[b + SCHED_ACTOR.GO] = Go.WAIT;
    i[b + SCHED_ACTOR.SPEC_INDEX] = -1;
    i[b + SCHED_ACTOR.WQ_INDEX] = -1;
    v.f64[(b + SCHED_ACTOR.DEADLINE) / 2] = Infinity;
  }
  if (controlled) strategyById(i[SCHED.STRATEGY]!).init(v, seed);
}

/**
 * Host side, when the run starts: the first decision of a controlled schedule.
 * @returns false if no actor can run at all (a deadlock before the first step)
 */
export function firstTurn(v: SchedView): boolean {
  const e = decide(v, strategyById(v.i32[SCHED.STRATEGY]!), Point['actor.start']);
  if (e === DECIDED_DEADLOCK || e < 0) return false;
  handToken(v, e);
  return true;
}
