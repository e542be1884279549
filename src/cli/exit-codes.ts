/**
 * The CLI's exit codes, a contract scripts rely on: 0 no violation, 1 violations found,
 * 2 bad usage or input, 3 internal error.
 */
export const EXIT = { OK: 0, VIOLATIONS: 1, USAGE: 2, INTERNAL: 3 } as const;

/** One of the values of EXIT. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit-code table as help prints it. */
export const EXIT_CODE_HELP: readonly (readonly [string, string])[] = [
  ['0', 'the run finished with no violation'],
  ['1', 'the run found violations (data corruption, a dmatest failure, API misuse, deadlock, ...)'],
  ['2', 'bad usage or input: unknown command, scenario or option, or a bad value'],
  ['3', 'internal error: an actor crashed, the simulator failed, or stdout could not be written'],
];
