import type { ParamDef } from '../scenarios/param-schema.js';

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
];
