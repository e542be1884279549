import { SCHED, SCHED_ACTOR } from '../../shm/sched-struct.js';
import { canRunOn, runOn } from '../decide.js';
import type { SchedView } from '../sched-view.js';
import type { Strategy } from './strategy.js';

/**
 * The shrink strategy's Uint16 buffer (the run's `replay` buffer, this run's own):
 *
 *   [ n lo | n hi | n entities: the first n picks | records the run writes back ... ]
 *
 * A record is RECORD words, one per pick the run made other than the non-preemptive one:
 * its anchor (actor, point lo, point hi, occurrence) and the entity, PREEMPTED set when the
 * pick was a preemption. SCHED.FOLLOWED counts the records.
 */
export const LIST_HEADER = 2;
export const RECORD = 5;
/** Set in a record's entity when the pick was a preemption; in an anchor, when it is one. */
export const PREEMPTED = 0x8000;
/** The entity of a record or anchor, without its flags. */
export const ENTITY_MASK = 0x3fff;

/**
 * Anchors, per actor a: the run's `follow[a]`, Int32 pairs. Pair 0 is the strategy's own
 * state for a (the point of a's last choice, and how many choices a made at that point
 * before: a wait is one point however often it re-blocks). Pairs 1.. are anchors ascending
 * by (point, occurrence): [point, occurrence << 16 | PREEMPTED? | entity].
 */
export const ANCHOR_STATE_PAIRS = 1;

/**
 * Runs a candidate schedule of the shrinker. Each real choice is keyed by who chooses: the
 * actor that ran (the host's first choice is actor 0 at point 0; actors start at point 1),
 * the points it has passed, and how many choices it made at that point before. The first n
 * choices pick the listed entities (the recorded run's own, to start from); after them a
 * choice picks its anchor's entity, a preemption anchor only where the entity that ran can
 * go on and another anchor only where it cannot. Everywhere else, and where that entity
 * cannot run, the pick is the non-preemptive one: the entity that ran goes on if it can, else
 * the lowest-numbered entity that can run. So a candidate preempts only where it says so,
 * no choice is random, and an anchor stays with its actor's progress when the run around
 * it changes (a global choice index would not).
 *
 * Every other pick than the non-preemptive one is written back as a record: the host reads
 * back where the run preempted and what to anchor next time.
 */
export const shrinkStrategy: Strategy = {
  init: () => undefined,
  pick(v: SchedView, enabled: Int32Array, n: number): number {
    const i = v.i32;
    const buf = v.replay;
    const last = i[SCHED.LAST]!;
    const goesOn = canRunOn(enabled, n, last);
    // enabled[] is in ascending order: decide() builds it actor by actor.
    const runOnPick = goesOn ? runOn(last) : enabled[0]!;
    const actor = last < 0 ? 0 : last >> 1;
    const point = last < 0 ? 0 : i[v.base[actor]! + SCHED_ACTOR.POINTS]!;
    const tab = v.follow?.[actor];
    let occ = 0;
    if (tab && tab[0] === point) occ = ++tab[1]!;
    else if (tab) {
      tab[0] = point;
      tab[1] = 0;
    }
    const k = i[SCHED.CHOICES]! - 1;
    const listed = buf ? buf[0]! | (buf[1]! << 16) : 0;
    const want = k < listed ? buf![LIST_HEADER + k]! : tab ? anchored(tab, point, occ, goesOn) : -1;
    let e = runOnPick;
    if (want >= 0) {
      let found = false;
      for (let j = 0; j < n; j++) if (enabled[j] === want) found = true;
      if (found) e = want;
      else i[SCHED.DIVERGED]!++;
    }
    if (e !== runOnPick && buf) {
      const at = LIST_HEADER + listed + RECORD * i[SCHED.FOLLOWED]!++;
      if (at + RECORD <= buf.length) {
        buf[at] = actor;
        buf[at + 1] = point & 0xffff;
        buf[at + 2] = point >>> 16;
        buf[at + 3] = occ;
        buf[at + 4] = e | (goesOn ? PREEMPTED : 0);
      }
    }
    return e;
  },
};

/** The entity anchored at (point, occ) in an actor's anchors, for this kind of choice; -1 if none. */
function anchored(tab: Int32Array, point: number, occ: number, goesOn: boolean): number {
  let lo = ANCHOR_STATE_PAIRS;
  let hi = tab.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = tab[2 * mid]!;
    const o = tab[2 * mid + 1]! >>> 16;
    if (p < point || (p === point && o < occ)) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= tab.length >> 1 || tab[2 * lo] !== point) return -1;
  const w = tab[2 * lo + 1]!;
  if (w >>> 16 !== occ || ((w & PREEMPTED) !== 0) !== goesOn) return -1;
  return w & ENTITY_MASK;
}
