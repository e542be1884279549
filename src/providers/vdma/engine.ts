import { DESC } from '../../shm/descriptor-pool.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { CONTROL, Phase, STAT } from '../../shm/control-block.js';
import { ARENA_RESERVED } from '../../shm/arena.js';
import type { DeviceSpec, Machine } from '../../shm/machine.js';
import { chanState } from '../../platform/provider.js';
import { engineIdle, hardwareDelayUntil } from '../../platform/engine-idle.js';
import { raiseIrq } from '../../kernel/cpu.js';
import { Point } from '../../sched/labels.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { SchedView } from '../../sched/sched-view.js';
import { DmaCtrlFlags, DmaengineTxResult } from '../../dmaengine/types.js';
import { EventCode } from '../../events/kinds.js';
import type { EventEmitter } from '../../events/emitter.js';
import { CTX_HW } from '../../events/emitter.js';
import { VREG, counterDiff, ringSlot } from './hw-regs.js';
import { VDESC } from './vdesc.js';
import type { VdmaOptions } from './options.js';
import { Corruption } from './corruption.js';
import { portTransfer, type PortEngine } from './port-transfer.js';
import { DmaPort } from '../../platform/dma-port.js';
import { kasanCheckDma } from '../../kernel/kasan.js';
import { DmaTransferDirection } from '../../dmaengine/types.js';
import { CyclicEngine, CyclicStep } from './cyclic-engine.js';
import { VdmaPipeline } from './fence.js';

/** The function KASAN's report names for an engine access. */
const KASAN_FN = 'vdma_engine_transfer';

/** Descriptors an engine moves on one channel before it looks at the next. */
const SERVICE_BATCH = 32;

/**
 * The vdma hardware: one engine per controller, walking each channel's queue in order,
 * really copying bytes in the arena, pacing itself to the configured bandwidth and latency,
 * writing completion back and raising the channel's interrupt. It never takes a kernel lock:
 * the queue protocol is the only contract (see VREG's HW_* registers in hw-regs.ts).
 */
export class VdmaEngine {
  private readonly c: Int32Array;
  private readonly d: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly head: Int32Array;
  private readonly ack: Int32Array;
  private readonly corruption: Corruption;
  private readonly statBase: number;
  private readonly nsPerByte: number;
  /** Virtual time: busy hardware waits on the run clock instead of spinning on the wall. */
  private readonly controlled: boolean;
  private readonly machine: Machine;
  private readonly opts: VdmaOptions;
  /** Peripherals' FIFO ports by data register address (null: the machine has none). */
  private readonly ports: Map<number, DmaPort> | null;
  /** Per channel: the port its head descriptor waits on for a DMA request, and how much. */
  private readonly parked: (DmaPort | null)[];
  private readonly want: Int32Array;
  private readonly paced: PortEngine;
  private readonly actor: number;
  /** Check every segment against KASAN's shadow (freed kmalloc memory). */
  private readonly kasan: boolean;
  private readonly cyclic: CyclicEngine;
  /** The `pipeline` option's read-ahead (see fence.ts), or null. */
  private readonly pipeline: VdmaPipeline | null;

  constructor(
    private readonly view: SchedView,
    private readonly sched: Scheduler,
    private readonly spec: DeviceSpec,
    private readonly emitter: EventEmitter,
    actorIndex: number,
    runSeed: number,
  ) {
    const machine = view.machine;
    this.machine = machine;
    this.controlled = machine.spec.sched.mode === 'controlled';
    this.c = machine.arena.words;
    this.d = machine.pool.words;
    this.bytes = machine.arena.bytes;
    this.head = new Int32Array(spec.channels);
    this.ack = new Int32Array(spec.channels);
    this.statBase = machine.statBase(actorIndex);
    this.opts = spec.options as unknown as VdmaOptions;
    this.corruption = new Corruption(runSeed, spec.firstChan, spec.channels, this.opts.corrupt);
    const bw = this.opts.bandwidth;
    this.nsPerByte = bw > 0 ? 1000 / bw : 0;
    this.actor = actorIndex;
    this.kasan = this.opts.kasan !== false;
    this.pipeline = this.opts.pipeline ? new VdmaPipeline(this.d, this.bytes) : null;
    const ports = machine.spec.peripherals.filter((p) => p.port >= 0);
    this.ports =
      ports.length > 0 ? new Map(ports.map((p) => [p.port * 4, new DmaPort(view, p.port)])) : null;
    this.parked = new Array<DmaPort | null>(spec.channels).fill(null);
    this.want = new Int32Array(spec.channels);
    this.paced = {
      c: this.c,
      d: this.d,
      bytes: this.bytes,
      sched,
      emitter,
      stats: machine.stats,
      statBase: this.statBase,
      burst: Math.max(1, this.opts.burst),
      kasan: this.kasan,
    };
    this.cyclic = new CyclicEngine({
      ...this.paced,
      view,
      spec,
      nsPerByte: this.nsPerByte,
      actor: actorIndex,
      parked: this.parked,
      want: this.want,
      slavePort: (desc) => this.slavePort(desc),
      resetPending: (k, cb) => Atomics.load(this.c, cb + VREG.HW_RESET_REQ) !== this.ack[k],
      delayUntil: (t) => this.delayUntil(t),
    });
  }

