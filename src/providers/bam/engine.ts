import { CONTROL, Phase, STAT } from '../../shm/control-block.js';
import { ARENA_RESERVED } from '../../shm/arena.js';
import type { DeviceSpec, Machine } from '../../shm/machine.js';
import type { Scheduler } from '../../sched/scheduler.js';
import type { SchedView } from '../../sched/sched-view.js';
import { Point } from '../../sched/labels.js';
import { chanState } from '../../platform/provider.js';
import { engineIdle } from '../../platform/engine-idle.js';
import { DmaPort } from '../../platform/dma-port.js';
import { readl, writel, type MmioAccess } from '../../platform/mmio.js';
import { raiseIrq } from '../../kernel/cpu.js';
import { kasanCheckDma } from '../../kernel/kasan.js';
import { DmaTransferDirection } from '../../dmaengine/types.js';
import { BAM_CE_SIZE, BamCommandType, BAM_CE_ADDR_MASK } from './qcom-bam-dma.js';
import type { BamOptions } from './options.js';
import { BREG, DescFlag, PIPE, pipeEe, resetTag, ringEntries } from './regs.js';
import { recordLockFigure } from './lock-figures.js';
import { reportViolation } from '../../kernel/report/user-violation.js';

/** Descriptors the engine processes on one pipe before it looks at the next. */
const SERVICE_BATCH = 32;
const KASAN_FN = 'bam_engine_process';

/** What a pipe is stopped on, between two visits. */
const Park = { NONE: 0, PORT: 1, DONE: 2 } as const;

/**
 * The BAM hardware: one engine per controller, walking each pipe's descriptor FIFO from
 * P_SW_OFSTS to P_EVNT_REG. A data descriptor is consumed once its bytes are forwarded to
 * the peripheral's FIFO; NWD holds the pipe until the peripheral says it is done with them.
 * A command descriptor's elements write (or read) peripheral registers through the bus. A
 * LOCK descriptor takes the pipe lock for its pipe group (its EE): until UNLOCK the engine
 * serves no other group's pipe. INT and EOT raise the EE's interrupt. It takes no kernel
 * lock; the registers are the only contract (see PIPE in regs.ts).
 */
export class BamEngine {
  private readonly a: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly ring: number;
  private readonly pipes: number[];
  private readonly ee: number[];
  /** Per pipe: entries processed, last reset handled, bytes of the current data descriptor moved. */
  private readonly sw: Int32Array;
  private readonly ack: Int32Array;
  private readonly off: Int32Array;
  private readonly park: Int32Array;
  /** Per pipe: the peripheral's pushed count a NWD waits for, and whether one is armed. */
  private readonly nwdAt: Int32Array;
  private readonly nwd: Uint8Array;
  /** Per pipe: when its LOCK reached the head (-1: not waiting), when its lock was taken. */
  private readonly waitFrom: Float64Array;
  private readonly holdFrom: Float64Array;
  private readonly ports: Map<number, DmaPort>;
  private readonly statBase: number;
  private readonly regs: number;
  private readonly machine: Machine;

  constructor(
    private readonly view: SchedView,
    private readonly sched: Scheduler,
    private readonly spec: DeviceSpec,
    private readonly actor: number,
  ) {
    const machine = view.machine;
    this.machine = machine;
    this.a = machine.arena.words;
    this.bytes = machine.arena.bytes;
    const opts = spec.options as unknown as BamOptions;
    this.ring = ringEntries(opts.descFifo);
    const n = spec.channels;
    this.pipes = Array.from({ length: n }, (_, k) => chanState(spec, k));
    this.ee = Array.from({ length: n }, (_, k) => pipeEe(k, n, opts.ees));
    this.sw = new Int32Array(n);
    this.ack = new Int32Array(n);
    this.off = new Int32Array(n);
    this.park = new Int32Array(n);
    this.nwdAt = new Int32Array(n);
    this.nwd = new Uint8Array(n);
    this.waitFrom = new Float64Array(n).fill(-1);
    this.holdFrom = new Float64Array(n);
    this.ports = new Map(
      machine.spec.peripherals
        .filter((p) => p.port >= 0)
        .map((p) => [p.port * 4, new DmaPort(view, p.port)]),
    );
    this.statBase = machine.statBase(actor);
    this.regs = spec.regs;
  }

