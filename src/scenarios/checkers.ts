import type { OperatorFunction } from 'rxjs';
import type { DmaEvent } from '../events/event.js';
import type { Violation } from '../events/violation.js';

/** A checker: an RxJS operator from the run's events to the violations it finds. */
export type Checker = OperatorFunction<DmaEvent, Violation>;

/** The checkers a built-in scenario can name. */
export type BuiltinChecker =
  'apiMisuse' | 'configPrepMismatch' | 'dataCorruption' | 'dmatestFailure';

/**
 * A scenario's checkers, loaded when a run starts on the host. Every actor thread imports
 * the scenario catalogue; importing a checker imports rxjs (about 200 ms in a new thread),
 * which no actor needs, so built-in scenarios name their checkers and the host loads them.
 */
export function builtinCheckers(...names: BuiltinChecker[]): () => Promise<readonly Checker[]> {
  return async () => {
    const { BUILTIN_CHECKERS } = await import('./builtin-checkers.js');
    return names.map((n) => BUILTIN_CHECKERS[n]());
  };
}
