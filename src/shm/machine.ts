import { CONTROL, ACTOR, STAT } from './control-block.js';
import { CPU } from './cpu-struct.js';
import { CHAN } from './channel-struct.js';
import { SCHED, SCHED_ACTOR, schedBytes, type SchedSpec } from './sched-struct.js';
import { DescriptorPool, magazineBatch } from './descriptor-pool.js';
import { KcsanTable } from './kcsan-table.js';
import { Arena, ARENA_HEADER, ARENA_RESERVED } from './arena.js';
import { Slab, SLAB_HEADER } from './slab.js';
import type { WasmMemory } from './wasm-memory.js';
import { stateEnd, type StateEntry } from './state-layout.js';
import { EventRing } from './event-ring.js';
import { IRQ, TASKLET } from './irq-struct.js';
import { StringTable } from './string-table.js';
import { OnceTable } from './once-table.js';
import { DmaDebugTable } from './dma-debug-table.js';

/** The ways a lock can be taken (see kernel/lock-as.ts). */
export type LockMode = 'spin_lock' | 'spin_lock_bh' | 'spin_lock_irqsave' | 'mutex';

/**
 * The fallback lock of dmaengine_prep_config_sg_safe() when the driver lacks
 * device_prep_config_sg, as each version of the series had it: v3 a mutex, v4/v5
 * spin_lock, v6+ (as applied) spin_lock_irqsave; spin_lock_bh as the middle ground.
 */
export type SafePrepLock = LockMode;

/** One DMA controller: an instance of a provider (see platform/provider.ts). */
export interface DeviceSpec {
  index: number;
  /** dev_name(): `dma0`, ... */
  name: string;
  /** The provider's name (ProviderModule.name). */
  provider: string;
  /** URL of the module exporting the provider, when it is not built in. */
  module?: string;
  /** Global index of its first channel. */
  firstChan: number;
  channels: number;
  /** The provider's options, resolved against its schema. */
  options: Record<string, unknown>;
  /** Its interrupt lines: IRQ table entries firstIrq .. firstIrq + irqs - 1. */
  firstIrq: number;
  irqs: number;
  /** Its tasklets: TASKLET table entries firstTasklet .. firstTasklet + tasklets - 1. */
  firstTasklet: number;
  tasklets: number;
  /**
   * Its hardware words in the arena (Int32 index): the provider's device layout, then one
   * channel layout per channel, each `chanWords` long.
   */
  regs: number;
  devWords: number;
  chanWords: number;
}

/** One device on the far side of slave transfers: an instance of a peripheral model. */
export interface PeripheralSpec {
  index: number;
  /** Its name in reports: `fifo0`, ... */
  name: string;
  /** The peripheral model's name (PeripheralModule.name). */
  peripheral: string;
  /** URL of the module exporting the model, when it is not built in. */
  module?: string;
  options: Record<string, unknown>;
  firstIrq: number;
  irqs: number;
  /** Its registers in the arena (Int32 index) and their count; `regs * 4` is their address. */
  regs: number;
  words: number;
  /** Word index of its FIFO's PORT block (platform/dma-port.ts), -1 without one. */
  port: number;
}

/** One actor of the run: a simulated CPU, a controller's engine, or a peripheral. */
export interface ActorSpec {
  name: string;
  kind: 'cpu' | 'engine' | 'peripheral';
  /** CPU id, device index for an engine, peripheral index for a peripheral. */
  index: number;
}

/** Everything a worker needs to rebuild the machine's views (structured-clone safe). */
export interface MachineSpec {
  cpus: number;
  devices: DeviceSpec[];
  peripherals: PeripheralSpec[];
  channels: number;
  /** Names of the interrupt lines (`dma0chan1`, `fifo0`), in IRQ table order. */
  irqs: string[];
  /** Names of the tasklets, in TASKLET table order. */
  tasklets: string[];
  /** Arena bytes after the NULL page that declared state and the hardware words take. */
  hwBytes: number;
  descriptors: number;
  arenaBytes: number;
  ringCapacity: number;
  /** 0 lifecycle, 1 api, 2 all (see events/kinds.ts). */
  eventLevel: number;
  /** Record lock events for the lockdep-style validator. */
  lockdep: boolean;
  /** Check shared driver state for data races (kernel/kcsan/). */
  kcsan: boolean;
  /** The safe prep API's fallback lock (the simulated kernel's version of the series). */
  safePrepLock: SafePrepLock;
  seed: number;
  /** The run's start instant (see kernel/clock.ts). */
  epochMs: number;
  actors: ActorSpec[];
  /** Where declared shared state lives in the arena (see state-layout.ts). */
  state: StateEntry[];
  /** How the run is scheduled: mode, strategy, chaos, recording. */
  sched: SchedSpec;
  /** Decisions a controlled run can log (a replay file holds at most these). */
  decisionLog: number;
  /** Decisions to follow (replay of a controlled run); 0 when not replaying. */
  replayDecisions: number;
  /** Recorded points per actor to follow (replay of a free or chaos run), or empty. */
  followPoints: number[];
  /** Checked by workers against their own build (see host/actor-host.ts). */
  layoutSignature: string;
}

