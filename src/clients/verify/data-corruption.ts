import { filter, map, type OperatorFunction } from 'rxjs';
import type { DmaEvent } from '../../events/event.js';
import type { Violation } from '../../events/violation.js';
import { DMATEST_RESULTS } from '../dmatest/shared.js';
import type { DmatestResultEvent } from '../dmatest/events.js';
import type { VerifyErrorEvent } from './events.js';

const DATA_ERROR = DMATEST_RESULTS.indexOf('data error');

/**
 * `data-corruption`: a client verified a transfer and found bytes that are not what was
 * copied (dmatest's 'data error' result, or a streaming client's `verify.error`).
 */
export function dataCorruption(): OperatorFunction<DmaEvent, Violation> {
  return (events$) =>
    events$.pipe(
      filter(
        (e): e is DmatestResultEvent | VerifyErrorEvent =>
          (e.kind === 'dmatest.result' && e.result === DATA_ERROR) || e.kind === 'verify.error',
      ),
      map((e): Violation =>
        e.kind === 'verify.error'
          ? {
              kind: 'data-corruption',
              message:
                `chan ${e.chan}: ${e.errors} byte(s) differ after the transfer; first at 0x${e.addr.toString(16)}: ` +
                `expected ${e.expected.toString(16).padStart(2, '0')}, got ${e.actual.toString(16).padStart(2, '0')}`,
              actor: e.actor,
              seq: e.seq,
              time: e.time,
              chan: e.chan,
              errors: e.errors,
            }
          : {
              kind: 'data-corruption',
              message:
                `dmatest thread ${e.thread}: test #${e.test} copied wrong data: ${e.value} byte(s) differ ` +
                `(src_off=0x${e.srcOff.toString(16)} dst_off=0x${e.dstOff.toString(16)} len=0x${e.len.toString(16)})`,
              actor: e.actor,
              seq: e.seq,
              time: e.time,
              thread: e.thread,
              test: e.test,
              errors: e.value,
            },
      ),
    );
}
