import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** dmasim's own build (`dist/`), as a file URL prefix. */
const OWN_BUILD = pathToFileURL(join(dirname(compiled('register.js')), '..', '..')).href + '/';

/** This thread's registration, once started (import() of tsx is asynchronous). */
let registered: Promise<void> | null = null;

/**
 * The compiled file `name` of this folder: next to this one when built, else (the host runs
 * from TypeScript sources under a test runner) in dist/, which the loader thread can load.
 */
function compiled(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${sep}dist${sep}src${sep}`)
    ? join(here, name)
    : join(here, '..', '..', 'dist', 'src', 'user-module', name);
}

/**
 * Registers, once per thread (unless `url`, the module about to load, is dmasim's own build), what users' modules need to load: tsx (TypeScript without a
 * build step) and the hook that resolves `import ... from 'dmasim'` to this package's own
 * build (see self-resolve.ts). Called just before a user module is imported, so that runs
 * of built-in scenarios never load tsx. Worker threads do not inherit a thread's hooks
 * (Node 20): each registers its own.
 */
export function registerUserModuleLoader(url?: string): Promise<void> {
  // dmasim's own compiled modules (the c-driver scenario, the bench's) need neither.
  if (url !== undefined && url.startsWith(OWN_BUILD)) return Promise.resolve();
  registered ??= (async () => {
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsx();
    const hook = compiled('self-resolve.js');
    // Not built: 'dmasim' then resolves as Node alone would resolve it.
    if (!existsSync(hook)) return;
    // dist/src/index.js, the module every actor thread imports: inside the package scope.
    const parentURL = pathToFileURL(join(dirname(hook), '..', 'index.js')).href;
    // Registered after tsx, so it runs first: the specifier it rewrites still goes through tsx.
    registerHooks(pathToFileURL(hook).href, { data: { parentURL } });
  })();
  return registered;
}
