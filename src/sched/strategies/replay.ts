import { SCHED } from '../../shm/sched-struct.js';
import type { SchedView } from '../sched-view.js';
import { pickUniform, seedRng, type Strategy } from './strategy.js';

/**
 * Replays a recorded decision list: the n-th real choice picks the n-th recorded entity.
 * The same code reaches the same choices, so a controlled schedule replays exactly; a
 * recorded entity that cannot run (the code changed) counts as a divergence, and past the
 * end of the list the choice is random.
 */
export const replayStrategy: Strategy = {
  init(v: SchedView, seed: number): void {
    seedRng(v.i32, seed);
  },
  pick(v: SchedView, enabled: Int32Array, n: number): number {
    const i = v.i32;
    const log = v.replay;
    const k = i[SCHED.FOLLOWED]!++;
    if (log && k < log.length) {
      const want = log[k]!;
      for (let j = 0; j < n; j++) if (enabled[j] === want) return want;
      i[SCHED.DIVERGED]!++;
    }
    return pickUniform(i, enabled, n);
  },
};
