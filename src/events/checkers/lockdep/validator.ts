import { Observable, type OperatorFunction } from 'rxjs';
import type { DmaEvent, DmaEventOf } from '../../event.js';
import type { Violation } from '../../violation.js';
import { lockClassName } from '../../../kernel/lock-class.js';
import { SLEEPERS } from '../../../kernel/might-sleep.js';
import { USAGE_NAMES, exclusiveBit, usageOf } from './usage.js';
import {
  circularReport,
  inconsistentReport,
  recursiveReport,
  sleepReport,
  type LockRef,
} from './report.js';

interface Held extends LockRef {
  context: string;
}

interface ClassState {
  usage: number;
  /** Where each usage bit was first registered. */
  where: Map<number, string>;
}

/**
 * The lockdep-style validator's state, fed the run's events in order: the held-lock stack of
 * every CPU (interrupt contexts push on the stack of the CPU they interrupt, as lockdep's
 * per-task held_locks), the usage bits of every lock class, and the class dependency graph.
 * Each finding is reported once per class (or class pair), as lockdep reports once.
 */
export class LockdepState {
  private readonly stacks = new Map<string, Held[]>();
  private readonly classes = new Map<number, ClassState>();
  private readonly after = new Map<number, Set<number>>();
  private readonly reported = new Set<string>();

  /** The violations `e` reveals. */
  feed(e: DmaEvent): Violation[] {
    switch (e.kind) {
      case 'lock.acquire':
        return this.acquire(e);
      case 'lock.release':
        this.release(e);
        return [];
      case 'might_sleep':
        return this.mightSleep(e);
      default:
        return [];
    }
  }

  private stack(actor: string): Held[] {
    let s = this.stacks.get(actor);
    if (!s) this.stacks.set(actor, (s = []));
    return s;
  }

  private cls(id: number): ClassState {
    let c = this.classes.get(id);
    if (!c) this.classes.set(id, (c = { usage: 0, where: new Map() }));
    return c;
  }

  private refs(held: readonly Held[]): LockRef[] {
    return held.map((h) => ({ ...h, usage: this.cls(h.lockClass).usage }));
  }

