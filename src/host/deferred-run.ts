import { Subject } from 'rxjs';
import type { DmaEvent } from '../events/event.js';
import type { Violation } from '../events/violation.js';
import type { RunHandle } from './run-handle.js';

/**
 * A run handle now for a run that starts once `started` settles (its scenario module is
 * loaded first): the streams forward the run's from its first event, so a caller that
 * subscribes synchronously sees every event; a run that never starts errors them and
 * rejects `result` with the reason.
 */
export function deferredRun(started: Promise<RunHandle>): RunHandle {
  const events = new Subject<DmaEvent>();
  const violations = new Subject<Violation>();
  const result = started.then(
    (run) => {
      // Subscribed in the same turn startPrepared() returned: no event has been drained yet.
      run.events$.subscribe(events);
      run.violations$.subscribe(violations);
      return run.result;
    },
    (err: unknown) => {
      events.error(err);
      violations.error(err);
      throw err;
    },
  );
  return { events$: events.asObservable(), violations$: violations.asObservable(), result };
}