  /** The FIFO port a slave descriptor's device address names, or null (memory). */
  private slavePort(desc: number): DmaPort | null {
    if (this.ports === null) return null;
    const db = descBase(desc);
    const dir = this.d[db + DESC.DIRECTION];
    if (dir === DmaTransferDirection.DMA_DEV_TO_MEM)
      return this.ports.get(this.d[db + DESC.CFG_SRC_ADDR]!) ?? null;
    if (dir === DmaTransferDirection.DMA_MEM_TO_DEV)
      return this.ports.get(this.d[db + DESC.CFG_DST_ADDR]!) ?? null;
    return null;
  }

  /** The engine's life: serve the queues until the run shuts down. */
  run(): void {
    const control = this.machine.control;
    const n = this.spec.channels;
    for (let k = 0; k < n; k++) {
      const cb = chanState(this.spec, k);
      this.head[k] = Atomics.load(this.c, cb + VREG.HW_HEAD);
      this.ack[k] = Atomics.load(this.c, cb + VREG.HW_RESET_ACK);
    }
    while (Atomics.load(control, CONTROL.PHASE) < Phase.SHUTDOWN) {
      let worked = false;
      for (let k = 0; k < n; k++) worked = this.service(k) || worked;
      if (!worked) this.idle();
    }
  }

  private readonly busy = (): boolean => this.hasWork();

  private hasWork(): boolean {
    const c = this.c;
    for (let k = 0; k < this.spec.channels; k++) {
      const cb = chanState(this.spec, k);
      // A pause to acknowledge is work; a paused channel has none but a reset.
      const pause = Atomics.load(c, cb + VREG.HW_PAUSE);
      if (pause !== Atomics.load(c, cb + VREG.HW_PAUSE_ACK)) return true;
      if (pause !== 0) {
        if (Atomics.load(c, cb + VREG.HW_RESET_REQ) !== this.ack[k]) return true;
        continue;
      }
      // A channel whose head waits for its device has work once the device requests it.
      const parked = this.parked[k];
      if (
        parked
          ? parked.dmaRequest(this.want[k]!)
          : Atomics.load(c, cb + VREG.HW_TAIL) !== this.head[k]
      )
        return true;
      if (Atomics.load(c, cb + VREG.HW_RESET_REQ) !== this.ack[k]) return true;
    }
    return false;
  }

  /** Waits for work on its registers or a doorbell (see engineIdle()). */
  private idle(): void {
    engineIdle(this.sched, this.machine.control, this.busy, Point['engine.idle']);
  }

