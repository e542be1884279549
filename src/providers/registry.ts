import type { ParamDef } from '../platform/param-schema.js';
import type { ProviderModule } from '../platform/provider.js';
import { optionalFn } from '../platform/module-export.js';
import { PluginRegistry } from '../platform/plugin-registry.js';
import { vdmaProvider } from './vdma/provider.js';
import { bamProvider } from './bam/provider.js';

/**
 * The built-in providers. Every actor thread imports this module: a provider's code must
 * not import the host (piscina, comlink, rxjs pipelines).
 */
export const PROVIDERS: readonly ProviderModule[] = [vdmaProvider, bamProvider];

const REGISTRY = new PluginRegistry<ProviderModule>('provider', 'ProviderModule', PROVIDERS, [
  ['name', 'a string', (v) => typeof v === 'string' && v.length > 0],
  ['summary', 'a string', (v) => typeof v === 'string'],
  ['options', 'an array of ParamDef', Array.isArray],
  ['probe', 'a function', (v) => typeof v === 'function'],
  ['engine', 'a function or absent', optionalFn],
  ['irqLines', 'a function or absent', optionalFn],
  ['irqChannel', 'a function or absent', optionalFn],
  ['tasklets', 'a function or absent', optionalFn],
  ['format', 'a function or absent', optionalFn],
]);

/**
 * What is wrong with a value meant as a ProviderModule, in one phrase, or null.
 * @param what how to name the value: `its 'provider' export`, `provider 'x'`
 */
export function providerShapeError(value: unknown, what: string): string | null {
  return REGISTRY.shapeError(value, what);
}

/**
 * A provider by name, or the object itself once checked.
 * @throws DmasimError DMASIM_BAD_OPTION for an unknown name (listing the known ones), a
 *   provider of the wrong shape, or one that is neither built in nor has a `module`
 */
export function resolveProvider(p: string | ProviderModule): ProviderModule {
  return REGISTRY.resolve(p);
}

/**
 * The provider of a device, in an actor thread: a built-in by name, else imported from its
 * module.
 * @throws DmasimError DMASIM_BAD_OPTION naming the file when it does not load or exports
 *   no provider of the right shape
 */
export function loadProvider(name: string, module?: string): Promise<ProviderModule> {
  return REGISTRY.load(name, module);
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
