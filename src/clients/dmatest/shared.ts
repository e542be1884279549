import { defineLayout } from '../../shm/layout.js';

/**
 * dmatest's kernel state in the scenario's shared words: `struct dmatest_info` then one
 * `struct dmatest_thread` per thread. Threads run on different CPUs and their callbacks on
 * whichever CPU takes the channel's interrupt, so all of it is shared.
 *
 *   INFO.RUN       1 once module init requested the channels and set up the threads
 *   INFO.EXITED    1 once module exit released the channels
 *   THREAD.CHAN    global channel index the thread tests, -1 if it got none
 *   THREAD.DONE    test_done.done; DONE_WQ is test_done.wait
 *   THREAD.FINISHED thread->done (a callback after it fires the "memory may be corrupted" WARN)
 */
export const INFO = defineLayout(
  ['RUN', 'NR_CHANNELS', 'NR_THREADS', 'THREADS_DONE', 'EXITED'],
  {},
  16,
);
export const THREAD = defineLayout(
  ['CHAN', 'DONE', 'DONE_WQ', 'FINISHED', 'TESTS', 'FAILURES'],
  {},
  16,
);

/** Shared words dmatest needs for `threads` threads. */
export function dmatestWords(threads: number): number {
  return INFO.WORDS + threads * THREAD.WORDS;
}

/** Word offset of thread `t`'s struct. */
export function threadBase(t: number): number {
  return INFO.WORDS + t * THREAD.WORDS;
}

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
