import type { Observable } from 'rxjs';
import type { DmaEvent } from '../events/event.js';
import type { Violation } from '../events/violation.js';
import type { RunResult } from './result.js';

/** A run in progress: its live streams and its eventual result. */
export interface RunHandle {
  /** Every event, in the run's total order. Subscribe synchronously after startRun(). */
  events$: Observable<DmaEvent>;
  /** Violations as the checkers find them. */
  violations$: Observable<Violation>;
  /** Settles when every actor stopped; rejects only for a run that could not start. */
  result: Promise<RunResult>;
}
