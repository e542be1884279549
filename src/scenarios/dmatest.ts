import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { DMATEST_DEFAULTS, type DmatestParams } from '../clients/dmatest/params.js';
import { dmatestCpuProgram, dmatestFilter } from '../clients/dmatest/module.js';
import { INFO, THREADS } from '../clients/dmatest/shared.js';
import type { DmatestSummary } from '../clients/dmatest/thread.js';
import { builtinCheckers } from './checkers.js';
import { DmasimError } from '../errors.js';

const D = DMATEST_DEFAULTS;

const PARAMS: readonly ParamDef[] = [
  {
    key: 'channel',
    flag: 'channel',
    kind: 'string',
    default: D.channel,
    help: 'bus ID of the channel to test (dma0chan0); empty: any',
  },
  {
    key: 'device',
    flag: 'device',
    kind: 'string',
    default: D.device,
    help: 'bus ID of the DMA device (dma0); empty: any',
  },
  {
    key: 'threadsPerChan',
    flag: 'threads-per-chan',
    kind: 'uint',
    default: D.threadsPerChan,
    min: 1,
    max: 16,
    help: 'test threads per channel',
  },
  {
    key: 'maxChannels',
    flag: 'max-channels',
    kind: 'uint',
    default: D.maxChannels,
    help: 'channels to test (0: all)',
  },
  {
    key: 'testBufSize',
    flag: 'test-buf-size',
    kind: 'uint',
    default: D.testBufSize,
    min: 1,
    max: 1 << 24,
    help: 'size of each src/dst buffer',
  },
  {
    key: 'transferSize',
    flag: 'transfer-size',
    kind: 'uint',
    default: D.transferSize,
    help: 'fixed transfer length (0: random), below test-buf-size',
  },
  {
    key: 'timeout',
    flag: 'timeout',
    kind: 'int',
    default: D.timeout,
    min: -1,
    help: 'per-transfer wait in ms (-1: infinite; unused when polled)',
  },
  {
    key: 'noverify',
    flag: 'noverify',
    kind: 'bool',
    default: D.noverify,
    help: 'skip pattern fill and verify',
  },
  {
    key: 'norandom',
    flag: 'norandom',
    kind: 'bool',
    default: D.norandom,
    help: 'whole-buffer transfers at offset 0',
  },
  {
    key: 'polled',
    flag: 'polled',
    kind: 'bool',
    default: D.polled,
    help: 'poll with dma_sync_wait instead of waiting for the callback',
  },
  {
    key: 'alignment',
    flag: 'alignment',
    kind: 'int',
    default: D.alignment,
    min: -1,
    max: 20,
    help: "alignment shift (-1: the device's copy_align)",
  },
  {
    key: 'verbose',
    flag: 'verbose',
    kind: 'bool',
    default: D.verbose,
    help: 'log passed tests too',
  },
];

function dmatestParams(iterations: number, p: Record<string, unknown>): DmatestParams {
  return { ...(p as Omit<DmatestParams, 'iterations'>), iterations };
}

/**
 * Refuses a plan on which dmatest_func() would run no test at all: it would log why and end
 * with a summary a script cannot tell from a pass (the transfer-size check even counts one
 * test). The kernel's own words are quoted in the refusal.
 * @throws DmasimError DMASIM_BAD_OPTION naming the flag and the figure
 */
function refuseTestless(
  p: DmatestParams,
  matched: readonly string[],
  chans: readonly string[],
): void {
  const bad = (message: string): never => {
    throw new DmasimError('DMASIM_BAD_OPTION', message);
  };
  if (matched.length === 0) {
    const flags = [
      ...(p.channel ? [`--channel ${p.channel}`] : []),
      ...(p.device ? [`--device ${p.device}`] : []),
    ];
    bad(
      `${flags.join(' with ') || 'the run'} matches none of this run's channels (${chans.join(', ')}): ` +
        'dmatest would log "Could not start test, no channels configured" and run no test',
    );
  }
  const buf = p.testBufSize;
  if (p.transferSize !== 0 && p.transferSize >= buf) {
    bad(
      `--transfer-size: got ${p.transferSize}, expected less than --test-buf-size (${buf}): ` +
        `dmatest would log "${p.transferSize}-byte transfer size must be lower than ${buf}-buffer size" and run no test`,
    );
  }
  // alignment -1 takes the device's copy_align, 0 on vdma: a 1-byte alignment fits any buffer.
  if (p.alignment >= 0 && 1 << p.alignment > buf) {
    bad(
      `--alignment: got ${p.alignment} (${1 << p.alignment}-byte alignment), more than --test-buf-size (${buf}): ` +
        `dmatest would log "${buf}-byte buffer too small for ${1 << p.alignment}-byte alignment" and run no test`,
    );
  }
}

/**
 * The kernel's dmatest: threads_per_chan memcpy threads on each matching channel, each on
 * its own CPU, filling, copying through the engine and verifying with the kernel's patterns.
 */
export const dmatestScenario: Scenario = {
  name: 'dmatest',
  summary: "the kernel's DMA engine test client: memcpy threads per channel, pattern-verified",
  params: PARAMS,
  defaults: { duration: 1000 },
  plan(opts, params, chans) {
    const p = dmatestParams(opts.iterations, params);
    let matched = chans.filter((c) => dmatestFilter(c.name, c.device, p)).map((c) => c.name);
    if (p.maxChannels) matched = matched.slice(0, p.maxChannels);
    refuseTestless(
      p,
      matched,
      chans.map((c) => c.name),
    );
    const threads = matched.length * p.threadsPerChan;
    return {
      cpus: Math.max(1, threads),
      state: [INFO, { decl: THREADS, count: threads }],
      arenaBytes: threads * 2 * (p.testBufSize + (1 << Math.max(0, p.alignment)) + 64) + (1 << 20),
      arenaFlags: ['--test-buf-size', '--threads-per-chan', '--max-channels', '--channels'],
      // A channel interrupts the CPU of its first thread, as a driver with spread affinity.
      irqCpu: (_chan, name) => Math.max(0, matched.indexOf(name)) * p.threadsPerChan,
    };
  },
  cpuProgram(cpu, opts, params) {
    return dmatestCpuProgram(cpu, dmatestParams(opts.iterations, params));
  },
  collect(results) {
    return { threads: results.filter((r): r is DmatestSummary => r !== null && r !== undefined) };
  },
  checkers: builtinCheckers('dataCorruption', 'dmatestFailure', 'apiMisuse'),
};
