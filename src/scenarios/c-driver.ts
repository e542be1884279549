import { resolve } from 'node:path';
import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { builtinCheckers } from './checkers.js';
import { CDriver, DRIVER_IMAGE } from '../cdriver/driver.js';
import { C_STACK_BYTES } from '../cdriver/runtime.js';
import { setDriverParams } from '../cdriver/imports/dmasim.js';
import { currentActor, printk } from '../kernel/current.js';
import { reportViolation } from '../kernel/report/user-violation.js';
import { stateOf } from '../kernel/state.js';
import { waitVarEventTimeout, wakeUpVar } from '../kernel/waitqueue.js';
import { WaitOp } from '../sched/wait-spec.js';
import { declareState } from '../shm/state-layout.js';
import { defineStruct } from '../shm/struct.js';
import { DmasimError } from '../errors.js';

const PARAMS: readonly ParamDef[] = [
  {
    key: 'source',
    flag: 'source',
    kind: 'string',
    default: '',
    help: 'the C file(s) of the driver, comma-separated',
  },
  {
    key: 'define',
    flag: 'define',
    kind: 'string',
    default: '',
    help: "-D definitions for the driver, comma-separated ('FIXED,DEPTH=4')",
  },
  {
    key: 'cpus',
    flag: 'cpus',
    kind: 'uint',
    default: 2,
    min: 1,
    max: 16,
    help: "CPUs; each runs the driver's DMASIM_CPU function",
  },
  {
    key: 'bytes',
    flag: 'bytes',
    kind: 'uint',
    default: 4096,
    min: 1,
    max: 1 << 24,
    help: 'dmasim_param("bytes"); also the stream of the FIFO device fifo0',
  },
  {
    key: 'rate',
    flag: 'rate',
    kind: 'uint',
    default: 64,
    min: 1,
    max: 1 << 20,
    help: "fifo0's stream rate, bytes per ms",
  },
];

interface CParams {
  source: string;
  define: string;
  cpus: number;
  bytes: number;
  rate: number;
}

/** The run's bookkeeping: probe done, CPUs finished. */
const SYNC = declareState(
  'cdriver.sync',
  defineStruct('cdriver_sync', { probed: 'i32', finished: 'i32' }),
  'machine',
);

/** Drivers by their source list (each thread makes its own). */
const drivers = new Map<string, CDriver>();

function list(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

function driverOf(p: CParams): CDriver {
  const sources = list(p.source);
  if (sources.length === 0) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      "c-driver: --source: expected the driver's C file (dmasim run ./my-driver.c)",
    );
  }
  const key = sources.map((s) => resolve(s)).join('\0');
  let d = drivers.get(key);
  if (!d) {
    d = new CDriver(sources, process.cwd());
    drivers.set(key, d);
  }
  return d;
}

/** Long enough for any driver's probe; the run's deadline ends a stuck one first. */
const WAIT_MS = 0x3fffffff;

/**
 * A C driver's own code on the simulated machine: `dmasim run ./my-driver.c`. CPU 0 runs
 * its probe, then every CPU its DMASIM_CPU function, then CPU 0 its remove. The machine
 * has --controllers vdma controllers and a FIFO device fifo0 (rx, --bytes at --rate).
 */
export const cDriverScenario: Scenario = {
  name: 'c-driver',
  summary: "your C driver (dmasim run ./driver.c): probe, each CPU's DMASIM_CPU, remove",
  params: PARAMS,
  defaults: {},
  controlledDefaults: {},
  plan(_opts, params) {
    const p = params as unknown as CParams;
    return {
      cpus: p.cpus,
      // The image first: the driver was linked to find its data there.
      state: [DRIVER_IMAGE, SYNC],
      arenaBytes: (4 << 20) + p.cpus * 2 * C_STACK_BYTES + 2 * p.bytes,
      arenaFlags: ['--bytes', '--cpus'],
      irqCpu: (chan) => chan % p.cpus,
      peripherals: [
        {
          peripheral: 'fifo',
          name: 'fifo0',
          irqCpu: p.cpus > 1 ? 1 : 0,
          options: { direction: 'rx', rate: p.rate, total: p.bytes },
        },
      ],
    };
  },
  async load(params, _opts, machine) {
    const p = params as unknown as CParams;
    const built = await driverOf(p).load(machine, list(p.define));
    const W = (
      globalThis as unknown as {
        WebAssembly: {
          Module: { new (b: Uint8Array): object; exports(m: object): { name: string }[] };
        };
      }
    ).WebAssembly;
    const names = W.Module.exports(new W.Module(built.wasm)).map((e) => e.name);
    if (!names.includes('dmasim_cpu')) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${p.source}: the driver has no DMASIM_CPU(fn): dmasim runs fn(cpu) on each CPU (include <dmasim.h>)`,
      );
    }
  },
  cpuProgram(cpu, opts, params) {
    const p = params as unknown as CParams;
    // dmasim_param() reads the scenario's flags, and --iterations when it is given.
    setDriverParams({ ...(opts.iterations > 0 ? { iterations: opts.iterations } : {}), ...params });
    const rt = driverOf(p).runtime();
    const sync = stateOf(currentActor().machine, SYNC).at(0);
    const w = sync.words;
    if (cpu === 0) {
      const ret = rt.call('dmasim_probe') ?? 0;
      if (ret < 0) reportViolation('driver-error', { message: `probe failed: ${ret}`, cpu, ret });
      Atomics.store(w, sync.i('probed'), ret < 0 ? 2 : 1);
      wakeUpVar(w, sync.i('probed'));
      if (ret < 0) return { probe: ret };
    } else {
      waitVarEventTimeout(w, sync.i('probed'), WaitOp.NE, 0, WAIT_MS);
      if (Atomics.load(w, sync.i('probed')) !== 1) return { probe: 'failed' };
    }
    const ret = rt.call('dmasim_cpu', cpu) ?? 0;
    if (ret < 0)
      reportViolation('driver-error', { message: `DMASIM_CPU(${cpu}) returned ${ret}`, cpu, ret });
    printk(`c-driver: cpu${cpu} returned ${ret}`);
    Atomics.add(w, sync.i('finished'), 1);
    wakeUpVar(w, sync.i('finished'));
    if (cpu === 0) {
      waitVarEventTimeout(w, sync.i('finished'), WaitOp.GE, p.cpus, WAIT_MS);
      rt.call('dmasim_remove');
    }
    return { ret };
  },
  collect(results) {
    return { cpus: results };
  },
  checkers: builtinCheckers('apiMisuse'),
};

/**
 * This module as the actor threads import it: compiled, also when the host runs from the
 * TypeScript sources (tests), so that the threads share one kernel with the built-ins.
 */
const COMPILED = import.meta.url.includes('/dist/src/')
  ? import.meta.url
  : import.meta.url.replace(/\/src\/scenarios\/c-driver\.ts$/, '/dist/src/scenarios/c-driver.js');

/** As a module exports it: threads of a run of a C file import the scenario from here. */
export const scenario = cDriverScenario;

/**
 * `dmasim run ./my-driver.c`: the c-driver scenario with --source defaulting to the file,
 * named by it. Its threads import this module.
 */
export function cFileScenario(file: string): Scenario {
  return {
    ...cDriverScenario,
    module: COMPILED,
    params: cDriverScenario.params.map((d) => (d.key === 'source' ? { ...d, default: file } : d)),
  };
}
