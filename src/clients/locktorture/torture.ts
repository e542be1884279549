import { currentActor, thisCpu } from '../../kernel/current.js';
import { defineLockClass, CLIENT_LOCK_BASE } from '../../kernel/lock-class.js';
import { KMutex, mutexLock, mutexUnlock } from '../../kernel/mutex.js';
import {
  KSpinlock,
  spinLock,
  spinLockBh,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockBh,
  spinUnlockIrqrestore,
} from '../../kernel/spinlock.js';
import { defineLayout } from '../../shm/layout.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
import { WaitOp } from '../../sched/wait-spec.js';

/** The torture lock's words: the lock, the counter it protects, and the start handshake. */
export const TORTURE = defineLayout(['LOCK', 'COUNTER', 'ARRIVED', 'FINISHED', 'OPS'], {}, 16);

/** The lock types locktorture can torture here. */
export const TORTURE_TYPES = ['spin_lock', 'spin_lock_bh', 'spin_lock_irqsave', 'mutex'] as const;
export type TortureType = (typeof TORTURE_TYPES)[number];

const TORTURE_CLASS = defineLockClass('torture_lock');

/** What one writer did. */
export interface TortureResult {
  writer: number;
  ops: number;
  seconds: number;
  /** The shared counter at the end, once every writer finished. */
  counter: number;
}

/**
 * One locktorture writer (kernel/locking/locktorture.c, much simplified): take the lock,
 * do a non-atomic increment of the counter it protects plus `hold` loads, release; until the
 * run stops or `iterations` are done. Writers start together (a handshake); at the end the
 * counter must equal the sum of all writers' operations.
 */
export function tortureWriter(
  cpuId: number,
  type: TortureType,
  writers: number,
  hold: number,
  iterations: number,
): TortureResult {
  const cpu = thisCpu();
  const { machine, clock } = currentActor();
  const w = machine.client;
  const lock =
    type === 'mutex'
      ? new KMutex(w, TORTURE.LOCK, CLIENT_LOCK_BASE, TORTURE_CLASS)
      : new KSpinlock(w, TORTURE.LOCK, CLIENT_LOCK_BASE, TORTURE_CLASS);
  Atomics.add(w, TORTURE.ARRIVED, 1);
  wakeUpVar(w, TORTURE.ARRIVED);
  waitVarEventTimeout(w, TORTURE.ARRIVED, WaitOp.GE, writers, 5000);
  let ops = 0;
  const t0 = clock.now();
  while (!(iterations ? ops >= iterations : cpu.shouldStop())) {
    let flags = 0;
    if (type === 'spin_lock') spinLock(lock);
    else if (type === 'spin_lock_bh') spinLockBh(lock);
    else if (type === 'spin_lock_irqsave') flags = spinLockIrqsave(lock);
    else mutexLock(lock);
    w[TORTURE.COUNTER] = w[TORTURE.COUNTER]! + 1;
    for (let i = 0; i < hold; i++) Atomics.load(w, TORTURE.ARRIVED);
    if (type === 'spin_lock') spinUnlock(lock);
    else if (type === 'spin_lock_bh') spinUnlockBh(lock);
    else if (type === 'spin_lock_irqsave') spinUnlockIrqrestore(lock, flags);
    else mutexUnlock(lock);
    ops++;
  }
  const seconds = (clock.now() - t0) / 1000;
  Atomics.add(w, TORTURE.OPS, ops);
  Atomics.add(w, TORTURE.FINISHED, 1);
  wakeUpVar(w, TORTURE.FINISHED);
  waitVarEventTimeout(w, TORTURE.FINISHED, WaitOp.GE, writers, 5000);
  const counter = Atomics.load(w, TORTURE.COUNTER);
  const total = Atomics.load(w, TORTURE.OPS);
  // Lost updates mean the lock did not exclude: data the lock protects is corrupt.
  if (cpuId === 0 && counter !== total)
    VERIFY_EVENTS.trace['verify.error'](
      -1,
      TORTURE.COUNTER,
      total,
      counter,
      Math.abs(total - counter),
    );
  return { writer: cpuId, ops, seconds, counter };
}
