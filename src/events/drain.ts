import { Subject, type Observable } from 'rxjs';
import { CONTROL } from '../shm/control-block.js';
import { RING, type EventRing } from '../shm/event-ring.js';
import {
  CODE_LIMIT,
  kindOfCode,
  registeredKinds,
  UNKNOWN_KIND,
  type RegisteredKind,
} from './kind-registry.js';
import type { DmaEvent, EventContext } from './event.js';
import { EventHash } from './event-hash.js';

const CONTEXTS: readonly EventContext[] = ['process', 'softirq', 'hardirq', 'hw'];

type Decoder = (
  w: Int32Array,
  b: number,
  seq: number,
  time: number,
  actor: string,
  context: EventContext,
) => DmaEvent;

/**
 * One decoder per kind, each building its object literal in one go: objects of a fixed
 * shape stay fast in V8 (one grown key by key does not), and decoding is the drain's
 * main per-event cost.
 */
function decoderOf(kind: RegisteredKind): Decoder {
  const fields = kind.fields.map((f, i) => `${f}: w[b + ${2 + i}]`).join(', ');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a kind's declaration (field names are checked identifiers)
  return new Function(
    'w',
    'b',
    'seq',
    'time',
    'actor',
    'context',
    `return { seq, time, actor, context, kind: ${JSON.stringify(kind.name)}, ${fields} };`,
  ) as Decoder;
}

/** A record of a code no loaded module declared: its code and raw payload words. */
const decodeUnknown: Decoder = (w, b, seq, time, actor, context) => ({
  seq,
  time,
  actor,
  context,
  kind: UNKNOWN_KIND,
  code: w[b + 1]! & 0xffff,
  words: Array.from(w.subarray(b + 2, b + 10)),
});

/**
 * Decoders by code, filled as codes are first met: kinds declared after this module loaded
 * (a client's, a user module's) are found in the registry then.
 */
// Filled with undefined, not left holey: a load from a packed array needs no hole check.
const DECODERS: (Decoder | undefined)[] = new Array<Decoder | undefined>(CODE_LIMIT).fill(
  undefined,
);
for (const kind of registeredKinds()) DECODERS[kind.code] = decoderOf(kind);

/** Events delivered per turn before the drain yields to the host's event loop. */
const TURN = 8192;

/**
 * The host side of the event rings: merges every actor's ring into the run's one total
 * order (the global sequence number) and publishes each record as a typed event. A record
 * is delivered only when its sequence number is the next one, so the stream is gap-free
 * and in causal order; producers publish right after taking a number, so a missing number
 * appears within moments.
 */
export class EventDrain {
  private readonly subject = new Subject<DmaEvent>();
  /** The events, in sequence order. Subscribe before the run starts to see them all. */
  readonly events$: Observable<DmaEvent> = this.subject.asObservable();
  private nextSeq = 0;
  private delivered = 0;
  private unknown = 0;
  private readonly hash = new EventHash();
  /** Records consumed from each ring: HEAD as it will be published (see release()). */
  private readonly heads: number[];

  constructor(
    private readonly rings: readonly EventRing[],
    private readonly actorNames: readonly string[],
    private readonly control: Int32Array,
  ) {
    this.heads = rings.map((r) => Atomics.load(r.words, RING.HEAD));
  }

  /** Events delivered so far. */
  deliveredCount(): number {
    return this.delivered;
  }

  /** Events delivered as `unknown`: their code is no kind declared on this thread. */
  unknownCount(): number {
    return this.unknown;
  }

  /** The hash of every event delivered so far (see EventHash). */
  eventHash(): string {
    return this.hash.hex();
  }

  /** Sequence numbers taken by producers: every event recorded, published or not. */
  producedCount(): number {
    return Atomics.load(this.control, CONTROL.EVENT_SEQ) >>> 0;
  }

  /**
   * Delivers what is available in order, at most `max` events.
   * @returns how many were delivered
   */
  drain(max = TURN): number {
    const rings = this.rings;
    const nr = rings.length;
    let n = 0;
    let r = 0;
    let misses = 0;
    // Visit rings round-robin; from each, take its run of consecutive sequence numbers
    // with one read of TAIL. Stop after a full round without the next number: it is not
    // published yet.
    while (n < max && misses < nr) {
      const got = this.takeRun(rings[r]!, r, max - n);
      if (got === 0) misses++;
      else {
        misses = 0;
        n += got;
      }
      r = r + 1 === nr ? 0 : r + 1;
    }
    for (let i = 0; i < nr; i++) this.release(i);
    return n;
  }