  /** Serves channel k: a pending reset first, then every queued descriptor. */
  private service(k: number): boolean {
    const c = this.c;
    const chan = this.spec.firstChan + k;
    const cb = chanState(this.spec, k);
    let head = this.head[k]!;
    let worked = false;
    const req = Atomics.load(c, cb + VREG.HW_RESET_REQ);
    if (req !== this.ack[k]) {
      this.sched.point(Point['engine.reset']);
      const resetTail = Atomics.load(c, cb + VREG.HW_RESET_TAIL);
      if (counterDiff(resetTail, head) > 0) head = resetTail;
      // A transfer waiting for its device is abandoned where it stands.
      const parked = this.parked[k];
      if (parked) {
        parked.clearWaiter(true);
        this.parked[k] = null;
        Atomics.store(c, cb + VREG.HW_ACTIVE, -1);
      }
      this.cyclic.reset(k);
      Atomics.store(c, cb + VREG.HW_HEAD, head);
      // ACK after HEAD: synchronize() may free what lies before resetTail once it sees ACK.
      Atomics.store(c, cb + VREG.HW_RESET_ACK, req);
      this.ack[k] = req;
      worked = true;
    }
    // Paused: acknowledged here, between bursts; nothing moves until resume.
    const pause = Atomics.load(c, cb + VREG.HW_PAUSE);
    if (pause !== Atomics.load(c, cb + VREG.HW_PAUSE_ACK)) {
      Atomics.store(c, cb + VREG.HW_PAUSE_ACK, pause);
      worked = true;
    }
    if (pause !== 0) {
      this.head[k] = head;
      return worked;
    }
    let tail = Atomics.load(c, cb + VREG.HW_TAIL);
    // At most SERVICE_BATCH descriptors per channel per round: a channel that keeps its
    // queue full must not starve its siblings on the same engine.
    for (let n = 0; head !== tail && n < SERVICE_BATCH; n++) {
      const desc = c[ringSlot(cb, head)]!;
      // Not DESC.KIND: that header line is the CPUs', and would cross cores per descriptor.
      if (this.d[descBase(desc) + VDESC.PERIOD_LEN] !== 0) {
        // Cyclic: never completes; the engine comes back to it after its other channels.
        const step = this.cyclic.service(k, chan, cb, desc);
        worked = worked || step !== CyclicStep.IDLE;
        if (step !== CyclicStep.ABORTED) break;
        // A bus error ends it: completed with its error, as any descriptor.
        head = (head + 1) | 0;
        Atomics.store(c, cb + VREG.HW_HEAD, head);
        Atomics.store(c, cb + VREG.HW_ACTIVE, -1);
        raiseIrq(this.view, this.spec.firstIrq + k);
        break;
      }
      const parked = this.parked[k];
      if (!parked) {
        this.sched.point(Point['engine.start']);
        // Progress first: a reader that sees the new HW_ACTIVE must not see the old progress.
        Atomics.store(c, cb + VREG.HW_PROGRESS, 0);
        Atomics.store(c, cb + VREG.HW_ACTIVE, desc);
        // A terminate that read HW_ACTIVE before this store may free the descriptor: its
        // reset request came first, so it is seen here, and the descriptor is not touched.
        if (Atomics.load(c, cb + VREG.HW_RESET_REQ) !== this.ack[k]) {
          Atomics.store(c, cb + VREG.HW_ACTIVE, -1);
          break;
        }
      }
      // Read before HEAD hands the descriptor back: after that it may be freed and reused.
      const flags = this.d[descBase(desc) + DESC.FLAGS]!;
      const port = parked ?? this.slavePort(desc);
      if (port) {
        const want = portTransfer(this.paced, chan, cb, desc, port, !parked);
        if (want > 0) {
          // Waits for the device's request; the other channels go on meanwhile.
          this.parked[k] = port;
          this.want[k] = want;
          port.setWaiter(this.actor, true, want);
          break;
        }
        if (parked) {
          port.clearWaiter(true);
          this.parked[k] = null;
        }
      } else {
        const next = counterDiff(tail, head) > 1 ? c[ringSlot(cb, (head + 1) | 0)]! : -1;
        this.pipeline?.readAhead(desc, next);
        this.transfer(chan, cb, desc);
        this.pipeline?.land(desc);
      }
      head = (head + 1) | 0;
      // HEAD is the completion write-back: the irq handler completes everything before it.
      Atomics.store(c, cb + VREG.HW_HEAD, head);
      Atomics.store(c, cb + VREG.HW_ACTIVE, -1);
      this.sched.point(Point['engine.done']);
      tail = Atomics.load(c, cb + VREG.HW_TAIL);
      if ((flags & DmaCtrlFlags.DMA_PREP_INTERRUPT) !== 0 || head === tail) {
        this.sched.point(Point['engine.irq']);
        raiseIrq(this.view, this.spec.firstIrq + k);
      }
      worked = true;
      if (Atomics.load(c, cb + VREG.HW_RESET_REQ) !== this.ack[k]) break;
    }
    this.head[k] = head;
    return worked;
  }

