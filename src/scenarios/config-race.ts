import type { Scenario } from './scenario.js';
import { everyController } from '../platform/devices.js';
import type { ParamDef } from '../platform/param-schema.js';
import type { SafePrepLock } from '../shm/machine.js';
import { configRaceClient, type ConfigRaceApi } from '../clients/config-race/client.js';
import { configRaceState } from '../clients/config-race/shared.js';
import { builtinCheckers } from './checkers.js';

/** `--lock` values, and the fallback lock each selects (the version of the safe prep series). */
export const SAFE_LOCKS: Readonly<Record<string, SafePrepLock>> = {
  mutex: 'mutex',
  spin_lock: 'spin_lock',
  spin_lock_bh: 'spin_lock_bh',
  irqsave: 'spin_lock_irqsave',
};

/** Bytes per transfer (nvmet moves kilobytes at a time). */
export const LEN_PARAM: ParamDef = {
  key: 'len',
  flag: 'len',
  kind: 'uint',
  default: 4096,
  min: 1,
  max: 1 << 20,
  help: 'bytes per transfer',
};

const PARAMS: readonly ParamDef[] = [
  {
    key: 'api',
    flag: 'api',
    kind: 'choice',
    default: 'safe',
    choices: ['unsafe', 'safe'],
    help: 'unsafe: slave_config then prep_slave_single; safe: dmaengine_prep_config_single_safe',
  },
  {
    key: 'lock',
    flag: 'lock',
    kind: 'choice',
    default: 'irqsave',
    choices: Object.keys(SAFE_LOCKS),
    help: "the safe API's fallback lock: mutex (v3), spin_lock (v4/v5), spin_lock_bh, irqsave (v6+)",
  },
  {
    key: 'providerAtomic',
    flag: 'provider-atomic',
    kind: 'bool',
    default: false,
    help: 'the provider implements device_prep_config_sg (no framework lock)',
  },
  {
    key: 'clients',
    flag: 'clients',
    kind: 'uint',
    default: 2,
    min: 1,
    max: 8,
    help: 'CPUs sharing the channel, each with its own FIFO and config',
  },
  LEN_PARAM,
];

/**
 * Several CPUs share one slave channel, each sending to its own device FIFO with its own
 * slave config, and re-preparing from completion callbacks (as nvmet pci-epf does). The
 * old config-then-prep pattern lets one caller's config reach another's descriptor; the
 * safe API with each version's lock shows what that version does instead.
 */
export const configRaceScenario: Scenario = {
  name: 'config-race',
  summary:
    'CPUs share a slave channel with their own configs: config-vs-prep race, safe prep API variants',
  params: PARAMS,
  defaults: { mode: 'controlled', duration: 1000, lockdep: true, events: 'api' },
  controlledDefaults: { duration: 0, iterations: 16 },
  plan(opts, params) {
    const p = params as {
      api: ConfigRaceApi;
      lock: string;
      providerAtomic: boolean;
      clients: number;
      len: number;
    };
    return {
      cpus: p.clients,
      state: configRaceState(p.clients),
      arenaBytes: p.clients * 12 * (p.len + 64) + (1 << 20),
      // Every callback runs on cpu0, over cpu0's own process-context config + prep.
      irqCpu: () => 0,
      controllers: everyController(opts.controllers, { prepConfigSg: p.providerAtomic }),
      machine: { safePrepLock: SAFE_LOCKS[p.lock] ?? 'spin_lock_irqsave' },
    };
  },
  cpuProgram(cpu, opts, params) {
    const p = params as { api: ConfigRaceApi; clients: number; len: number };
    return configRaceClient(cpu, {
      api: p.api,
      clients: p.clients,
      len: p.len,
      iterations: opts.iterations,
    });
  },
  collect(results) {
    return { clients: results };
  },
  checkers: builtinCheckers('configPrepMismatch', 'dataCorruption', 'apiMisuse'),
};