  /** The engine's life: serve the pipes until the run shuts down. */
  run(): void {
    const control = this.machine.control;
    for (let k = 0; k < this.pipes.length; k++) {
      this.ack[k] = Atomics.load(this.a, this.pipes[k]! + PIPE.P_RST);
    }
    const busy = (): boolean => this.hasWork();
    while (Atomics.load(control, CONTROL.PHASE) < Phase.SHUTDOWN) {
      let worked = false;
      for (let k = 0; k < this.pipes.length; k++) worked = this.service(k) || worked;
      if (!worked) engineIdle(this.sched, control, busy, Point['engine.idle']);
    }
  }

  private now(): number {
    return this.sched.clock.now();
  }

  /** The pipe's tail (entries), or its current offset when the driver has not written one since the reset. */
  private tail(k: number): number {
    const v = Atomics.load(this.a, this.pipes[k]! + PIPE.P_EVNT_REG);
    return (v & 0x7fff0000) === resetTag(this.ack[k]!) ? (v & 0xffff) / 8 : this.sw[k]!;
  }

  private portOf(k: number): DmaPort | null {
    return this.ports.get(this.a[this.pipes[k]! + PIPE.P_PERIPH]!) ?? null;
  }

  private lockedOut(k: number): boolean {
    const owner = Atomics.load(this.a, this.regs + BREG.LOCK_OWNER);
    return owner !== 0 && owner !== this.ee[k]! + 1;
  }

  private hasWork(): boolean {
    const a = this.a;
    for (let k = 0; k < this.pipes.length; k++) {
      const p = this.pipes[k]!;
      if (Atomics.load(a, p + PIPE.P_RST) !== this.ack[k]) return true;
      if (Atomics.load(a, p + PIPE.P_HALT) !== 0 || this.lockedOut(k)) continue;
      const park = this.park[k]!;
      if (park !== Park.NONE) {
        const port = this.portOf(k);
        if (!port) return true;
        if (park === Park.DONE ? this.nwdDone(k, port) : this.portReady(k, port)) return true;
        continue;
      }
      if (this.tail(k) !== this.sw[k]) return true;
    }
    return false;
  }

  /** P_RST: back to an empty FIFO; a NWD wait and a lock the pipe's group holds go too. */
  private reset(k: number, rst: number): void {
    this.sched.point(Point['engine.reset']);
    const port = this.portOf(k);
    if (this.park[k] !== Park.NONE) port?.clearWaiter(true);
    this.sw[k] = 0;
    this.off[k] = 0;
    this.park[k] = Park.NONE;
    this.nwd[k] = 0;
    this.waitFrom[k] = -1;
    if (Atomics.load(this.a, this.regs + BREG.LOCK_OWNER) === this.ee[k]! + 1) {
      this.unlock(k);
    }
    this.ack[k] = rst;
    Atomics.store(this.a, this.pipes[k]! + PIPE.P_SW_OFSTS, resetTag(rst));
    Atomics.store(this.a, this.pipes[k]! + PIPE.P_RST_ACK, rst);
  }

