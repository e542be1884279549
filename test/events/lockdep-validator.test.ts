import { describe, it, expect } from 'vitest';
import { concat, from, lastValueFrom, throwError, toArray } from 'rxjs';
import { LockdepState, lockdep } from '../../src/events/checkers/lockdep/validator.js';
import type { DmaEvent, DmaEventOf, EventContext } from '../../src/events/event.js';
import type { Violation } from '../../src/events/violation.js';
import { CHAN_LOCK_CLASS, VC_LOCK_CLASS, defineLockClass } from '../../src/kernel/lock-class.js';
import { SLEEPERS } from '../../src/kernel/might-sleep.js';

/** A lock instance: its id and its class. */
interface Lock {
  id: number;
  cls: number;
  name: string;
}

const CHAN_LOCK: Lock = { id: 0x0a04, cls: CHAN_LOCK_CLASS, name: '&chan->lock' };
const VC_LOCK: Lock = { id: 0x0a05, cls: VC_LOCK_CLASS, name: '&vc->lock' };
const A: Lock = { id: 0x101, cls: defineLockClass('test-A'), name: 'test-A' };
const B: Lock = { id: 0x102, cls: defineLockClass('test-B'), name: 'test-B' };
const C: Lock = { id: 0x103, cls: defineLockClass('test-C'), name: 'test-C' };
/** A second lock of class test-A (another instance, as another channel's lock). */
const A2: Lock = { id: 0x201, cls: A.cls, name: 'test-A' };

/** The interrupt state an acquisition records (what the simulator's Cpu reports). */
interface IrqState {
  hardirqsOn: 0 | 1;
  softirqsOn: 0 | 1;
}

/** spin_lock() in process context: irqs and bh on. */
const SPIN_LOCK: IrqState = { hardirqsOn: 1, softirqsOn: 1 };
/** spin_lock_bh() in process context: bh off. */
const SPIN_LOCK_BH: IrqState = { hardirqsOn: 1, softirqsOn: 0 };
/** spin_lock_irqsave() in process context: irqs off (bh still on). */
const IRQSAVE: IrqState = { hardirqsOn: 0, softirqsOn: 1 };
/** Any lock in softirq context (a tasklet): softirqs are off there. */
const IN_SOFTIRQ: IrqState = { hardirqsOn: 1, softirqsOn: 0 };
/** Any lock in hardirq context: both off. */
const IN_HARDIRQ: IrqState = { hardirqsOn: 0, softirqsOn: 0 };

/** Builds the events of one run, numbering them in order and tracking each actor's depth. */
function trace() {
  let seq = 0;
  const depth = new Map<string, number>();
  const base = (actor: string, context: EventContext) => {
    const s = seq++;
    return { seq: s, time: s / 4, actor, context };
  };
  return {
    acquire(
      actor: string,
      context: EventContext,
      lock: Lock,
      irqs: IrqState = context === 'softirq'
        ? IN_SOFTIRQ
        : context === 'hardirq'
          ? IN_HARDIRQ
          : SPIN_LOCK,
      lockKind = 0,
    ): DmaEvent {
      const d = depth.get(actor) ?? 0;
      depth.set(actor, d + 1);
      const e: DmaEventOf<'lock.acquire'> = {
        ...base(actor, context),
        kind: 'lock.acquire',
        lock: lock.id,
        lockClass: lock.cls,
        lockKind,
        ...irqs,
        depth: d,
      };
      return e;
    },
    release(actor: string, context: EventContext, lock: Lock): DmaEvent {
      depth.set(actor, (depth.get(actor) ?? 1) - 1);
      const e: DmaEventOf<'lock.release'> = {
        ...base(actor, context),
        kind: 'lock.release',
        lock: lock.id,
        lockClass: lock.cls,
        holdNs: 1000,
        waitNs: 0,
        held: 1,
      };
      return e;
    },
    mightSleep(
      actor: string,
      context: EventContext,
      what: (typeof SLEEPERS)[number],
      state = { inAtomic: 1, irqsDisabled: 0, preemptCount: 1 },
    ): DmaEvent {
      const e: DmaEventOf<'might_sleep'> = {
        ...base(actor, context),
        kind: 'might_sleep',
        what: SLEEPERS.indexOf(what),
        ...state,
        locksHeld: depth.get(actor) ?? 0,
      };
      return e;
    },
  };
}

