import { afterEach, describe, expect, it, vi } from 'vitest';
import { Worker } from 'node:worker_threads';
import { thrown } from '../support/thrown.js';
import { EventRing, RING } from '../../src/shm/event-ring.js';
import { CONTROL } from '../../src/shm/control-block.js';
import { CTX_HW, CTX_PROCESS, CTX_SOFTIRQ, EventEmitter } from '../../src/events/emitter.js';
import { EventDrain } from '../../src/events/drain.js';
import { defineEventKinds } from '../../src/events/define-event-kinds.js';
import {
  DECLARED_CODE_BASE,
  CODE_LIMIT,
  declaredKindCode,
  kindNamed,
  kindOfCode,
} from '../../src/events/kind-registry.js';
import { EVENT_KINDS } from '../../src/events/kinds.js';
import { jsonLine } from '../../src/events/exporters/json-lines.js';
import { ChromeTrace } from '../../src/events/exporters/chrome-trace.js';
import { setCurrentActor, type ActorContext } from '../../src/kernel/current.js';
import { WallClock as RunClock } from '../../src/sched/run-clock.js';
import type { DmaEvent } from '../../src/index.js';
import { DmasimError } from '../../src/errors.js';

const PROBE = defineEventKinds('kinds-test', {
  'probe.xfer': { level: 1, fields: ['chan', 'len', 'flags'] },
  'probe.lock': { level: 3, fields: ['lock'] },
  'probe.none': { level: 0, fields: [] },
});

type ProbeKinds = typeof PROBE.kinds;

// Through the barrel, as a user module augments 'dmasim'.
declare module '../../src/index.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the probe kinds to the event union
  interface DeclaredEventKinds extends ProbeKinds {}
}

function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL.BYTES));
}

function newEmitter(ring: EventRing, control: Int32Array, level: number, lockdep = false) {
  const clock = new RunClock(RunClock.epochNow());
  return new EventEmitter(ring, control, clock, level, new Float64Array(8), 0, lockdep);
}

function drainAll(ring: EventRing, control: Int32Array): { events: DmaEvent[]; drain: EventDrain } {
  const drain = new EventDrain([ring], ['cpu0'], control);
  const events: DmaEvent[] = [];
  drain.events$.subscribe((e) => events.push(e));
  drain.drainAll();
  return { events, drain };
}

/** Publishes one record by hand, as a producer that knows a kind this thread does not. */
function publishRaw(ring: EventRing, control: Int32Array, code: number, payload: number[]): void {
  const tail = ring.produced();
  const base = ring.recordBase(tail);
  ring.words[base] = Atomics.add(control, CONTROL.EVENT_SEQ, 1);
  ring.words[base + 1] = code | (CTX_PROCESS << 16);
  ring.words.fill(0, base + 2, base + 10);
  payload.forEach((v, i) => (ring.words[base + 2 + i] = v));
  ring.setTimeAt(base, 0.5);
  Atomics.store(ring.words, RING.TAIL, tail + 1);
}

/** Two names of the form `<prefix><n>` that hash to one code. */
function collidingNames(prefix: string): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const name = `${prefix}${i}`;
    const other = seen.get(declaredKindCode(name));
    if (other !== undefined) return [other, name];
    seen.set(declaredKindCode(name), name);
  }
}

