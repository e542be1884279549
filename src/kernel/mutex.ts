import { thisCpu } from './current.js';
import { mightSleep } from './might-sleep.js';
import { KSpinlock, LockKind, lockAcquire, lockRelease } from './spinlock.js';
import { Point } from '../sched/labels.js';

/**
 * A kernel mutex: the same lock word as a spinlock, but a waiter sleeps (its CPU keeps
 * taking interrupts) and taking it is a might_sleep() point.
 */
export class KMutex extends KSpinlock {}

/** mutex_lock(): might_sleep(), then acquire, sleeping while it is contended. */
export function mutexLock(m: KMutex): void {
  const cpu = thisCpu();
  cpu.point(Point.mutex_lock);
  mightSleep('mutex_lock');
  lockAcquire(cpu, m, LockKind.MUTEX, true);
}

/** mutex_unlock(). */
export function mutexUnlock(m: KMutex): void {
  const cpu = thisCpu();
  lockRelease(cpu, m);
  cpu.point(Point.mutex_unlock);
}
