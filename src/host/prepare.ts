import { availableParallelism } from 'node:os';
import { CONTROL } from '../shm/control-block.js';
import { CHAN } from '../shm/channel-struct.js';
import { ARENA_MAX_BYTES } from '../shm/arena.js';
import { layoutState } from '../shm/state-layout.js';
import {
  LAYOUT_SIGNATURE,
  Machine,
  type ActorSpec,
  type DeviceSpec,
  type MachineSpec,
} from '../shm/machine.js';
import { EVENT_LEVELS } from '../events/kinds.js';
import { SCHED, type SchedSpec, type StrategyName } from '../shm/sched-struct.js';
import { SchedView } from '../sched/sched-view.js';
import { initSched } from '../sched/setup.js';
import { VdmaDevice } from '../providers/vdma/vdma.js';
import { SCENARIOS, getScenario } from '../scenarios/registry.js';
import { resolveParams, type ParamDef } from '../scenarios/param-schema.js';
import { RUN_OPTION_DEFS, type RunOptions } from '../scenarios/run-options.js';
import type { Scenario } from '../scenarios/scenario.js';
import { DmasimError } from '../errors.js';
import { MAX_ACTORS } from './pool.js';
import { scenarioShapeError } from './scenario-module.js';

/**
 * Decisions a controlled run logs (a replay file holds at most these): the log grows on
 * demand, so the bound costs only address space.
 */
const DECISION_LOG = 1 << 24;

/** Everything a run needs, resolved and checked before any thread starts. */
export interface Prepared {
  scenario: Scenario;
  opts: RunOptions;
  params: Record<string, unknown>;
  machine: Machine;
  view: SchedView;
}

/** What a replay run follows instead of choosing (see host/replay.ts, shrink/). */
export interface ReplayInput {
  strategy: Extract<StrategyName, 'replay' | 'follow' | 'shrink'>;
  /**
   * Controlled: the recorded decisions. Shrink: its own buffer, a list and room for what
   * the run writes back (see sched/strategies/shrink.ts).
   */
  decisions?: Uint16Array;
  /** Free/chaos: each actor's recorded (seq, label) pairs. Shrink: each actor's anchors. */
  points?: Int32Array[];
  /** The real choice at which the recorded schedule stopped the clients (0: none). */
  stopAt?: number;
}

/**
 * Resolves the run options and scenario parameters, plans the scenario and builds its
 * machine: devices formatted, irq affinity set. Bad options throw DmasimError.
 * @param name a scenario name, or a Scenario object (its `module` set unless built in)
 * @param input run options and scenario parameters, flat, camelCase keys
 * @param cores the cores this run may keep busy spinning (a campaign running several runs
 *   at once gives each its share); default: every core of the machine
 */
