import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { builtinCheckers } from './checkers.js';
import {
  TORTURE,
  TORTURE_TYPES,
  tortureWriter,
  type TortureResult,
  type TortureType,
} from '../clients/locktorture/torture.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'torture',
    flag: 'torture',
    kind: 'choice',
    default: 'spin_lock',
    choices: TORTURE_TYPES,
    help: 'the lock type to torture',
  },
  {
    key: 'writers',
    flag: 'writers',
    kind: 'uint',
    default: 2,
    min: 1,
    max: 16,
    help: 'CPUs taking the lock',
  },
  {
    key: 'hold',
    flag: 'hold',
    kind: 'uint',
    default: 0,
    help: 'loads done while holding the lock',
  },
];

/**
 * locktorture: writers on their own CPUs hammer one lock of the chosen type; lock
 * throughput, and exclusion checked by a counter only the lock protects.
 */
export const locktortureScenario: Scenario = {
  name: 'locktorture',
  summary:
    'writers on their own CPUs hammer one lock (spin_lock, _bh, _irqsave, mutex): exclusion and throughput',
  params: PARAMS,
  defaults: { duration: 1000, controllers: 1, channels: 1 },
  plan(_opts, params) {
    const p = params as { writers: number };
    return { cpus: p.writers, state: [TORTURE], arenaBytes: 1 << 20, irqCpu: () => 0 };
  },
  cpuProgram(cpu, opts, params) {
    const p = params as { torture: TortureType; writers: number; hold: number };
    return tortureWriter(cpu, p.torture, p.writers, p.hold, opts.iterations);
  },
  collect(results) {
    const writers = results as TortureResult[];
    const ops = writers.reduce((n, r) => n + (r?.ops ?? 0), 0);
    const seconds = Math.max(...writers.map((r) => r?.seconds ?? 0));
    const counter = writers[0]?.counter ?? 0;
    return {
      writers,
      ops,
      opsPerSecond: seconds > 0 ? ops / seconds : 0,
      counter,
      exclusive: counter === ops,
    };
  },
  // A lost update of the protected counter is reported as data corruption.
  checkers: builtinCheckers('dataCorruption'),
};
