import { SCHED, SCHED_ACTOR } from '../../shm/sched-struct.js';
import { Point } from '../labels.js';
import { stopClients } from '../decide.js';
import type { SchedView } from '../sched-view.js';
import { pickUniform, seedRng, type Strategy } from './strategy.js';

/**
 * Enforces the order of points observed in a free or chaos run. Actor a's k-th point was
 * the recorded pair (seq, label) at follow[a][2k]: at each choice the entity runs whose
 * actor's next recorded point comes first in the global order, as its interrupts when that
 * point was `irq.take`. When that entity cannot run here, or an actor stands at another
 * point than the one it recorded, the run has diverged from the record (counted); the
 * earliest actor that can run goes on. Once every actor has passed
 * all its recorded points the recorded run is over: the clients are stopped as that run's
 * end stopped them, and the choices left are random.
 */
export const followStrategy: Strategy = {
  init(v: SchedView, seed: number): void {
    seedRng(v.i32, seed);
  },
  pick(v: SchedView, enabled: Int32Array, n: number, label: number): number {
    const i = v.i32;
    const rec = v.follow;
    // The deciding actor stands at its point POINTS - 1: was it the one the run recorded?
    const last = i[SCHED.LAST]!;
    const mine = last >= 0 ? rec?.[last >> 1] : undefined;
    if (mine) {
      const at = 2 * (i[v.base[last >> 1]! + SCHED_ACTOR.POINTS]! - 1) + 1;
      if (at > 0 && at < mine.length && mine[at] !== label) i[SCHED.DIVERGED]!++;
    }
    let best = -1;
    let bestSeq = Infinity;
    let fallback = -1;
    let fallbackSeq = Infinity;
    for (let j = 0; j < n; j++) {
      const e = enabled[j]!;
      const a = e >> 1;
      const r = rec?.[a];
      const k = 2 * i[v.base[a]! + SCHED_ACTOR.POINTS]!;
      if (!r || k + 1 >= r.length) continue;
      const seq = r[k]! >>> 0;
      const wantsIrq = r[k + 1] === Point['irq.take'];
      if (wantsIrq === ((e & 1) === 1) && seq < bestSeq) {
        best = e;
        bestSeq = seq;
      }
      if (seq < fallbackSeq) {
        fallback = e;
        fallbackSeq = seq;
      }
    }
    if (best >= 0) return best;
    if (fallback >= 0) {
      i[SCHED.DIVERGED]!++;
      return fallback;
    }
    if (recordsDone(v) && i[SCHED.STOP_AT] === 0) {
      i[SCHED.STOP_AT] = i[SCHED.CHOICES]!;
      stopClients(v);
    }
    return pickUniform(i, enabled, n);
  },
};

/** Whether every actor has passed all its recorded points. */
function recordsDone(v: SchedView): boolean {
  const rec = v.follow;
  for (let a = 0; a < v.actors; a++) {
    const r = rec?.[a];
    if (r && 2 * v.i32[v.base[a]! + SCHED_ACTOR.POINTS]! + 1 < r.length) return false;
  }
  return true;
}
