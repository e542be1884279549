import { defineLayout } from './layout.js';
import { DmasimError } from '../errors.js';

/**
 * Words per record: seq, meta (kind | context << 16), 8 payload words, 4 spare, time
 * (float64). 64 bytes: one record per cache line, so the host reading record i does not
 * share a line with the producer writing record i + 1.
 */
export const RECORD_WORDS = 16;
/** Word of the float64 time inside a record. */
export const TIME_WORD = 14;

/**
 * Ring header; HEAD and TAIL on their own cache lines (producer and consumer write them).
 *   HEAD              records consumed (monotonic, host writes)
 *   TAIL              records published (monotonic, producer writes)
 *   PRODUCER_WAITING  1 while the producer is blocked on a full ring
 *   CAPACITY          records the ring holds (a power of two)
 */
export const RING = defineLayout(
  ['HEAD'],
  { PAD0: 15, TAIL: 1, PAD1: 15, PRODUCER_WAITING: 1, CAPACITY: 1 },
  16,
);

/**
 * A single-producer single-consumer ring of fixed-size event records in its own
 * SharedArrayBuffer. The producer is one actor; the consumer is the host.
 *
 *   [ header | rec 0 | rec 1 | ... | rec cap-1 ]     rec i holds counter value i mod cap
 *          HEAD (host reads from here)   TAIL (actor writes here)
 */
export class EventRing {
  readonly words: Int32Array;
  readonly floats: Float64Array;
  readonly capacity: number;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.floats = new Float64Array(buffer);
    this.capacity = this.words[RING.CAPACITY]!;
    this.mask = this.capacity - 1;
  }

  /** Creates a ring for `capacity` records (a power of two >= 2). */
  static create(capacity: number): EventRing {
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `event ring capacity ${capacity} is invalid: expected a power of two >= 2`,
      );
    }
    const buffer = new SharedArrayBuffer((RING.WORDS + capacity * RECORD_WORDS) * 4);
    new Int32Array(buffer)[RING.CAPACITY] = capacity;
    return new EventRing(buffer);
  }

  /** Word offset of the record that counter value `n` maps to. */
  recordBase(n: number): number {
    return RING.WORDS + (n & this.mask) * RECORD_WORDS;
  }

  /** Records published (producer's count). */
  produced(): number {
    return Atomics.load(this.words, RING.TAIL) >>> 0;
  }

  /** Records consumed (host's count). */
  consumed(): number {
    return Atomics.load(this.words, RING.HEAD) >>> 0;
  }

  /** Records waiting to be consumed. */
  pending(): number {
    return (Atomics.load(this.words, RING.TAIL) - Atomics.load(this.words, RING.HEAD)) >>> 0;
  }

  /** Sequence number of the oldest unconsumed record (caller checks pending() first). */
  headSeq(): number {
    return this.words[this.recordBase(this.words[RING.HEAD]!)]!;
  }

  /** Time (float64) of the record at word offset `base`. */
  timeAt(base: number): number {
    return this.floats[(base + TIME_WORD) >> 1]!;
  }

  /** Writes the time of the record at word offset `base`. */
  setTimeAt(base: number, time: number): void {
    this.floats[(base + TIME_WORD) >> 1] = time;
  }

  /**
   * Marks `n` records consumed and, if the producer sleeps on a full ring, wakes it.
   */
  advanceHead(n = 1): void {
    const w = this.words;
    Atomics.add(w, RING.HEAD, n);
    // The producer set PRODUCER_WAITING before re-checking HEAD and waiting on it.
    if (Atomics.load(w, RING.PRODUCER_WAITING) !== 0) {
      Atomics.store(w, RING.PRODUCER_WAITING, 0);
      Atomics.notify(w, RING.HEAD);
    }
  }
}
