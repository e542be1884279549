import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DmasimError } from '../errors.js';

/** The extensions that make a scenario argument a module path. */
export const MODULE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs', '.c'];

/**
 * Whether a scenario argument names a module rather than a built-in: it contains a `/` (or
 * a `\`), or ends with .ts, .mts, .js, .mjs or .c (a C driver: the c-driver scenario).
 */
export function isModulePath(arg: string): boolean {
  return /[/\\]/.test(arg) || MODULE_EXTENSIONS.some((ext) => arg.endsWith(ext));
}

/**
 * The file:// URL of the module `arg` names: a file:// URL as it is, a path relative to the
 * working directory.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file when there is no such file
 */
export function moduleUrl(arg: string): string {
  if (arg.startsWith('file:')) return arg;
  const file = resolve(arg);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      arg.endsWith('.c')
        ? `${file}: no such C file (from '${arg}')`
        : `${file}: no such scenario module (from '${arg}'); a scenario that is a path is the ` +
            `file of an ES module exporting 'scenario'`,
    );
  }
  return pathToFileURL(file).href;
}
