import { describe, it, expect, afterEach } from 'vitest';
import { thrown } from '../support/thrown.js';
import { Worker } from 'node:worker_threads';
import { EventRing, RECORD_WORDS, RING } from '../../src/shm/event-ring.js';
import { CONTROL, STAT } from '../../src/shm/control-block.js';
import {
  CTX_HARDIRQ,
  CTX_HW,
  CTX_PROCESS,
  CTX_SOFTIRQ,
  EventEmitter,
} from '../../src/events/emitter.js';
import { EventDrain } from '../../src/events/drain.js';
import { EventCode, EVENT_KINDS, EVENT_TABLE } from '../../src/events/kinds.js';
import type { DmaEvent } from '../../src/events/event.js';
import { WallClock as RunClock } from '../../src/sched/run-clock.js';
import { DmasimError } from '../../src/errors.js';

/** One record as the consumer reads it. */
interface RawRecord {
  seq: number;
  code: number;
  ctx: number;
  payload: number[];
  time: number;
}

function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL.BYTES));
}

function newStats(): Float64Array {
  return new Float64Array(new SharedArrayBuffer(64));
}

function newEmitter(
  ring: EventRing,
  control: Int32Array,
  level = 2,
  stats = newStats(),
  clock = new RunClock(RunClock.epochNow()),
) {
  return new EventEmitter(ring, control, clock, level, stats, 0);
}

/** Consumes the oldest record by hand, as the host does. */
function consume(ring: EventRing): RawRecord {
  const seq = ring.headSeq();
  const base = ring.recordBase(ring.consumed());
  const w = ring.words;
  const meta = w[base + 1]!;
  const rec: RawRecord = {
    seq,
    code: meta & 0xffff,
    ctx: meta >>> 16,
    payload: [...w.subarray(base + 2, base + 10)],
    time: ring.timeAt(base),
  };
  ring.advanceHead();
  return rec;
}

/** Publishes one record by hand, as a producer does (no level filter, no wait). */
/** Control blocks of the rings built in this file (publish() takes numbers from it). */
const controlOf = new WeakMap<EventRing, Int32Array>();

/** A drain over `rings` whose control block publish() keeps EVENT_SEQ in. */
function drainFor(rings: EventRing[], names: string[]): EventDrain {
  const control = newControl();
  for (const r of rings) controlOf.set(r, control);
  return new EventDrain(rings, names, control);
}

function publish(
  ring: EventRing,
  seq: number,
  code: number,
  ctx: number,
  payload: number[],
  time: number,
): void {
  const tail = ring.produced();
  const base = ring.recordBase(tail);
  ring.words[base] = seq;
  ring.words[base + 1] = code | (ctx << 16);
  ring.words.fill(0, base + 2, base + 10);
  payload.forEach((v, i) => (ring.words[base + 2 + i] = v));
  ring.setTimeAt(base, time);
  Atomics.store(ring.words, RING.TAIL, tail + 1);
  // A producer takes its number from EVENT_SEQ: keep it past every number used here.
  const control = controlOf.get(ring);
  if (control && control[CONTROL.EVENT_SEQ]! <= seq) control[CONTROL.EVENT_SEQ] = seq + 1;
}

