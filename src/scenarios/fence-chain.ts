import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { everyController } from '../platform/devices.js';
import {
  FENCE_CHAIN,
  fenceChainClient,
  type FenceChainResult,
} from '../clients/fence-chain/client.js';
import { builtinCheckers } from './checkers.js';
import { LEN_PARAM } from './config-race.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'variant',
    flag: 'variant',
    kind: 'choice',
    choices: ['no-fence', 'fence'],
    default: 'fence',
    help: 'no-fence: the A->B copy does not say B->C depends on it; fence: DMA_PREP_FENCE on it',
  },
  LEN_PARAM,
];

/**
 * DMA_PREP_FENCE as dmaengine.h defines it ("subsequent operations depend on the result of
 * this operation"): vdma with its two-deep pipeline reads the next descriptor's source
 * before this one is written back unless this one is fenced. A chain A->B, B->C without the
 * fence copies B's old bytes into C (data corruption); with it, C holds A's bytes.
 */
export const fenceChainScenario: Scenario = {
  name: 'fence-chain',
  summary:
    'a memcpy chain A->B, B->C on a pipelined engine: stale bytes without DMA_PREP_FENCE (--variant no-fence)',
  params: PARAMS,
  defaults: { mode: 'controlled', duration: 0, iterations: 16 },
  plan(opts, params, chans) {
    const p = params as { len: number };
    return {
      // One client per channel, on its own CPU, which the channel interrupts.
      cpus: chans.length,
      state: [FENCE_CHAIN],
      arenaBytes: chans.length * 3 * (p.len + 64) + (1 << 20),
      arenaFlags: ['--len', '--channels'],
      irqCpu: (chan) => chan,
      controllers: everyController(opts.controllers, { pipeline: true }),
    };
  },
  cpuProgram(cpu, opts, params) {
    const p = params as { variant: string; len: number };
    return fenceChainClient(cpu, {
      fence: p.variant === 'fence',
      len: p.len,
      iterations: opts.iterations > 0 ? opts.iterations : 16,
    });
  },
  collect(results) {
    const r = results as FenceChainResult[];
    return { clients: r, stale: r.reduce((n, x) => n + x.stale, 0) };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