/** The SharedArrayBuffers of one run. */
export interface MachineBuffers {
  control: SharedArrayBuffer;
  actors: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  cpus: SharedArrayBuffer;
  chans: SharedArrayBuffer;
  /** The IRQ table (see irq-struct.ts). */
  irqs: SharedArrayBuffer;
  /** The TASKLET table (see irq-struct.ts). */
  tasklets: SharedArrayBuffer;
  pool: SharedArrayBuffer;
  /** The arena: physical memory, and a wasm32 driver's linear memory. */
  memory: WasmMemory;
  /** The arena's KASAN shadow (see shadow.ts). */
  arenaShadow: SharedArrayBuffer;
  rings: SharedArrayBuffer[];
  /** Texts actors hand to the host (see string-table.ts); growable. */
  strings: SharedArrayBuffer;
  /** The WARN_ONCE flags of the run (see once-table.ts). */
  once: SharedArrayBuffer;
  /** The scheduler's state (see sched-struct.ts). */
  sched: SharedArrayBuffer;
  /** dma-debug's table of live DMA mappings (see dma-debug-table.ts). */
  dmaDebug: SharedArrayBuffer;
  /** --kcsan's shadow (see kcsan-table.ts), when the run checks for data races. */
  kcsan?: SharedArrayBuffer;
  /**
   * Uint16 entities, one per real choice of a controlled run. Growable up to
   * MachineSpec.decisionLog entries: a run's first choices touch only a few pages.
   */
  decisions: SharedArrayBuffer;
  /** Uint16 decisions to follow, when replaying a controlled run. */
  replay?: SharedArrayBuffer;
  /** Per actor: (seq, label) pairs of recorded points (free and chaos runs that record). */
  records?: SharedArrayBuffer[];
  /** Per actor: (seq, label) pairs to follow, when replaying a free or chaos run. */
  follow?: SharedArrayBuffer[];
}

/** Decisions the log holds before it first grows. */
const DECISIONS_FIRST = 1 << 15;

/**
 * A signature of every layout, so that a worker built from other sources than the host
 * refuses to attach instead of misreading shared memory.
 */
export const LAYOUT_SIGNATURE = [
  CONTROL,
  ACTOR,
  CPU,
  CHAN,
  IRQ,
  TASKLET,
  ARENA_HEADER,
  SLAB_HEADER,
  SCHED,
  SCHED_ACTOR,
]
  .map((l) => l.WORDS)
  .concat([STAT.WORDS])
  .join('.');

/**
 * The simulated machine as one thread sees it: typed views over the run's shared buffers.
 * Holds no behaviour and no state of its own; every thread builds an identical one.
 */
export class Machine {
  readonly control: Int32Array;
  readonly actorWords: Int32Array;
  readonly stats: Float64Array;
  readonly cpus: Int32Array;
  readonly chans: Int32Array;
  readonly irqs: Int32Array;
  readonly tasklets: Int32Array;
  readonly pool: DescriptorPool;
  readonly arena: Arena;
  /** kmalloc()'s allocator over the arena (see slab.ts). */
  readonly slab: Slab;
  readonly rings: EventRing[];
  readonly strings: StringTable;
  readonly once: OnceTable;
  /** dma-debug's live mappings (see dma-debug-table.ts). */
  readonly dmaDebug: DmaDebugTable;
  /** --kcsan's shadow, or null when the run does not check for data races. */
  readonly kcsan: KcsanTable | null;
  /** The buffers a wait's condition word may live in, in WAIT_BUFFERS order. */
  readonly waitBuffers: readonly Int32Array[];
  /** Actor index of each CPU, by CPU id. */
  readonly cpuActor: Int32Array;
  /** Actor index of each controller's engine, by device index (-1: it has none). */
  readonly engineActor: Int32Array;
  /** Actor index of each peripheral, by peripheral index. */
  readonly peripheralActor: Int32Array;

