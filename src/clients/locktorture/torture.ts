import { currentActor, thisCpu } from '../../kernel/current.js';
import { mutexLock, mutexUnlock } from '../../kernel/mutex.js';
import {
  spinLock,
  spinLockBh,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockBh,
  spinUnlockIrqrestore,
} from '../../kernel/spinlock.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
import { WaitOp } from '../../sched/wait-spec.js';

/**
 * The torture lock's words: the lock (a spinlock or a mutex, as the run's type says: one
 * word either way, class `torture_lock`), the counter it protects, and the start handshake.
 */
export const TORTURE_STRUCT = defineStruct('torture', {
  lock: { spinlock: 'torture_lock' },
  counter: 'i32',
  arrived: 'i32',
  finished: 'i32',
  ops: 'i32',
});

/** One per run. */
export const TORTURE = declareState('locktorture', TORTURE_STRUCT, 'machine');

/** The lock types locktorture can torture here. */
export const TORTURE_TYPES = ['spin_lock', 'spin_lock_bh', 'spin_lock_irqsave', 'mutex'] as const;
export type TortureType = (typeof TORTURE_TYPES)[number];

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
  const t = stateOf(machine, TORTURE).at(0);
  const w = t.words;
  const counter = t.i('counter');
  const arrived = t.i('arrived');
  const lock = type === 'mutex' ? t.mutex('lock') : t.spinlock('lock');
  Atomics.add(w, arrived, 1);
  wakeUpVar(w, arrived);
  waitVarEventTimeout(w, arrived, WaitOp.GE, writers, 5000);
  let ops = 0;
  const t0 = clock.now();
  while (!(iterations ? ops >= iterations : cpu.shouldStop())) {
    let flags = 0;
    if (type === 'spin_lock') spinLock(lock);
    else if (type === 'spin_lock_bh') spinLockBh(lock);
    else if (type === 'spin_lock_irqsave') flags = spinLockIrqsave(lock);
    else mutexLock(lock);
    w[counter] = w[counter]! + 1;
    for (let i = 0; i < hold; i++) Atomics.load(w, arrived);
    if (type === 'spin_lock') spinUnlock(lock);
    else if (type === 'spin_lock_bh') spinUnlockBh(lock);
    else if (type === 'spin_lock_irqsave') spinUnlockIrqrestore(lock, flags);
    else mutexUnlock(lock);
    ops++;
  }
  const seconds = (clock.now() - t0) / 1000;
  t.add('ops', ops);
  t.add('finished', 1);
  wakeUpVar(w, t.i('finished'));
  waitVarEventTimeout(w, t.i('finished'), WaitOp.GE, writers, 5000);
  const final = t.load('counter');
  const total = t.load('ops');
  // Lost updates mean the lock did not exclude: data the lock protects is corrupt.
  if (cpuId === 0 && final !== total)
    VERIFY_EVENTS.trace['verify.error'](
      -1,
      t.addrOf('counter'),
      total,
      final,
      Math.abs(total - final),
    );
  return { writer: cpuId, ops, seconds, counter: final };
}
