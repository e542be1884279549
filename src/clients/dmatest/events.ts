import { defineEventKinds } from '../../events/define-event-kinds.js';
import type { DmaEventOf } from '../../events/event.js';

/**
 * dmatest's event kinds: a test's result (`result` indexes DMATEST_RESULTS; `value` is the
 * count of wrong bytes of a data error, else 0) and a thread's summary line (`ret` is the
 * thread's exit status).
 */
export const DMATEST_EVENTS = defineEventKinds('dmatest', {
  'dmatest.result': {
    level: 0,
    fields: ['thread', 'test', 'result', 'srcOff', 'dstOff', 'len', 'value'],
  },
  'dmatest.summary': { level: 0, fields: ['thread', 'tests', 'failures', 'ret'] },
});

/** One test's result. */
export type DmatestResultEvent = DmaEventOf<'dmatest.result'>;
/** A thread's summary. */
export type DmatestSummaryEvent = DmaEventOf<'dmatest.summary'>;

type DmatestKinds = typeof DMATEST_EVENTS.kinds;

declare module '../../events/event.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds dmatest's kinds to the event union
  interface DeclaredEventKinds extends DmatestKinds {}
}
