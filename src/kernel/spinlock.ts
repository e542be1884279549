import { CPU, MAX_HELD_LOCKS } from '../shm/cpu-struct.js';
import { thisCpu } from './current.js';
import type { Cpu } from './cpu.js';
import { SPIN_LOADS, WAIT_SLICE_MS } from './raw-lock.js';

/** Set in a lock word while some CPU sleeps on it. */
const WAITERS = 0x40000000;

/**
 * A kernel spinlock in shared memory: the word holds 0 when free, else the owner CPU + 1
 * (plus WAITERS). `id` names the lock instance and `className` its lockdep class
 * (`&vc->lock`, `&chan->lock`).
 */
export class KSpinlock {
  constructor(
    readonly words: Int32Array,
    readonly index: number,
    readonly id: number,
    readonly className: string,
  ) {}

  /** Owner CPU, or -1 when free. */
  owner(): number {
    return (Atomics.load(this.words, this.index) & ~WAITERS) - 1;
  }
}

function acquire(cpu: Cpu, lock: KSpinlock): void {
  const w = lock.words;
  const i = lock.index;
  const me = cpu.id + 1;
  if (Atomics.compareExchange(w, i, 0, me) !== 0) {
    contended(cpu, lock, me);
  }
  const cw = cpu.w;
  const held = cw[cpu.base + CPU.HELD_COUNT]!;
  if (held < MAX_HELD_LOCKS) cw[cpu.base + CPU.HELD + held] = lock.id;
  cw[cpu.base + CPU.HELD_COUNT] = held + 1;
}

/** The slow path: spin on loads, then sleep on the word until the owner releases it. */
function contended(cpu: Cpu, lock: KSpinlock, me: number): void {
  const w = lock.words;
  const i = lock.index;
  for (;;) {
    for (let n = 0; n < SPIN_LOADS; n++) {
      if (Atomics.load(w, i) === 0 && Atomics.compareExchange(w, i, 0, me) === 0) return;
    }
    const v = Atomics.load(w, i);
    if (v === 0) continue;
    // Mark a sleeper before waiting; the owner's release sees WAITERS and notifies.
    if ((v & WAITERS) === 0 && Atomics.compareExchange(w, i, v, v | WAITERS) !== v) continue;
    Atomics.wait(w, i, v | WAITERS, WAIT_SLICE_MS);
    // A free word after a wake may have had other sleepers: keep WAITERS when we take it.
    if (Atomics.compareExchange(w, i, 0, me | WAITERS) === 0) return;
    cpu.checkAbort();
  }
}

function release(cpu: Cpu, lock: KSpinlock): void {
  const cw = cpu.w;
  const held = cw[cpu.base + CPU.HELD_COUNT]! - 1;
  cw[cpu.base + CPU.HELD_COUNT] = held;
  if (Atomics.exchange(lock.words, lock.index, 0) & WAITERS) {
    Atomics.notify(lock.words, lock.index, 1);
  }
}

/** spin_lock(): preemption point, then acquire. Interrupts stay enabled. */
export function spinLock(lock: KSpinlock): void {
  const cpu = thisCpu();
  cpu.preemptionPoint();
  acquire(cpu, lock);
}

/** spin_unlock(): release, then a preemption point. */
export function spinUnlock(lock: KSpinlock): void {
  const cpu = thisCpu();
  release(cpu, lock);
  cpu.preemptionPoint();
}

/** spin_lock_irqsave(): disables local interrupts, then acquires. @returns flags */
export function spinLockIrqsave(lock: KSpinlock): number {
  const cpu = thisCpu();
  cpu.preemptionPoint();
  const flags = cpu.localIrqSave();
  acquire(cpu, lock);
  return flags;
}

/** spin_unlock_irqrestore(): releases, then restores the interrupt state (taking what is pending). */
export function spinUnlockIrqrestore(lock: KSpinlock, flags: number): void {
  const cpu = thisCpu();
  release(cpu, lock);
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
  cpu.preemptionPoint();
  cpu.localBhDisable();
  acquire(cpu, lock);
}

/** spin_unlock_bh(). */
export function spinUnlockBh(lock: KSpinlock): void {
  const cpu = thisCpu();
  release(cpu, lock);
  cpu.localBhEnable();
}