  constructor(
    readonly spec: MachineSpec,
    readonly buffers: MachineBuffers,
  ) {
    this.control = new Int32Array(buffers.control);
    this.actorWords = new Int32Array(buffers.actors);
    this.stats = new Float64Array(buffers.stats);
    this.cpus = new Int32Array(buffers.cpus);
    this.chans = new Int32Array(buffers.chans);
    this.irqs = new Int32Array(buffers.irqs);
    this.tasklets = new Int32Array(buffers.tasklets);
    this.pool = new DescriptorPool(buffers.pool, magazineBatch(spec.descriptors, spec.cpus));
    this.arena = new Arena(buffers.memory, buffers.arenaShadow);
    this.slab = new Slab(this.arena);
    this.rings = buffers.rings.map((b) => new EventRing(b));
    this.strings = new StringTable(buffers.strings);
    this.once = new OnceTable(buffers.once);
    this.dmaDebug = new DmaDebugTable(buffers.dmaDebug);
    this.kcsan = buffers.kcsan ? new KcsanTable(buffers.kcsan, this.strings) : null;
    this.waitBuffers = [
      this.control,
      this.cpus,
      this.chans,
      this.arena.words,
      this.pool.words,
      this.tasklets,
    ];
    this.cpuActor = new Int32Array(spec.cpus).fill(-1);
    this.engineActor = new Int32Array(spec.devices.length).fill(-1);
    this.peripheralActor = new Int32Array(spec.peripherals.length).fill(-1);
    spec.actors.forEach((a, i) => {
      if (a.kind === 'cpu') this.cpuActor[a.index] = i;
      else if (a.kind === 'engine') this.engineActor[a.index] = i;
      else this.peripheralActor[a.index] = i;
    });
  }

  /** Allocates and formats the buffers for `spec` (host side). */
  static create(spec: MachineSpec): Machine {
    const pool = DescriptorPool.create(spec.descriptors);
    // Declared state from the NULL page on, then the hardware words (DeviceSpec.regs).
    const reserved = Math.max(stateEnd(spec.state), ARENA_RESERVED + spec.hwBytes);
    const arena = Arena.create(spec.arenaBytes, reserved - ARENA_RESERVED);
    const buffers: MachineBuffers = {
      control: new SharedArrayBuffer(CONTROL.BYTES),
      actors: new SharedArrayBuffer(ACTOR.BYTES * spec.actors.length),
      stats: new SharedArrayBuffer(STAT.WORDS * 8 * spec.actors.length),
      cpus: new SharedArrayBuffer(CPU.BYTES * spec.cpus),
      chans: new SharedArrayBuffer(CHAN.BYTES * spec.channels),
      irqs: new SharedArrayBuffer(IRQ.BYTES * Math.max(1, spec.irqs.length)),
      tasklets: new SharedArrayBuffer(TASKLET.BYTES * Math.max(1, spec.tasklets.length)),
      pool: pool.words.buffer as SharedArrayBuffer,
      memory: arena.memory,
      arenaShadow: arena.shadowBuffer,
      rings: spec.actors.map(() => EventRing.create(spec.ringCapacity).buffer),
      strings: StringTable.create().buffer,
      once: OnceTable.create().buffer,
      sched: new SharedArrayBuffer(schedBytes(spec.actors.length)),
      dmaDebug: new SharedArrayBuffer(DmaDebugTable.bytes()),
      ...(spec.kcsan ? { kcsan: new SharedArrayBuffer(KcsanTable.bytes()) } : {}),
      decisions: new SharedArrayBuffer(
        2 * Math.min(DECISIONS_FIRST, Math.max(2, spec.decisionLog)),
        {
          maxByteLength: 2 * Math.max(2, spec.decisionLog),
        },
      ),
      ...(spec.replayDecisions > 0
        ? { replay: new SharedArrayBuffer(2 * spec.replayDecisions) }
        : {}),
      ...(spec.sched.recordPoints > 0 && spec.sched.mode !== 'controlled'
        ? { records: spec.actors.map(() => new SharedArrayBuffer(8 * spec.sched.recordPoints)) }
        : {}),
      ...(spec.followPoints.length > 0
        ? { follow: spec.followPoints.map((n) => new SharedArrayBuffer(8 * Math.max(1, n))) }
        : {}),
    };
    const m = new Machine(spec, buffers);
    m.slab.setQuarantineLimit(Slab.defaultQuarantine(m.arena));
    return m;
  }

  /** Word offset of CPU `cpu` in `cpus`. */
  cpuBase(cpu: number): number {
    return cpu * CPU.WORDS;
  }

  /** Word offset of channel `chan` in `chans`. */
  chanBase(chan: number): number {
    return chan * CHAN.WORDS;
  }

  /** Float64 offset of actor `actor`'s statistics. */
  statBase(actor: number): number {
    return actor * STAT.WORDS;
  }

  /** Word offset of actor `actor` in `actorWords`. */
  actorBase(actor: number): number {
    return actor * ACTOR.WORDS;
  }

  /** `dma_chan_name()`: `dma0chan1`. */
  chanName(chan: number): string {
    const dev = this.chans[chan * CHAN.WORDS + CHAN.DEVICE]!;
    const id = this.chans[chan * CHAN.WORDS + CHAN.CHAN_ID]!;
    return `${this.spec.devices[dev]?.name ?? `dma${dev}`}chan${id}`;
  }
}
