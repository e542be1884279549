import { nameId } from '../shm/name-hash.js';
/**
 * Lock classes, as lockdep keys locks: every lock initialised at one place shares a class
 * (`&vc->lock` of every channel is one class). A class is named once by the module that
 * declares it; its id is a hash of the name, so every thread and the host agree on it.
 */
// Process-global (keyed by Symbol.for): two copies of the library in one process, say the
// built one a scenario module imports and the sources a test runs, still share class names.
const REGISTRY = Symbol.for('dmasim.lockClasses');
const store = globalThis as { [REGISTRY]?: Map<number, string> };
const names = (store[REGISTRY] ??= new Map<number, string>());

/**
 * Declares a lock class (at module load, in every thread and the host alike).
 * @returns the class id
 */
export function defineLockClass(name: string): number {
  const id = nameId(name);
  const other = names.get(id);
  if (other !== undefined && other !== name)
    throw new Error(`lock classes ${name} and ${other} collide; rename one`);
  names.set(id, name);
  return id;
}

/** The name of a class id (or `class#<id>` for one this thread never loaded). */
export function lockClassName(id: number): string {
  return names.get(id) ?? `class#${id}`;
}

/** virt_dma_chan.lock. */
export const VC_LOCK_CLASS = defineLockClass('&vc->lock');
/** dma_chan.lock: the safe prep API's fallback spinlock (v4 and later). */
export const CHAN_LOCK_CLASS = defineLockClass('&chan->lock');
/** dma_chan.lock as v3 of the safe prep series had it: a mutex. */
export const CHAN_MUTEX_CLASS = defineLockClass('&chan->mutex');

/**
 * Lock instance ids of a channel's locks: below 2^24 for any channel count a run can have;
 * locks in declared state have ids from STATE_LOCK_BASE (2^30) up (see state.ts).
 */
export function chanLockId(chan: number, which: 0 | 1 | 2): number {
  return chan * 4 + which;
}
