/**
 * Spins this many loads before sleeping in Atomics.wait. On this project's 2-core target a
 * spinning thread only helps while it has a core of its own; past a few hundred loads the
 * holder is probably descheduled and sleeping is cheaper (see the platform notes in README).
 */
export const SPIN_LOADS = 200;

/** Longest single Atomics.wait, so that every waiter re-checks for a stopped run. */
export const WAIT_SLICE_MS = 50;

/**
 * How long an idle actor spins before it sleeps, when every actor has a core (and when
 * they do not). A sleep costs a futex wake (~25-50 us on this class of machine) when the
 * work arrives; spinning a few times that cost is the classic competitive choice. With more
 * actors than cores a spinner steals the core its waker needs, so it spins far less.
 */
export const IDLE_SPIN_MS = 0.2;
export const IDLE_SPIN_OVERSUBSCRIBED_MS = 0.02;

/** First sleep of a condition nobody notifies (hardware state), doubled up to WAIT_SLICE_MS. */
export const FIRST_SLEEP_MS = 0.05;

/**
 * A raw futex-style lock word (Drepper's "mutex 2"): 0 free, 1 locked, 2 locked with
 * sleepers. It has no owner, no lockdep and no preemption point: it guards simulator
 * internals (the descriptor pool's free list), like a raw arch spinlock inside the slab.
 */
export class Spinlock {
  constructor(
    private readonly words: Int32Array,
    private readonly index: number,
  ) {}

  /** Acquires; spins briefly, then sleeps on the word. */
  lock(): void {
    const w = this.words;
    const i = this.index;
    let c = Atomics.compareExchange(w, i, 0, 1);
    if (c === 0) return;
    for (let n = 0; n < SPIN_LOADS; n++) {
      if (Atomics.load(w, i) === 0) {
        c = Atomics.compareExchange(w, i, 0, 1);
        if (c === 0) return;
      }
    }
    // Announce a sleeper (2) before waiting, so that unlock() knows to notify.
    if (c !== 2) c = Atomics.exchange(w, i, 2);
    while (c !== 0) {
      Atomics.wait(w, i, 2, WAIT_SLICE_MS);
      c = Atomics.exchange(w, i, 2);
    }
  }

  /** Releases; wakes one sleeper if any announced itself. */
  unlock(): void {
    // The sleeper set 2 before its Atomics.wait: exchange sees it and notifies.
    if (Atomics.exchange(this.words, this.index, 0) === 2) {
      Atomics.notify(this.words, this.index, 1);
    }
  }
}
