import type { DmaEvent } from '../event.js';
import type { Violation } from '../violation.js';
import { registeredKinds } from '../kind-registry.js';
import { pointName } from '../../sched/labels.js';
import { lockClassName } from '../../kernel/lock-class.js';
import { SOFTIRQ_NAMES } from '../../kernel/interrupts.js';
import { counter, globalInstant, jsonText, metadata, nameCat } from './trace-event.js';
import { toNs, usText } from './time-text.js';
import { TraceThread } from './trace-thread.js';
import { DescriptorFlows } from './descriptor-flows.js';
import { payloadText } from './payload-text.js';

/** What the exporter needs to know of the machine. */
export interface TraceLayout {
  /** The process's name: scenario, mode, seed. */
  title: string;
  /** Actors in index order (each one thread). */
  actors: readonly { name: string; kind: 'cpu' | 'engine' | 'peripheral' }[];
  /** Channel names by global channel index (`dma0chan1`). */
  channels: readonly string[];
  /** Interrupt line names by line (`dma0chan1`, `fifo0`). */
  irqs: readonly string[];
  /** Tasklet names by tasklet. */
  tasklets: readonly string[];
  /** Controlled run: time is virtual and the token moves (sched_switch). */
  controlled: boolean;
}

/** sched_switch prev_state as the kernel prints it, by ActorSchedState. */
const PREV_STATE = ['R', 'R+', 'S', 'X'];

/** Instants of the kinds drawn as nothing else, by kind (others' made when first met). */
const EVENT_WHAT = new Map<string, string>(
  registeredKinds().map((k) => [k.name, nameCat(k.name, 'event')]),
);
const PROCESS = nameCat('process context', 'process');
const CALLBACK = nameCat('callback', 'callback');
const SCHED_SWITCH = nameCat('sched_switch', 'sched');
const TOKEN = jsonText('token');

/**
 * Turns a run's event stream into Chrome trace-event JSON, written as it goes: one thread
 * per actor; duration slices for a CPU's process context, its hardirq handlers, softirqs
 * and tasklets, consumer API calls, completion callbacks and lock holds, and for each
 * transfer an engine moves; flows that follow each descriptor from submit through the
 * engine to its callback; instants for every other event, for violations and for a
 * controlled run's context switches (with a `token` counter per actor). Slices still open
 * at the end (a deadlock's lock waits) end at the last event's time.
 */
export class ChromeTrace {
  private readonly threads: TraceThread[];
  private readonly byName = new Map<string, TraceThread>();
  private readonly cpu: readonly boolean[];
  private readonly flows = new DescriptorFlows();
  /** What each slice is (see nameCat), made once: by API label, channel, lock class. */
  private readonly apiWhat: string[] = [];
  private readonly lockWhat = new Map<number, string>();
  private readonly softirqWhat: string[] = [];
  private readonly irqWhat: readonly string[];
  private readonly taskletWhat: readonly string[];
  private readonly transferWhat: readonly string[];
  private lastMs = 0;
  private started = false;

  /** @param write receives the JSON text in order, piece by piece */
  constructor(
    private readonly layout: TraceLayout,
    private readonly write: (text: string) => void,
  ) {
    this.threads = layout.actors.map((_, i) => new TraceThread(i + 1, write));
    layout.actors.forEach((a, i) => this.byName.set(a.name, this.threads[i]!));
    this.cpu = layout.actors.map((a) => a.kind === 'cpu');
    const chans = layout.channels;
    this.irqWhat = layout.irqs.map((c, i) => nameCat(`irq/${i}-${c}`, 'hardirq'));
    this.taskletWhat = layout.tasklets.map((c) => nameCat(`tasklet ${c}`, 'softirq'));
    this.transferWhat = chans.map((c) => nameCat(`transfer ${c}`, 'hw'));
  }

  /** Writes the head of the file: the process and thread names. */
  begin(): void {
    const name = metadata('process_name', null, `{"name":${jsonText(this.layout.title)}}`);
    // The first record without its separator.
    this.write(`{"traceEvents":[\n${name.slice(2)}`);
    this.layout.actors.forEach((a, i) => {
      this.write(metadata('thread_name', i + 1, `{"name":${jsonText(a.name)}}`));
      this.write(metadata('thread_sort_index', i + 1, `{"sort_index":${i}}`));
    });
  }

