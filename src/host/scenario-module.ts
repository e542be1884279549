import { spawnSync } from 'node:child_process';
import { DmasimError } from '../errors.js';
import { fileOf, shapeError, type ShapeRule } from '../platform/module-export.js';
import type { Scenario } from '../scenarios/scenario.js';

/** What each member of a Scenario must be, as the host and the actors use it. */
const SHAPE: readonly ShapeRule<Scenario>[] = [
  ['name', 'a string', (v) => typeof v === 'string'],
  ['params', 'an array of ParamDef', Array.isArray],
  ['defaults', 'an object', (v) => typeof v === 'object' && v !== null],
  ['plan', 'a function', (v) => typeof v === 'function'],
  ['cpuProgram', 'a function', (v) => typeof v === 'function'],
  ['collect', 'a function', (v) => typeof v === 'function'],
  ['checkers', 'an array or a function', (v) => Array.isArray(v) || typeof v === 'function'],
];

/**
 * What is wrong with a value meant as a Scenario, in one phrase, or null if nothing is.
 * @param what how to name the value: `its 'scenario' export`, `the scenario object`
 */
export function scenarioShapeError(value: unknown, what: string): string | null {
  return shapeError(value, what, 'Scenario', SHAPE);
}

/**
 * `file:line` of a syntax error: import() says what is wrong but not where, `node --check`
 * (which parses without running anything) prints where first.
 */
function syntaxErrorAt(file: string): string {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const first = (r.stderr ?? '').split('\n', 1)[0] ?? '';
  return first.startsWith(`${file}:`) ? first : file;
}

/**
 * Loads a user scenario module (in a worker, or on the host before any thread starts) and
 * checks what it exports.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file: it does not load (syntax error,
 *   missing import, an exception while it runs), exports no `scenario`, or one of the
 *   wrong shape
 */
export async function importScenario(url: string): Promise<Scenario> {
  const file = fileOf(url);
  let mod: { scenario?: unknown };
  try {
    mod = (await import(url)) as { scenario?: unknown };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const where = e instanceof SyntaxError ? syntaxErrorAt(file) : file;
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${where}: the scenario module does not load: ${e.name}: ${e.message}`,
      { cause: err },
    );
  }
  if (!('scenario' in mod)) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `${file}: the module exports no 'scenario' (it must export a Scenario object as 'scenario')`,
    );
  }
  const wrong = scenarioShapeError(mod.scenario, "its 'scenario' export");
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${file}: ${wrong}`);
  return mod.scenario as Scenario;
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
