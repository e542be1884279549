import { spawnSync } from 'node:child_process';
import { DmasimError } from '../errors.js';
import { cFileScenario } from '../scenarios/c-driver.js';
import { fileOf } from '../platform/module-export.js';
import { scenarioShapeError } from '../scenarios/scenario-shape.js';
import { registerUserModuleLoader } from '../user-module/register.js';
import { isModulePath, moduleUrl } from '../user-module/module-path.js';
import type { Scenario } from '../scenarios/scenario.js';

/**
 * `file:line` of a syntax error in JavaScript: import() says what is wrong but not where,
 * `node --check` (which parses without running anything) prints where first.
 */
function syntaxErrorAt(file: string): string | null {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const first = (r.stderr ?? '').split('\n', 1)[0] ?? '';
  return first.startsWith(`${file}:`) ? first : null;
}

/**
 * `file:line[:column]` of a syntax error in `file`, or `file`: esbuild's TransformError (a
 * TypeScript file, through tsx) says where in its message; for JavaScript, `node --check`
 * finds it. Anything else (an exception while the module runs) names the file alone: its
 * stack says the rest.
 */
function whereItFailed(e: Error, file: string): string {
  if (e.name === 'TransformError') {
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const at = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(e.message);
    if (at) return `${file}:${at[1]}${at[2] ? `:${at[2]}` : ''}`;
  }
  if (e instanceof SyntaxError && /\.m?js$/.test(file)) return syntaxErrorAt(file) ?? file;
  return file;
}

/**
 * Imports a user's module by URL (a scenario, a provider, a peripheral), registering the
 * loader for users' modules first (TypeScript, `import ... from 'dmasim'`) in this thread.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file (and the line where it can) when it
 *   does not load
 * @param what how messages name it: `scenario`, `provider`
 */
export async function importUserModule(
  url: string,
  what: string,
): Promise<Record<string, unknown>> {
  await registerUserModuleLoader(url);
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const file = fileOf(url);
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${whereItFailed(e, file)}: the ${what} module does not load: ${e.name}: ${firstLines(e.message)}`,
      { cause: err },
    );
  }
}

/** A message's first lines: esbuild's repeat the source and a caret, which help little here. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 3).join(' ').trim();
}

/**
 * Loads a user scenario module (in a worker, or on the host before any thread starts) and
 * checks what it exports. A scenario without a `module` gets `url`, the URL it was loaded
 * from, which the actor threads import; so does a `provider` or `peripheral` the module
 * exports without one.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file: it does not load (syntax error,
 *   missing import, an exception while it runs), exports no `scenario`, or one of the
 *   wrong shape
 */
export async function importScenario(url: string): Promise<Scenario> {
  const file = fileOf(url);
  const mod = await importUserModule(url, 'scenario');
  if (!('scenario' in mod)) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${file}: the module exports no 'scenario' (it must export a Scenario object as 'scenario': ` +
        `export const scenario = defineScenario({ ... }))`,
    );
  }
  const wrong = scenarioShapeError(mod.scenario, "its 'scenario' export");
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${file}: ${wrong}`);
  for (const key of ['provider', 'peripheral']) {
    const p = mod[key] as { module?: string } | undefined;
    if (typeof p === 'object' && p !== null && !p.module && Object.isExtensible(p)) p.module = url;
  }
  const scenario = mod.scenario as Scenario;
  if (scenario.module) return scenario;
  if (Object.isExtensible(scenario)) {
    scenario.module = url;
    return scenario;
  }
  return { ...scenario, module: url };
}

/**
 * The scenario a path names (see isModulePath()), loaded on the host.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file: no such file, or importScenario()'s
 */
export function loadScenarioModule(path: string): Promise<Scenario> {
  const url = moduleUrl(path);
  if (path.endsWith('.c')) return Promise.resolve(cFileScenario(fileOf(url)));
  return importScenario(url);
}

/**
 * A scenario argument as prepare() takes it: a module path loaded, else as it is (a
 * built-in's name, a Scenario object).
 * @throws (rejects) DmasimError DMASIM_BAD_OPTION as loadScenarioModule()
 */
export async function scenarioArg(s: string | Scenario): Promise<string | Scenario> {
  return typeof s === 'string' && isModulePath(s) ? loadScenarioModule(s) : s;
}

/**
 * What is wrong with a value a cpuProgram returned, in one phrase, or null if nothing is.
 * The value crosses to the host thread (structured clone), and the CPU's process context
 * ends when cpuProgram returns: there is nothing left to await a Promise with.
 */
export function cpuProgramResultError(value: unknown): string | null {
  if (typeof value === 'function') return 'a function';
  if (typeof (value as { then?: unknown } | null)?.then === 'function') {
    return 'a Promise (or another thenable): cpuProgram runs synchronously and cannot await';
  }
  try {
    structuredClone(value);
    return null;
  } catch (err) {
    return `a value that cannot be cloned (${(err as Error).message})`;
  }
}