/** Feeds `events` in order to one state; every violation, in order. */
function feedAll(events: readonly DmaEvent[], state = new LockdepState()): Violation[] {
  return events.flatMap((e) => state.feed(e));
}

/** The report's lines. */
function lines(v: Violation | undefined): string[] {
  expect(v?.report).toBeTypeOf('string');
  return (v!.report as string).split('\n');
}

/** `process` acquire + release of `lock` on `actor` (a lock used and put back). */
function takeAndDrop(
  t: ReturnType<typeof trace>,
  actor: string,
  context: EventContext,
  lock: Lock,
  irqs?: IrqState,
): DmaEvent[] {
  return [t.acquire(actor, context, lock, irqs), t.release(actor, context, lock)];
}

describe('LockdepState recursive locking', () => {
  it('reports the same lock taken twice on one CPU, with a print_deadlock_bug report', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', CHAN_LOCK),
      t.acquire('cpu0', 'process', CHAN_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'recursive-locking',
        lockClass: '&chan->lock',
        actor: 'cpu0',
        context: 'process',
        seq: 1,
        time: 0.25,
        message:
          'cpu0/process: possible recursive locking of &chan->lock (the same lock: a self-deadlock)',
      }),
    ]);
    const report = lines(violations[0]);
    expect(report.slice(0, 5)).toEqual([
      '='.repeat(44),
      'WARNING: possible recursive locking detected',
      '-'.repeat(44),
      'cpu0/process is trying to acquire lock:',
      'ffff888000000a04 (&chan->lock){+.+.}-{2:2}',
    ]);
    expect(report).toContain('but task is already holding lock:');
    expect(report).toContain(' May be due to missing lock nesting notation');
    expect(report.slice(-2)).toEqual([
      '1 lock held by cpu0/process:',
      ' #0: ffff888000000a04 (&chan->lock){+.+.}-{2:2}',
    ]);
  });

  it('reports two locks of one class as recursive, without calling it a self-deadlock', () => {
    const t = trace();
    const events = [t.acquire('cpu0', 'process', A), t.acquire('cpu0', 'process', A2)];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'recursive-locking',
        lockClass: 'test-A',
        message: 'cpu0/process: possible recursive locking of test-A',
      }),
    ]);
  });

  it('reports a class once, however often it recurses again', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', CHAN_LOCK),
      t.acquire('cpu0', 'process', CHAN_LOCK),
      t.release('cpu0', 'process', CHAN_LOCK),
      t.acquire('cpu0', 'process', CHAN_LOCK),
      t.acquire('cpu1', 'process', CHAN_LOCK),
      t.acquire('cpu1', 'process', CHAN_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([expect.objectContaining({ kind: 'recursive-locking', seq: 1 })]);
  });

  it('reports nothing for acquire, release, acquire on one CPU', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK),
      ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([]);
  });

  it('reports nothing for the same lock taken on two CPUs (that is contention)', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', CHAN_LOCK),
      t.acquire('cpu1', 'process', CHAN_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([]);
  });

  it('reports a softirq taking a lock its interrupted process context holds', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', VC_LOCK, IRQSAVE),
      t.acquire('cpu0', 'softirq', VC_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({ kind: 'recursive-locking', lockClass: '&vc->lock', seq: 1 }),
    ]);
  });
});

describe('LockdepState out-of-order release', () => {
  it('keeps the rest of the held stack when a lock in the middle is released', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.acquire('cpu0', 'process', C),
      t.release('cpu0', 'process', B),
      t.acquire('cpu0', 'process', C),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({ kind: 'recursive-locking', lockClass: 'test-C', seq: 4 }),
    ]);
    expect(lines(violations[0]).slice(-3)).toEqual([
      '2 locks held by cpu0/process:',
      ' #0: ffff888000000101 (test-A){+.+.}-{2:2}',
      ' #1: ffff888000000103 (test-C){+.+.}-{2:2}',
    ]);
  });

  it('forgets the released lock, so taking it again is not recursive', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.acquire('cpu0', 'process', C),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', C),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.acquire('cpu0', 'process', A),
    ];

    const violations = feedAll(events);

    // B again is clean; A is still held, so A again is recursive.
    expect(violations).toEqual([
      expect.objectContaining({ kind: 'recursive-locking', lockClass: 'test-A', seq: 7 }),
    ]);
  });
});

