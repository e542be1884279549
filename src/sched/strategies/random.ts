import type { SchedView } from '../sched-view.js';
import { pickUniform, seedRng, type Strategy } from './strategy.js';

/** The random walk: at every real choice, any entity that can run, uniformly. */
export const randomStrategy: Strategy = {
  init(v: SchedView, seed: number): void {
    seedRng(v.i32, seed);
  },
  pick(v: SchedView, enabled: Int32Array, n: number): number {
    return pickUniform(v.i32, enabled, n);
  },
};
