import { SCHED } from '../shm/sched-struct.js';

/** Longest spin before sleeping, in ms: a few futex wakes' worth on this class of machine. */
const MAX_SPIN_MS = 0.2;
/** The shortest spin worth making. */
const MIN_SPIN_MS = 0.01;
/** With no trust left, one wait in this many spins a little, to see if the load went. */
const PROBE_EVERY = 32;

/**
 * How long a waiting actor spins before it sleeps. A sleep costs a futex wake (25-50 us
 * here) when the wait ends; a spin pays only while the thread that will end the wait has a
 * core of its own, and costs the machine a core while it lasts. So:
 *   - no spinning while this run's awake actor threads already fill the cores;
 *   - otherwise spin up to MAX_SPIN_MS (a few wakes' worth) scaled by trust: halved each
 *     time a spin runs out (the partner did not come: another process took its core, or
 *     ours), doubled back by each spin that pays. With no trust left the thread sleeps at
 *     once and probes with a short spin one wait in PROBE_EVERY, so a machine busy with
 *     something else costs little more than always sleeping would.
 */
export class WaitPolicy {
  private trust = 1;
  private waits = 0;

  constructor(
    private readonly sched: Int32Array,
    private readonly cores: number,
  ) {}

  /** How long the next wait may spin, in ms (0: sleep at once). */
  spinMs(): number {
    this.waits++;
    if (Atomics.load(this.sched, SCHED.AWAKE) > this.cores) return 0;
    const budget = this.trust * MAX_SPIN_MS;
    if (budget >= MIN_SPIN_MS) return budget;
    return this.waits % PROBE_EVERY === 0 ? MIN_SPIN_MS : 0;
  }

  /** A wait that spun `spun` ms ended: during the spin (`paid`), or after it. */
  ended(spun: number, paid: boolean): void {
    if (spun <= 0) return;
    if (paid) this.trust = Math.min(1, Math.max(this.trust, MIN_SPIN_MS / MAX_SPIN_MS) * 2);
    else this.trust /= 2;
  }
}
