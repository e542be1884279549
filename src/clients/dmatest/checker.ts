import { filter, map, type OperatorFunction } from 'rxjs';
import type { DmaEvent } from '../../events/event.js';
import type { Violation } from '../../events/violation.js';
import { DMATEST_RESULTS } from './shared.js';
import type { DmatestResultEvent, DmatestSummaryEvent } from './events.js';

// 'data error' is data-corruption's; 'test passed' is no failure.
const NOT_HERE = new Set([
  DMATEST_RESULTS.indexOf('test passed'),
  DMATEST_RESULTS.indexOf('data error'),
]);

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

type DmatestEvent = DmatestResultEvent | DmatestSummaryEvent;

/**
 * What dmatest itself reports as failed, other than wrong data (`data-corruption`):
 * - `dmatest-failure`: a test dmatest_func() counted in failed_tests; `result` is its own
 *   word for it ('prep error', 'submit error', 'test timed out', 'completion error status',
 *   'completion busy status');
 * - `dmatest-thread-error`: a thread that ended with a non-zero status (the `(%d)` of its
 *   summary line): it could not set up its buffers, so it ran no test; `ret` is the errno;
 * - `dmatest-no-test`: a thread that ended without running a single test (the run stopped
 *   it first): its channel was not tested, and "0 tests, 0 failures" is no pass.
 */
export function dmatestFailure(): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    events$.pipe(
      filter(
        (e): e is DmatestEvent =>
          (e.kind === 'dmatest.result' && !NOT_HERE.has(e.result)) ||
          (e.kind === 'dmatest.summary' && (e.ret !== 0 || e.tests === 0)),
      ),
      map((e): Violation => {
        const where = { actor: e.actor, seq: e.seq, time: e.time, thread: e.thread };
        if (e.kind === 'dmatest.summary' && e.ret === 0) {
          return {
            kind: 'dmatest-no-test',
            message:
              `dmatest thread ${e.thread}: ran no test, the run stopped it before its first ` +
              '(bound the run with --iterations, or give it a longer --duration)',
            ...where,
          };
        }
        if (e.kind === 'dmatest.summary') {
          return {
            kind: 'dmatest-thread-error',
            message:
              `dmatest thread ${e.thread}: exited with status ${e.ret} after ${e.tests} tests ` +
              '(it could not set up its test buffers)',
            ...where,
            ret: e.ret,
            tests: e.tests,
          };
        }
        const result = DMATEST_RESULTS[e.result] ?? `result ${e.result}`;
        return {
          kind: 'dmatest-failure',
          message:
            `dmatest thread ${e.thread}: test #${e.test} failed: '${result}' ` +
            `(src_off=${hex(e.srcOff)} dst_off=${hex(e.dstOff)} len=${hex(e.len)})`,
          ...where,
          test: e.test,
          result,
        };
      }),
    );
}