  /**
   * Publishes ring r's HEAD, handing the records consumed back to its producer. Done in
   * eighths of the ring while a drain goes on, and at its end: a producer waiting on a full
   * ring then wakes to room for many records, not to one at every short run this drain
   * took from the ring (a wake each, and a full ring again at once).
   */
  private release(r: number): void {
    const ring = this.rings[r]!;
    const n = (this.heads[r]! - ring.words[RING.HEAD]!) >>> 0;
    if (n > 0) ring.advanceHead(n);
  }

  /** Delivers ring r's records while they carry the next sequence numbers. */
  private takeRun(ring: EventRing, r: number, max: number): number {
    const w = ring.words;
    const head = this.heads[r]!;
    const avail = (Atomics.load(w, RING.TAIL) - head) >>> 0;
    let k = 0;
    const actor = this.actorNames[r]!;
    while (k < avail && k < max) {
      const base = ring.recordBase(head + k);
      if (w[base] !== (this.nextSeq | 0)) break;
      const meta = w[base + 1]!;
      const hash = this.hash;
      hash.word(r);
      for (let f = 1; f < 10; f++) hash.word(w[base + f]!);
      const code = meta & 0xffff;
      const ev = (DECODERS[code] ?? this.decoderFor(code))(
        w,
        base,
        this.delivered,
        ring.timeAt(base),
        actor,
        CONTEXTS[meta >>> 16]!,
      );
      this.nextSeq = (this.nextSeq + 1) | 0;
      this.delivered++;
      k++;
      this.subject.next(ev);
    }
    if (k > 0) {
      const consumed = (head + k) | 0;
      this.heads[r] = consumed;
      if ((consumed - w[RING.HEAD]!) >>> 0 >= ring.capacity >>> 3) this.release(r);
    }
    return k;
  }

  /** The decoder of a code met for the first time; counts a record of an unknown one. */
  private decoderFor(code: number): Decoder {
    const kind = kindOfCode(code);
    if (kind === undefined) {
      this.unknown++;
      return decodeUnknown;
    }
    return (DECODERS[code] = decoderOf(kind));
  }

  /**
   * After every producer stopped: delivers whatever is left even across gaps (a number
   * taken by a producer that died before publishing), lowest first.
   */
  drainAll(): number {
    let n = 0;
    for (;;) {
      n += this.drain(Infinity);
      let best = -1;
      let bestSeq = 0;
      for (let r = 0; r < this.rings.length; r++) {
        const ring = this.rings[r]!;
        if (ring.pending() === 0) continue;
        const s = ring.headSeq();
        if (best < 0 || ((s - bestSeq) | 0) < 0) {
          best = r;
          bestSeq = s;
        }
      }
      if (best < 0) return n;
      this.nextSeq = bestSeq;
    }
  }

  /** Completes the stream. */
  complete(): void {
    this.subject.complete();
  }

  /** Fails the stream (the run could not be carried out). */
  error(err: unknown): void {
    this.subject.error(err);
  }

  /**
   * Waits until a producer rings the host doorbell or `ms` pass, without blocking the
   * event loop.
   */
  async sleep(ms: number): Promise<void> {
    const c = this.control;
    const seen = Atomics.load(c, CONTROL.HOST_DOORBELL);
    // Flag first, then re-check: producers publish, then read the flag (see EventEmitter).
    Atomics.store(c, CONTROL.HOST_SLEEPING, 1);
    try {
      // Return at once only when the next number is there: records that wait behind a gap
      // must not turn this into a busy loop that starves the host's timers.
      if (this.rings.some((r) => r.pending() !== 0 && r.headSeq() === (this.nextSeq | 0))) return;
      const res = Atomics.waitAsync(c, CONTROL.HOST_DOORBELL, seen, ms);
      if (res.async) await res.value;
    } finally {
      Atomics.store(c, CONTROL.HOST_SLEEPING, 0);
    }
  }
}
