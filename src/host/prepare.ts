import { availableParallelism } from 'node:os';
import { CONTROL } from '../shm/control-block.js';
import { ARENA_MAX_BYTES, ARENA_RESERVED } from '../shm/arena.js';
import { layoutState } from '../shm/state-layout.js';
import { formatPeripherals, layoutPeripherals } from '../platform/peripherals.js';
import { LAYOUT_SIGNATURE, Machine, type ActorSpec, type MachineSpec } from '../shm/machine.js';
import { EVENT_LEVELS } from '../events/kinds.js';
import { SCHED, type SchedSpec, type StrategyName } from '../shm/sched-struct.js';
import { SchedView } from '../sched/sched-view.js';
import { initSched } from '../sched/setup.js';
import { scenarioProviders } from '../providers/registry.js';
import { resolvePeripheral } from '../peripherals/registry.js';
import type { ProviderModule } from '../platform/provider.js';
import {
  formatDevices,
  layoutDevices,
  setIrqAffinity,
  type ControllerPlan,
  type ControllerUse,
} from '../platform/devices.js';
import { SCENARIOS, getScenario } from '../scenarios/registry.js';
import { resolveParams, type ParamDef } from '../platform/param-schema.js';
import { RUN_OPTION_DEFS, type RunOptions } from '../scenarios/run-options.js';
import type { Scenario, ScenarioPlan } from '../scenarios/scenario.js';
import { DmasimError } from '../errors.js';
import { MAX_ACTORS } from './pool.js';
import { scenarioShapeError } from '../scenarios/scenario-shape.js';

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
  /** The options of the scenario's providers, resolved from the input (flat, by key). */
  providerOptions: Record<string, unknown>;
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
  const providers = scenarioProviders(scenario);
  const runKeys = new Set(RUN_OPTION_DEFS.map((d) => d.key));
  const paramKeys = new Set(scenario.params.map((d) => d.key));
  const runInput: Record<string, unknown> = {};
  const paramInput: Record<string, unknown> = {};
  const providerInput: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (runKeys.has(k)) runInput[k] = v;
    else if (paramKeys.has(k) || !providers.some((p) => p.options.some((d) => d.key === k)))
      paramInput[k] = v;
    else providerInput[k] = v;
  }
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
  // Each provider's options from the same flags (a key two providers share sets both).
  const resolvedByProvider = new Map<ProviderModule, Record<string, unknown>>();
  const providerOptions: Record<string, unknown> = {};
  for (const p of providers) {
    const own = Object.fromEntries(
      Object.entries(providerInput).filter(([k]) => p.options.some((d) => d.key === k)),
    );
    const resolved = resolveParams(p.options, own);
    resolvedByProvider.set(p, resolved);
    Object.assign(providerOptions, resolved);
  }
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
  const controllers = planControllers(
    scenario,
    providers,
    resolvedByProvider,
    plan.controllers,
    opts,
  );
  // Per-device and per-channel state is counted on the controllers the plan really has.
  const state = layoutState(plan.state ?? [], {
    cpus: plan.cpus,
    devices: controllers.length,
    channels: controllers.reduce((n, c) => n + c.channels, 0),
  });
  // Hardware words follow the declared state, from the NULL page on; peripherals after.
  const {
    devices,
    irqs: deviceIrqs,
    tasklets,
    endWord,
  } = layoutDevices(controllers, (ARENA_RESERVED + state.bytes) / 4);
  const periph = layoutPeripherals(
    (plan.peripherals ?? []).map((u) => ({ ...u, peripheral: resolvePeripheral(u.peripheral) })),
    deviceIrqs.length,
    endWord,
    plan.cpus,
  );
  const irqs = [...deviceIrqs, ...periph.irqs];
  // Declared state and hardware words, after the NULL page.
  const hwBytes = periph.endWord * 4 - ARENA_RESERVED;
  const arenaBytes = Math.max(1 << 20, plan.arenaBytes) + hwBytes;
  if (arenaBytes > ARENA_MAX_BYTES) {
    // Clients would get NULL from the arena part way through their set-up.
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `this run needs ${arenaBytes} bytes of arena, more than the ${ARENA_MAX_BYTES} an arena ` +
        `can have: lower ${plan.arenaFlags?.join(', ') ?? "the scenario's buffer sizes"}`,
    );
  }
  // Channel names as the plan was told them, unless its own controllers changed them.
  const chanNames = devices.flatMap((d) =>
    Array.from({ length: d.channels }, (_, c) => ({ name: `${d.name}chan${c}`, device: d.name })),
  );
  const actors: ActorSpec[] = [];
  for (let c = 0; c < plan.cpus; c++) actors.push({ name: `cpu${c}`, kind: 'cpu', index: c });
  for (const d of devices) {
    if (controllers[d.index]!.provider.engine)
      actors.push({ name: d.name, kind: 'engine', index: d.index });
  }
  for (const p of periph.peripherals)
    actors.push({ name: p.name, kind: 'peripheral', index: p.index });
  if (actors.length > MAX_ACTORS) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `this run needs ${actors.length} actors (${actorCounts(actors)}), ` +
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
    peripherals: periph.peripherals,
    channels: chanNames.length,
    irqs,
    tasklets,
    hwBytes,
    descriptors: opts.descriptors,
    arenaBytes,
    ringCapacity: opts.ringCapacity,
    eventLevel: EVENT_LEVELS.indexOf(opts.events),
    lockdep: opts.lockdep,
    kcsan: opts.kcsan,
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
  formatDevices(
    machine,
    controllers.map((c) => c.provider),
  );
  // A line per channel takes the affinity the plan gives its channel, a line the provider
  // ties to a channel (irqChannel) that channel's; other lines cpu0.
  for (const d of devices) {
    const p = controllers[d.index]!.provider;
    for (let i = 0; i < d.irqs; i++) {
      const own = d.irqs === d.channels ? i : (p.irqChannel?.(i, d.channels, d.options) ?? -1);
      const chan = own >= 0 && own < d.channels ? d.firstChan + own : -1;
      const cpu = chan >= 0 ? plan.irqCpu(chan, chanNames[chan]!.name) : 0;
      setIrqAffinity(machine, d.firstIrq + i, cpu >= 0 && cpu < plan.cpus ? cpu : 0);
    }
  }
  formatPeripherals(machine, periph.models);
  periph.irqCpus.forEach((cpu, i) => setIrqAffinity(machine, deviceIrqs.length + i, cpu));
  machine.control[CONTROL.CLIENTS] = plan.cpus;
  return { scenario, opts, params, providerOptions, machine, view };
}

