import { CPU, HeldState, MAX_HELD_LOCKS } from '../shm/cpu-struct.js';
import { ACTOR, STAT, WaitKind } from '../shm/control-block.js';
import { currentActor, thisCpu } from './current.js';
import type { Cpu } from './cpu.js';
import { EventCode } from '../events/kinds.js';
import { Point } from '../sched/labels.js';
import { WaitFlag, WaitOp, type WordRef, wordRef } from '../sched/wait-spec.js';

/** Set in a lock word while some CPU sleeps on it. */
const WAITERS = 0x40000000;

/** How a lock was taken (the `kind` of lock events). */
export const LockKind = { SPIN: 0, SPIN_BH: 1, SPIN_IRQ: 2, MUTEX: 3 } as const;

/**
 * A kernel lock word in shared memory: 0 when free, else the owner CPU + 1 (plus WAITERS).
 * `id` names the instance, `classId` its lockdep class (see lock-class.ts).
 */
export class KSpinlock {
  private ref: WordRef | null = null;

  constructor(
    readonly words: Int32Array,
    readonly index: number,
    readonly id: number,
    readonly classId: number,
  ) {}

  /** The lock word as a wait condition names it (found once, among `views`). */
  waitRef(views: readonly Int32Array[]): WordRef {
    return (this.ref ??= wordRef(views, this.words, this.index));
  }

  /** Owner CPU, or -1 when free. */
  owner(): number {
    return (Atomics.load(this.words, this.index) & ~WAITERS) - 1;
  }
}

/** Wakes the CPUs blocked on `lock`'s word (its release saw WAITERS). */
function wakeLockWaiters(cpu: Cpu, lock: KSpinlock): void {
  const ref = lock.waitRef(cpu.machine.waitBuffers);
  cpu.schedView.wakeWaitersOn(ref.buf, ref.index);
}

/**
 * lock_acquire() + the arch lock: records the acquisition (before spinning, as lockdep
 * does, so a CPU that deadlocks on itself is still seen), takes the word, then pushes the
 * lock on the CPU's held stack with the state it was taken in.
 */
export function lockAcquire(cpu: Cpu, lock: KSpinlock, kind: number, sleeping: boolean): void {
  const cw = cpu.w;
  const b = cpu.base;
  const hardOn = cpu.hardirqsOn();
  const softOn = cpu.softirqsOn();
  const depth = cw[b + CPU.HELD_COUNT]!;
  const emitter = currentActor().emitter;
  const traced = emitter.on(EventCode['lock.acquire']);
  if (traced) {
    emitter.emit(
      EventCode['lock.acquire'],
      cpu.context(),
      lock.id,
      lock.classId,
      kind,
      hardOn ? 1 : 0,
      softOn ? 1 : 0,
      depth,
    );
  }
  const me = cpu.id + 1;
  let waited = 0;
  if (Atomics.compareExchange(lock.words, lock.index, 0, me) !== 0) {
    const t0 = cpu.sched.clock.now();
    contended(cpu, lock, me, sleeping);
    waited = cpu.sched.clock.now() - t0;
  }
  if (depth < MAX_HELD_LOCKS) {
    cw[b + CPU.HELD + depth] = lock.id;
    cw[b + CPU.HELD_CLASS + depth] = lock.classId;
    cw[b + CPU.HELD_STATE + depth] =
      cpu.context() | (hardOn ? HeldState.HARDIRQS_ON : 0) | (softOn ? HeldState.SOFTIRQS_ON : 0);
    cpu.heldSince[depth] = traced ? cpu.sched.clock.now() : 0;
    cpu.heldWait[depth] = waited;
  }
  cw[b + CPU.HELD_COUNT] = depth + 1;
  // The section takes time: other CPUs (and, with irqs on, an interrupt here) run meanwhile.
  cpu.point(Point['lock.acquired']);
}

/**
 * The slow path: wait until the word is free, then take it. A CPU waiting for a lock with
 * interrupts on takes them meanwhile, as Linux does (an interrupt on a spinning CPU, or on
 * one whose task sleeps on a mutex); the scheduler decides how long it spins before it
 * sleeps. The lock word is the wait's condition, so in a controlled run the waiter can run
 * again exactly when the word is free.
 */
