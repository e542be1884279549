import { SCHED } from '../../shm/sched-struct.js';
import { canRunOn, runOn } from '../decide.js';
import type { SchedView } from '../sched-view.js';
import type { Strategy } from './strategy.js';

/**
 * A candidate entry that names no entity: at that choice the non-preemptive pick, the
 * entity that ran if it can go on, else the lowest-numbered one that can run.
 */
export const RUN_ON = 0x7fff;

/** Set in a reached entry when its pick was a preemption. */
export const PREEMPTED = 0x8000;

/** Set in a reached entry when its pick was the one RUN_ON makes. */
export const RAN_ON = 0x4000;

/** The entity of a reached entry, without its flags. */
export const ENTITY_MASK = 0x3fff;

/**
 * Runs a candidate schedule of the shrinker: the n-th real choice picks the n-th entry when
 * that entity can run. Where the entry cannot be followed (RUN_ON, an entity that cannot run
 * here, or past the end of the list) the pick is the one RUN_ON makes. So a candidate
 * preempts only where its list says so, and no choice is random: the run is a function of
 * the list.
 *
 * Each entry the run reaches is overwritten with the entity picked and a flag, PREEMPTED or
 * RAN_ON: the host reads back where the run preempted and which picks it needs no entry
 * for (the list is this run's own buffer, written only by its token holders).
 */
export const shrinkStrategy: Strategy = {
  init: () => undefined,
  pick(v: SchedView, enabled: Int32Array, n: number): number {
    const i = v.i32;
    const list = v.replay;
    const k = i[SCHED.FOLLOWED]!++;
    const last = i[SCHED.LAST]!;
    const goesOn = canRunOn(enabled, n, last);
    // enabled[] is in ascending order: decide() builds it actor by actor.
    const runOnPick = goesOn ? runOn(last) : enabled[0]!;
    const within = list !== null && k < list.length;
    const want = within ? list[k]! : RUN_ON;
    let e = -1;
    for (let j = 0; j < n; j++) if (enabled[j] === want) e = want;
    if (e < 0) {
      if (want !== RUN_ON) i[SCHED.DIVERGED]!++;
      e = runOnPick;
    }
    if (within) list[k] = e | (e === runOnPick ? RAN_ON : goesOn ? PREEMPTED : 0);
    return e;
  },
};
