import { describe, it, expect } from 'vitest';
import { ChromeTrace, type TraceLayout } from '../../src/events/exporters/chrome-trace.js';
import type { DmaEvent, DmaEventOf, EventBase, EventKind } from '../../src/events/event.js';
import { ApiPoint } from '../../src/sched/labels.js';
import { VC_LOCK_CLASS, CHAN_LOCK_CLASS } from '../../src/kernel/lock-class.js';
import { TASKLET_SOFTIRQ } from '../../src/kernel/interrupts.js';

/** One trace-event record as a viewer reads it. */
interface Rec {
  ph: string;
  tid?: number;
  ts?: number;
  name?: string;
  cat?: string;
  id?: number;
  s?: string;
  args?: Record<string, unknown>;
}

const LAYOUT: TraceLayout = {
  title: 'dmasim test (controlled, seed 1)',
  actors: [
    { name: 'cpu0', kind: 'cpu' },
    { name: 'cpu1', kind: 'cpu' },
    { name: 'dma0', kind: 'engine' },
  ],
  channels: ['dma0chan0', 'dma0chan1'],
  irqs: ['dma0chan0', 'dma0chan1'],
  tasklets: ['dma0chan0', 'dma0chan1'],
  controlled: true,
};

/** Runs `feed` on a trace and returns what a viewer parses from the whole file. */
function traced(feed: (t: ChromeTrace, ev: Ev) => void): Rec[] {
  let text = '';
  const trace = new ChromeTrace(LAYOUT, (s) => (text += s));
  let seq = 0;
  const ev: Ev = (kind, actor, time, fields) =>
    trace.event({
      seq: seq++,
      time,
      actor,
      context: 'process',
      kind,
      ...fields,
    } as unknown as DmaEvent);
  trace.begin();
  feed(trace, ev);
  trace.end();
  const parsed = JSON.parse(text) as { traceEvents: Rec[] };
  return parsed.traceEvents;
}

type Ev = <K extends EventKind>(
  kind: K,
  actor: string,
  time: number,
  fields: Omit<DmaEventOf<K>, keyof EventBase | 'kind'>,
) => void;

/** The B/E records of thread `tid` as `B name` / `E`. */
function slices(recs: Rec[], tid: number): string[] {
  return recs
    .filter((r) => r.tid === tid && (r.ph === 'B' || r.ph === 'E'))
    .map((r) => (r.ph === 'B' ? `B ${r.name}` : 'E'));
}