  /** Serves pipe k: a reset first, then its FIFO while its group may run. */
  private service(k: number): boolean {
    const a = this.a;
    const p = this.pipes[k]!;
    let worked = false;
    const rst = Atomics.load(a, p + PIPE.P_RST);
    if (rst !== this.ack[k]) {
      this.reset(k, rst);
      worked = true;
    }
    if (Atomics.load(a, p + PIPE.P_HALT) !== 0) return worked;
    const g = this.ee[k]!;
    for (let n = 0; n < SERVICE_BATCH; n++) {
      const sw = this.sw[k]!;
      if (sw === this.tail(k)) break;
      const addr = a[p + PIPE.FIFO + sw * 2]!;
      const sizeFlags = a[p + PIPE.FIFO + sw * 2 + 1]!;
      const size = sizeFlags & 0xffff;
      const flags = sizeFlags >>> 16;
      if (this.lockedOut(k)) {
        // Another group holds the lock: a LOCK at the head starts waiting from now.
        if ((flags & DescFlag.LOCK) !== 0 && this.waitFrom[k]! < 0) this.waitFrom[k] = this.now();
        break;
      }
      if (this.park[k] === Park.NONE && this.off[k] === 0 && !this.nwd[k]) {
        this.sched.point(Point['engine.start']);
        if ((flags & DescFlag.LOCK) !== 0 && !this.lock(k, g)) break;
        if ((flags & DescFlag.CMD) !== 0) this.command(g, addr, size, flags);
      }
      if ((flags & DescFlag.CMD) === 0 && !this.data(k, addr, size)) break;
      if ((flags & DescFlag.NWD) !== 0 && !this.notifyWhenDone(k)) break;
      // Processed: the hardware moves its offset past it.
      if ((flags & DescFlag.UNLOCK) !== 0) this.unlock(k);
      this.sw[k] = (sw + 1) % this.ring;
      this.off[k] = 0;
      this.nwd[k] = 0;
      Atomics.store(a, p + PIPE.P_SW_OFSTS, resetTag(this.ack[k]!) | (this.sw[k] * 8));
      Atomics.add(a, p + PIPE.DESCS, 1);
      Atomics.add(a, this.regs + BREG.TOTAL_DESCS, 1);
      this.machine.stats[this.statBase + STAT.DESCRIPTORS]!++;
      this.sched.point(Point['engine.done']);
      if ((flags & (DescFlag.INT | DescFlag.EOT)) !== 0) {
        this.sched.point(Point['engine.irq']);
        Atomics.or(a, this.regs + BREG.IRQ_SRCS_EE + g, 1 << k);
        raiseIrq(this.view, this.spec.firstIrq + g);
      }
      worked = true;
      // The lock is free: the other groups get their turn before this pipe locks again.
      if ((flags & DescFlag.UNLOCK) !== 0) break;
    }
    return worked;
  }

  /** A LOCK descriptor at the head: takes the lock if free. @returns false while another group holds it */
  private lock(k: number, g: number): boolean {
    const a = this.a;
    if (this.waitFrom[k]! < 0) this.waitFrom[k] = this.now();
    const owner = Atomics.load(a, this.regs + BREG.LOCK_OWNER);
    if (owner !== 0 && owner !== g + 1) return false;
    const now = this.now();
    Atomics.store(a, this.regs + BREG.LOCK_OWNER, g + 1);
    recordLockFigure(
      a,
      this.regs,
      this.pipes[k]!,
      'wait',
      Math.round((now - this.waitFrom[k]!) * 1000),
    );
    Atomics.add(a, this.pipes[k]! + PIPE.LOCKS, 1);
    Atomics.add(a, this.regs + BREG.TOTAL_LOCKS, 1);
    this.waitFrom[k] = -1;
    this.holdFrom[k] = now;
    return true;
  }

  private unlock(k: number): void {
    const a = this.a;
    if (Atomics.load(a, this.regs + BREG.LOCK_OWNER) !== this.ee[k]! + 1) return;
    Atomics.store(a, this.regs + BREG.LOCK_OWNER, 0);
    const us = Math.round((this.now() - this.holdFrom[k]!) * 1000);
    recordLockFigure(a, this.regs, this.pipes[k]!, 'hold', us);
  }

  /** Executes a command descriptor's elements: register writes and reads through the bus. */
  private command(g: number, addr: number, size: number, flags: number): void {
    const a = this.a;
    const access: MmioAccess = {
      ee: g,
      by: 'dma',
      ...((flags & DescFlag.LOCK) !== 0
        ? { pipeLock: 'lock' as const }
        : (flags & DescFlag.UNLOCK) !== 0
          ? { pipeLock: 'unlock' as const }
          : {}),
    };
    if (
      size % BAM_CE_SIZE !== 0 ||
      addr < ARENA_RESERVED ||
      addr + size > this.machine.arena.size
    ) {
      // A command descriptor that is not whole elements in memory (a buffer split mid-element
      // by a small FIFO's chunking, or a bad address): the BAM raises an error, runs none.
      reportViolation('bus-error', {
        message:
          `${this.spec.name}: EE${g}'s command descriptor at 0x${(addr >>> 0).toString(16)} of ` +
          `${size} bytes is not whole ${BAM_CE_SIZE}-byte command elements in memory`,
        addr,
        ee: g,
      });
      return;
    }
    if (this.machine.slab.anyFreed()) kasanCheckDma(addr, size, false, KASAN_FN);
    for (let ce = addr; ce < addr + size; ce += BAM_CE_SIZE) {
      const w = ce >> 2;
      const cmdAddr = a[w]!;
      const reg = cmdAddr & BAM_CE_ADDR_MASK;
      if (cmdAddr >>> 24 === BamCommandType.BAM_READ_COMMAND) {
        // The value goes to memory at the element's data address, as a write would.
        writel(a[w + 1]!, readl(reg, access), access);
      } else {
        writel(reg, a[w + 1]!, access);
      }
    }
  }