function contended(cpu: Cpu, lock: KSpinlock, me: number, sleeping: boolean): void {
  const w = lock.words;
  const i = lock.index;
  const m = cpu.machine;
  const sched = cpu.sched;
  const ab = m.actorBase(cpu.actorIndex);
  const aw = m.actorWords;
  m.stats[m.statBase(cpu.actorIndex) + STAT.CONTENDED]!++;
  const emitter = currentActor().emitter;
  if (emitter.on(EventCode['lock.contended'])) {
    emitter.emit(EventCode['lock.contended'], cpu.context(), lock.id, lock.classId, lock.owner());
  }
  const ref = lock.waitRef(m.waitBuffers);
  // Once we have waited we take the word with WAITERS set (Drepper's mutex3): other
  // waiters may remain, and our release must wake them.
  let take = me;
  try {
    for (;;) {
      if (Atomics.load(w, i) === 0 && Atomics.compareExchange(w, i, 0, take) === 0) return;
      const seen = sched.prepareWait();
      const v = Atomics.load(w, i);
      if (v === 0) continue;
      // The watchdog's wait-for graph: who waits on which lock, and who held it last we
      // looked. Written at every round: a lock wait in an interrupt taken here clears it.
      aw[ab + ACTOR.WAIT_INDEX] = lock.id;
      aw[ab + ACTOR.WAIT_CLASS] = lock.classId;
      Atomics.store(aw, ab + ACTOR.WAIT_OWNER, (v & ~WAITERS) - 1);
      Atomics.store(aw, ab + ACTOR.WAIT_KIND, sleeping ? WaitKind.MUTEX : WaitKind.SPINLOCK);
      // Mark a waiter before blocking; the owner's release sees WAITERS and wakes us.
      if ((v & WAITERS) === 0 && Atomics.compareExchange(w, i, v, v | WAITERS) !== v) continue;
      sched.block(
        Point['lock.wait'],
        WaitFlag.INTERRUPTIBLE,
        Infinity,
        seen,
        ref.buf,
        ref.index,
        WaitOp.EQ,
        0,
      );
      take = me | WAITERS;
    }
  } finally {
    sched.finishWait();
    Atomics.store(aw, ab + ACTOR.WAIT_KIND, WaitKind.NONE);
  }
}

/** lock_release() + the arch unlock: pops the lock (wherever it is on the stack), frees the word. */
export function lockRelease(cpu: Cpu, lock: KSpinlock): void {
  const cw = cpu.w;
  const b = cpu.base;
  const depth = cw[b + CPU.HELD_COUNT]!;
  let k = Math.min(depth, MAX_HELD_LOCKS) - 1;
  while (k >= 0 && cw[b + CPU.HELD + k] !== lock.id) k--;
  const emitter = currentActor().emitter;
  if (emitter.on(EventCode['lock.release'])) {
    const hold = k >= 0 && cpu.heldSince[k]! > 0 ? cpu.sched.clock.now() - cpu.heldSince[k]! : 0;
    const wait = k >= 0 ? cpu.heldWait[k]! : 0;
    emitter.emit(
      EventCode['lock.release'],
      cpu.context(),
      lock.id,
      lock.classId,
      Math.round(hold * 1e6),
      Math.round(wait * 1e6),
      k >= 0 ? 1 : 0,
    );
  }
  if (k >= 0) {
    for (let j = k; j < Math.min(depth, MAX_HELD_LOCKS) - 1; j++) {
      cw[b + CPU.HELD + j] = cw[b + CPU.HELD + j + 1]!;
      cw[b + CPU.HELD_CLASS + j] = cw[b + CPU.HELD_CLASS + j + 1]!;
      cw[b + CPU.HELD_STATE + j] = cw[b + CPU.HELD_STATE + j + 1]!;
      cpu.heldSince[j] = cpu.heldSince[j + 1]!;
      cpu.heldWait[j] = cpu.heldWait[j + 1]!;
    }
    cw[b + CPU.HELD_COUNT] = depth - 1;
  }
  if (Atomics.exchange(lock.words, lock.index, 0) & WAITERS) wakeLockWaiters(cpu, lock);
}

/** spin_lock(): preemption point, preemption off, then acquire. Interrupts stay enabled. */
export function spinLock(lock: KSpinlock): void {
  const cpu = thisCpu();
  cpu.point(Point.spin_lock);
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!++;
  lockAcquire(cpu, lock, LockKind.SPIN, false);
}

/** spin_unlock(): release, preemption back on, then a preemption point. */
export function spinUnlock(lock: KSpinlock): void {
  const cpu = thisCpu();
  lockRelease(cpu, lock);
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!--;
  cpu.point(Point.spin_unlock);
}

/** spin_lock_irqsave(): disables local interrupts, then acquires. @returns flags */
export function spinLockIrqsave(lock: KSpinlock): number {
  const cpu = thisCpu();
  cpu.point(Point.spin_lock);
  const flags = cpu.localIrqSave();
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!++;
  lockAcquire(cpu, lock, LockKind.SPIN_IRQ, false);
  return flags;
}

/** spin_unlock_irqrestore(): releases, then restores the interrupt state (taking what is pending). */
export function spinUnlockIrqrestore(lock: KSpinlock, flags: number): void {
  const cpu = thisCpu();
  lockRelease(cpu, lock);
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!--;
  cpu.localIrqRestore(flags);
}

/** spin_lock_irq(). */
export function spinLockIrq(lock: KSpinlock): void {
  spinLockIrqsave(lock);
}

/** spin_unlock_irq(): unconditionally re-enables interrupts. */
export function spinUnlockIrq(lock: KSpinlock): void {
  spinUnlockIrqrestore(lock, 0);
}

/** spin_lock_bh(): disables softirqs, then acquires. */
export function spinLockBh(lock: KSpinlock): void {
  const cpu = thisCpu();
  cpu.point(Point.spin_lock);
  cpu.localBhDisable();
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!++;
  lockAcquire(cpu, lock, LockKind.SPIN_BH, false);
}

/** spin_unlock_bh(). */
export function spinUnlockBh(lock: KSpinlock): void {
  const cpu = thisCpu();
  lockRelease(cpu, lock);
  cpu.w[cpu.base + CPU.PREEMPT_COUNT]!--;
  cpu.localBhEnable();
}