/**
 * The run's controllers: the plan's, each checked against the scenario's providers, or
 * --controllers of its first provider; options are the provider's resolved flags, then the
 * plan's own.
 */
function planControllers(
  scenario: Scenario,
  providers: readonly ProviderModule[],
  resolved: ReadonlyMap<ProviderModule, Record<string, unknown>>,
  uses: ScenarioPlan['controllers'],
  opts: RunOptions,
): ControllerPlan[] {
  const list: readonly ControllerUse[] =
    uses ?? Array.from({ length: opts.controllers }, (): ControllerUse => ({}));
  return list.map((use, i) => {
    const wanted = use.provider ?? providers[0]!;
    const name = typeof wanted === 'string' ? wanted : wanted.name;
    const provider = providers.find((p) => p === wanted || p.name === name);
    if (!provider) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `scenario '${scenario.name}': controller ${i} is a '${name}', which the scenario does not ` +
          `list in its 'providers' (${providers.map((p) => p.name).join(', ')})`,
      );
    }
    const channels = use.channels ?? opts.channels;
    if (!Number.isInteger(channels) || channels < 1 || channels > 32) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `scenario '${scenario.name}': controller ${i} has ${channels} channels, expected 1..32`,
      );
    }
    return {
      provider,
      channels,
      options: { ...provider.variantDefaults, ...resolved.get(provider), ...use.options },
    };
  });
}

/** `128 CPUs + 2 engines (+ n peripherals)`: what a run's actors are. */
function actorCounts(actors: readonly ActorSpec[]): string {
  const n = (kind: ActorSpec['kind']): number => actors.filter((a) => a.kind === kind).length;
  const parts = [`${n('cpu')} CPUs`, `${n('engine')} engines`];
  if (n('peripheral') > 0) parts.push(`${n('peripheral')} peripherals`);
  return parts.join(' + ');
}