/** Every wait of a test on another thread gives up after this long. */
const DEADLINE_MS = 5000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('EventRing', () => {
  it.each([0, 1, 3, 6, 12, 2.5, -4, NaN])(
    'refuses capacity %s with DMASIM_BAD_OPTION',
    (capacity) => {
      const err = thrown(() => EventRing.create(capacity));

      expect(err).toBeInstanceOf(DmasimError);
      expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
    },
  );

  it('creates an empty ring of the given capacity', () => {
    const ring = EventRing.create(8);

    expect([ring.capacity, ring.produced(), ring.consumed(), ring.pending()]).toEqual([8, 0, 0, 0]);
    expect(ring.buffer.byteLength).toBe((RING.WORDS + 8 * RECORD_WORDS) * 4);
  });

  it('reads its capacity back from a shared buffer', () => {
    const ring = EventRing.create(16);

    const view = new EventRing(ring.buffer);

    expect(view.capacity).toBe(16);
  });

  it('maps counter values onto records modulo the capacity', () => {
    const ring = EventRing.create(4);

    const bases = [0, 1, 2, 3, 4, 5, 7, 8].map((n) => ring.recordBase(n));

    const r = (i: number) => RING.WORDS + i * RECORD_WORDS;
    expect(bases).toEqual([r(0), r(1), r(2), r(3), r(0), r(1), r(3), r(0)]);
  });

  it('keeps every record inside the buffer with its float64 time 8-byte aligned', () => {
    const ring = EventRing.create(8);

    for (let n = 0; n < 8; n++) {
      const base = ring.recordBase(n);
      expect(base % 2).toBe(0);
      expect(base + RECORD_WORDS).toBeLessThanOrEqual(ring.words.length);
    }
  });

  it('gives every record a 64-byte line of its own', () => {
    const ring = EventRing.create(8);

    const bases = Array.from({ length: 8 }, (_, n) => ring.recordBase(n));

    expect(RECORD_WORDS).toBe(16);
    expect(bases.filter((b) => b % 16 !== 0)).toEqual([]);
  });

  it('stores a record time without touching the neighbouring words', () => {
    const ring = EventRing.create(2);
    const base = ring.recordBase(0);
    ring.words.fill(-7, base, ring.words.length);

    ring.setTimeAt(base, 123.456);

    expect(ring.timeAt(base)).toBe(123.456);
    const others = [...ring.words.subarray(base, base + RECORD_WORDS - 2)];
    expect(others).toEqual(new Array<number>(RECORD_WORDS - 2).fill(-7));
    expect(ring.words[ring.recordBase(1)]).toBe(-7);
  });

  it('clears PRODUCER_WAITING when it advances the head', () => {
    const ring = EventRing.create(2);
    publish(ring, 0, 0, 0, [], 0);
    Atomics.store(ring.words, RING.PRODUCER_WAITING, 1);

    ring.advanceHead();

    expect([ring.consumed(), ring.words[RING.PRODUCER_WAITING]]).toEqual([1, 0]);
  });
});

