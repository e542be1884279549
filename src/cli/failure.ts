import { DmasimError } from '../index.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { indentBlock } from './layout.js';

/** How a thrown error ends the process: its exit code and what stderr says. */
export interface Failure {
  code: ExitCode;
  /** Complete stderr text, each line prefixed `dmasim: ` or indented under one that is. */
  text: string;
}

/**
 * Maps an error thrown by a command to an exit code and a message: bad input (bad option
 * value, unknown scenario) is usage, exit 2; anything else is internal, exit 3.
 * @param see the help command that explains the input, e.g. `dmasim run dmatest --help`
 */
export function describeFailure(err: unknown, see: string): Failure {
  if (err instanceof DmasimError) {
    switch (err.code) {
      case 'DMASIM_BAD_OPTION':
      case 'DMASIM_UNKNOWN_SCENARIO':
        return { code: EXIT.USAGE, text: `dmasim: ${err.message} (see ${see})\n` };
      case 'DMASIM_BAD_REPLAY':
        return { code: EXIT.USAGE, text: `dmasim: ${err.message}\n` };
      case 'DMASIM_STALE_BUILD':
      case 'DMASIM_ACTOR_START':
        return { code: EXIT.INTERNAL, text: `dmasim: could not start the run: ${err.message}\n` };
      default:
        break;
    }
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = err instanceof DmasimError ? ` [${err.code}]` : '';
  const stack = e.stack ? indentBlock(e.stack, 2) : [];
  return {
    code: EXIT.INTERNAL,
    text: [
      `dmasim: internal error${code}: ${e.message}`,
      ...stack,
      'dmasim: this is a bug; please report it with the command line you ran.',
      '',
    ].join('\n'),
  };
}
