import { nameHash } from './name-hash.js';
/** Slots of the table: call sites that can have warned once in one run. */
export const ONCE_SLOTS = 1024;

/** FNV-1a of `key`, made odd (0 marks a free slot). */
function hashOf(key: string): number {
  return nameHash(key) | 1;
}

/**
 * The kernel's `.data.once` flags (the `__warned` of each WARN_ONCE / WARN_ON_ONCE call
 * site): one per call site for the whole machine, so shared by every CPU of the run. A run
 * is one boot: a thread's module state would be per CPU, and would outlive the run on a
 * reused worker thread.
 *
 * An open-addressed set of call-site hashes in one shared buffer; claiming a site is one
 * compare-and-swap. Two sites with the same 32-bit hash share a flag, and once every slot
 * is taken a new site warns every time: both are reports too many or too few of a WARN
 * that has already fired, never a WARN lost before its first time.
 */
export class OnceTable {
  private readonly words: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  /** A table with no site claimed (host side). */
  static create(): OnceTable {
    return new OnceTable(new SharedArrayBuffer(4 * ONCE_SLOTS));
  }

  /** @returns true the first time `key` is claimed in this run, false after */
  first(key: string): boolean {
    const w = this.words;
    const h = hashOf(key);
    const mask = ONCE_SLOTS - 1;
    for (let k = 0; k < ONCE_SLOTS; k++) {
      const i = (h + k) & mask;
      const v = Atomics.compareExchange(w, i, 0, h);
      if (v === 0) return true;
      if (v === h) return false;
    }
    return true;
  }
}