describe('LockdepState inconsistent lock state', () => {
  it('reports {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}: spin_lock in process, then in a softirq', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK, SPIN_LOCK),
      t.acquire('cpu1', 'softirq', CHAN_LOCK, IN_SOFTIRQ),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'inconsistent-lock-state',
        lockClass: '&chan->lock',
        from: 'SOFTIRQ-ON-W',
        to: 'IN-SOFTIRQ-W',
        actor: 'cpu1',
        context: 'softirq',
        seq: 2,
        message: 'cpu1/softirq: inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage of &chan->lock',
      }),
    ]);
    expect(lines(violations[0]).slice(0, 8)).toEqual([
      '='.repeat(32),
      'WARNING: inconsistent lock state',
      '-'.repeat(32),
      'inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.',
      'cpu1/softirq [HC0[0]:SC1[1]:HE1:SE0] takes:',
      'ffff888000000a04 (&chan->lock){+.?.}-{2:2}',
      '{SOFTIRQ-ON-W} state was registered at:',
      '  cpu0/process at event #0',
    ]);
  });

  it('reports {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}: in a softirq, then spin_lock in process', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'softirq', CHAN_LOCK, IN_SOFTIRQ),
      t.acquire('cpu0', 'process', CHAN_LOCK, SPIN_LOCK),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'inconsistent-lock-state',
        from: 'IN-SOFTIRQ-W',
        to: 'SOFTIRQ-ON-W',
        seq: 2,
      }),
    ]);
    expect(violations[0]!.report).toContain('inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.');
  });

  it('reports {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}: irqs on in process, then in a hardirq', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'process', VC_LOCK, SPIN_LOCK_BH),
      t.acquire('cpu0', 'hardirq', VC_LOCK, IN_HARDIRQ),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'inconsistent-lock-state',
        lockClass: '&vc->lock',
        from: 'HARDIRQ-ON-W',
        to: 'IN-HARDIRQ-W',
        seq: 2,
      }),
    ]);
    expect(violations[0]!.report).toContain('inconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.');
    expect(violations[0]!.report).toContain('cpu0/hardirq [HC1[1]:SC0[0]:HE0:SE0] takes:');
  });

  it('reports {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}: in a hardirq, then irqs on in process', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'hardirq', VC_LOCK, IN_HARDIRQ),
      t.acquire('cpu0', 'process', VC_LOCK, SPIN_LOCK_BH),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'inconsistent-lock-state',
        from: 'IN-HARDIRQ-W',
        to: 'HARDIRQ-ON-W',
        seq: 2,
      }),
    ]);
    expect(violations[0]!.report).toContain('inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.');
  });

  it('reports each pair of a class once', () => {
    const t = trace();
    const events = [
      ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK, SPIN_LOCK),
      ...takeAndDrop(t, 'cpu0', 'softirq', CHAN_LOCK, IN_SOFTIRQ),
      ...takeAndDrop(t, 'cpu1', 'process', CHAN_LOCK, SPIN_LOCK),
      ...takeAndDrop(t, 'cpu1', 'softirq', CHAN_LOCK, IN_SOFTIRQ),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({ kind: 'inconsistent-lock-state', to: 'IN-SOFTIRQ-W', seq: 2 }),
    ]);
  });

  // The safe prep API's fallback lock (§3 of kernel-semantics.md): which locking variant in
  // process context survives the lock also being taken by a callback in interrupt context.
  it.each([
    ['spin_lock_irqsave', IRQSAVE, 'softirq', []],
    ['spin_lock_irqsave', IRQSAVE, 'hardirq', []],
    ['spin_lock', SPIN_LOCK, 'softirq', [{ from: 'SOFTIRQ-ON-W', to: 'IN-SOFTIRQ-W' }]],
    ['spin_lock_bh', SPIN_LOCK_BH, 'softirq', []],
    ['spin_lock_bh', SPIN_LOCK_BH, 'hardirq', [{ from: 'HARDIRQ-ON-W', to: 'IN-HARDIRQ-W' }]],
  ] as const)(
    'finds %s in process plus a %s user: %j',
    (_variant, processIrqs, irqContext, expected) => {
      const t = trace();
      const events = [
        ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK, processIrqs),
        ...takeAndDrop(t, 'cpu1', irqContext, CHAN_LOCK),
      ];

      const violations = feedAll(events);

      expect(violations.map(({ kind, from, to }) => ({ kind, from, to }))).toEqual(
        expected.map((pair) => ({ kind: 'inconsistent-lock-state', ...pair })),
      );
    },
  );
});

