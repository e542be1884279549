import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { memcpyStream, STREAM, type MemcpyStreamParams } from '../clients/memcpy-stream/stream.js';
import { builtinCheckers } from './checkers.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'size',
    flag: 'size',
    kind: 'uint',
    default: 64,
    min: 1,
    max: 1 << 24,
    help: 'bytes per transfer',
  },
  {
    key: 'batch',
    flag: 'batch',
    kind: 'uint',
    default: 64,
    min: 1,
    max: 256,
    help: 'descriptors prepared and submitted per issue_pending',
  },
  {
    key: 'window',
    flag: 'window',
    kind: 'uint',
    default: 512,
    min: 1,
    max: 4096,
    help: 'descriptors in flight at most',
  },
  {
    key: 'verify',
    flag: 'verify',
    kind: 'bool',
    default: false,
    help: 'compare every destination with its source (each batch completes first)',
  },
];

/**
 * One memcpy stream per channel, each on its own CPU: the throughput path (batched issue,
 * a window in flight, one callback per descriptor).
 */
export const memcpyStreamScenario: Scenario = {
  name: 'memcpy-stream',
  summary: 'one memcpy stream per channel: batched issue_pending, a window in flight (throughput)',
  params: PARAMS,
  defaults: { duration: 1000 },
  plan(_opts, params, chans) {
    const p = params as unknown as MemcpyStreamParams;
    const n = chans.length;
    return {
      cpus: n,
      state: [STREAM],
      arenaBytes: n * 2 * Math.max(p.batch, p.window) * p.size + n * 128 + (1 << 20),
      arenaFlags: ['--size', '--window', '--batch', '--controllers', '--channels'],
      irqCpu: (chan) => chan,
    };
  },
  cpuProgram(cpu, opts, params) {
    return memcpyStream(cpu, cpu, {
      ...(params as unknown as MemcpyStreamParams),
      iterations: opts.iterations,
    });
  },
  collect(results) {
    return { streams: results };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
