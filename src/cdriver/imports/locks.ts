import {
  KSpinlock,
  spinLock,
  spinLockBh,
  spinLockIrq,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockBh,
  spinUnlockIrq,
  spinUnlockIrqrestore,
} from '../../kernel/spinlock.js';
import { KMutex, mutexLock, mutexUnlock } from '../../kernel/mutex.js';
import { defineLockClass } from '../../kernel/lock-class.js';
import { stateLockId } from '../../kernel/state.js';
import { lockdepAssertFailed, lockdep_is_held } from '../../kernel/report/lockdep-assert.js';
import { thisCpu } from '../../kernel/current.js';
import type { CRuntime } from '../runtime.js';

/** Class of a lock nobody initialised (kzalloc'd, never spin_lock_init()). */
const UNNAMED = '(spinlock_t without spin_lock_init)';

/**
 * The kernel lock of the C `spinlock_t` / `struct mutex` at `addr`: its word is the first
 * field, its class the name the second points at (set by spin_lock_init() or
 * DEFINE_SPINLOCK()). Its id comes from its address, as a lock in declared state.
 */
export function lockAt(rt: CRuntime, addr: number, sleeping = false): KSpinlock {
  const name = rt.u32(addr + 4);
  const had = rt.locks.get(addr);
  if (had && had.name === name && had.lock instanceof KMutex === sleeping) return had.lock;
  const cls = defineLockClass(name === 0 ? UNNAMED : rt.cString(name));
  const lock = sleeping
    ? new KMutex(rt.words, addr >>> 2, stateLockId(addr), cls)
    : new KSpinlock(rt.words, addr >>> 2, stateLockId(addr), cls);
  rt.locks.set(addr, { name, lock });
  return lock;
}

/** Where a C report was made: `file:line` and the function. */
export function site(
  rt: CRuntime,
  file: number,
  line: number,
  func: number,
): { where: string; fn: string } {
  return { where: `${rt.cString(file)}:${line}`, fn: rt.cString(func) };
}

export const LOCK_IMPORTS = {
  __dmasim_spin_lock_init: (rt: CRuntime) => (lock: number, name: number) => {
    rt.setI32(lock, 0);
    rt.setI32(lock + 4, name);
    rt.locks.delete(lock);
  },
  __dmasim_mutex_init: (rt: CRuntime) => (lock: number, name: number) => {
    rt.setI32(lock, 0);
    rt.setI32(lock + 4, name);
    rt.locks.delete(lock);
  },
  spin_lock: (rt: CRuntime) => (l: number) => spinLock(lockAt(rt, l)),
  spin_unlock: (rt: CRuntime) => (l: number) => spinUnlock(lockAt(rt, l)),
  spin_lock_bh: (rt: CRuntime) => (l: number) => spinLockBh(lockAt(rt, l)),
  spin_unlock_bh: (rt: CRuntime) => (l: number) => spinUnlockBh(lockAt(rt, l)),
  spin_lock_irq: (rt: CRuntime) => (l: number) => spinLockIrq(lockAt(rt, l)),
  spin_unlock_irq: (rt: CRuntime) => (l: number) => spinUnlockIrq(lockAt(rt, l)),
  _raw_spin_lock_irqsave: (rt: CRuntime) => (l: number) => spinLockIrqsave(lockAt(rt, l)),
  spin_unlock_irqrestore: (rt: CRuntime) => (l: number, flags: number) =>
    spinUnlockIrqrestore(lockAt(rt, l), flags),
  mutex_lock: (rt: CRuntime) => (l: number) => mutexLock(lockAt(rt, l, true)),
  mutex_unlock: (rt: CRuntime) => (l: number) => mutexUnlock(lockAt(rt, l, true)),
  arch_local_irq_save: () => () => thisCpu().localIrqSave(),
  arch_local_irq_restore: () => (flags: number) => thisCpu().localIrqRestore(flags),
  __dmasim_lockdep_assert_held:
    (rt: CRuntime) => (l: number, file: number, line: number, func: number) => {
      const lock = lockAt(rt, l);
      if (!lockdep_is_held(lock)) lockdepAssertFailed(lock, site(rt, file, line, func));
    },
  __dmasim_lockdep_is_held: (rt: CRuntime) => (l: number) =>
    lockdep_is_held(lockAt(rt, l)) ? 1 : 0,
} as const;