describe('defineEventKinds', () => {
  it('gives each kind the code hashed from its name, above the core codes', () => {
    expect(PROBE.code).toEqual({
      'probe.xfer': declaredKindCode('probe.xfer'),
      'probe.lock': declaredKindCode('probe.lock'),
      'probe.none': declaredKindCode('probe.none'),
    });
    for (const c of Object.values(PROBE.code)) {
      expect(c).toBeGreaterThanOrEqual(DECLARED_CODE_BASE);
      expect(c).toBeLessThan(CODE_LIMIT);
    }
    expect(EVENT_KINDS.length).toBeLessThan(DECLARED_CODE_BASE);
    expect(kindOfCode(PROBE.code['probe.xfer'])).toEqual({
      name: 'probe.xfer',
      code: PROBE.code['probe.xfer'],
      level: 1,
      fields: ['chan', 'len', 'flags'],
      owner: 'kinds-test',
    });
  });

  it('gives the same codes in two module instances whatever the declaration order', async () => {
    const names = ['order.a', 'order.b', 'order.c'];
    const codes: Record<string, number>[] = [];
    for (const order of [names, [...names].reverse()]) {
      vi.resetModules();
      const mod = await import('../../src/events/define-event-kinds.js');
      const got: Record<string, number> = {};
      for (const n of order)
        Object.assign(got, mod.defineEventKinds(`o-${n}`, { [n]: { level: 0, fields: [] } }).code);
      codes.push(got);
    }

    expect(codes[1]).toEqual(codes[0]);
    expect(codes[0]).toEqual(Object.fromEntries(names.map((n) => [n, declaredKindCode(n)])));
  });

  it('accepts the same declaration made again by the same owner', () => {
    const again = defineEventKinds('kinds-test', {
      'probe.none': { level: 0, fields: [] },
    });

    expect(again.code['probe.none']).toBe(PROBE.code['probe.none']);
  });

  it.each([
    ['a core kind', 'other', { prep: { level: 1, fields: [] } }],
    ['a kind of another owner', 'other', { 'probe.none': { level: 0, fields: [] } }],
    [
      'a kind declared with other fields',
      'kinds-test',
      { 'probe.none': { level: 0, fields: ['x'] } },
    ],
    ['the reserved unknown', 'other', { unknown: { level: 0, fields: [] } }],
    ['nine fields', 'other', { 'bad.nine': { level: 0, fields: 'abcdefghi'.split('') } }],
    ['a field that is no identifier', 'other', { 'bad.field': { level: 0, fields: ['a-b'] } }],
    ['a field shadowing the base', 'other', { 'bad.base': { level: 0, fields: ['seq'] } }],
    ['a field named twice', 'other', { 'bad.twice': { level: 0, fields: ['a', 'a'] } }],
    ['a level out of range', 'other', { 'bad.level': { level: 4 as 0, fields: [] } }],
  ] as const)('refuses %s with DMASIM_BAD_EVENT_KIND', (_what, owner, kinds) => {
    const err = thrown(() => defineEventKinds(owner, kinds));

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_EVENT_KIND');
  });

  it('refuses a name whose code another name has, naming both', () => {
    const [first, second] = collidingNames('clash.');
    defineEventKinds('first', { [first]: { level: 0, fields: [] } });

    const err = thrown(() => defineEventKinds('second', { [second]: { level: 0, fields: [] } }));

    expect(err).toMatchObject({ code: 'DMASIM_BAD_EVENT_KIND' });
    expect((err as Error).message).toContain(`'${first}' (declared by 'first')`);
    expect(kindNamed(second)).toBeUndefined();
  });

  it('registers none of a declaration that fails on any of its kinds', () => {
    const [a, b] = collidingNames('pair.');

    const err = thrown(() =>
      defineEventKinds('both', {
        'pair.fine': { level: 0, fields: [] },
        [a]: { level: 0, fields: [] },
        [b]: { level: 0, fields: [] },
      }),
    );

    expect(err).toMatchObject({ code: 'DMASIM_BAD_EVENT_KIND' });
    expect([kindNamed('pair.fine'), kindNamed(a), kindNamed(b)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('declared kinds in the ring and the drain', () => {
  afterEach(() => setCurrentActor(null));

  it('round-trip with their fields, through emit() and the typed tracepoint', () => {
    const ring = EventRing.create(8);
    const control = newControl();
    const emitter = newEmitter(ring, control, 1);
    setCurrentActor({ emitter, cpu: null } as unknown as ActorContext);

    emitter.emit(PROBE.code['probe.xfer'], CTX_SOFTIRQ, 2, 4096, -1);
    PROBE.trace['probe.xfer'](3, 64, 7);
    PROBE.trace['probe.none']();
    const { events, drain } = drainAll(ring, control);

    expect(events.map(({ time: _t, ...e }) => e)).toEqual([
      {
        seq: 0,
        actor: 'cpu0',
        context: 'softirq',
        kind: 'probe.xfer',
        chan: 2,
        len: 4096,
        flags: -1,
      },
      { seq: 1, actor: 'cpu0', context: 'hw', kind: 'probe.xfer', chan: 3, len: 64, flags: 7 },
      { seq: 2, actor: 'cpu0', context: 'hw', kind: 'probe.none' },
    ]);
    const e = events[0]!;
    // The declaration narrows the union: the fields are typed.
    if (e.kind === 'probe.xfer') expect(e.len + e.chan).toBe(4098);
    expect(drain.unknownCount()).toBe(0);
  });

  it.each([
    { level: 0, lockdep: false, recorded: ['probe.none'] },
    { level: 1, lockdep: false, recorded: ['probe.xfer', 'probe.none'] },
    { level: 0, lockdep: true, recorded: ['probe.lock', 'probe.none'] },
  ])(
    'are filtered by their level: level $level lockdep $lockdep',
    ({ level, lockdep, recorded }) => {
      const emitter = newEmitter(EventRing.create(2), newControl(), level, lockdep);

      const on = Object.entries(PROBE.code).filter(([, c]) => emitter.on(c));

      expect(on.map(([k]) => k).sort()).toEqual([...recorded].sort());
    },
  );

  it('are recorded by an emitter made before they were declared', () => {
    const ring = EventRing.create(4);
    const control = newControl();
    const emitter = newEmitter(ring, control, 2);
    const late = defineEventKinds('late', { 'late.kind': { level: 2, fields: ['v'] } });

    emitter.emit(late.code['late.kind'], CTX_HW, 5);
    const { events } = drainAll(ring, control);

    expect(events).toMatchObject([{ kind: 'late.kind', v: 5 }]);
  });

  it('decodes a record of a kind this thread never declared as unknown, and counts it', () => {
    const ring = EventRing.create(4);
    const control = newControl();
    const code = declaredKindCode('elsewhere.only');
    publishRaw(ring, control, PROBE.code['probe.none'], []);
    publishRaw(ring, control, code, [1, -2, 3, 4, 5, 6, 7, 8]);
    publishRaw(ring, control, code, [9]);

    const { events, drain } = drainAll(ring, control);

    expect(events.map(({ time: _t, ...e }) => e)).toEqual([
      { seq: 0, actor: 'cpu0', context: 'process', kind: 'probe.none' },
      {
        seq: 1,
        actor: 'cpu0',
        context: 'process',
        kind: 'unknown',
        code,
        words: [1, -2, 3, 4, 5, 6, 7, 8],
      },
      {
        seq: 2,
        actor: 'cpu0',
        context: 'process',
        kind: 'unknown',
        code,
        words: [9, 0, 0, 0, 0, 0, 0, 0],
      },
    ]);
    expect([drain.deliveredCount(), drain.unknownCount()]).toEqual([3, 2]);
  });
});

describe('exporters with declared and unknown kinds', () => {
  const base = { seq: 4, time: 0.25, actor: 'cpu0', context: 'process' } as const;

  it('write a declared kind by name with its fields, and an unknown one with its words', () => {
    const xfer: DmaEvent = { ...base, kind: 'probe.xfer', chan: 1, len: 32, flags: 0 };
    const unknown: DmaEvent = {
      ...base,
      kind: 'unknown',
      code: 2000,
      words: [1, 2, 0, 0, 0, 0, 0, 0],
    };

    expect(JSON.parse(jsonLine(xfer))).toEqual(xfer);
    expect(JSON.parse(jsonLine(unknown))).toEqual(unknown);
  });

  it('draw a declared kind as a Chrome trace instant named after it', () => {
    let text = '';
    const trace = new ChromeTrace(
      {
        title: 't',
        actors: [{ name: 'cpu0', kind: 'engine' }],
        channels: [],
        irqs: [],
        tasklets: [],
        controlled: false,
      },
      (s) => (text += s),
    );
    trace.begin();
    trace.event({ ...base, kind: 'probe.xfer', chan: 1, len: 32, flags: 0 });
    trace.end();

    const records = (JSON.parse(text) as { traceEvents: { name: string; args: object }[] })
      .traceEvents;
    expect(records.find((r) => r.name === 'probe.xfer')?.args).toEqual({
      seq: 4,
      chan: 1,
      len: 32,
      flags: 0,
    });
  });
});

describe('declared kinds in worker threads', () => {
  const DEADLINE_MS = 10_000;
  const workers: Worker[] = [];

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  });

  /** Declares workerData.names, one defineEventKinds each, in order; posts the codes. */
  const DECLARER = `
    import { parentPort, workerData } from 'node:worker_threads';
    const { defineEventKinds } = await import(workerData.url);
    const codes = {};
    for (const n of workerData.names)
      Object.assign(codes, defineEventKinds('w-' + n, { [n]: { level: 0, fields: ['x'] } }).code);
    parentPort.postMessage(codes);
  `;

  function declareIn(names: string[]): Promise<Record<string, number>> {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(DECLARER)}`), {
      workerData: {
        url: new URL('../../dist/src/events/define-event-kinds.js', import.meta.url).href,
        names,
      },
    });
    workers.push(w);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker timed out')), DEADLINE_MS);
      w.once('message', (m: Record<string, number>) => {
        clearTimeout(timer);
        resolve(m);
      });
      w.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  it('get the same codes in every thread whatever order each declares them in', async () => {
    const names = ['thread.a', 'thread.b', 'thread.c', 'thread.d'];

    const [one, two] = await Promise.all([declareIn(names), declareIn([...names].reverse())]);

    expect(two).toEqual(one);
    expect(one).toEqual(Object.fromEntries(names.map((n) => [n, declaredKindCode(n)])));
  });
});
