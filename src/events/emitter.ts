import { CONTROL, Phase, STAT } from '../shm/control-block.js';
import { RING, RECORD_WORDS, TIME_WORD, type EventRing } from '../shm/event-ring.js';
import { RECORD_BITS, runRecordBits } from './kind-registry.js';
import { WAIT_SLICE_MS } from '../sched/wait-slices.js';
import type { RunClock } from '../sched/run-clock.js';
import { RunAborted } from '../sched/run-aborted.js';

/** Context codes in a record's meta word (event.ts EventContext, in this order). */
export const CTX_PROCESS = 0;
export const CTX_SOFTIRQ = 1;
export const CTX_HARDIRQ = 2;
export const CTX_HW = 3;

/**
 * The producer side of one actor's event ring. A record costs two atomics: taking the
 * global sequence number and publishing TAIL. Everything else is plain stores into the
 * record, written before the number is taken, so that a number is held unpublished only
 * for a few stores (the host delivers in sequence order and waits on a missing number).
 * The number is taken only once there is room: an actor never holds one while it waits.
 */
export class EventEmitter {
  private readonly words: Int32Array;
  private readonly floats: Float64Array;
  private readonly mask: number;
  private readonly cap: number;
  /** Kind code -> the runs that record it (kind-registry.ts RECORD_BITS, shared). */
  private readonly kindBits: Uint8Array;
  /** This run's bits: its level's and lockdep's. */
  private readonly runBits: number;
  /** TAIL: only this producer writes it, so it is kept here rather than read back. */
  private tail: number;
  /** HEAD as last read: re-read only when the ring looks full, not at every record. */
  private head: number;

  constructor(
    ring: EventRing,
    private readonly control: Int32Array,
    private readonly clock: RunClock,
    level: number,
    private readonly stats: Float64Array,
    private readonly statBase: number,
    lockdep = false,
  ) {
    this.words = ring.words;
    this.floats = ring.floats;
    this.cap = ring.capacity;
    this.mask = ring.capacity - 1;
    this.tail = Atomics.load(ring.words, RING.TAIL);
    this.head = Atomics.load(ring.words, RING.HEAD);
    // The table, not a copy: kinds a module declares after this emitter exists are seen.
    this.kindBits = RECORD_BITS;
    this.runBits = runRecordBits(level, lockdep);
  }

  /** Whether `code` is recorded at this run's level (check before computing payloads). */
  on(code: number): boolean {
    return (this.kindBits[code]! & this.runBits) !== 0;
  }

  /** Records one event; payload words beyond those given are 0. */
  emit(code: number, ctx: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0): void {
    if ((this.kindBits[code]! & this.runBits) === 0) return;
    const w = this.words;
    const tail = this.tail;
    if ((tail - this.head) >>> 0 >= this.cap) this.waitForRoom(tail);
    const base = RING.WORDS + (tail & this.mask) * RECORD_WORDS;
    w[base + 1] = code | (ctx << 16);
    w[base + 2] = a;
    w[base + 3] = b;
    w[base + 4] = c;
    w[base + 5] = d;
    w[base + 6] = e;
    w[base + 7] = f;
    w[base + 8] = g;
    w[base + 9] = h;
    this.floats[(base + TIME_WORD) >> 1] = this.clock.now();
    const control = this.control;
    w[base] = Atomics.add(control, CONTROL.EVENT_SEQ, 1);
    const next = (tail + 1) | 0;
    this.tail = next;
    // Publishing TAIL releases the record's words to the host (seq-cst store).
    Atomics.store(w, RING.TAIL, next);
    this.stats[this.statBase + STAT.EVENTS]!++;
    // The host sets HOST_SLEEPING, re-checks every ring, then waits on HOST_DOORBELL:
    // either it sees this record or we see its flag. Whoever clears the flag rings, once
    // per sleep: a producer that rang for every record until the host woke would pay a
    // notify per record in the meantime.
    if (Atomics.load(control, CONTROL.HOST_SLEEPING) !== 0) this.ringHost();
  }

  private ringHost(): void {
    const control = this.control;
    if (Atomics.exchange(control, CONTROL.HOST_SLEEPING, 0) === 0) return;
    Atomics.add(control, CONTROL.HOST_DOORBELL, 1);
    Atomics.notify(control, CONTROL.HOST_DOORBELL);
  }

  /** Blocks while the ring is full: the host drains, never drops. */
  private waitForRoom(tail: number): void {
    const w = this.words;
    for (;;) {
      const head = Atomics.load(w, RING.HEAD);
      this.head = head;
      if ((tail - head) >>> 0 < this.cap) return;
      // Set the flag, then re-check HEAD: the host clears the flag and notifies after it
      // advances HEAD, so the wait below cannot miss that advance.
      Atomics.store(w, RING.PRODUCER_WAITING, 1);
      Atomics.add(this.control, CONTROL.HOST_DOORBELL, 1);
      Atomics.notify(this.control, CONTROL.HOST_DOORBELL);
      if (Atomics.load(w, RING.HEAD) !== head) continue;
      Atomics.wait(w, RING.HEAD, head, WAIT_SLICE_MS);
      if (Atomics.load(this.control, CONTROL.PHASE) >= Phase.ABORTED)
        throw new RunAborted('watchdog');
    }
  }
}