  private once(key: string): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    return true;
  }

  private base(e: DmaEvent): Pick<Violation, 'actor' | 'seq' | 'time'> & { context: string } {
    return { actor: e.actor, seq: e.seq, time: e.time, context: e.context };
  }

  private acquire(e: DmaEventOf<'lock.acquire'>): Violation[] {
    const out: Violation[] = [];
    const held = this.stack(e.actor);
    const task = `${e.actor}/${e.context}`;
    const name = lockClassName(e.lockClass);
    const cls = this.cls(e.lockClass);
    const want: Held = {
      lock: e.lock,
      lockClass: e.lockClass,
      lockKind: e.lockKind,
      usage: cls.usage,
      context: e.context,
    };

    const same = held.find((h) => h.lockClass === e.lockClass);
    if (same && this.once(`recursive:${e.lockClass}`)) {
      out.push({
        kind: 'recursive-locking',
        message: `${task}: possible recursive locking of ${name}${same.lock === e.lock ? ' (the same lock: a self-deadlock)' : ''}`,
        report: recursiveReport(
          task,
          { ...want, usage: cls.usage },
          { ...same, usage: cls.usage },
          this.refs(held),
        ),
        lockClass: name,
        ...this.base(e),
      });
    }

    for (const h of held) {
      if (h.lockClass === e.lockClass) continue;
      let next = this.after.get(h.lockClass);
      // Like lockdep's check_prev_add(): a dependency already in the graph was validated
      // when it was added; only a new one needs the search for a path back.
      if (next?.has(e.lockClass)) continue;
      const chain = this.path(e.lockClass, h.lockClass);
      const pair =
        h.lockClass < e.lockClass
          ? `${h.lockClass}:${e.lockClass}`
          : `${e.lockClass}:${h.lockClass}`;
      if (chain && this.once(`circular:${pair}`)) {
        // The existing dependency chain in reverse order, as lockdep prints it: from the
        // held lock (#n) down to the lock being acquired (#0).
        const names = [...chain].reverse().map(lockClassName);
        out.push({
          kind: 'circular-locking',
          message: `${task}: acquiring ${name} while holding ${names[0]}, but ${[...names].reverse().join(' -> ')} was seen before`,
          report: circularReport(
            task,
            { ...want, usage: cls.usage },
            { ...h, usage: this.cls(h.lockClass).usage },
            names,
            this.refs(held),
          ),
          chain: names,
          ...this.base(e),
        });
      }
      if (!next) this.after.set(h.lockClass, (next = new Set()));
      next.add(e.lockClass);
    }

    const bits = usageOf(e.context, e.hardirqsOn === 1, e.softirqsOn === 1);
    for (let bit = 1; bit <= 8 && (bits & ~cls.usage) !== 0; bit <<= 1) {
      if ((bits & bit) === 0 || (cls.usage & bit) !== 0) continue;
      const excl = exclusiveBit(bit);
      cls.usage |= bit;
      cls.where.set(bit, `${task} at event #${e.seq}`);
      if (
        (cls.usage & excl) !== 0 &&
        this.once(`inconsistent:${e.lockClass}:${Math.min(bit, excl)}`)
      ) {
        const from = USAGE_NAMES[excl]!;
        const to = USAGE_NAMES[bit]!;
        out.push({
          kind: 'inconsistent-lock-state',
          message: `${task}: inconsistent {${from}} -> {${to}} usage of ${name}`,
          report: inconsistentReport(
            task,
            {
              hardirq: e.context === 'hardirq' ? 1 : 0,
              softirq: e.context === 'softirq' ? 1 : 0,
              hardirqsOn: e.hardirqsOn === 1,
              softirqsOn: e.softirqsOn === 1,
            },
            { ...want, usage: cls.usage },
            from,
            to,
            cls.where.get(excl) ?? '?',
            this.refs(held),
          ),
          lockClass: name,
          from,
          to,
          ...this.base(e),
        });
      }
    }
    held.push(want);
    return out;
  }

  /** A path of classes from `from` to `to` in the dependency graph, or null. */
  private path(from: number, to: number): number[] | null {
    const prev = new Map<number, number>([[from, from]]);
    const queue = [from];
    while (queue.length > 0) {
      const c = queue.shift()!;
      if (c === to) {
        const chain = [c];
        for (let x = c; x !== from;) chain.unshift((x = prev.get(x)!));
        return chain;
      }
      for (const n of this.after.get(c) ?? []) {
        if (!prev.has(n)) {
          prev.set(n, c);
          queue.push(n);
        }
      }
    }
    return null;
  }

  private release(e: DmaEventOf<'lock.release'>): void {
    const held = this.stack(e.actor);
    for (let k = held.length - 1; k >= 0; k--) {
      if (held[k]!.lock === e.lock) {
        held.splice(k, 1);
        return;
      }
    }
  }

  private mightSleep(e: DmaEventOf<'might_sleep'>): Violation[] {
    const what = SLEEPERS[e.what] ?? `sleeper#${e.what}`;
    const task = `${e.actor}/${e.context}`;
    if (!this.once(`sleep:${what}:${e.context}`)) return [];
    return [
      {
        kind: 'sleep-in-atomic',
        message: `${task}: ${what}() called from invalid context (in_atomic ${e.inAtomic}, irqs_disabled ${e.irqsDisabled}, ${e.locksHeld} locks held)`,
        report: sleepReport(
          task,
          what,
          {
            inAtomic: e.inAtomic === 1,
            irqsDisabled: e.irqsDisabled === 1,
            preemptCount: e.preemptCount,
          },
          this.refs(this.stack(e.actor)),
        ),
        sleeper: what,
        ...this.base(e),
      },
    ];
  }
}

/**
 * The lockdep-style validator as an RxJS operator: `recursive-locking`,
 * `inconsistent-lock-state`, `circular-locking` and `sleep-in-atomic`, each with a
 * kernel-style report. It needs the run's lock events (`--lockdep`).
 */
export function lockdep(): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    new Observable<Violation>((sub) => {
      const state = new LockdepState();
      return events$.subscribe({
        next: (e) => {
          for (const v of state.feed(e)) sub.next(v);
        },
        error: (err: unknown) => sub.error(err),
        complete: () => sub.complete(),
      });
    });
}

/** The checkers a run with lockdep on adds. */
export function lockdepCheckers(): OperatorFunction<DmaEvent, Violation>[] {
  return [lockdep()];
}
