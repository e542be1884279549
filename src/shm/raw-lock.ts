/**
 * Spins this many loads before sleeping in Atomics.wait. The critical sections this lock
 * guards are a few stores long, so a holder is almost always about to release it.
 */
const SPIN_LOADS = 200;

/** A sleeper re-checks the word at least this often (ms): a lost notify costs no more. */
const RECHECK_MS = 50;

/**
 * A raw futex-style lock word (Drepper's "mutex 2"): 0 free, 1 locked, 2 locked with
 * sleepers. It has no owner, no lockdep and no preemption point: it guards simulator
 * internals (the descriptor pool's free list), like a raw arch spinlock inside the slab.
 * With no point inside, a controlled run (one actor at a time) never finds it held.
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
      Atomics.wait(w, i, 2, RECHECK_MS);
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
