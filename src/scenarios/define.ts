import { pathToFileURL } from 'node:url';
import { DmasimError } from '../errors.js';
import { scenarioShapeError } from './scenario-shape.js';
import { peripheralShapeError } from '../peripherals/registry.js';
import { providerShapeError } from '../providers/registry.js';
import { builtinCheckers } from './checkers.js';
import type { RunOptions } from './run-options.js';
import type { Scenario, ScenarioPlan } from './scenario.js';
import { optionalFn, shapeError, type ShapeRule } from '../platform/module-export.js';
import type { ParamDef } from '../platform/param-schema.js';
import type { PeripheralModule } from '../platform/peripheral.js';
import type { ProviderModule } from '../platform/provider.js';

/** The value type of one ParamDef: a choice's own strings, a bool's boolean, else number. */
type ParamValue<D extends ParamDef> = D['kind'] extends 'bool'
  ? boolean
  : D['kind'] extends 'choice'
    ? D['choices'] extends readonly (infer C extends string)[]
      ? C
      : string
    : D['kind'] extends 'string'
      ? string
      : number;

/** The resolved parameters of a scenario whose `params` are `D`, by key. */
export type ParamValues<D extends readonly ParamDef[]> = {
  [P in D[number] as P['key']]: ParamValue<P>;
};

/** A plan as defineScenario() takes it: `cpus` 1, `arenaBytes` 1 MiB, every irq to cpu0. */
export type PlanSpec = Omit<ScenarioPlan, 'cpus' | 'arenaBytes' | 'irqCpu'> &
  Partial<Pick<ScenarioPlan, 'cpus' | 'arenaBytes' | 'irqCpu'>>;

/** What defineScenario() takes: a Scenario whose members but `name` and `cpuProgram` are optional. */
export interface ScenarioDefinition<D extends readonly ParamDef[]> {
  name: string;
  /** Default: ''. */
  summary?: string;
  /** Its own flags. Default: none. */
  params?: D;
  providers?: Scenario['providers'];
  /** Default: {}. */
  defaults?: Partial<RunOptions>;
  controlledDefaults?: Partial<RunOptions>;
  /** Default: one CPU (see PlanSpec for each member's default). */
  plan?: (
    opts: RunOptions,
    params: ParamValues<D>,
    chanNames: readonly { name: string; device: string }[],
  ) => PlanSpec;
  cpuProgram: (cpu: number, opts: RunOptions, params: ParamValues<D>) => unknown;
  /** Default: `{ cpus: cpuResults }`. */
  collect?: (cpuResults: readonly unknown[]) => Record<string, unknown>;
  /** Default: every built-in checker (data corruption, API misuse, config/prep, dmatest). */
  checkers?: Scenario['checkers'];
  /** Default: the URL the loader imported the module from. */
  module?: string;
}

/** The checkers a defined scenario gets unless it names its own. */
const DEFAULT_CHECKERS = builtinCheckers(
  'dataCorruption',
  'apiMisuse',
  'configPrepMismatch',
  'dmatestFailure',
);

/** What defineScenario() checks before it fills the defaults. */
const SPEC_SHAPE: readonly ShapeRule<ScenarioDefinition<readonly ParamDef[]>>[] = [
  ['name', 'a non-empty string', (v) => typeof v === 'string' && v.length > 0],
  ['summary', 'a string or absent', (v) => v === undefined || typeof v === 'string'],
  ['plan', 'a function or absent', optionalFn],
  ['cpuProgram', 'a function', (v) => typeof v === 'function'],
  ['collect', 'a function or absent', optionalFn],
];

