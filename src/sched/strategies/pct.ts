import { MAX_CHANGES, SCHED, prioBase } from '../../shm/sched-struct.js';
import { POINT_YIELDS } from '../labels.js';
import type { SchedView } from '../sched-view.js';
import { nextU32, pickUniform, seedRng, type Strategy } from './strategy.js';

/**
 * PCT (Burckhardt et al., ASPLOS 2010): every entity gets a distinct random priority
 * d .. d+n-1; at d-1 change points, drawn uniformly from [1, k] over the run's real choices,
 * the running entity drops to a priority below every initial one; the highest-priority
 * entity that can run always runs. A depth-d bug is hit with probability >= 1/(n k^(d-1)).
 * As in Shuttle, a busy-poll step (cpu_relax) also drops the poller to the bottom, so
 * that a strict priority order cannot starve whoever the poller waits for. Past k the
 * choices are uniformly random (Coyote's fair PCT: a random suffix): a strict order would
 * starve a low-priority CPU for ever while the others keep busy, which no real machine does.
 */
export const pctStrategy: Strategy = {
  init(v: SchedView, seed: number): void {
    const i = v.i32;
    seedRng(i, seed);
    const n = v.entities();
    const d = Math.max(1, Math.min(i[SCHED.PCT_DEPTH]!, MAX_CHANGES + 1));
    const k = Math.max(1, i[SCHED.PCT_BOUND]!);
    // A random permutation of d .. d+n-1 (Fisher-Yates).
    const prio = prioBase();
    for (let e = 0; e < n; e++) i[prio + e] = d + e;
    for (let e = n - 1; e > 0; e--) {
      const j = nextU32(i) % (e + 1);
      const t = i[prio + e]!;
      i[prio + e] = i[prio + j]!;
      i[prio + j] = t;
    }
    const changes: number[] = [];
    for (let c = 0; c < d - 1; c++) changes.push(1 + (nextU32(i) % k));
    changes.sort((a, b) => a - b);
    for (let c = 0; c < MAX_CHANGES; c++) i[SCHED.CHANGES + c] = changes[c] ?? -1;
    // Change point c gives priority d - 1 - c (< d); yields go below all of them.
    i[SCHED.PCT_LOW] = 0;
  },
  pick(v: SchedView, enabled: Int32Array, n: number, label: number): number {
    const i = v.i32;
    const prio = prioBase();
    const last = i[SCHED.LAST]!;
    const choice = i[SCHED.CHOICES]!;
    if (choice > i[SCHED.PCT_BOUND]!) return pickUniform(i, enabled, n);
    const d = i[SCHED.PCT_DEPTH]!;
    for (let c = 0; c < MAX_CHANGES; c++) {
      const at = i[SCHED.CHANGES + c]!;
      if (at < 0 || at > choice) break;
      if (at === choice && last >= 0) i[prio + last] = d - 1 - c;
    }
    if (POINT_YIELDS[label] && last >= 0) i[prio + last] = --i[SCHED.PCT_LOW]!;
    let best = enabled[0]!;
    for (let k = 1; k < n; k++) {
      const e = enabled[k]!;
      if (i[prio + e]! > i[prio + best]!) best = e;
    }
    return best;
  },
};
