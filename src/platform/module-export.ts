import { fileURLToPath } from 'node:url';
import { DmasimError } from '../errors.js';
import { registerUserModuleLoader } from '../user-module/register.js';

/** The file of a file:// URL, or the URL itself. */
export function fileOf(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (err) {
    // Not a file:// URL: import() said what is wrong with it.
    void err;
    return url;
  }
}

/**
 * The `name` export of the module at `url` (a user's provider or peripheral, imported in
 * an actor thread; import() caches it per thread and URL), with the loader for users'
 * modules (TypeScript, `import ... from 'dmasim'`) registered in this thread first.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not load
 */
export async function importExport(url: string, name: string): Promise<unknown> {
  await registerUserModuleLoader(url);
  try {
    return ((await import(url)) as Record<string, unknown>)[name];
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${fileOf(url)}: the ${name} module does not load: ${e.name}: ${e.message}`,
      { cause: err },
    );
  }
}

/** A member check of a plug-in's shape: the key, what it must be, and the test. */
export type ShapeRule<T> = readonly [keyof T, string, (v: unknown) => boolean];

/**
 * What is wrong with a value meant as a plug-in object (a ProviderModule, a
 * PeripheralModule), in one phrase, or null.
 * @param what how to name the value: `its 'provider' export`, `provider 'x'`
 * @param type the interface's name, for the message
 */
export function shapeError<T>(
  value: unknown,
  what: string,
  type: string,
  rules: readonly ShapeRule<T>[],
): string | null {
  if (typeof value !== 'object' || value === null) {
    return `${what} is ${value === null ? 'null' : typeof value}, expected a ${type} object`;
  }
  const p = value as Record<string, unknown>;
  for (const [key, expected, ok] of rules) {
    if (!ok(p[key as string])) {
      return `${what}'s '${String(key)}' must be ${expected} (got ${typeof p[key as string]})`;
    }
  }
  return null;
}

/** A member that must be a function or absent. */
export const optionalFn = (v: unknown): boolean => v === undefined || typeof v === 'function';
