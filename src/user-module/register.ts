import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** dmasim's own build (`dist/`), as a file URL prefix. */
const OWN_BUILD = pathToFileURL(join(dirname(compiled('register.js')), '..', '..')).href + '/';

/** The package's root (where its package.json is), as a file URL prefix. */
const PACKAGE_ROOT =
  pathToFileURL(join(dirname(compiled('register.js')), '..', '..', '..')).href + '/';

/** What this thread has registered (each once; import() of tsx is asynchronous). */
let tsx: Promise<void> | null = null;
let selfResolve: Promise<void> | null = null;

/** The hook that resolves `dmasim` to this build (and loads ESM-syntax .js as ESM). */
function registerSelfResolve(): void {
  const hook = compiled('self-resolve.js');
  // Not built: 'dmasim' then resolves as Node alone would resolve it.
  if (!existsSync(hook)) return;
  // dist/src/index.js, the module every actor thread imports: inside the package scope.
  const parentURL = pathToFileURL(join(dirname(hook), '..', 'index.js')).href;
  registerHooks(pathToFileURL(hook).href, { data: { parentURL } });
}

/**
 * Registers in this thread, once each, what the user module at `url` needs to load, so that
 * runs of built-in scenarios load nothing: for TypeScript, tsx (no build step); for a
 * module outside this package, the hook that resolves `import ... from 'dmasim'` to this
 * package's own build (see self-resolve.ts). JavaScript inside the package (its tests and
 * examples) resolves `dmasim` by package.json's "exports" and needs neither. Worker threads
 * do not inherit a thread's hooks (Node 20): each registers its own.
 */
export function registerUserModuleLoader(url: string): Promise<void> {
  if (url.startsWith(OWN_BUILD)) return Promise.resolve();
  const typescript = /\.[mc]?tsx?$/.test(url.split('?', 1)[0]!);
  const outside = !url.startsWith(PACKAGE_ROOT);
  if (!typescript && !outside) return Promise.resolve();
  if (typescript) {
    tsx ??= (async () => {
      const { register } = await import('tsx/esm/api');
      register();
      // The hook registered last runs first: the specifier it rewrites still goes through
      // tsx (registered again if a JavaScript module had registered it before tsx).
      registerSelfResolve();
      selfResolve = Promise.resolve();
    })();
    return tsx;
  }
  selfResolve ??= Promise.resolve().then(registerSelfResolve);
  return selfResolve;
}
