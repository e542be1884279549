import { CONTROL, ACTOR, STAT } from './control-block.js';
import { CPU } from './cpu-struct.js';
import { CHAN } from './channel-struct.js';
import { SCHED, SCHED_ACTOR, schedBytes, type SchedSpec } from './sched-struct.js';
import { DescriptorPool, magazineBatch } from './descriptor-pool.js';
import { Arena, ARENA_HEADER } from './arena.js';
import { EventRing } from './event-ring.js';
import { StringTable } from './string-table.js';
import { OnceTable } from './once-table.js';

/** Residue granularity a provider reports (enum dma_residue_granularity). */
export type ResidueGranularity = 'descriptor' | 'segment' | 'burst';

/** Options of the built-in vdma controller (a generic virt-dma engine). */
export interface VdmaOptions {
  /** Copy bandwidth in MB/s; 0 means as fast as the host can copy. */
  bandwidthMBps: number;
  /** Fixed latency per descriptor, in microseconds. */
  latencyUs: number;
  /** Probability that a transfer gets one byte flipped (a broken engine). */
  corrupt: number;
  residueGranularity: ResidueGranularity;
  /** Bytes per burst, for BURST residue and bandwidth pacing. */
  burstBytes: number;
  /** Where completion callbacks run: the tasklet (softirq, as virt-dma) or the irq handler. */
  callbackContext: 'softirq' | 'hardirq';
  /** The PL08x bug: the tasklet invokes callbacks with vc.lock held. */
  callbackUnderLock: boolean;
  /** The driver implements device_prep_config_sg (config and prep in one driver call). */
  prepConfigSg: boolean;
}

/** The ways a lock can be taken (see kernel/lock-as.ts). */
export type LockMode = 'spin_lock' | 'spin_lock_bh' | 'spin_lock_irqsave' | 'mutex';

/**
 * The fallback lock of dmaengine_prep_config_sg_safe() when the driver lacks
 * device_prep_config_sg, as each version of the series had it: v3 a mutex, v4/v5
 * spin_lock, v6+ (as applied) spin_lock_irqsave; spin_lock_bh as the middle ground.
 */
export type SafePrepLock = LockMode;

/** One DMA controller: a provider instance and its engine actor. */
export interface DeviceSpec {
  index: number;
  /** dev_name(): `dma0`, ... */
  name: string;
  provider: 'vdma';
  /** Global index of its first channel. */
  firstChan: number;
  channels: number;
  options: VdmaOptions;
}

/** One actor of the run: a simulated CPU or a controller's engine. */
export interface ActorSpec {
  name: string;
  kind: 'cpu' | 'engine';
  /** CPU id, or device index for an engine. */
  index: number;
}

/** Everything a worker needs to rebuild the machine's views (structured-clone safe). */
export interface MachineSpec {
  cpus: number;
  devices: DeviceSpec[];
  channels: number;
  descriptors: number;
  arenaBytes: number;
  ringCapacity: number;
  /** 0 lifecycle, 1 api, 2 all (see events/kinds.ts). */
  eventLevel: number;
  /** Record lock events for the lockdep-style validator. */
  lockdep: boolean;
  /** The safe prep API's fallback lock (the simulated kernel's version of the series). */
  safePrepLock: SafePrepLock;
  seed: number;
  /** The run's start instant (see kernel/clock.ts). */
  epochMs: number;
  actors: ActorSpec[];
  /** Int32 words of scenario-owned shared state (client structs). */
  clientWords: number;
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
  pool: SharedArrayBuffer;
  arena: SharedArrayBuffer;
  arenaHeader: SharedArrayBuffer;
  client: SharedArrayBuffer;
  rings: SharedArrayBuffer[];
  /** Texts actors hand to the host (see string-table.ts); growable. */
  strings: SharedArrayBuffer;
  /** The WARN_ONCE flags of the run (see once-table.ts). */
  once: SharedArrayBuffer;
  /** The scheduler's state (see sched-struct.ts). */
  sched: SharedArrayBuffer;
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
export const LAYOUT_SIGNATURE = [CONTROL, ACTOR, CPU, CHAN, ARENA_HEADER, SCHED, SCHED_ACTOR]
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
  readonly pool: DescriptorPool;
  readonly arena: Arena;
  readonly client: Int32Array;
  readonly rings: EventRing[];
  readonly strings: StringTable;
  readonly once: OnceTable;
  /** The buffers a wait's condition word may live in, in WAIT_BUFFERS order. */
  readonly waitBuffers: readonly Int32Array[];
  /** Actor index of each CPU, by CPU id. */
  readonly cpuActor: Int32Array;
  /** Actor index of each controller's engine, by device index. */
  readonly engineActor: Int32Array;

  constructor(
    readonly spec: MachineSpec,
    readonly buffers: MachineBuffers,
  ) {
    this.control = new Int32Array(buffers.control);
    this.actorWords = new Int32Array(buffers.actors);
    this.stats = new Float64Array(buffers.stats);
    this.cpus = new Int32Array(buffers.cpus);
    this.chans = new Int32Array(buffers.chans);
    this.pool = new DescriptorPool(buffers.pool, magazineBatch(spec.descriptors, spec.cpus));
    this.arena = new Arena(buffers.arena, buffers.arenaHeader);
    this.client = new Int32Array(buffers.client);
    this.rings = buffers.rings.map((b) => new EventRing(b));
    this.strings = new StringTable(buffers.strings);
    this.once = new OnceTable(buffers.once);
    this.waitBuffers = [this.control, this.cpus, this.chans, this.client, this.pool.words];
    this.cpuActor = new Int32Array(spec.cpus).fill(-1);
    this.engineActor = new Int32Array(spec.devices.length).fill(-1);
    spec.actors.forEach((a, i) => {
      if (a.kind === 'cpu') this.cpuActor[a.index] = i;
      else this.engineActor[a.index] = i;
    });
  }

  /** Allocates and formats the buffers for `spec` (host side). */
  static create(spec: MachineSpec): Machine {
    const pool = DescriptorPool.create(spec.descriptors);
    const arena = Arena.create(spec.arenaBytes);
    const buffers: MachineBuffers = {
      control: new SharedArrayBuffer(CONTROL.BYTES),
      actors: new SharedArrayBuffer(ACTOR.BYTES * spec.actors.length),
      stats: new SharedArrayBuffer(STAT.WORDS * 8 * spec.actors.length),
      cpus: new SharedArrayBuffer(CPU.BYTES * spec.cpus),
      chans: new SharedArrayBuffer(CHAN.BYTES * spec.channels),
      pool: pool.words.buffer as SharedArrayBuffer,
      arena: arena.buffer,
      arenaHeader: arena.headerBuffer,
      client: new SharedArrayBuffer(Math.max(4, spec.clientWords * 4)),
      rings: spec.actors.map(() => EventRing.create(spec.ringCapacity).buffer),
      strings: StringTable.create().buffer,
      once: OnceTable.create().buffer,
      sched: new SharedArrayBuffer(schedBytes(spec.actors.length)),
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
    for (const dev of spec.devices) {
      for (let i = 0; i < dev.channels; i++) {
        const b = (dev.firstChan + i) * CHAN.WORDS;
        m.chans[b + CHAN.DEVICE] = dev.index;
        m.chans[b + CHAN.CHAN_ID] = i;
        m.chans[b + CHAN.OWNER] = -1;
      }
    }
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
