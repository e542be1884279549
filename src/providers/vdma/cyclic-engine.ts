import { DESC } from '../../shm/descriptor-pool.js';
import { kasanCheckDma } from '../../kernel/kasan.js';
import { ARENA_RESERVED } from '../../shm/arena.js';
import { STAT } from '../../shm/control-block.js';
import type { DeviceSpec } from '../../shm/machine.js';
import type { DmaPort } from '../../platform/dma-port.js';
import { raiseIrq } from '../../kernel/cpu.js';
import { Point } from '../../sched/labels.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { SchedView } from '../../sched/sched-view.js';
import { DmaTransferDirection, DmaengineTxResult } from '../../dmaengine/types.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { EventCode } from '../../events/kinds.js';
import { CTX_HW, type EventEmitter } from '../../events/emitter.js';
import { VREG } from './hw-regs.js';
import { VDESC } from './vdesc.js';

/** What one call of CyclicEngine.service() did. */
export const CyclicStep = {
  /** Nothing moved: paused, reset pending, or waiting for the device's request. */
  IDLE: 0,
  /** Bytes moved (a period may have elapsed). */
  MOVED: 1,
  /** A bus error ended the transfer: the engine completes it with its error. */
  ABORTED: 2,
} as const;
export type CyclicStep = (typeof CyclicStep)[keyof typeof CyclicStep];

/** What the cyclic loop needs of its engine. */
export interface CyclicEngineParts {
  readonly view: SchedView;
  readonly sched: Scheduler;
  readonly spec: DeviceSpec;
  readonly emitter: EventEmitter;
  readonly c: Int32Array;
  readonly d: Int32Array;
  readonly bytes: Uint8Array;
  readonly stats: Float64Array;
  readonly statBase: number;
  readonly burst: number;
  /** Check the ring's bytes against KASAN's shadow before each burst (vdma's --kasan). */
  readonly kasan: boolean;
  readonly nsPerByte: number;
  readonly actor: number;
  /** Per channel: the port the channel waits on for a DMA request, and how much. */
  readonly parked: (DmaPort | null)[];
  readonly want: Int32Array;
  slavePort(desc: number): DmaPort | null;
  resetPending(k: number, cb: number): boolean;
  delayUntil(t: number): void;
}

/**
 * The vdma engine's cyclic mode: the descriptor at the head of a channel's queue is a ring
 * of periods; the engine moves it period after period (through the peripheral's FIFO when
 * the slave address names one, paced by its DMA request; else to memory at the engine's
 * bandwidth), counts each period in HW_PERIODS and raises the channel's irq, and never
 * completes it: only a reset (terminate) ends it. Like a real controller it loads the
 * descriptor once and then works from its own registers, so it keeps no pointer into the
 * descriptor after the start.
 */
export class CyclicEngine {
  private readonly cur: Int32Array;
  private readonly gen: Int32Array;
  private readonly mem: Int32Array;
  private readonly dev: Int32Array;
  private readonly len: Int32Array;
  private readonly period: Int32Array;
  private readonly toDev: Uint8Array;
  private readonly port: (DmaPort | null)[];
  /** Run-clock time the next paced burst is due (memory mode). */
  private readonly due: Float64Array;

  constructor(private readonly e: CyclicEngineParts) {
    const n = e.spec.channels;
    this.cur = new Int32Array(n).fill(-1);
    this.gen = new Int32Array(n);
    this.mem = new Int32Array(n);
    this.dev = new Int32Array(n);
    this.len = new Int32Array(n);
    this.period = new Int32Array(n);
    this.toDev = new Uint8Array(n);
    this.port = new Array<DmaPort | null>(n).fill(null);
    this.due = new Float64Array(n);
  }

  /** Forgets channel k's transfer (a reset abandoned it). */
  reset(k: number): void {
    this.cur[k] = -1;
  }

  /**
   * Moves channel k's cyclic descriptor `desc` until its current period ends, the device
   * stops requesting, a pause or a reset arrives.
   */
  service(k: number, chan: number, cb: number, desc: number): CyclicStep {
    const { c, d } = this.e;
    const db = descBase(desc);
    if (this.cur[k] !== desc || this.gen[k] !== d[db + DESC.GEN]) {
      // Progress first: a reader that sees the new HW_ACTIVE must not see the old progress.
      Atomics.store(c, cb + VREG.HW_PROGRESS, 0);
      Atomics.store(c, cb + VREG.HW_ACTIVE, desc);
      if (this.e.resetPending(k, cb)) {
        Atomics.store(c, cb + VREG.HW_ACTIVE, -1);
        return CyclicStep.IDLE;
      }
      if (!this.load(k, desc)) {
        d[db + DESC.RESULT] = this.toDev[k]
          ? DmaengineTxResult.DMA_TRANS_READ_FAILED
          : DmaengineTxResult.DMA_TRANS_WRITE_FAILED;
        d[db + DESC.RESULT_RESIDUE] = this.len[k]!;
        this.cur[k] = -1;
        return CyclicStep.ABORTED;
      }
    }
    const parked = this.e.parked[k];
    if (parked) {
      parked.clearWaiter(true);
      this.e.parked[k] = null;
    }
    return this.runPeriod(k, chan, cb, desc);
  }

