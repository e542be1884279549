import type { ParamDef } from '../platform/param-schema.js';

/** What `dmasim shrink` takes besides --replay-out and --deadline (the rest is the file's). */
export interface ShrinkOptions {
  /** Candidate schedules to run at most. */
  maxRuns: number;
  /** The violation kind every kept candidate must find ('': the file's, see shrink()). */
  kind: string;
}

/** The options of `dmasim shrink` (its run options come from the file). */
export const SHRINK_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'maxRuns',
    flag: 'max-runs',
    kind: 'uint',
    default: 2000,
    min: 1,
    help: 'candidate schedules to try at most',
  },
  {
    key: 'kind',
    flag: 'kind',
    kind: 'string',
    default: '',
    help: 'the violation kind the shrunk run must still find (empty: the first kind the file recorded that its replay finds again)',
  },
];