export function prepare(
  name: string | Scenario,
  input: Record<string, unknown>,
  replay?: ReplayInput,
  cores = availableParallelism(),
): Prepared {
  const wrong = typeof name === 'string' ? null : scenarioShapeError(name, 'the scenario object');
  if (wrong) throw new DmasimError('DMASIM_BAD_OPTION', wrong);
  const scenario = typeof name === 'string' ? getScenario(name) : name;
  if (typeof name !== 'string' && !name.module && !SCENARIOS.includes(name)) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `scenario '${name.name}' is not built in: set its 'module' to the file:// URL of the module exporting it`,
    );
  }
  const runKeys = new Set(RUN_OPTION_DEFS.map((d) => d.key));
  const runInput: Record<string, unknown> = {};
  const paramInput: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) (runKeys.has(k) ? runInput : paramInput)[k] = v;
  // A scenario's preferred duration applies only when the caller bounded the run neither way.
  const bounded = runInput.duration !== undefined || runInput.iterations !== undefined;
  const modeDef = RUN_OPTION_DEFS.find((d) => d.key === 'mode')!;
  const mode = resolveParams([{ ...modeDef, default: scenario.defaults.mode ?? modeDef.default }], {
    mode: runInput.mode,
  }).mode;
  const preferred: Partial<RunOptions> = {
    ...scenario.defaults,
    ...(mode === 'controlled' ? scenario.controlledDefaults : {}),
  };
  const defs: ParamDef[] = RUN_OPTION_DEFS.map((d) => {
    const own = preferred[d.key as keyof RunOptions];
    if (own === undefined || (bounded && (d.key === 'duration' || d.key === 'iterations')))
      return d;
    return { ...d, default: own };
  });
  const opts = resolveParams(defs, runInput) as unknown as RunOptions;
  // A timeline needs the interrupt path and the entry and exit of every call.
  if (opts.trace) opts.events = 'all';
  const params = resolveParams(scenario.params, paramInput);
  if ((opts.ringCapacity & (opts.ringCapacity - 1)) !== 0) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--ring-capacity: got ${opts.ringCapacity}, expected a power of two`,
    );
  }
  const chans: { name: string; device: string }[] = [];
  for (let d = 0; d < opts.controllers; d++) {
    for (let c = 0; c < opts.channels; c++)
      chans.push({ name: `dma${d}chan${c}`, device: `dma${d}` });
  }
  const plan = scenario.plan(opts, params, chans);
  const state = layoutState(plan.state ?? [], {
    cpus: plan.cpus,
    devices: opts.controllers,
    channels: chans.length,
  });
  const arenaBytes = Math.max(1 << 20, plan.arenaBytes) + state.bytes;
  if (arenaBytes > ARENA_MAX_BYTES) {
    // Clients would get NULL from the arena part way through their set-up.
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `this run needs ${arenaBytes} bytes of arena, more than the ${ARENA_MAX_BYTES} an arena ` +
        `can have: lower ${plan.arenaFlags?.join(', ') ?? "the scenario's buffer sizes"}`,
    );
  }
  const devices: DeviceSpec[] = [];
  for (let d = 0; d < opts.controllers; d++) {
    devices.push({
      index: d,
      name: `dma${d}`,
      provider: 'vdma',
      firstChan: d * opts.channels,
      channels: opts.channels,
      options: {
        bandwidthMBps: opts.bandwidth,
        latencyUs: opts.latency,
        corrupt: opts.corrupt,
        residueGranularity: opts.residue,
        burstBytes: opts.burst,
        callbackContext: opts.callbackContext,
        callbackUnderLock: false,
        prepConfigSg: false,
        ...plan.machine?.vdma,
      },
    });
  }
  const actors: ActorSpec[] = [];
  for (let c = 0; c < plan.cpus; c++) actors.push({ name: `cpu${c}`, kind: 'cpu', index: c });
  for (const d of devices) actors.push({ name: d.name, kind: 'engine', index: d.index });
  if (actors.length > MAX_ACTORS) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `this run needs ${actors.length} actors (${plan.cpus} CPUs + ${devices.length} engines), ` +
        `more than the ${MAX_ACTORS} a run may have: lower --controllers, --channels or the scenario's thread counts`,
    );
  }
  const sched: SchedSpec = {
    mode: opts.mode,
    strategy: replay?.strategy ?? opts.strategy,
    pctDepth: opts.pctDepth,
    pctSteps: opts.pctSteps,
    chaosProb: opts.chaosProb,
    chaosDelayUs: opts.chaosDelay,
    recordPoints: opts.recordPoints,
    cores,
    durationMs: opts.duration,
  };
  const spec: MachineSpec = {
    cpus: plan.cpus,
    devices,
    channels: chans.length,
    descriptors: opts.descriptors,
    arenaBytes,
    ringCapacity: opts.ringCapacity,
    eventLevel: EVENT_LEVELS.indexOf(opts.events),
    lockdep: opts.lockdep,
    safePrepLock: plan.machine?.safePrepLock ?? 'spin_lock_irqsave',
    seed: opts.seed,
    epochMs: 0,
    actors,
    state: state.entries,
    sched,
    decisionLog: opts.mode === 'controlled' ? DECISION_LOG : 0,
    replayDecisions: replay?.decisions?.length ?? 0,
    followPoints: replay?.points?.map((p) => p.length / 2) ?? [],
    layoutSignature: LAYOUT_SIGNATURE,
  };
  const machine = Machine.create(spec);
  if (replay?.decisions && machine.buffers.replay) {
    new Uint16Array(machine.buffers.replay).set(replay.decisions);
  }
  replay?.points?.forEach((p, a) => {
    const f = machine.buffers.follow?.[a];
    if (f) new Int32Array(f).set(p.subarray(0, f.byteLength / 4));
  });
  if (replay?.points && replay.points.length !== actors.length) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `the record has points of ${replay.points.length} actors, this run has ${actors.length}`,
    );
  }
  const view = new SchedView(machine);
  initSched(view, sched, opts.seed);
  view.i32[SCHED.STOP_AT] = replay?.stopAt ?? 0;
  for (const d of devices) VdmaDevice.format(machine, d);
  chans.forEach((c, i) => {
    const cpu = plan.irqCpu(i, c.name);
    machine.chans[machine.chanBase(i) + CHAN.IRQ_CPU] = cpu >= 0 && cpu < plan.cpus ? cpu : 0;
  });
  machine.control[CONTROL.CLIENTS] = plan.cpus;
  return { scenario, opts, params, machine, view };
}
