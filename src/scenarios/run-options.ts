import type { ParamDef } from '../platform/param-schema.js';
import { EVENT_LEVELS, type EventLevel } from '../events/kinds.js';
import { SCHED_MODES, type SchedModeName } from '../shm/sched-struct.js';

/** Options every run takes, whatever the scenario. */
export interface RunOptions {
  seed: number;
  /** Stop the clients after this many ms (0: run until they finish). */
  duration: number;
  /** Iterations per client thread (0: until the duration ends). */
  iterations: number;
  events: EventLevel;
  /** Watchdog deadline in ms (0: duration + 10 s, or 60 s without a duration). */
  deadline: number;
  controllers: number;
  channels: number;
  descriptors: number;
  ringCapacity: number;
  lockdep: boolean;
  /** Check shared driver state for data races (see kernel/kcsan/). */
  kcsan: boolean;
  /** free, chaos or controlled (see src/sched/). */
  mode: SchedModeName;
  /** Controlled: random or pct. */
  strategy: 'random' | 'pct';
  pctDepth: number;
  pctSteps: number;
  chaosProb: number;
  chaosDelay: number;
  /** Free and chaos: points each actor records for replay (0: none). */
  recordPoints: number;
  stopOnFirst: boolean;
  /** Write the replay file of a failing run here ('' : keep it in the result only). */
  replayOut: string;
  /** Write the run's timeline here as Chrome trace-event JSON ('' : none); implies events all. */
  trace: string;
  /** Write every event here, one JSON object per line ('' : none). */
  eventsOut: string;
}

/** The schema of RunOptions (flags shared by every scenario). */
export const RUN_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'seed',
    flag: 'seed',
    kind: 'uint',
    default: 1,
    max: 0xffffffff,
    help: 'seed of every random choice of the run',
  },
  {
    key: 'duration',
    flag: 'duration',
    kind: 'uint',
    default: 0,
    help: 'stop the clients after this many ms (0: when they finish)',
  },
  {
    key: 'iterations',
    flag: 'iterations',
    kind: 'uint',
    default: 0,
    help: 'iterations per client thread (0: until --duration ends)',
  },
  {
    key: 'events',
    flag: 'events',
    kind: 'choice',
    default: 'lifecycle',
    choices: EVENT_LEVELS,
    help: 'what the event stream records: lifecycle, api or all',
  },
  {
    key: 'deadline',
    flag: 'deadline',
    kind: 'uint',
    default: 0,
    help: 'watchdog deadline in ms (0: duration + 10 s, or 60 s)',
  },
  {
    key: 'controllers',
    flag: 'controllers',
    kind: 'uint',
    default: 1,
    min: 1,
    max: 32,
    help: "DMA controllers (of the scenario's provider)",
  },
  {
    key: 'channels',
    flag: 'channels',
    kind: 'uint',
    default: 2,
    min: 1,
    max: 32,
    help: 'channels per controller',
  },
  {
    key: 'descriptors',
    flag: 'descriptors',
    kind: 'uint',
    default: 4096,
    min: 1,
    max: 1 << 20,
    help: 'descriptor pool slots (exhaustion makes prep return NULL)',
  },
  {
    key: 'lockdep',
    flag: 'lockdep',
    kind: 'bool',
    default: false,
    help: 'record lock events and run the lockdep-style validator',
  },
  {
    key: 'kcsan',
    flag: 'kcsan',
    kind: 'bool',
    default: false,
    help: 'report data races in shared driver state (C drivers, declared state get/set), as KCSAN',
  },
  {
    key: 'mode',
    flag: 'mode',
    kind: 'choice',
    default: 'free',
    choices: SCHED_MODES,
    help: 'free: real parallelism; chaos: plus random delays; controlled: a seeded schedule',
  },
  {
    key: 'strategy',
    flag: 'strategy',
    kind: 'choice',
    default: 'random',
    choices: ['random', 'pct'],
    help: 'controlled: who runs next at each point (random walk, or PCT)',
  },
  {
    key: 'pctDepth',
    flag: 'pct-depth',
    kind: 'uint',
    default: 3,
    min: 1,
    max: 17,
    help: 'PCT bug depth d: d - 1 priority change points',
  },
  {
    key: 'pctSteps',
    flag: 'pct-steps',
    kind: 'uint',
    default: 2000,
    min: 1,
    help: "PCT's k: change points are drawn from the first k real choices",
  },
  {
    key: 'chaosProb',
    flag: 'chaos-prob',
    kind: 'number',
    default: 0.05,
    min: 0,
    max: 1,
    help: 'chaos: probability that a point delays its actor',
  },
  {
    key: 'chaosDelay',
    flag: 'chaos-delay',
    kind: 'uint',
    default: 80,
    min: 1,
    max: 1_000_000,
    help: 'chaos: longest delay in us (each is uniform up to it)',
  },
  {
    key: 'recordPoints',
    flag: 'record-points',
    kind: 'uint',
    default: 65_536,
    max: 1 << 24,
    help: 'free/chaos: points per actor recorded for replay (0: none)',
  },
  {
    key: 'stopOnFirst',
    flag: 'stop-on-first',
    kind: 'bool',
    default: false,
    help: 'end the run at its first violation',
  },
  {
    key: 'replayOut',
    flag: 'replay-out',
    kind: 'string',
    default: '',
    help: 'write the replay file of a failing run here',
  },
  {
    key: 'trace',
    flag: 'trace',
    kind: 'string',
    default: '',
    help: 'write a timeline (Chrome trace-event JSON, for Perfetto) here; records --events all',
  },
  {
    key: 'eventsOut',
    flag: 'events-out',
    kind: 'string',
    default: '',
    help: 'write every event here, one JSON object per line',
  },
  {
    key: 'ringCapacity',
    flag: 'ring-capacity',
    kind: 'uint',
    default: 8192,
    min: 2,
    max: 1 << 22,
    help: 'event records per actor ring (a power of two)',
  },
];