  /** Loads the descriptor into the channel's registers. @returns false on a bad address */
  private load(k: number, desc: number): boolean {
    const d = this.e.d;
    const db = descBase(desc);
    const toDev = d[db + DESC.DIRECTION] === DmaTransferDirection.DMA_MEM_TO_DEV;
    const len = d[db + DESC.LEN]!;
    const mem = toDev ? d[db + VDESC.SEGMENTS]! : d[db + VDESC.SEGMENTS + 1]!;
    const dev = toDev ? d[db + VDESC.SEGMENTS + 1]! : d[db + VDESC.SEGMENTS]!;
    this.cur[k] = desc;
    this.gen[k] = d[db + DESC.GEN]!;
    this.mem[k] = mem;
    this.dev[k] = dev;
    this.len[k] = len;
    this.period[k] = d[db + VDESC.PERIOD_LEN]!;
    this.toDev[k] = toDev ? 1 : 0;
    this.port[k] = this.e.slavePort(desc);
    this.due[k] = 0;
    const size = this.e.bytes.length;
    if (this.e.emitter.on(EventCode['engine.start']))
      this.e.emitter.emit(
        EventCode['engine.start'],
        CTX_HW,
        chan(this.e, k),
        desc,
        len,
        this.gen[k],
      );
    if (mem < ARENA_RESERVED || mem + len > size) return false;
    // Without a port the device side is a window of the ring's size at the FIFO address.
    return this.port[k] !== null || (dev >= ARENA_RESERVED && dev + len <= size);
  }

  /** Moves bursts to the end of the current period, then signals it. */
  private runPeriod(k: number, ch: number, cb: number, desc: number): CyclicStep {
    const e = this.e;
    const { c, bytes } = e;
    const len = this.len[k]!;
    const period = this.period[k]!;
    const port = this.port[k]!;
    const toDev = this.toDev[k] === 1;
    let pos = Atomics.load(c, cb + VREG.HW_PROGRESS);
    const end = (Math.floor(pos / period) + 1) * period;
    let moved = 0;
    while (pos < end) {
      // Between bursts: a pause or a reset stops the channel where it is, nothing lost.
      if (Atomics.load(c, cb + VREG.HW_PAUSE) !== 0 || e.resetPending(k, cb)) break;
      const want = Math.min(e.burst, end - pos);
      let n = want;
      const at = this.mem[k]! + pos;
      if (e.kasan) kasanCheckDma(at, want, !toDev, 'vdma_engine_cyclic');
      if (port) {
        if (!port.dmaRequest(want)) {
          e.parked[k] = port;
          e.want[k] = want;
          port.setWaiter(e.actor, true, want);
          break;
        }
        n = Math.min(want, toDev ? port.room() : port.level());
        e.sched.point(Point['engine.burst']);
        if (toDev) port.push(at, n, bytes);
        else port.pop(at, n, bytes);
      } else {
        e.sched.point(Point['engine.burst']);
        const devAt = this.dev[k]! + pos;
        if (toDev) bytes.copyWithin(devAt, at, at + n);
        else bytes.copyWithin(at, devAt, devAt + n);
        if (e.nsPerByte > 0) {
          const now = e.sched.clock.now();
          this.due[k] = Math.max(this.due[k]!, now) + (n * e.nsPerByte) / 1e6;
          e.delayUntil(this.due[k]);
        }
      }
      pos += n;
      moved += n;
      Atomics.store(c, cb + VREG.HW_PROGRESS, pos);
    }
    if (moved > 0) {
      e.stats[e.statBase + STAT.BYTES]! += moved;
    }
    if (pos < end) return moved > 0 ? CyclicStep.MOVED : CyclicStep.IDLE;
    // The period is done: wrap at the end of the ring, count it, interrupt.
    if (pos >= len) Atomics.store(c, cb + VREG.HW_PROGRESS, 0);
    Atomics.add(c, cb + VREG.HW_PERIODS, 1);
    if (e.emitter.on(EventCode['engine.done']))
      e.emitter.emit(EventCode['engine.done'], CTX_HW, ch, desc, period, 0, this.gen[k]);
    e.sched.point(Point['engine.irq']);
    raiseIrq(e.view, e.spec.firstIrq + k);
    return CyclicStep.MOVED;
  }
}

/** The global channel index of the engine's channel k. */
function chan(e: CyclicEngineParts, k: number): number {
  return e.spec.firstChan + k;
}
