import { KMutex, mutexLock, mutexUnlock } from './mutex.js';
import {
  type KSpinlock,
  spinLock,
  spinLockBh,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockBh,
  spinUnlockIrqrestore,
} from './spinlock.js';

import type { LockMode } from '../shm/machine.js';

export type { LockMode };

/**
 * Takes `lock` the way `mode` says: spin_lock, spin_lock_bh, spin_lock_irqsave (keeping its
 * flags) or mutex_lock (`lock` must then be a KMutex).
 * @returns the matching release (spin_unlock, ..., spin_unlock_irqrestore(flags), mutex_unlock)
 */
export function lockAs(mode: LockMode, lock: KSpinlock): () => void {
  switch (mode) {
    case 'spin_lock':
      spinLock(lock);
      return () => spinUnlock(lock);
    case 'spin_lock_bh':
      spinLockBh(lock);
      return () => spinUnlockBh(lock);
    case 'spin_lock_irqsave': {
      const flags = spinLockIrqsave(lock);
      return () => spinUnlockIrqrestore(lock, flags);
    }
    case 'mutex':
      if (!(lock instanceof KMutex)) throw new Error('lockAs(mutex) needs a KMutex');
      mutexLock(lock);
      return () => mutexUnlock(lock);
    default: {
      const never: never = mode;
      return never;
    }
  }
}