  /** Moves one descriptor's bytes; records a bus error as the descriptor's result. */
  private transfer(chan: number, cb: number, desc: number): void {
    const d = this.d;
    const db = descBase(desc);
    const opts = this.opts;
    const emitter = this.emitter;
    const len = d[db + DESC.LEN]!;
    if (emitter.on(EventCode['engine.start']))
      emitter.emit(EventCode['engine.start'], CTX_HW, chan, desc, len, d[db + DESC.GEN]);
    const clock = this.sched.clock;
    let due = opts.latency > 0 ? clock.now() + opts.latency / 1000 : 0;
    if (due) this.delayUntil(due);
    const bytes = this.bytes;
    const size = this.machine.arena.size;
    const segs = d[db + VDESC.SEG_COUNT]!;
    let moved = 0;
    let result: number = DmaengineTxResult.DMA_TRANS_NOERROR;
    for (let s = 0; s < segs; s++) {
      this.pauseWait(chan, cb);
      const o = db + VDESC.SEGMENTS + s * 3;
      const src = d[o]!;
      const dst = d[o + 1]!;
      const n = d[o + 2]!;
      if (src < ARENA_RESERVED || src + n > size) {
        result = DmaengineTxResult.DMA_TRANS_READ_FAILED;
        break;
      }
      if (dst < ARENA_RESERVED || dst + n > size) {
        result = DmaengineTxResult.DMA_TRANS_WRITE_FAILED;
        break;
      }
      // Until the run's first kfree() no byte can be freed: one load instead of two scans.
      if (this.kasan && this.machine.slab.anyFreed()) {
        kasanCheckDma(src, n, false, KASAN_FN);
        kasanCheckDma(dst, n, true, KASAN_FN);
      }
      // Unpaced, a segment is one copy: no reader can observe the bytes in between, so
      // burst-by-burst progress would only cost time. Pacing makes progress observable.
      if (this.nsPerByte === 0) {
        this.sched.point(Point['engine.burst']);
        bytes.copyWithin(dst, src, src + n);
        moved += n;
        Atomics.store(this.c, cb + VREG.HW_PROGRESS, moved);
        continue;
      }
      const burst = Math.max(1, opts.burst);
      if (due === 0) due = clock.now();
      for (let off = 0; off < n; off += burst) {
        if (off > 0) this.pauseWait(chan, cb);
        this.sched.point(Point['engine.burst']);
        const chunk = Math.min(burst, n - off);
        bytes.copyWithin(dst + off, src + off, src + off + chunk);
        moved += chunk;
        Atomics.store(this.c, cb + VREG.HW_PROGRESS, moved);
        if (this.nsPerByte > 0) {
          due += (chunk * this.nsPerByte) / 1e6;
          this.delayUntil(due);
        }
      }
    }
    const corrupted =
      moved > 0 &&
      this.corruption.inject(
        chan - this.spec.firstChan,
        bytes,
        d[db + VDESC.SEGMENTS + 1]!,
        d[db + VDESC.SEGMENTS + 2]!,
      )
        ? 1
        : 0;
    // Write-back only on error: prep zeroed RESULT and RESULT_RESIDUE, and HW_HEAD passing
    // the descriptor says it is done. Not writing the slot on success keeps its cache
    // line shared instead of bouncing it between the engine and the CPU at every transfer.
    if (result !== DmaengineTxResult.DMA_TRANS_NOERROR) {
      d[db + DESC.RESULT] = result;
      d[db + DESC.RESULT_RESIDUE] = len - moved;
    }
    const stats = this.machine.stats;
    stats[this.statBase + STAT.DESCRIPTORS]!++;
    stats[this.statBase + STAT.BYTES]! += moved;
    // GEN is still this descriptor's: the slot is handed back only when HEAD passes it.
    if (emitter.on(EventCode['engine.done']))
      emitter.emit(
        EventCode['engine.done'],
        CTX_HW,
        chan,
        desc,
        moved,
        corrupted,
        d[db + DESC.GEN],
      );
  }

  /**
   * Between two bursts of a memory transfer: while the channel's pause register is set,
   * acknowledge it and wait for resume (or a reset, which ends the wait; the copy then
   * finishes, as terminate lets the engine finish what it had started).
   */
  private pauseWait(chan: number, cb: number): void {
    const c = this.c;
    if (Atomics.load(c, cb + VREG.HW_PAUSE) === 0) return;
    const k = chan - this.spec.firstChan;
    const stay = (): boolean =>
      Atomics.load(c, cb + VREG.HW_PAUSE) !== 0 &&
      Atomics.load(c, cb + VREG.HW_RESET_REQ) === this.ack[k];
    Atomics.store(c, cb + VREG.HW_PAUSE_ACK, 1);
    while (stay() && Atomics.load(this.machine.control, CONTROL.PHASE) < Phase.SHUTDOWN) {
      engineIdle(this.sched, this.machine.control, () => !stay(), Point['engine.idle']);
    }
    Atomics.store(c, cb + VREG.HW_PAUSE_ACK, Atomics.load(c, cb + VREG.HW_PAUSE));
  }

  /** Busy hardware until run-clock time `t` (see hardwareDelayUntil()). */
  private delayUntil(t: number): void {
    hardwareDelayUntil(this.sched, this.machine.control, this.controlled, t, Point['engine.delay']);
  }
}
