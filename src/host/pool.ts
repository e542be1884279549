import { Piscina } from 'piscina';
import { workerPath } from './worker-url.js';
import { actorThreadEnv } from './actor-env.js';

/** The most actors one run may have: one pool thread each (threads start on demand). */
export const MAX_ACTORS = 128;

let pool: Piscina | null = null;
let poolError: Error | null = null;

/**
 * The thread pool that hosts actors. Threads are reused across runs (a worker costs ~20 ms
 * to start). 'disabled' atomics keep each thread's event loop alive between tasks, which
 * the comlink endpoint of the next actor needs.
 */
export function actorPool(): Piscina {
  if (pool) return pool;
  const p = new Piscina({
    filename: workerPath('actor'),
    minThreads: 0,
    maxThreads: MAX_ACTORS,
    idleTimeout: 30_000,
    atomics: 'disabled',
    env: actorThreadEnv(),
  });
  // A worker that fails to load is an 'error' event; without a listener it kills the host.
  p.on('error', (err: Error) => {
    poolError = err;
  });
  pool = p;
  return p;
}

/** The last error the pool reported (a worker that failed to load), if any. */
export function actorPoolError(): Error | null {
  return poolError;
}

/** Stops every pool thread; the next run starts a new pool. Call before the process exits. */
export async function shutdownActorPool(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.destroy();
}
