import type { Scenario } from './scenario.js';
import { everyController } from '../platform/devices.js';
import type { ParamDef } from '../platform/param-schema.js';
import { LEN_PARAM } from './config-race.js';
import { configRaceClient } from '../clients/config-race/client.js';
import { configRaceState } from '../clients/config-race/shared.js';
import { builtinCheckers } from './checkers.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'fixed',
    flag: 'fixed',
    kind: 'bool',
    default: false,
    help: 'the fix: callbacks run after the provider dropped its lock',
  },
  LEN_PARAM,
];

/**
 * The PL08x bug (Russell King, 2010; commit 858c21c0f380): the driver's tasklet called
 * client callbacks with its channel lock held; pl011's callback prepared the next transfer,
 * whose prep took the same lock on the same CPU: "BUG: spinlock lockup". The fixed variant
 * calls callbacks after dropping the lock, as vchan_complete() does.
 */
export const pl08xScenario: Scenario = {
  name: 'pl08x-callback-under-lock',
  summary:
    'a provider calls callbacks under its lock; a callback that re-preps deadlocks (--fixed: clean)',
  params: PARAMS,
  defaults: { mode: 'controlled', duration: 500, lockdep: true, events: 'api' },
  controlledDefaults: { duration: 0, iterations: 16 },
  plan(opts, params) {
    const p = params as { fixed: boolean; len: number };
    return {
      cpus: 1,
      state: configRaceState(1),
      arenaBytes: 12 * (p.len + 64) + (1 << 20),
      irqCpu: () => 0,
      controllers: everyController(opts.controllers, { callbackUnderLock: !p.fixed }),
    };
  },
  cpuProgram(cpu, opts, params) {
    const p = params as { len: number };
    return configRaceClient(cpu, {
      api: 'safe',
      clients: 1,
      len: p.len,
      iterations: opts.iterations,
    });
  },
  collect(results) {
    return { clients: results };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