describe('LockdepState circular locking', () => {
  it('reports A -> B on one CPU and B -> A on another, naming both classes', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', A),
      t.acquire('cpu1', 'process', B),
      t.acquire('cpu1', 'process', A),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({ kind: 'circular-locking', actor: 'cpu1', seq: 5 }),
    ]);
    // Held first, then the wanted class.
    expect(violations[0]!.chain).toEqual(['test-B', 'test-A']);
    const report = lines(violations[0]);
    expect(report.slice(0, 10)).toEqual([
      '='.repeat(54),
      'WARNING: possible circular locking dependency detected',
      '-'.repeat(54),
      'cpu1/process is trying to acquire lock:',
      'ffff888000000101 (test-A){+.+.}-{2:2}',
      '',
      'but task is already holding lock:',
      'ffff888000000102 (test-B){+.+.}-{2:2}',
      '',
      'which lock already depends on the new lock.',
    ]);
    expect(report).toEqual(
      expect.arrayContaining([
        '  lock(test-B);',
        '                               lock(test-A);',
        '                               lock(test-B);',
        '  lock(test-A);',
      ]),
    );
  });

  it('reports a pair once: the reverse order later is not a second report', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', A),
      t.acquire('cpu1', 'process', B),
      t.acquire('cpu1', 'process', A),
      t.release('cpu1', 'process', A),
      t.release('cpu1', 'process', B),
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.acquire('cpu2', 'process', B),
      t.acquire('cpu2', 'process', A),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([expect.objectContaining({ kind: 'circular-locking', seq: 5 })]);
  });

  it('finds a cycle through three classes: A -> B, B -> C, then C -> A', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', A),
      t.acquire('cpu1', 'process', B),
      t.acquire('cpu1', 'process', C),
      t.release('cpu1', 'process', C),
      t.release('cpu1', 'process', B),
      t.acquire('cpu2', 'process', C),
      t.acquire('cpu2', 'process', A),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({ kind: 'circular-locking', actor: 'cpu2', seq: 9 }),
    ]);
    // lockdep's order: the existing chain in reverse, from the held lock to the wanted one.
    expect(violations[0]!.chain).toEqual(['test-C', 'test-B', 'test-A']);
  });

  it('reports nothing for two CPUs taking A then B in the same order', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', A),
      t.acquire('cpu1', 'process', A),
      t.acquire('cpu1', 'process', B),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([]);
  });
});

