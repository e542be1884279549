import type { Scenario } from './scenario.js';
import { LEN_PARAM } from './config-race.js';
import type { ParamDef } from '../platform/param-schema.js';
import { everyController } from '../platform/devices.js';
import { builtinCheckers } from './checkers.js';
import {
  TERMINATE_RACE,
  TERMINATE_RACE_VARIANTS,
  terminateRaceDriver,
  type TerminateRaceVariant,
} from '../clients/terminate-race/driver.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'variant',
    flag: 'variant',
    kind: 'choice',
    choices: TERMINATE_RACE_VARIANTS,
    default: 'sync',
    help:
      'the stop path: sync (the fix: dmaengine_synchronize() before kfree), no-sync ' +
      '(kfree after terminate_async: use-after-free), terminate-sync-in-callback',
  },
  {
    key: 'transfers',
    flag: 'transfers',
    kind: 'uint',
    default: 4,
    min: 1,
    max: 1024,
    help: 'memcpy transfers of the stream, the last one issued by the stop path',
  },
  LEN_PARAM,
];

interface TerminateRaceParams {
  variant: TerminateRaceVariant;
  transfers: number;
  len: number;
}

/**
 * Lars-Peter Clausen's race (commit b36f09c3c441, which added dmaengine_synchronize() and
 * deprecated dmaengine_terminate_all()): terminate cannot wait for a completion callback
 * that is running, so a driver that frees what the callback uses right after terminate
 * frees it under the callback. cpu0 runs the driver and its stop path; the channel
 * interrupts cpu1, whose tasklet runs the callback. The callback waits for the driver lock
 * the stop path holds, so the race is decided by the code, not by timing.
 */
export const terminateRaceScenario: Scenario = {
  name: 'terminate-race',
  summary:
    'terminate_async then kfree while the completion callback runs: use-after-free (--variant no-sync)',
  params: PARAMS,
  // Every variant decides its race by code, in any mode. terminate-sync-in-callback
  // deadlocks as the kernel would (the callback's synchronize waits for itself): a
  // controlled run reports it at once; a free one at this deadline.
  defaults: { mode: 'controlled', lockdep: true, events: 'api', deadline: 5000 },
  plan(opts, params) {
    const p = params as unknown as TerminateRaceParams;
    return {
      cpus: 2,
      state: [TERMINATE_RACE],
      arenaBytes: p.len * (p.transfers + 1) + (1 << 20),
      arenaFlags: ['--len', '--transfers'],
      irqCpu: () => 1,
      // Callbacks in the tasklet, as virt-dma runs them.
      controllers: everyController(opts.controllers, { callbackContext: 'softirq' }),
    };
  },
  cpuProgram(cpu, _opts, params) {
    if (cpu !== 0) return null;
    const p = params as unknown as TerminateRaceParams;
    return terminateRaceDriver('dma0chan0', p.variant, p.transfers, p.len);
  },
  collect(results) {
    return { driver: results[0] ?? null };
  },
  checkers: builtinCheckers('apiMisuse'),
};
