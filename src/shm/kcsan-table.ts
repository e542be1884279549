import type { StringTable } from './string-table.js';

/**
 * --kcsan's shadow, shared by every thread of a run: per checked word of memory, an
 * Eraser-style state and candidate lockset, and the last accesses that a report names.
 * Open addressing on the word's address; a full table stops adding words (counted).
 */

/** Words watched at most (a power of two). */
export const KCSAN_CAPACITY = 1 << 16;

/** Lock slots: a lockset is a 32-bit mask over them. */
export const LOCK_SLOTS = 32;

/** Header words: the lock ids of the slots, then counters. */
const HDR = { SLOTS: 0, FULL: LOCK_SLOTS, WORDS: LOCK_SLOTS + 1, BYTES: (LOCK_SLOTS + 4) * 4 };

/** Words of an entry. */
export const ENTRY = {
  /** (address >> 2) + 1; 0 for a free entry. */
  KEY: 0,
  /** Phase (low 4 bits) and the owning CPU + 1 while exclusive (bits 8..15). */
  STATE: 1,
  /** The candidate lockset: slots of the locks held at every access since it was shared. */
  LOCKSET: 2,
  /** The last write (see packAccess) and its function's string id; the last read, the same. */
  WRITE: 3,
  WRITE_FN: 4,
  READ: 5,
  READ_FN: 6,
  WORDS: 7,
} as const;

/** Eraser's states of a word. */
export const Phase = {
  EXCLUSIVE: 1,
  SHARED: 2,
  SHARED_MODIFIED: 3,
  /** Reported once: never again. */
  REPORTED: 4,
} as const;

/**
 * One access as an entry keeps it: CPU + 1 (bits 0..5), interrupt context (bit 6), marked
 * (bit 7), size log2 (bits 8..9); its function is kept beside it (a string id).
 */
export function packAccess(cpu: number, irq: boolean, marked: boolean, size: number): number {
  const lg = size >= 8 ? 3 : size >= 4 ? 2 : size >= 2 ? 1 : 0;
  return ((cpu + 1) & 63) | (irq ? 64 : 0) | (marked ? 128 : 0) | (lg << 8);
}

export interface Access {
  cpu: number;
  irq: boolean;
  marked: boolean;
  size: number;
}

export function unpackAccess(w: number): Access | null {
  if ((w & 63) === 0) return null;
  return {
    cpu: (w & 63) - 1,
    irq: (w & 64) !== 0,
    marked: (w & 128) !== 0,
    size: 1 << ((w >>> 8) & 3),
  };
}

/** The table over its SharedArrayBuffer; function names go to the run's string table. */
export class KcsanTable {
  readonly w: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly strings: StringTable,
  ) {
    this.w = new Int32Array(buffer);
  }

  static bytes(): number {
    return HDR.BYTES + KCSAN_CAPACITY * ENTRY.WORDS * 4;
  }

  /**
   * The slot bit of lock `id`: the first free slot claims it; when all are taken, locks
   * share slots by id (a lockset then errs toward "a common lock is held", never toward a
   * false report).
   */
  lockBit(id: number): number {
    const w = this.w;
    for (let s = 0; s < LOCK_SLOTS; s++) {
      const at = HDR.SLOTS + s;
      const had = Atomics.load(w, at);
      if (had === id) return 1 << s;
      if (had === 0) {
        const won = Atomics.compareExchange(w, at, 0, id);
        if (won === 0 || won === id) return 1 << s;
      }
    }
    return 1 << ((id >>> 0) % LOCK_SLOTS);
  }

  /**
   * The entry of the word at `addr` (created), as an index into `w`, or -1 when the table
   * is full.
   */
  entry(addr: number): number {
    const w = this.w;
    const key = (addr >>> 2) + 1;
    let h = Math.imul(key, 0x9e3779b1) >>> 16;
    for (let probe = 0; probe < 64; probe++) {
      const e = HDR.BYTES / 4 + (h & (KCSAN_CAPACITY - 1)) * ENTRY.WORDS;
      const k = Atomics.load(w, e + ENTRY.KEY);
      if (k === key) return e;
      if (k === 0) {
        const won = Atomics.compareExchange(w, e + ENTRY.KEY, 0, key);
        if (won === 0) {
          Atomics.add(w, HDR.WORDS, 1);
          return e;
        }
        if (won === key) return e;
      }
      h++;
    }
    Atomics.add(w, HDR.FULL, 1);
    return -1;
  }

  /** Forgets the words of [addr, addr + len) (kfree: the next owner starts afresh). */
  forget(addr: number, len: number): void {
    const w = this.w;
    for (let a = addr & ~3; a < addr + len; a += 4) {
      const key = (a >>> 2) + 1;
      let h = Math.imul(key, 0x9e3779b1) >>> 16;
      for (let probe = 0; probe < 64; probe++) {
        const e = HDR.BYTES / 4 + (h & (KCSAN_CAPACITY - 1)) * ENTRY.WORDS;
        const k = Atomics.load(w, e + ENTRY.KEY);
        if (k === 0) break;
        if (k === key) {
          // The key stays (probe chains stay whole); the state starts again.
          Atomics.store(w, e + ENTRY.STATE, 0);
          Atomics.store(w, e + ENTRY.WRITE, 0);
          Atomics.store(w, e + ENTRY.READ, 0);
          break;
        }
        h++;
      }
    }
  }

  /** Words watched, and accesses not checked because the table was full. */
  counts(): { words: number; full: number } {
    return { words: Atomics.load(this.w, HDR.WORDS), full: Atomics.load(this.w, HDR.FULL) };
  }
}
