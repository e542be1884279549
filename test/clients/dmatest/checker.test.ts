import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { dmatestFailure } from '../../../src/clients/dmatest/checker.js';
import type { DmaEvent } from '../../../src/events/event.js';
import { DMATEST_RESULTS, type DmatestResult } from '../../../src/clients/dmatest/shared.js';

const base = (seq: number) => ({ seq, time: seq, actor: 'cpu1', context: 'process' as const });

function result(seq: number, what: DmatestResult): DmaEvent {
  return {
    ...base(seq),
    kind: 'dmatest.result',
    thread: 1,
    test: seq,
    result: DMATEST_RESULTS.indexOf(what),
    srcOff: 0x10,
    dstOff: 0x20,
    len: 0x40,
    value: 0,
  };
}

function summary(seq: number, ret: number, tests = 0): DmaEvent {
  return { ...base(seq), kind: 'dmatest.summary', thread: 1, tests, failures: 0, ret };
}

function check(events: DmaEvent[]) {
  return lastValueFrom(from(events).pipe(dmatestFailure(), toArray()));
}

describe('dmatestFailure', () => {
  it.each([
    'prep error',
    'submit error',
    'test timed out',
    'completion error status',
    'completion busy status',
  ] as const)("reports dmatest's '%s' as a dmatest-failure naming it", async (what) => {
    expect(await check([result(3, what)])).toEqual([
      {
        kind: 'dmatest-failure',
        message: `dmatest thread 1: test #3 failed: '${what}' (src_off=0x10 dst_off=0x20 len=0x40)`,
        actor: 'cpu1',
        seq: 3,
        time: 3,
        thread: 1,
        test: 3,
        result: what,
      },
    ]);
  });

  it('leaves passed tests and data errors (data-corruption) alone', async () => {
    expect(await check([result(1, 'test passed'), result(2, 'data error')])).toEqual([]);
  });

  it('reports a thread that ran no test', async () => {
    expect(await check([summary(1, 0, 0)])).toEqual([
      {
        kind: 'dmatest-no-test',
        message:
          'dmatest thread 1: ran no test, the run stopped it before its first ' +
          '(bound the run with --iterations, or give it a longer --duration)',
        actor: 'cpu1',
        seq: 1,
        time: 1,
        thread: 1,
      },
    ]);
  });

  it('reports a thread that ended with an error status, and not one that ended with 0', async () => {
    expect(await check([summary(1, 0, 4), summary(2, -12)])).toEqual([
      {
        kind: 'dmatest-thread-error',
        message:
          'dmatest thread 1: exited with status -12 after 0 tests (it could not set up its test buffers)',
        actor: 'cpu1',
        seq: 2,
        time: 2,
        thread: 1,
        ret: -12,
        tests: 0,
      },
    ]);
  });
});