describe('ChromeTrace', () => {
  it('writes a traceEvents array naming the process and every actor thread', () => {
    const recs = traced(() => undefined);

    expect(recs.filter((r) => r.ph === 'M').map((r) => [r.name, r.tid, r.args])).toEqual([
      ['process_name', undefined, { name: 'dmasim test (controlled, seed 1)' }],
      ['thread_name', 1, { name: 'cpu0' }],
      ['thread_sort_index', 1, { sort_index: 0 }],
      ['thread_name', 2, { name: 'cpu1' }],
      ['thread_sort_index', 2, { sort_index: 1 }],
      ['thread_name', 3, { name: 'dma0' }],
      ['thread_sort_index', 3, { sort_index: 2 }],
    ]);
  });

  it('nests API calls, interrupts and callbacks over the process context of a CPU', () => {
    const submit = ApiPoint.dmaengine_submit;
    const recs = traced((_, ev) => {
      ev('api.entry', 'cpu0', 1, { api: submit });
      ev('irq_handler_entry', 'cpu0', 2, { irq: 1 });
      ev('irq_handler_exit', 'cpu0', 3, { irq: 1 });
      ev('softirq_entry', 'cpu0', 4, { vec: TASKLET_SOFTIRQ });
      ev('tasklet_entry', 'cpu0', 4, { tasklet: 1 });
      ev('callback.begin', 'cpu0', 5, { chan: 1, desc: 7, result: 0, residue: 0, gen: 2 });
      ev('callback.end', 'cpu0', 6, { chan: 1, desc: 7, gen: 2 });
      ev('tasklet_exit', 'cpu0', 6, { tasklet: 1 });
      ev('softirq_exit', 'cpu0', 6, { vec: TASKLET_SOFTIRQ });
      ev('api.exit', 'cpu0', 7, { api: submit });
    });

    expect(slices(recs, 1)).toEqual([
      'B process context',
      'B dmaengine_submit',
      'B irq/1-dma0chan1',
      'E',
      'B softirq TASKLET',
      'B tasklet dma0chan1',
      'B callback',
      'E',
      'E',
      'E',
      'E',
      'E',
    ]);
    expect(recs.filter((r) => r.ph === 'B').map((r) => r.cat)).toEqual([
      'process',
      'api',
      'hardirq',
      'softirq',
      'softirq',
      'callback',
    ]);
  });

  it('ends the slices opened on top of a lock released out of order and begins them again', () => {
    const recs = traced((_, ev) => {
      const lock = { lockKind: 0, hardirqsOn: 1, softirqsOn: 1 };
      ev('lock.acquire', 'cpu1', 1, { lock: 4, lockClass: CHAN_LOCK_CLASS, depth: 0, ...lock });
      ev('lock.acquire', 'cpu1', 2, { lock: 0, lockClass: VC_LOCK_CLASS, depth: 1, ...lock });
      ev('lock.release', 'cpu1', 3, {
        lock: 4,
        lockClass: CHAN_LOCK_CLASS,
        holdNs: 2,
        waitNs: 0,
        held: 1,
      });
      ev('lock.release', 'cpu1', 4, {
        lock: 0,
        lockClass: VC_LOCK_CLASS,
        holdNs: 2,
        waitNs: 0,
        held: 1,
      });
    });

    expect(slices(recs, 2)).toEqual([
      'B process context',
      'B &chan->lock',
      'B &vc->lock',
      'E',
      'E',
      'B &vc->lock',
      'E',
      'E',
    ]);
    expect(recs.filter((r) => r.ph === 'E' && r.tid === 2).map((r) => r.args)).toContainEqual({
      holdNs: 2,
      waitNs: 0,
    });
  });

  it('follows a descriptor from submit through the engine to its callback under one id', () => {
    const recs = traced((_, ev) => {
      ev('submit', 'cpu0', 1, { chan: 0, desc: 3, cookie: 2, gen: 5 });
      ev('engine.start', 'dma0', 2, { chan: 0, desc: 3, len: 64, gen: 5 });
      ev('engine.done', 'dma0', 3, { chan: 0, desc: 3, len: 64, corrupted: 0, gen: 5 });
      ev('callback.begin', 'cpu1', 4, { chan: 0, desc: 3, result: 0, residue: 0, gen: 5 });
      ev('callback.end', 'cpu1', 5, { chan: 0, desc: 3, gen: 5 });
    });

    const flow = recs.filter((r) => 'stf'.includes(r.ph) && r.cat === 'dma');
    expect(flow.map((r) => [r.ph, r.tid, r.id])).toEqual([
      ['s', 1, 1],
      ['t', 3, 1],
      ['t', 3, 1],
      ['f', 2, 1],
    ]);
    expect(slices(recs, 3)).toEqual(['B transfer dma0chan0', 'E']);
  });

  it('leaves out of a flow the steps of a reused slot of another generation', () => {
    const recs = traced((_, ev) => {
      ev('submit', 'cpu0', 1, { chan: 0, desc: 3, cookie: 2, gen: 5 });
      ev('engine.start', 'dma0', 2, { chan: 0, desc: 3, len: 64, gen: 6 });
      ev('callback.begin', 'cpu0', 4, { chan: 0, desc: 3, result: 0, residue: 0, gen: 6 });
      ev('submit', 'cpu0', 5, { chan: 0, desc: 3, cookie: 3, gen: 6 });
      ev('callback.begin', 'cpu0', 6, { chan: 0, desc: 3, result: 0, residue: 0, gen: 6 });
    });

    const flow = recs.filter((r) => 'stf'.includes(r.ph) && r.cat === 'dma');
    expect(flow.map((r) => [r.ph, r.id])).toEqual([
      ['s', 1],
      ['s', 2],
      ['f', 2],
    ]);
  });

  it("places a checker's violation on its actor at its time, the watchdog's globally at the end", () => {
    const recs = traced((trace, ev) => {
      ev('prep', 'cpu0', 1, {
        chan: 0,
        desc: 3,
        op: 1,
        len: 64,
        flags: 0,
        cfgGen: 1,
        srcAddr: 0,
        dstAddr: 0,
      });
      trace.violation({
        kind: 'config-prep-mismatch',
        message: 'm',
        actor: 'cpu0',
        seq: 0,
        time: 1,
      });
      ev('issue', 'cpu1', 9, { chan: 0, moved: 1 });
      trace.violation({ kind: 'deadlock', message: 'd', time: 12_345 });
    });

    const found = recs.filter((r) => r.cat === 'violation');
    expect(found.map((r) => [r.ph, r.name, r.tid, r.s, r.ts, r.args])).toEqual([
      ['i', 'config-prep-mismatch', 1, 't', 1000.002, { message: 'm', seq: 0 }],
      ['i', 'deadlock', undefined, 'g', 9000, { message: 'd' }],
    ]);
  });

  it('marks a context switch on the thread giving the token up and moves the token counter', () => {
    const recs = traced((_, ev) => {
      ev('sched_switch', 'cpu0', 1, { next: 2, nextIrq: 0, prevState: 2, label: 0 });
    });

    expect(recs.filter((r) => r.name === 'sched_switch').map((r) => [r.ph, r.tid, r.args])).toEqual(
      [['i', 1, { seq: 0, prev_state: 'S', next: 'dma0', label: 'actor.start' }]],
    );
    expect(recs.filter((r) => r.ph === 'C').map((r) => r.args)).toEqual([
      { cpu0: 1, cpu1: 0, dma0: 0 },
      { cpu0: 0, cpu1: 0, dma0: 1 },
    ]);
  });

  it('keeps the order of a thread when its clock stands still, 1 ns apart', () => {
    const recs = traced((_, ev) => {
      ev('issue', 'cpu0', 0.005, { chan: 0, moved: 1 });
      ev('issue', 'cpu0', 0.005, { chan: 0, moved: 2 });
    });

    expect(recs.filter((r) => r.tid === 1 && r.ph !== 'M').map((r) => [r.ph, r.ts])).toEqual([
      ['B', 5],
      ['i', 5.001],
      ['i', 5.002],
      ['E', 5.003],
    ]);
  });

  it('ends the slices a run left open at the last event', () => {
    const recs = traced((_, ev) => {
      ev('api.entry', 'cpu0', 1, { api: ApiPoint.dma_async_issue_pending });
      ev('issue', 'cpu1', 4, { chan: 0, moved: 0 });
    });

    const cpu0 = recs.filter((r) => r.tid === 1 && r.ph !== 'M');
    expect(cpu0.map((r) => [r.ph, r.name, r.ts])).toEqual([
      ['B', 'process context', 1000],
      ['B', 'dma_async_issue_pending', 1000.001],
      ['E', undefined, 4000],
      ['E', undefined, 4000],
    ]);
  });
});