/** `defineScenario('x')`: how messages name a spec. */
function named(fn: string, spec: unknown): string {
  const name = (spec as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? `${fn}('${name}')` : `${fn}()'s argument`;
}

/**
 * A user's scenario, checked at once and completed with defaults, typed by its params
 * (`params` inferred as written: `cpuProgram`'s `params.n` is a number, a choice one of its
 * strings). Export it as `scenario`; `dmasim run ./file.ts` loads it, and the loader sets
 * its `module` to the file's URL.
 * @throws DmasimError DMASIM_BAD_OPTION naming the member that is wrong and what it must be
 */
export function defineScenario<const D extends readonly ParamDef[] = []>(
  spec: ScenarioDefinition<D>,
): Scenario {
  const what = named('defineScenario', spec);
  const wrong = shapeError(spec, what, 'ScenarioDefinition', SPEC_SHAPE);
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  const { plan } = spec;
  const scenario: Scenario = {
    ...spec,
    summary: spec.summary ?? '',
    params: spec.params ?? [],
    defaults: spec.defaults ?? {},
    plan: (opts, params, chanNames) => {
      const p = plan?.(opts, params as ParamValues<D>, chanNames) ?? {};
      return {
        ...p,
        cpus: p.cpus ?? 1,
        arenaBytes: p.arenaBytes ?? 1 << 20,
        irqCpu: p.irqCpu ?? (() => 0),
      };
    },
    cpuProgram: (cpu, opts, params) => spec.cpuProgram(cpu, opts, params as ParamValues<D>),
    collect: spec.collect ?? ((cpuResults) => ({ cpus: cpuResults })),
    checkers: spec.checkers ?? DEFAULT_CHECKERS,
  };
  const bad = scenarioShapeError(scenario, what);
  if (bad) throw new DmasimError('DMASIM_BAD_OPTION', bad);
  return scenario;
}

/**
 * The file:// URL of the module that called `fn` (its stack's first frame): the module a
 * provider or peripheral is defined in, which the actor threads import it from.
 */
function callerModule(fn: (spec: never) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  const first = (holder.stack ?? '').split('\n')[1]?.trim() ?? '';
  const m = /(?:\(|at )((?:file:\/\/)?\/[^\s()]*?):\d+:\d+\)?$/.exec(first);
  if (!m?.[1]) return undefined;
  return m[1].startsWith('file:') ? m[1] : pathToFileURL(m[1]).href;
}

/** What defineProvider() takes: a ProviderModule with `summary` and `options` optional. */
export type ProviderDefinition = Omit<ProviderModule, 'summary' | 'options'> &
  Partial<Pick<ProviderModule, 'summary' | 'options'>>;

/**
 * A user's DMA controller (driver and hardware), checked at once, with `summary` '' and no
 * `options` unless given. Export it as `provider` from the module that calls this (its
 * `module` defaults to that module's URL) and list it in a scenario's `providers`.
 * @throws DmasimError DMASIM_BAD_OPTION naming the member that is wrong and what it must be
 */
export function defineProvider(spec: ProviderDefinition): ProviderModule {
  const module = spec.module ?? callerModule(defineProvider);
  const provider: ProviderModule = {
    ...spec,
    summary: spec.summary ?? '',
    options: spec.options ?? [],
    ...(module ? { module } : {}),
  };
  const wrong = providerShapeError(provider, named('defineProvider', spec));
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  return provider;
}

/** What definePeripheral() takes: a PeripheralModule with `summary` and `options` optional. */
export type PeripheralDefinition = Omit<PeripheralModule, 'summary' | 'options'> &
  Partial<Pick<PeripheralModule, 'summary' | 'options'>>;

/**
 * A user's peripheral model, checked at once, with `summary` '' and no `options` unless
 * given. Export it as `peripheral` from the module that calls this (its `module` defaults
 * to that module's URL) and name it in a plan's `peripherals`.
 * @throws DmasimError DMASIM_BAD_OPTION naming the member that is wrong and what it must be
 */
export function definePeripheral(spec: PeripheralDefinition): PeripheralModule {
  const module = spec.module ?? callerModule(definePeripheral);
  const peripheral: PeripheralModule = {
    ...spec,
    summary: spec.summary ?? '',
    options: spec.options ?? [],
    ...(module ? { module } : {}),
  };
  const wrong = peripheralShapeError(peripheral, named('definePeripheral', spec));
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  return peripheral;
}
