import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';

/**
 * dmatest's kernel state in shared memory: `struct dmatest_info` once, then one
 * `struct dmatest_thread` per thread. Threads run on different CPUs and their callbacks on
 * whichever CPU takes the channel's interrupt, so all of it is shared.
 *
 *   info.run       1 once module init requested the channels and set up the threads
 *   info.exited    1 once module exit released the channels
 *   thread.chan    global channel index the thread tests, -1 if it got none
 *   thread.done    test_done.done; doneWq is test_done.wait
 *   thread.finished thread->done (a callback after it fires the "memory may be corrupted" WARN)
 */
export const DMATEST_INFO = defineStruct('dmatest_info', {
  run: 'i32',
  nrChannels: 'i32',
  nrThreads: 'i32',
  threadsDone: 'i32',
  exited: 'i32',
});
export const DMATEST_THREAD = defineStruct('dmatest_thread', {
  chan: 'i32',
  done: 'i32',
  doneWq: 'waitqueue',
  finished: 'i32',
  tests: 'i32',
  failures: 'i32',
});

/** The module's info, one per run. */
export const INFO = declareState('dmatest.info', DMATEST_INFO, 'machine');
/** One per thread: the plan says how many (`{ decl: THREADS, count }`). */
export const THREADS = declareState('dmatest.thread', DMATEST_THREAD, 'machine');

/** Result texts, in the code order used by `dmatest.result` events. */
export const DMATEST_RESULTS = [
  'test passed',
  'test timed out',
  'completion error status',
  'completion busy status',
  'prep error',
  'submit error',
  'data error',
] as const;
export type DmatestResult = (typeof DMATEST_RESULTS)[number];
