import { SCHED } from '../shm/sched-struct.js';

/** Longest spin before sleeping, in ms: a few futex wakes' worth on this class of machine. */
const MAX_SPIN_MS = 0.2;
/** Spin budget of a fresh thread, and of a probe after spinning stopped paying. */
const START_SPIN_MS = 0.05;
const PROBE_SPIN_MS = 0.01;
/** Below this the budget is 0: sleep at once. */
const MIN_SPIN_MS = 0.002;
/** One wait in this many probes a zero budget again: the load may have gone. */
const PROBE_EVERY = 32;

/**
 * How long a waiting actor spins before it sleeps (an adaptive mutex's spin count, after
 * glibc's PTHREAD_MUTEX_ADAPTIVE_NP). A sleep costs a futex wake (25-50 us here) when the
 * wait ends; a spin only pays while the thread that will end it has a core of its own.
 * So: never spin while this run's awake actor threads already fill the cores; otherwise
 * spin about twice what waits that ended in the spin took, and halve the budget each time
 * a spin runs out (the partner is descheduled: another process took its core), down to
 * sleeping at once, with a short probe now and then. The worst case is then a short probe
 * every PROBE_EVERY waits on top of always sleeping.
 */
export class WaitPolicy {
  private budget = START_SPIN_MS;
  private avg = 0;
  private waits = 0;

  constructor(
    private readonly sched: Int32Array,
    private readonly cores: number,
  ) {}

  /** How long the next wait may spin, in ms (0: sleep at once). */
  spinMs(): number {
    this.waits++;
    if (Atomics.load(this.sched, SCHED.AWAKE) > this.cores) return 0;
    if (this.budget > 0) return this.budget;
    return this.waits % PROBE_EVERY === 0 ? PROBE_SPIN_MS : 0;
  }

  /** The wait ended during its spin, after `ms`. */
  spun(ms: number): void {
    this.avg += (ms - this.avg) / 8;
    this.budget = Math.min(MAX_SPIN_MS, Math.max(START_SPIN_MS, 2 * this.avg));
  }

  /** The spin ran out and the thread slept. */
  slept(spun: number): void {
    if (spun <= 0) return;
    this.budget /= 2;
    if (this.budget < MIN_SPIN_MS) this.budget = 0;
  }
}
