import type { Scenario } from './scenario.js';
import { LEN_PARAM } from './config-race.js';
import type { ParamDef } from '../platform/param-schema.js';
import { builtinCheckers } from './checkers.js';
import {
  CLIENT_ASSOCIATION_VARIANTS,
  clientAssociation,
  type ClientAssociationVariant,
} from '../clients/client-association/client.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'variant',
    flag: 'variant',
    kind: 'choice',
    choices: CLIENT_ASSOCIATION_VARIANTS,
    default: 'clean',
    help: 'clean (terminate_sync, then release) or release-in-flight (release at once)',
  },
  {
    key: 'transfers',
    flag: 'transfers',
    kind: 'uint',
    default: 4,
    min: 2,
    max: 1024,
    help: 'memcpy transfers submitted (the first half issued)',
  },
  LEN_PARAM,
  {
    key: 'suspended',
    flag: 'suspended',
    kind: 'bool',
    default: false,
    help: 'the client device is runtime-suspended (a provider run with --client-pm refuses it)',
  },
];

interface ClientAssociationParams {
  variant: ClientAssociationVariant;
  transfers: number;
  len: number;
  suspended: boolean;
}

/**
 * The requesting device reaches the provider: dma_request_chan(dev, name) records the
 * client device in the channel, the provider sees it in device_alloc_chan_resources (vdma
 * takes a runtime-PM reference on it, or with --client-pm refuses a suspended one) and
 * gives it back in device_free_chan_resources. Releasing with transfers still in flight is
 * release-with-transfers-in-flight.
 */
export const clientAssociationScenario: Scenario = {
  name: 'client-association',
  summary:
    'the client device at alloc/free_chan_resources; release with transfers in flight (--variant release-in-flight)',
  params: PARAMS,
  defaults: { events: 'api' },
  plan(_opts, params) {
    const p = params as unknown as ClientAssociationParams;
    return {
      cpus: 1,
      arenaBytes: p.len * (p.transfers + 1) + (1 << 20),
      arenaFlags: ['--len', '--transfers'],
      irqCpu: () => 0,
    };
  },
  cpuProgram(cpu, _opts, params) {
    if (cpu !== 0) return null;
    const p = params as unknown as ClientAssociationParams;
    return clientAssociation('dma0chan0', 'spi0', p.variant, p.transfers, p.len, p.suspended);
  },
  collect(results) {
    return { client: results[0] ?? null };
  },
  checkers: builtinCheckers('apiMisuse'),
};
