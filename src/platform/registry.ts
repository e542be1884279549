import { fileURLToPath } from 'node:url';
import { DmasimError } from '../errors.js';
import { vdmaProvider } from '../providers/vdma/provider.js';
import { fifoPeripheral } from '../peripherals/fifo/peripheral.js';
import type { PeripheralModule } from './peripheral.js';
import type { ProviderModule } from './provider.js';
import type { ParamDef } from '../scenarios/param-schema.js';

/**
 * The built-in providers. Every actor thread imports this module: a provider's code must
 * not import the host (piscina, comlink, rxjs pipelines).
 */
export const PROVIDERS: readonly ProviderModule[] = [vdmaProvider];

/** The built-in peripheral models. */
export const PERIPHERALS: readonly PeripheralModule[] = [fifoPeripheral];

/** What each member of a ProviderModule must be. */
const SHAPE: readonly (readonly [keyof ProviderModule, string, (v: unknown) => boolean])[] = [
  ['name', 'a string', (v) => typeof v === 'string' && v.length > 0],
  ['summary', 'a string', (v) => typeof v === 'string'],
  ['options', 'an array of ParamDef', Array.isArray],
  ['probe', 'a function', (v) => typeof v === 'function'],
  ['engine', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
  ['irqLines', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
  ['tasklets', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
  ['format', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
];

/**
 * What is wrong with a value meant as a ProviderModule, in one phrase, or null.
 * @param what how to name the value: `its 'provider' export`, `provider 'x'`
 */
export function providerShapeError(value: unknown, what: string): string | null {
  if (typeof value !== 'object' || value === null) {
    return `${what} is ${value === null ? 'null' : typeof value}, expected a ProviderModule object`;
  }
  const p = value as Record<string, unknown>;
  for (const [key, expected, ok] of SHAPE) {
    if (!ok(p[key])) return `${what}'s '${key}' must be ${expected} (got ${typeof p[key]})`;
  }
  return null;
}

/**
 * A provider by name, or the object itself once checked.
 * @throws DmasimError DMASIM_BAD_OPTION for an unknown name (listing the known ones), a
 *   provider of the wrong shape, or one that is neither built in nor has a `module`
 */
export function resolveProvider(p: string | ProviderModule): ProviderModule {
  if (typeof p === 'string') {
    const found = PROVIDERS.find((x) => x.name === p);
    if (!found) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `unknown provider '${p}'; known providers: ${PROVIDERS.map((x) => x.name).join(', ')}`,
      );
    }
    return found;
  }
  const wrong = providerShapeError(p, `provider '${String((p as { name?: unknown }).name)}'`);
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  if (!PROVIDERS.includes(p) && !p.module) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `provider '${p.name}' is not built in: set its 'module' to the file:// URL of the module exporting it as 'provider'`,
    );
  }
  return p;
}

/**
 * The provider of a device, in an actor thread: a built-in by name, else imported from its
 * module (once per thread and URL: import() caches it).
 * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not load or exports
 *   no provider of the right shape
 */
export async function loadProvider(name: string, module?: string): Promise<ProviderModule> {
  if (!module) return resolveProvider(name);
  const value = await importExport(module, 'provider');
  const wrong = providerShapeError(value, "its 'provider' export");
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${fileOf(module)}: ${wrong}`);
  return value as ProviderModule;
}

/** What each member of a PeripheralModule must be. */
const PERIPHERAL_SHAPE: readonly (readonly [
  keyof PeripheralModule,
  string,
  (v: unknown) => boolean,
])[] = [
  ['name', 'a string', (v) => typeof v === 'string' && v.length > 0],
  ['summary', 'a string', (v) => typeof v === 'string'],
  ['options', 'an array of ParamDef', Array.isArray],
  ['words', 'a function', (v) => typeof v === 'function'],
  ['run', 'a function', (v) => typeof v === 'function'],
  ['port', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
  ['irqLines', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
  ['format', 'a function or absent', (v) => v === undefined || typeof v === 'function'],
];

/** What is wrong with a value meant as a PeripheralModule, in one phrase, or null. */
export function peripheralShapeError(value: unknown, what: string): string | null {
  if (typeof value !== 'object' || value === null) {
    return `${what} is ${value === null ? 'null' : typeof value}, expected a PeripheralModule object`;
  }
  const p = value as Record<string, unknown>;
  for (const [key, expected, ok] of PERIPHERAL_SHAPE) {
    if (!ok(p[key])) return `${what}'s '${key}' must be ${expected} (got ${typeof p[key]})`;
  }
  return null;
}

/**
 * A peripheral model by name, or the object itself once checked.
 * @throws DmasimError DMASIM_BAD_OPTION as resolveProvider() does
 */
export function resolvePeripheral(p: string | PeripheralModule): PeripheralModule {
  if (typeof p === 'string') {
    const found = PERIPHERALS.find((x) => x.name === p);
    if (!found) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `unknown peripheral '${p}'; known peripherals: ${PERIPHERALS.map((x) => x.name).join(', ')}`,
      );
    }
    return found;
  }
  const wrong = peripheralShapeError(p, `peripheral '${String((p as { name?: unknown }).name)}'`);
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  if (!PERIPHERALS.includes(p) && !p.module) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `peripheral '${p.name}' is not built in: set its 'module' to the file:// URL of the module exporting it as 'peripheral'`,
    );
  }
  return p;
}

/** The model of a peripheral, in an actor thread (see loadProvider()). */
export async function loadPeripheral(name: string, module?: string): Promise<PeripheralModule> {
  if (!module) return resolvePeripheral(name);
  const value = await importExport(module, 'peripheral');
  const wrong = peripheralShapeError(value, "its 'peripheral' export");
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', `${fileOf(module)}: ${wrong}`);
  return value as PeripheralModule;
}

/** The `name` export of the module at `url`. @throws DmasimError naming the file */
async function importExport(url: string, name: string): Promise<unknown> {
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

function fileOf(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (err) {
    // Not a file:// URL: import() said what is wrong with it.
    void err;
    return url;
  }
}

/**
 * The providers a scenario's controllers may be, with the options each takes as flags
 * (Scenario.providers; default vdma).
 */
export function scenarioProviders(scenario: {
  providers?: readonly (string | ProviderModule)[];
}): ProviderModule[] {
  return (scenario.providers ?? ['vdma']).map(resolveProvider);
}

/**
 * Every flag of a scenario's runs beyond the run options: its own parameters, then its
 * providers' options (a key two of them share is listed once).
 */
export function scenarioOptionDefs(scenario: {
  params: readonly ParamDef[];
  providers?: readonly (string | ProviderModule)[];
}): ParamDef[] {
  const defs = [...scenario.params];
  for (const p of scenarioProviders(scenario)) {
    for (const d of p.options) if (!defs.some((x) => x.key === d.key)) defs.push(d);
  }
  return defs;
}
