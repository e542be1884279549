import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A module resolve hook (node:module register()) for users' modules. It makes `dmasim` and
 * `dmasim/<sub>` resolve, from any module anywhere on disk, as a package self-reference
 * from inside this package: to its own build through package.json `exports`, the same
 * module instances the actor threads use. And a user's .ts or .js file written as an ES
 * module loads as one where no package.json says `"type": "module"` (a temporary directory, say): tsx
 * would load it as CommonJS, where its import and export statements fail. It runs on
 * Node's loader thread and imports nothing of dmasim.
 */

/** What register() passes: a URL of a file inside this package. */
interface HookData {
  parentURL: string;
}

interface Resolved {
  url: string;
  format?: string | null;
}

interface ResolveContext {
  parentURL?: string;
  conditions: readonly string[];
  importAttributes: Record<string, string>;
}

type NextResolve = (specifier: string, context?: ResolveContext) => Promise<Resolved>;

let selfParent = '';

/** Receives `data` of register(). */
export function initialize(data: HookData): void {
  selfParent = data.parentURL;
}

/** An import or export statement at the start of a line: the file is an ES module. */
const ESM_SYNTAX = /^\s*(?:import\s*[\w{*'"]|export\s+[\w{*]|export\s*\{)/m;

/**
 * The file a resolved URL names, without the query tsx adds to a CommonJS file imported from
 * an ES module (`x.ts%3Ftsx-commonjs-export-preparse=1?tsx-...`), or null.
 */
function fileUrl(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const u = new URL(url);
  u.search = '';
  u.pathname = u.pathname.replace(/%3F.*$/i, '');
  return u.href;
}

/**
 * The file:// URL of a file the chain resolved as CommonJS that is a user's ES module (a
 * .ts, .tsx, .js or .jsx file outside node_modules with import or export statements), or
 * null.
 */
function userEsm(r: Resolved): string | null {
  const url = r.format === 'commonjs' ? fileUrl(r.url) : null;
  if (url === null || !/\.[jt]sx?$/.test(url) || url.includes('/node_modules/')) return null;
  try {
    return ESM_SYNTAX.test(readFileSync(fileURLToPath(url), 'utf8')) ? url : null;
  } catch (err) {
    // Unreadable: loading it will say why.
    void err;
    return null;
  }
}

/** `dmasim[/sub]` as if imported from inside the package; a user's ES module as one. */
export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<Resolved> {
  if (selfParent && (specifier === 'dmasim' || specifier.startsWith('dmasim/'))) {
    return nextResolve(specifier, { ...context, parentURL: selfParent });
  }
  const r = await nextResolve(specifier, context);
  const esm = userEsm(r);
  return esm === null ? r : { ...r, url: esm, format: 'module' };
}
