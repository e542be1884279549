import { Subject, type Observable } from 'rxjs';
import { CONTROL } from '../shm/control-block.js';
import { RING, type EventRing } from '../shm/event-ring.js';
import { EVENT_KINDS, EVENT_TABLE } from './kinds.js';
import type { DmaEvent, EventContext } from './event.js';

const CONTEXTS: readonly EventContext[] = ['process', 'softirq', 'hardirq', 'hw'];
const FIELDS: readonly (readonly string[])[] = EVENT_KINDS.map((k) => EVENT_TABLE[k].fields);

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

  constructor(
    private readonly rings: readonly EventRing[],
    private readonly actorNames: readonly string[],
    private readonly control: Int32Array,
  ) {}

  /** Events delivered so far. */
  deliveredCount(): number {
    return this.delivered;
  }

  /** Records every producer has published. */
  producedCount(): number {
    let n = 0;
    for (const r of this.rings) n += r.produced();
    return n;
  }

  /**
   * Delivers what is available in order, at most `max` events.
   * @returns how many were delivered
   */
  drain(max = TURN): number {
    const rings = this.rings;
    let n = 0;
    let last = 0;
    while (n < max) {
      let found = -1;
      // The ring that delivered last most often holds the next number too.
      for (let k = 0; k < rings.length; k++) {
        const r = (last + k) % rings.length;
        const ring = rings[r]!;
        if (ring.pending() !== 0 && ring.headSeq() === (this.nextSeq | 0)) {
          found = r;
          break;
        }
      }
      if (found < 0) break;
      this.deliver(found);
      last = found;
      n++;
    }
    return n;
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
      if (this.rings.some((r) => r.pending() !== 0)) return;
      const res = Atomics.waitAsync(c, CONTROL.HOST_DOORBELL, seen, ms);
      if (res.async) await res.value;
    } finally {
      Atomics.store(c, CONTROL.HOST_SLEEPING, 0);
    }
  }

  private deliver(r: number): void {
    const ring = this.rings[r]!;
    const w = ring.words;
    const base = ring.recordBase(w[RING.HEAD]!);
    const meta = w[base + 1]!;
    const code = meta & 0xffff;
    const fields = FIELDS[code]!;
    const ev: Record<string, unknown> = {
      seq: this.delivered,
      time: ring.timeAt(base),
      actor: this.actorNames[r],
      context: CONTEXTS[meta >>> 16],
      kind: EVENT_KINDS[code],
    };
    for (let i = 0; i < fields.length; i++) ev[fields[i]!] = w[base + 2 + i];
    ring.advanceHead();
    this.nextSeq = (this.nextSeq + 1) | 0;
    this.delivered++;
    this.subject.next(ev as unknown as DmaEvent);
  }
}
