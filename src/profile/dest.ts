import { accessSync, constants, mkdirSync } from 'node:fs';
import { DmasimError } from '../errors.js';

/**
 * Creates `dir` and its parents if needed and checks that files can be written there,
 * before a run spends its time.
 * @throws DmasimError DMASIM_BAD_OPTION naming --dest (a path through a file, no permission)
 */
export function ensureDest(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--dest: cannot write profiles to ${dir}: ${(err as Error).message}; give a writable directory`,
      { cause: err },
    );
  }
}
