import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, sep } from 'node:path';
import { DmasimError } from '../errors.js';

/**
 * Path of a compiled worker entry (`dist/workers/<name>.js`). Workers always run compiled
 * JavaScript, also when the host runs from TypeScript sources under vitest, because a
 * worker thread cannot load .ts on Node 20.
 * @throws DmasimError DMASIM_STALE_BUILD when the build is missing
 */
export function workerPath(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = here.includes(`${sep}dist${sep}src${sep}`);
  const file = compiled
    ? join(here, '..', '..', 'workers', `${name}.js`)
    : join(here, '..', '..', 'dist', 'workers', `${name}.js`);
  if (!existsSync(file)) {
    throw new DmasimError(
      'DMASIM_STALE_BUILD',
      `worker entry ${name}.js is not built: run 'npm run build' first`,
    );
  }
  return file;
}
