/**
 * Who allocated and who freed each descriptor slot, and when: the slab's alloc and free
 * records for the descriptor pool (a kmem_cache of its own in a driver), so that a report
 * about a freed descriptor can say who freed it. A parallel array after the slots, one
 * record per slot, so the DESC header layout is not touched:
 *
 *   [ POOL header | slots ... | rec 0 | rec 1 | ... | rec n-1 ]   each rec RECORD.BYTES
 *
 *   ALLOC_ACTOR, ALLOC_CTX   the actor and its context (CpuContext, 3: an engine) at alloc
 *   FREE_ACTOR, FREE_CTX     the same at the last free (-1: never freed)
 *   ALLOC_TIME, FREE_TIME    run-clock ms (Float64, words 4-5 and 6-7)
 */
export const RECORD = {
  ALLOC_ACTOR: 0,
  ALLOC_CTX: 1,
  FREE_ACTOR: 2,
  FREE_CTX: 3,
  /** Float64 index within the record. */
  ALLOC_TIME_F64: 2,
  FREE_TIME_F64: 3,
  WORDS: 8,
  BYTES: 32,
} as const;

/** The running actor as a record names it (set by the thread's actor, see kernel/current.ts). */
export interface PoolRecorder {
  readonly actor: number;
  context(): number;
  now(): number;
}

/** One alloc or free record of a descriptor slot. */
export interface DescRecord {
  actor: number;
  context: number;
  time: number;
}

/** The records region of a pool buffer. */
export class DescRecords {
  private readonly w: Int32Array;
  private readonly f: Float64Array;

  /** @param byteOffset where the records start in `buffer` (8-byte aligned) */
  constructor(buffer: SharedArrayBuffer, byteOffset: number, slots: number) {
    this.w = new Int32Array(buffer, byteOffset, slots * RECORD.WORDS);
    this.f = new Float64Array(buffer, byteOffset, slots * (RECORD.WORDS / 2));
  }

  /** Records slot `i`'s allocation by `who` (its free record is cleared). */
  noteAlloc(i: number, who: PoolRecorder): void {
    const b = i * RECORD.WORDS;
    this.w[b + RECORD.ALLOC_ACTOR] = who.actor;
    this.w[b + RECORD.ALLOC_CTX] = who.context();
    this.w[b + RECORD.FREE_ACTOR] = -1;
    this.f[i * 4 + RECORD.ALLOC_TIME_F64] = who.now();
  }

  /** Records slot `i`'s free by `who`. */
  noteFree(i: number, who: PoolRecorder): void {
    const b = i * RECORD.WORDS;
    this.w[b + RECORD.FREE_ACTOR] = who.actor;
    this.w[b + RECORD.FREE_CTX] = who.context();
    this.f[i * 4 + RECORD.FREE_TIME_F64] = who.now();
  }

  /** Slot `i`'s last allocation record. */
  alloc(i: number): DescRecord {
    const b = i * RECORD.WORDS;
    return {
      actor: this.w[b + RECORD.ALLOC_ACTOR]!,
      context: this.w[b + RECORD.ALLOC_CTX]!,
      time: this.f[i * 4 + RECORD.ALLOC_TIME_F64]!,
    };
  }

  /** Slot `i`'s last free record, or null if it was not freed since its allocation. */
  free(i: number): DescRecord | null {
    const b = i * RECORD.WORDS;
    if (this.w[b + RECORD.FREE_ACTOR]! < 0) return null;
    return {
      actor: this.w[b + RECORD.FREE_ACTOR]!,
      context: this.w[b + RECORD.FREE_CTX]!,
      time: this.f[i * 4 + RECORD.FREE_TIME_F64]!,
    };
  }
}