describe('EventEmitter', () => {
  it('writes seq, kind | context << 16, the payload and the time into one record', () => {
    const ring = EventRing.create(4);
    const control = newControl();
    const clock = new RunClock(RunClock.epochNow());
    const emitter = new EventEmitter(ring, control, clock, 2, newStats(), 0);

    const before = clock.now();
    emitter.emit(EventCode.submit, CTX_SOFTIRQ, 3, 17, -99);
    const after = clock.now();

    const base = ring.recordBase(0);
    expect([...ring.words.subarray(base, base + 10)]).toEqual([
      0,
      EventCode.submit | (CTX_SOFTIRQ << 16),
      3,
      17,
      -99,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(ring.timeAt(base)).toBeGreaterThanOrEqual(before);
    expect(ring.timeAt(base)).toBeLessThanOrEqual(after);
  });

  it('round-trips all eight payload words and every context', () => {
    const ring = EventRing.create(4);
    const emitter = newEmitter(ring, newControl());
    const payload = [1, -2, 0x7fffffff, -0x80000000, 5, 6, 7, 8];

    for (const ctx of [CTX_PROCESS, CTX_SOFTIRQ, CTX_HARDIRQ, CTX_HW]) {
      emitter.emit(EventCode.prep, ctx, ...(payload as [number]));
    }
    const got = [consume(ring), consume(ring), consume(ring), consume(ring)];

    expect(got.map(({ time: _t, ...r }) => r)).toEqual(
      [0, 1, 2, 3].map((ctx) => ({
        seq: ctx,
        code: EventCode.prep,
        ctx,
        payload,
      })),
    );
  });

  it('takes sequence numbers from the shared control block and counts events in stats', () => {
    const ring = EventRing.create(8);
    const control = newControl();
    Atomics.store(control, CONTROL.EVENT_SEQ, 40);
    const stats = newStats();
    const emitter = newEmitter(ring, control, 2, stats);

    emitter.emit(EventCode.irq, CTX_HARDIRQ, 1, 1);
    emitter.emit(EventCode.irq, CTX_HARDIRQ, 1, 2);

    expect([consume(ring).seq, consume(ring).seq]).toEqual([40, 41]);
    expect(control[CONTROL.EVENT_SEQ]).toBe(42);
    expect(stats[STAT.EVENTS]).toBe(2);
  });

  it('tracks produced(), consumed() and pending()', () => {
    const ring = EventRing.create(4);
    const emitter = newEmitter(ring, newControl());
    const counts: number[][] = [];
    const snap = () => counts.push([ring.produced(), ring.consumed(), ring.pending()]);

    emitter.emit(EventCode.issue, CTX_PROCESS);
    emitter.emit(EventCode.issue, CTX_PROCESS);
    emitter.emit(EventCode.issue, CTX_PROCESS);
    snap();
    consume(ring);
    snap();
    emitter.emit(EventCode.issue, CTX_PROCESS);
    emitter.emit(EventCode.issue, CTX_PROCESS);
    snap();
    consume(ring);
    consume(ring);
    consume(ring);
    consume(ring);
    snap();

    expect(counts).toEqual([
      [3, 0, 3],
      [3, 1, 2],
      [5, 1, 4],
      [5, 5, 0],
    ]);
  });

  it('keeps order and contents across many wraps of the ring', () => {
    const ring = EventRing.create(4);
    const emitter = newEmitter(ring, newControl());
    const got: RawRecord[] = [];
    let n = 0;

    // Uneven batches, so that the head and tail cross the wrap at different offsets.
    for (const batch of [3, 4, 1, 2, 4, 3, 4, 2, 1]) {
      for (let k = 0; k < batch; k++, n++)
        emitter.emit(EventCode.submit, CTX_PROCESS, n, n * 3, ~n);
      while (ring.pending() > 0) got.push(consume(ring));
    }

    expect(n).toBeGreaterThan(ring.capacity * 5);
    expect(got.map(({ time: _t, ...r }) => r)).toEqual(
      Array.from({ length: n }, (_, i) => ({
        seq: i,
        code: EventCode.submit,
        ctx: CTX_PROCESS,
        payload: [i, i * 3, ~i, 0, 0, 0, 0, 0],
      })),
    );
    expect([ring.produced(), ring.consumed(), ring.pending()]).toEqual([n, n, 0]);
  });

  it('fills the ring to exactly its capacity without waiting', () => {
    const ring = EventRing.create(8);
    const emitter = newEmitter(ring, newControl());

    for (let i = 0; i < 8; i++) emitter.emit(EventCode.tasklet, CTX_SOFTIRQ, i);

    expect(ring.pending()).toBe(8);
    expect(Array.from({ length: 8 }, () => consume(ring).payload[0])).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it.each([
    { level: 0, kind: 'chan.request', recorded: true },
    { level: 0, kind: 'prep', recorded: false },
    { level: 0, kind: 'engine.start', recorded: false },
    { level: 1, kind: 'chan.request', recorded: true },
    { level: 1, kind: 'prep', recorded: true },
    { level: 1, kind: 'engine.start', recorded: false },
    { level: 2, kind: 'prep', recorded: true },
    { level: 2, kind: 'engine.start', recorded: true },
  ] as const)('at level $level records $kind: $recorded', ({ level, kind, recorded }) => {
    const ring = EventRing.create(2);
    const control = newControl();
    const stats = newStats();
    const emitter = newEmitter(ring, control, level, stats);

    emitter.emit(EventCode[kind], CTX_PROCESS, 1);

    expect(emitter.on(EventCode[kind])).toBe(recorded);
    const n = recorded ? 1 : 0;
    expect([ring.produced(), control[CONTROL.EVENT_SEQ], stats[STAT.EVENTS]]).toEqual([n, n, n]);
  });

  it('agrees with the kind table on which kinds each level records', () => {
    for (const level of [0, 1, 2]) {
      const emitter = newEmitter(EventRing.create(2), newControl(), level);

      const on = EVENT_KINDS.filter((k) => emitter.on(EventCode[k]));

      expect(on).toEqual(EVENT_KINDS.filter((k) => EVENT_TABLE[k].level <= level));
    }
  });

  it('rings the host doorbell only while the host sleeps', () => {
    const ring = EventRing.create(4);
    const control = newControl();
    const emitter = newEmitter(ring, control);

    emitter.emit(EventCode.issue, CTX_PROCESS);
    const awake = control[CONTROL.HOST_DOORBELL];
    Atomics.store(control, CONTROL.HOST_SLEEPING, 1);
    emitter.emit(EventCode.issue, CTX_PROCESS);

    expect([awake, control[CONTROL.HOST_DOORBELL]]).toEqual([0, 1]);
  });

  it('rings once per host sleep, not for every record until the host wakes', () => {
    const ring = EventRing.create(8);
    const control = newControl();
    const emitter = newEmitter(ring, control);
    Atomics.store(control, CONTROL.HOST_SLEEPING, 1);

    for (let i = 0; i < 3; i++) emitter.emit(EventCode.issue, CTX_PROCESS);

    expect([control[CONTROL.HOST_DOORBELL], control[CONTROL.HOST_SLEEPING]]).toEqual([1, 0]);
  });

  it('keeps TAIL where a ring that already holds records left it', () => {
    const ring = EventRing.create(4);
    const control = newControl();
    newEmitter(ring, control).emit(EventCode.issue, CTX_PROCESS, 1);

    newEmitter(ring, control).emit(EventCode.issue, CTX_PROCESS, 2);

    expect([consume(ring).payload[0], consume(ring).payload[0]]).toEqual([1, 2]);
  });
});

describe('EventEmitter back-pressure (producer in a worker thread)', () => {
  let worker: Worker | undefined;

  afterEach(async () => {
    await worker?.terminate();
    worker = undefined;
  });

  const dist = (path: string) => new URL(`../../dist/src/${path}`, import.meta.url).href;

  /** Emits workerData.count records; FLAGS[0] = records whose emit() returned, FLAGS[1] = done. */
  const PRODUCER = `
    import { workerData } from 'node:worker_threads';
    const { EventEmitter } = await import(workerData.emitterUrl);
    const { EventRing } = await import(workerData.ringUrl);
    const { WallClock: RunClock } = await import(workerData.clockUrl);
    const ring = new EventRing(workerData.ring);
    const control = new Int32Array(workerData.control);
    const flags = new Int32Array(workerData.flags);
    const clock = new RunClock(workerData.epoch);
    const emitter = new EventEmitter(ring, control, clock, 2, new Float64Array(8), 0);
    for (let i = 0; i < workerData.count; i++) {
      emitter.emit(workerData.code, workerData.ctx, i, i * 7, ~i);
      Atomics.store(flags, 0, i + 1);
    }
    Atomics.store(flags, 1, 1);
  `;

  it('blocks a producer on a full ring and delivers every record in order once drained', async () => {
    const capacity = 8;
    const count = 3 * capacity;
    const ring = EventRing.create(capacity);
    const control = newControl();
    const flags = new Int32Array(new SharedArrayBuffer(8));
    let failure: Error | undefined;
    const deadline = Date.now() + DEADLINE_MS;
    const until = async (what: string, cond: () => boolean) => {
      while (!cond()) {
        if (failure !== undefined) throw failure;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(1);
      }
    };
    worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(PRODUCER)}`), {
      workerData: {
        emitterUrl: dist('events/emitter.js'),
        ringUrl: dist('shm/event-ring.js'),
        clockUrl: dist('sched/run-clock.js'),
        ring: ring.buffer,
        control: control.buffer,
        flags: flags.buffer,
        epoch: RunClock.epochNow(),
        count,
        code: EventCode.submit,
        ctx: CTX_HW,
      },
    });
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => {
      if (Atomics.load(flags, 1) !== 1) failure ??= new Error(`producer exited early (${code})`);
    });

    // The producer fills the ring, then announces that it waits for room.
    await until('the producer to block on the full ring', () => {
      return Atomics.load(ring.words, RING.PRODUCER_WAITING) === 1;
    });
    const whenFull = {
      pending: ring.pending(),
      returned: Atomics.load(flags, 0),
      done: Atomics.load(flags, 1),
      seq: Atomics.load(control, CONTROL.EVENT_SEQ),
    };

    const got: RawRecord[] = [];
    let maxPending = 0;
    await until('every record', () => {
      for (let p = ring.pending(); p > 0; p = ring.pending()) {
        maxPending = Math.max(maxPending, p);
        got.push(consume(ring));
      }
      return got.length >= count;
    });
    await until('the producer to finish', () => Atomics.load(flags, 1) === 1);

    // Full ring: 8 emit() calls returned, the 9th waits without holding a sequence number.
    expect(whenFull).toEqual({ pending: capacity, returned: capacity, done: 0, seq: capacity });
    expect(maxPending).toBeLessThanOrEqual(capacity);
    expect(got.map(({ time: _t, ...r }) => r)).toEqual(
      Array.from({ length: count }, (_, i) => ({
        seq: i,
        code: EventCode.submit,
        ctx: CTX_HW,
        payload: [i, i * 7, ~i, 0, 0, 0, 0, 0],
      })),
    );
    expect([ring.produced(), ring.consumed(), ring.pending()]).toEqual([count, count, 0]);
    expect(control[CONTROL.EVENT_SEQ]).toBe(count);
  });
});

describe('EventDrain', () => {
  function collect(drain: EventDrain): DmaEvent[] {
    const events: DmaEvent[] = [];
    drain.events$.subscribe((e) => events.push(e));
    return events;
  }

  it('merges two rings in global sequence order as typed events', () => {
    const cpu = EventRing.create(4);
    const dma = EventRing.create(4);
    const drain = drainFor([cpu, dma], ['cpu0', 'dma0']);
    const events = collect(drain);
    publish(cpu, 0, EventCode['chan.request'], CTX_PROCESS, [2, 1], 1.5);
    publish(dma, 1, EventCode['engine.start'], CTX_HW, [2, 5, 4096, 9], 2.5);
    publish(dma, 2, EventCode.irq, CTX_HW, [2, 1], 3.5);
    publish(cpu, 3, EventCode.submit, CTX_HARDIRQ, [2, 5, 7, 9], 4.5);
    publish(cpu, 4, EventCode['callback.end'], CTX_SOFTIRQ, [2, 5, 9], 5.5);
    publish(dma, 5, EventCode['engine.done'], CTX_HW, [2, 5, 4096, 0, 9], 6.5);

    const n = drain.drain();

    expect(n).toBe(6);
    expect(events).toEqual([
      {
        seq: 0,
        time: 1.5,
        actor: 'cpu0',
        context: 'process',
        kind: 'chan.request',
        chan: 2,
        clientCount: 1,
      },
      {
        seq: 1,
        time: 2.5,
        actor: 'dma0',
        context: 'hw',
        kind: 'engine.start',
        chan: 2,
        desc: 5,
        len: 4096,
        gen: 9,
      },
      { seq: 2, time: 3.5, actor: 'dma0', context: 'hw', kind: 'irq', chan: 2, completed: 1 },
      {
        seq: 3,
        time: 4.5,
        actor: 'cpu0',
        context: 'hardirq',
        kind: 'submit',
        chan: 2,
        desc: 5,
        cookie: 7,
        gen: 9,
      },
      {
        seq: 4,
        time: 5.5,
        actor: 'cpu0',
        context: 'softirq',
        kind: 'callback.end',
        chan: 2,
        desc: 5,
        gen: 9,
      },
      {
        seq: 5,
        time: 6.5,
        actor: 'dma0',
        context: 'hw',
        kind: 'engine.done',
        chan: 2,
        desc: 5,
        len: 4096,
        corrupted: 0,
        gen: 9,
      },
    ]);
    expect([drain.deliveredCount(), drain.producedCount()]).toEqual([6, 6]);
    expect([cpu.pending(), dma.pending()]).toEqual([0, 0]);
  });

  it('delivers records of two emitters sharing one control block in emission order', () => {
    const control = newControl();
    const a = EventRing.create(8);
    const b = EventRing.create(8);
    const clock = new RunClock(RunClock.epochNow());
    const ea = newEmitter(a, control, 2, newStats(), clock);
    const eb = newEmitter(b, control, 2, newStats(), clock);
    const drain = new EventDrain([a, b], ['cpu0', 'cpu1'], control);
    const events = collect(drain);
    ea.emit(EventCode.prep, CTX_PROCESS, 0, 3, 0, 64, 1, 0);
    eb.emit(EventCode.prep, CTX_PROCESS, 1, 4, 0, 128, 1, 0);
    eb.emit(EventCode.submit, CTX_PROCESS, 1, 4, 2, 6);
    ea.emit(EventCode.submit, CTX_PROCESS, 0, 3, 2, 5);
    eb.emit(EventCode.issue, CTX_PROCESS, 1, 1);
    ea.emit(EventCode.status, CTX_SOFTIRQ, 0, 2, 1, 64);

    drain.drain();

    expect(events.map(({ time: _t, ...e }) => e)).toEqual([
      {
        seq: 0,
        actor: 'cpu0',
        context: 'process',
        kind: 'prep',
        chan: 0,
        desc: 3,
        op: 0,
        len: 64,
        flags: 1,
        cfgGen: 0,
        srcAddr: 0,
        dstAddr: 0,
      },
      {
        seq: 1,
        actor: 'cpu1',
        context: 'process',
        kind: 'prep',
        chan: 1,
        desc: 4,
        op: 0,
        len: 128,
        flags: 1,
        cfgGen: 0,
        srcAddr: 0,
        dstAddr: 0,
      },
      {
        seq: 2,
        actor: 'cpu1',
        context: 'process',
        kind: 'submit',
        chan: 1,
        desc: 4,
        cookie: 2,
        gen: 6,
      },
      {
        seq: 3,
        actor: 'cpu0',
        context: 'process',
        kind: 'submit',
        chan: 0,
        desc: 3,
        cookie: 2,
        gen: 5,
      },
      { seq: 4, actor: 'cpu1', context: 'process', kind: 'issue', chan: 1, moved: 1 },
      {
        seq: 5,
        actor: 'cpu0',
        context: 'softirq',
        kind: 'status',
        chan: 0,
        cookie: 2,
        status: 1,
        residue: 64,
      },
    ]);
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect([drain.deliveredCount(), drain.producedCount()]).toEqual([6, 6]);
  });

  it('delivers at most `max` events per drain() and resumes where it stopped', () => {
    const ring = EventRing.create(8);
    const drain = new EventDrain([ring], ['cpu0'], newControl());
    const events = collect(drain);
    for (let s = 0; s < 5; s++) publish(ring, s, EventCode.issue, CTX_PROCESS, [s, 1], s);

    const counts = [drain.drain(2), drain.drain(2), drain.drain(2), drain.drain(2)];

    expect(counts).toEqual([2, 2, 1, 0]);
    expect(events.map((e) => (e.kind === 'issue' ? e.chan : -1))).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops drain() at a gap in the sequence; drainAll() delivers past it', () => {
    const a = EventRing.create(4);
    const b = EventRing.create(4);
    const drain = drainFor([a, b], ['cpu0', 'cpu1']);
    const events = collect(drain);
    publish(a, 0, EventCode.issue, CTX_PROCESS, [10, 0], 0);
    publish(b, 1, EventCode.issue, CTX_PROCESS, [11, 0], 0);
    // seq 2 was taken by a producer that never published it.
    publish(b, 3, EventCode.issue, CTX_PROCESS, [13, 0], 0);
    publish(a, 4, EventCode.issue, CTX_PROCESS, [14, 0], 0);

    const first = drain.drain();
    const again = drain.drain();
    const chansAtGap = events.map((e) => (e.kind === 'issue' ? e.chan : -1));
    const countsAtGap = [drain.deliveredCount(), drain.producedCount()];
    const rest = drain.drainAll();

    expect([first, again, rest]).toEqual([2, 0, 2]);
    expect(chansAtGap).toEqual([10, 11]);
    // Produced counts numbers taken: seq 2 was taken and never published.
    expect(countsAtGap).toEqual([2, 5]);
    // Delivered events are numbered gap-free (EventBase.seq: "0, 1, 2, ... with no gaps").
    expect(events.map((e) => [e.seq, e.actor, e.kind === 'issue' ? e.chan : -1])).toEqual([
      [0, 'cpu0', 10],
      [1, 'cpu1', 11],
      [2, 'cpu1', 13],
      [3, 'cpu0', 14],
    ]);
    // The number taken but never published is the one event lost.
    expect([drain.deliveredCount(), drain.producedCount()]).toEqual([4, 5]);
  });

  it('drainAll() follows the sequence across the int32 wrap, lowest first', () => {
    const a = EventRing.create(4);
    const b = EventRing.create(4);
    const drain = new EventDrain([a, b], ['cpu0', 'cpu1'], newControl());
    const events = collect(drain);
    publish(b, -0x80000000, EventCode.issue, CTX_PROCESS, [3, 0], 0);
    publish(b, -0x7fffffff, EventCode.issue, CTX_PROCESS, [4, 0], 0);
    publish(a, 0x7ffffffe, EventCode.issue, CTX_PROCESS, [1, 0], 0);
    publish(a, 0x7fffffff, EventCode.issue, CTX_PROCESS, [2, 0], 0);

    const plain = drain.drain();
    const all = drain.drainAll();

    expect([plain, all]).toEqual([0, 4]);
    expect(events.map((e) => (e.kind === 'issue' ? e.chan : -1))).toEqual([1, 2, 3, 4]);
  });

  it('completes its stream on complete()', () => {
    const drain = new EventDrain([EventRing.create(2)], ['cpu0'], newControl());
    let completed = false;
    drain.events$.subscribe({ complete: () => (completed = true) });

    drain.complete();

    expect(completed).toBe(true);
  });

  it('sleep() returns at once when a ring holds records', async () => {
    const ring = EventRing.create(2);
    const control = newControl();
    const drain = new EventDrain([ring], ['cpu0'], control);
    publish(ring, 0, EventCode.issue, CTX_PROCESS, [], 0);
    let timer: NodeJS.Timeout | undefined;

    const result = await Promise.race([
      drain.sleep(60_000).then(() => 'returned'),
      new Promise((r) => (timer = setTimeout(() => r('timed out'), DEADLINE_MS))),
    ]).finally(() => clearTimeout(timer));

    expect([result, control[CONTROL.HOST_SLEEPING]]).toEqual(['returned', 0]);
  });

  it('sleep() wakes when a producer publishes while the host sleeps', async () => {
    const ring = EventRing.create(2);
    const control = newControl();
    const drain = new EventDrain([ring], ['cpu0'], control);
    const emitter = newEmitter(ring, control);
    let timer: NodeJS.Timeout | undefined;

    const sleeping = drain.sleep(60_000).then(() => 'woken');
    const flagWhileAsleep = control[CONTROL.HOST_SLEEPING];
    emitter.emit(EventCode.issue, CTX_PROCESS);
    const result = await Promise.race([
      sleeping,
      new Promise((r) => (timer = setTimeout(() => r('timed out'), DEADLINE_MS))),
    ]).finally(() => clearTimeout(timer));

    expect([flagWhileAsleep, result, control[CONTROL.HOST_SLEEPING]]).toEqual([1, 'woken', 0]);
  });
});