  /** Adds one event (in sequence order). */
  event(e: DmaEvent): void {
    const t = this.byName.get(e.actor);
    if (t === undefined) return;
    if (e.time > this.lastMs) this.lastMs = e.time;
    if (!this.started) {
      this.started = true;
      // A controlled run starts with the token at its first event's actor.
      if (this.layout.controlled)
        this.write(counter(usText(toNs(e.time)), TOKEN, this.token(t.tid)));
    }
    if (this.cpu[t.tid - 1] === true && t.idle()) {
      t.open(t.ts(e.time), 'process', 0, PROCESS, '{}');
    }
    const ts = t.ts(e.time);
    switch (e.kind) {
      case 'api.entry':
        return t.open(ts, 'api', e.api, this.api(e.api), '{}');
      case 'api.exit':
        return t.close(ts, 'api', e.api, '{}');
      case 'irq_handler_entry': {
        const what = this.irqWhat[e.irq] ?? nameCat(`irq/${e.irq}`, 'hardirq');
        return t.open(ts, 'hardirq', e.irq, what, `{"irq":${e.irq}}`);
      }
      case 'irq_handler_exit':
        return t.close(ts, 'hardirq', e.irq, '{}');
      case 'softirq_entry':
        return t.open(ts, 'softirq', e.vec, this.softirq(e.vec), `{"vec":${e.vec}}`);
      case 'softirq_exit':
        return t.close(ts, 'softirq', e.vec, '{}');
      case 'tasklet_entry':
        return t.open(ts, 'tasklet', e.tasklet, this.onChan(this.taskletWhat, e.tasklet), '{}');
      case 'tasklet_exit':
        return t.close(ts, 'tasklet', e.tasklet, '{}');
      case 'callback.begin':
        t.open(
          ts,
          'callback',
          e.desc,
          CALLBACK,
          `{"chan":${e.chan},"desc":${e.desc},"gen":${e.gen},"result":${e.result},"residue":${e.residue}}`,
        );
        return this.flows.end(t, ts, e.desc, e.gen);
      case 'callback.end':
        return t.close(ts, 'callback', e.desc, '{}');
      case 'lock.acquire':
        return t.open(
          ts,
          'lock',
          e.lock,
          this.lock(e.lockClass),
          `{"lock":${e.lock},"lockKind":${e.lockKind},"depth":${e.depth},"hardirqsOn":${e.hardirqsOn},"softirqsOn":${e.softirqsOn}}`,
        );
      case 'lock.release':
        return t.close(ts, 'lock', e.lock, `{"holdNs":${e.holdNs},"waitNs":${e.waitNs}}`);
      case 'engine.start':
        t.open(
          ts,
          'hw',
          e.desc,
          this.onChan(this.transferWhat, e.chan),
          `{"desc":${e.desc},"gen":${e.gen},"len":${e.len}}`,
        );
        return this.flows.step(t, ts, e.desc, e.gen);
      case 'engine.done':
        this.flows.step(t, ts, e.desc, e.gen);
        return t.close(ts, 'hw', e.desc, `{"moved":${e.len},"corrupted":${e.corrupted}}`);
      case 'submit':
        this.generic(t, ts, e);
        return this.flows.start(t, ts, e.desc, e.gen);
      case 'sched_switch': {
        const args = JSON.stringify({
          seq: e.seq,
          prev_state: PREV_STATE[e.prevState] ?? e.prevState,
          next: this.layout.actors[e.next]?.name ?? e.next,
          label: pointName(e.label),
        });
        t.instant(ts, SCHED_SWITCH, args);
        return this.write(counter(ts, TOKEN, this.token(e.next + 1)));
      }
      default:
        return this.generic(t, ts, e);
    }
  }

  /** Adds a violation as an instant on its actor's thread (global if it has none). */
  violation(v: Violation): void {
    const t = v.actor === undefined ? undefined : this.byName.get(v.actor);
    // Checkers' findings carry their event's time; the watchdog's belong at the end.
    const ms = v.seq !== undefined && v.time !== undefined ? v.time : this.lastMs;
    const args = JSON.stringify({ message: v.message, seq: v.seq });
    const what = nameCat(v.kind, 'violation');
    if (t !== undefined) t.instant(t.ts(ms), what, args);
    else this.write(globalInstant(usText(toNs(ms)), what, args));
  }

  /** Ends every open slice at the last event's time and writes the tail of the file. */
  end(): void {
    for (const t of this.threads) t.closeAll(t.ts(this.lastMs));
    const other = JSON.stringify({
      title: this.layout.title,
      clock: this.layout.controlled ? 'virtual' : 'wall',
    });
    this.write(`\n],"displayTimeUnit":"ns","otherData":${other}}\n`);
  }

  /** An instant of any other kind, its sequence number and payload as args. */
  private generic(t: TraceThread, ts: string, e: DmaEvent): void {
    let what = EVENT_WHAT.get(e.kind);
    if (what === undefined) EVENT_WHAT.set(e.kind, (what = nameCat(e.kind, 'event')));
    t.instant(ts, what, `{"seq":${e.seq}${payloadText(e)}}`);
  }

  /** `token` counter args: 1 for the thread holding the token, 0 for the others. */
  private token(tid: number): string {
    const series = this.layout.actors.map((a, i) => `${jsonText(a.name)}:${i + 1 === tid ? 1 : 0}`);
    return `{${series.join(',')}}`;
  }

  private api(label: number): string {
    return (this.apiWhat[label] ??= nameCat(pointName(label), 'api'));
  }

  private softirq(vec: number): string {
    return (this.softirqWhat[vec] ??= nameCat(`softirq ${SOFTIRQ_NAMES[vec] ?? vec}`, 'softirq'));
  }

  private lock(lockClass: number): string {
    let what = this.lockWhat.get(lockClass);
    if (what === undefined)
      this.lockWhat.set(lockClass, (what = nameCat(lockClassName(lockClass), 'lock')));
    return what;
  }

  private onChan(what: readonly string[], chan: number): string {
    return what[chan] ?? nameCat(`chan${chan}`, 'hw');
  }
}
