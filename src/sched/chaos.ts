import { FreeScheduler } from './free.js';
import { Prandom } from './random.js';
import type { WallClock } from './run-clock.js';
import type { SchedView } from './sched-view.js';

/** Chaos delays: the chance that a point delays, and the longest delay. */
export interface ChaosOptions {
  /** Probability that a point delays its actor (0..1). */
  prob: number;
  /** Longest delay in microseconds; each delay is uniform in [0, max]. */
  maxDelayUs: number;
}

/**
 * Chaos mode: free mode plus seeded random delays at points, KCSAN's idea
 * (KCSAN_UDELAY_TASK 80 us, randomised): a delayed actor holds its place (and any lock
 * it holds) while the others run on in parallel, so narrow race windows open wide. The
 * delays are seeded per actor; the interleaving is still the OS's, so record + replay is
 * what makes a chaos finding repeatable.
 */
export class ChaosScheduler extends FreeScheduler {
  private readonly rng: Prandom;
  private readonly threshold: number;

  constructor(
    v: SchedView,
    actor: number,
    clock: WallClock,
    record: Int32Array | null,
    stats: Float64Array,
    statBase: number,
    cores: number,
    seed: number,
    private readonly chaos: ChaosOptions,
  ) {
    super(v, actor, clock, record, stats, statBase, cores);
    this.rng = new Prandom(seed);
    this.threshold = Math.floor(chaos.prob * 4294967296);
  }

  override point(label: number): void {
    if (this.rng.u32() < this.threshold) this.delay();
    super.point(label);
  }

  /** Busy for a random while: the core stays ours, the other actors run on theirs. */
  private delay(): void {
    const until = performance.now() + (this.rng.float() * this.chaos.maxDelayUs) / 1000;
    while (performance.now() < until) {
      /* the delay itself */
    }
  }
}