describe('LockdepState sleep in atomic context', () => {
  it('reports a might_sleep event with a __might_resched report naming the sleeper', () => {
    const t = trace();
    const events = [
      t.acquire('cpu0', 'softirq', CHAN_LOCK),
      t.mightSleep('cpu0', 'softirq', 'mutex_lock', {
        inAtomic: 1,
        irqsDisabled: 0,
        preemptCount: 2,
      }),
    ];

    const violations = feedAll(events);

    expect(violations).toEqual([
      expect.objectContaining({
        kind: 'sleep-in-atomic',
        sleeper: 'mutex_lock',
        actor: 'cpu0',
        context: 'softirq',
        seq: 1,
        message:
          'cpu0/softirq: mutex_lock() called from invalid context (in_atomic 1, irqs_disabled 0, 1 locks held)',
      }),
    ]);
    expect(lines(violations[0])).toEqual([
      'BUG: sleeping function called from invalid context at mutex_lock',
      'in_atomic(): 1, irqs_disabled(): 0, non_block: 0, name: cpu0/softirq',
      'preempt_count: 2, expected: 0',
      '1 lock held by cpu0/softirq:',
      ' #0: ffff888000000a04 (&chan->lock){+.-.}-{2:2}',
    ]);
  });

  it('reports a sleeper once per context', () => {
    const t = trace();
    const events = [
      t.mightSleep('cpu0', 'softirq', 'dmaengine_terminate_sync'),
      t.mightSleep('cpu1', 'softirq', 'dmaengine_terminate_sync'),
      t.mightSleep('cpu0', 'hardirq', 'dmaengine_terminate_sync'),
      t.mightSleep('cpu0', 'softirq', 'msleep'),
    ];

    const violations = feedAll(events);

    expect(violations.map((v) => [v.sleeper, v.context, v.seq])).toEqual([
      ['dmaengine_terminate_sync', 'softirq', 0],
      ['dmaengine_terminate_sync', 'hardirq', 2],
      ['msleep', 'softirq', 3],
    ]);
  });

  it('names an unknown sleeper by its index', () => {
    const t = trace();
    const e = { ...t.mightSleep('cpu0', 'process', 'msleep'), what: 99 } as DmaEvent;

    const violations = feedAll([e]);

    expect(violations).toEqual([expect.objectContaining({ sleeper: 'sleeper#99' })]);
    expect(lines(violations[0])[0]).toBe(
      'BUG: sleeping function called from invalid context at sleeper#99',
    );
  });
});

describe('LockdepState other events', () => {
  it('ignores events that are not lock or might_sleep events', () => {
    const e = {
      seq: 0,
      time: 0,
      actor: 'cpu0',
      context: 'process',
      kind: 'lock.contended',
      lock: A.id,
      lockClass: A.cls,
      owner: 1,
    } as DmaEvent;

    const violations = new LockdepState().feed(e);

    expect(violations).toEqual([]);
  });
});

describe('lockdep', () => {
  /** A run with one violation of each kind. */
  function mixedRun(): DmaEvent[] {
    const t = trace();
    return [
      t.acquire('cpu0', 'process', A),
      t.acquire('cpu0', 'process', B),
      t.release('cpu0', 'process', B),
      t.release('cpu0', 'process', A),
      t.acquire('cpu1', 'process', B),
      t.acquire('cpu1', 'process', A),
      t.release('cpu1', 'process', A),
      t.release('cpu1', 'process', B),
      ...takeAndDrop(t, 'cpu0', 'process', CHAN_LOCK, SPIN_LOCK),
      t.acquire('cpu0', 'softirq', CHAN_LOCK),
      t.acquire('cpu0', 'softirq', CHAN_LOCK),
      t.mightSleep('cpu0', 'softirq', 'dmaengine_synchronize'),
    ];
  }

  it('emits what LockdepState.feed finds, in order, and completes', async () => {
    const events = mixedRun();
    const expected = feedAll(events);

    const violations = await lastValueFrom(from(events).pipe(lockdep(), toArray()));

    expect(expected.map((v) => v.kind)).toEqual([
      'circular-locking',
      'inconsistent-lock-state',
      'recursive-locking',
      'sleep-in-atomic',
    ]);
    expect(violations).toEqual(expected);
  });

  it('completes when its input completes', () => {
    let completed = false;
    const seen: Violation[] = [];

    from(mixedRun())
      .pipe(lockdep())
      .subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });

    expect([seen.length, completed]).toEqual([4, true]);
  });

  it('passes an error of its input on', async () => {
    const boom = new Error('ring overflow');

    const result = lastValueFrom(
      concat(
        from(mixedRun()),
        throwError(() => boom),
      ).pipe(lockdep()),
    );

    await expect(result).rejects.toBe(boom);
  });

  it('gives every subscription its own state', async () => {
    const events = mixedRun();
    const run$ = from(events).pipe(lockdep(), toArray());

    const first = await lastValueFrom(run$);
    const second = await lastValueFrom(run$);

    expect(second).toEqual(first);
  });
});