  /** Whether the peripheral's FIFO can take (or give) the rest of the pipe's data descriptor. */
  private portReady(k: number, port: DmaPort): boolean {
    return port.dmaRequest(this.wantOf(k));
  }

  private wantOf(k: number): number {
    const sw = this.sw[k]!;
    return (this.a[this.pipes[k]! + PIPE.FIFO + sw * 2 + 1]! & 0xffff) - this.off[k]!;
  }

  /**
   * Forwards a data descriptor's bytes: to or from the peripheral's FIFO as it has room or
   * data, or, for a pipe wired to no FIFO, to or from memory at the slave address.
   * @returns true once all of it moved (consumed)
   */
  private data(k: number, addr: number, size: number): boolean {
    const p = this.pipes[k]!;
    const toDev = this.a[p + PIPE.P_CTRL_DIR] !== DmaTransferDirection.DMA_DEV_TO_MEM;
    // Already forwarded: the pipe came back to it for its NWD.
    if (this.off[k]! >= size && size > 0) return true;
    const port = this.portOf(k);
    if (this.off[k] === 0 && this.machine.slab.anyFreed()) {
      kasanCheckDma(addr, size, !toDev, KASAN_FN);
    }
    if (port) {
      while (this.off[k]! < size) {
        const left = size - this.off[k]!;
        if (!port.dmaRequest(left)) {
          this.park[k] = Park.PORT;
          port.setWaiter(this.actor, true, left);
          if (!port.dmaRequest(left)) return false;
        }
        this.sched.point(Point['engine.burst']);
        const n = Math.min(left, toDev ? port.room() : port.level());
        if (n <= 0) continue;
        if (toDev) port.push(addr + this.off[k]!, n, this.bytes);
        else port.pop(addr + this.off[k]!, n, this.bytes);
        this.off[k] = this.off[k]! + n;
      }
      if (this.park[k] === Park.PORT) port.clearWaiter(true);
      this.park[k] = Park.NONE;
    } else {
      const dev = this.a[p + PIPE.P_PERIPH]!;
      const size8 = this.machine.arena.size;
      const ok =
        addr >= ARENA_RESERVED &&
        addr + size <= size8 &&
        dev >= ARENA_RESERVED &&
        dev + size <= size8;
      if (ok) {
        if (toDev) this.bytes.copyWithin(dev, addr, addr + size);
        else this.bytes.copyWithin(addr, dev, dev + size);
      }
      this.off[k] = size;
    }
    Atomics.add(this.a, p + PIPE.DATA_BYTES, size);
    Atomics.add(this.a, this.regs + BREG.TOTAL_BYTES, size);
    this.machine.stats[this.statBase + STAT.BYTES]! += size;
    return true;
  }

  /** NWD: the pipe holds until the peripheral is done with every byte forwarded so far. */
  private notifyWhenDone(k: number): boolean {
    const port = this.portOf(k);
    if (!port) return true;
    if (!this.nwd[k]) {
      this.nwd[k] = 1;
      this.nwdAt[k] = port.pushed();
    }
    if (this.nwdDone(k, port)) {
      if (this.park[k] === Park.DONE) port.clearWaiter(true);
      this.park[k] = Park.NONE;
      return true;
    }
    this.park[k] = Park.DONE;
    port.setWaiter(this.actor, true, 1);
    return this.nwdDone(k, port) ? this.notifyWhenDone(k) : false;
  }

  private nwdDone(k: number, port: DmaPort): boolean {
    return ((port.finished() - this.nwdAt[k]!) | 0) >= 0;
  }
}
