import { DESC, DescState } from '../../shm/descriptor-pool.js';
import type { DeviceSpec, Machine } from '../../shm/machine.js';
import type { SchedView } from '../../sched/sched-view.js';
import { STAT } from '../../shm/control-block.js';
import { currentActor } from '../../kernel/current.js';
import { requestIrq } from '../../kernel/interrupts.js';
import { chanState, probeChan } from '../../platform/provider.js';
import {
  spinLock,
  spinLockIrqsave,
  spinUnlock,
  spinUnlockIrqrestore,
} from '../../kernel/spinlock.js';
import { DmaChan } from '../../dmaengine/chan.js';
import type { DmaDevice } from '../../dmaengine/provider.js';
import { dmaCookieStatus } from '../../dmaengine/cookie.js';
import {
  DmaResidueGranularity,
  DmaStatus,
  DmaTransactionType,
  DmaTransferDirection,
  dmaCapSet,
  type DmaSlaveConfig,
  type DmaTxState,
  type Scatterlist,
} from '../../dmaengine/types.js';
import {
  vchanComplete,
  vchanCookieComplete,
  vchanDmaDescFreeList,
  vchanGetAllDescriptors,
  vchanInit,
  vchanIssuePending,
  vchanNextDesc,
  vchanStartDesc,
  vchanTxSubmit,
} from '../../dmaengine/virt-dma.js';
import { LIST_HEAD, descBase, listDel } from '../../dmaengine/vchan-list.js';
import { EventCode } from '../../events/kinds.js';
import { trace } from '../../events/trace.js';
import { EINVAL, EPERM } from '../../kernel/errno.js';
import { HW_RING_SIZE, VREG, counterDiff, ringDoorbell, ringSlot } from './hw-regs.js';
import { MAX_SEGMENTS } from './vdesc.js';
import type { VdmaOptions } from './options.js';
import { vdmaConfigRegisters, vdmaPrepMemcpy, vdmaPrepSg, vdmaWriteConfig } from './prep.js';
import { vdmaResidue } from './residue.js';
import { vdmaSynchronize, vdmaTerminateAll } from './terminate.js';
import { vdmaClientGet, vdmaClientPut } from './client-pm.js';
import { vdmaPause, vdmaPaused, vdmaResume } from './pause.js';
import { vdmaPrepCyclic } from './cyclic-prep.js';
import { vdmaCyclicIrq } from './cyclic-irq.js';
import { vdmaDescMemRanges } from './vdesc.js';
import { vdmaPrepInterleaved } from './interleaved.js';
import { vdmaMetadataComplete, vdmaMetadataOps } from './metadata.js';
import { DescMetadataMode, type DmaDescriptorMetadataOps } from '../../dmaengine/metadata.js';
import type { DmaInterleavedTemplate } from '../../dmaengine/interleaved.js';
import { DmaOp } from '../../dmaengine/types.js';

const METADATA_MODES = {
  both: DescMetadataMode.DESC_METADATA_CLIENT | DescMetadataMode.DESC_METADATA_ENGINE,
  client: DescMetadataMode.DESC_METADATA_CLIENT,
  engine: DescMetadataMode.DESC_METADATA_ENGINE,
  none: 0,
} as const;

const GRANULARITY = {
  descriptor: DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_DESCRIPTOR,
  segment: DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_SEGMENT,
  burst: DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_BURST,
} as const;

/**
 * vdma: a generic virt-dma controller driver. Each channel has a hardware queue of
 * HW_RING_SIZE descriptors that the engine actor walks in order; the engine raises the
 * channel's interrupt for DMA_PREP_INTERRUPT descriptors and whenever its queue drains.
 * The irq handler completes cookies under vc.lock and refills the queue; the tasklet
 * (vchan_complete) runs the callbacks.
 */
export class VdmaDevice implements DmaDevice {
  readonly index: number;
  readonly name: string;
  readonly capMask = dmaCapSet(
    DmaTransactionType.DMA_CYCLIC,
    dmaCapSet(
      DmaTransactionType.DMA_INTERLEAVE,
      dmaCapSet(DmaTransactionType.DMA_SLAVE, dmaCapSet(DmaTransactionType.DMA_MEMCPY)),
    ),
  );
  readonly copyAlign = 0;
  readonly residueGranularity: number;
  readonly descriptorReuse = true;
  readonly directions =
    (1 << DmaTransferDirection.DMA_MEM_TO_MEM) |
    (1 << DmaTransferDirection.DMA_MEM_TO_DEV) |
    (1 << DmaTransferDirection.DMA_DEV_TO_MEM);
  readonly channels: DmaChan[] = [];
  /** 1, 2 and 4-byte FIFO accesses (BIT(DMA_SLAVE_BUSWIDTH_n_BYTES)). */
  readonly srcAddrWidths = (1 << 1) | (1 << 2) | (1 << 4);
  readonly dstAddrWidths = (1 << 1) | (1 << 2) | (1 << 4);
  readonly minBurst = 1;
  /** In words of the address width, as src_maxburst. */
  readonly maxBurst: number;
  /** Segments one descriptor carries. */
  readonly maxSgBurst = MAX_SEGMENTS;
  /** device_prep_config_sg, when the driver implements it (the `prepConfigSg` option). */
  readonly devicePrepConfigSg?: (
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
    config: DmaSlaveConfig | null,
  ) => number;
  private readonly d: Int32Array;
  private readonly callbacksInHardirq: boolean;
  private readonly callbackUnderLock: boolean;
  /** alloc_chan_resources refuses a runtime-suspended client (options.clientPm). */
  private readonly clientPm: boolean;
  private readonly terminateVdesc: boolean;

  private readonly machine: Machine;

  constructor(
    private readonly view: SchedView,
    spec: DeviceSpec,
  ) {
    const machine = view.machine;
    this.machine = machine;
    this.index = spec.index;
    this.name = spec.name;
    const opts = spec.options as unknown as VdmaOptions;
    this.residueGranularity = GRANULARITY[opts.residue];
    this.d = machine.pool.words;
    this.callbacksInHardirq = opts.callbackContext === 'hardirq';
    this.callbackUnderLock = opts.callbackUnderLock;
    this.clientPm = opts.clientPm === true;
    this.terminateVdesc = opts.terminateVdesc ?? true;
    this.maxBurst = Math.max(1, opts.burst);
    this.descMetadataModes = METADATA_MODES[opts.metadata] ?? METADATA_MODES.both;
    if (opts.prepConfigSg) {
      this.devicePrepConfigSg = (chan, sgl, dir, flags, config) =>
        this.prepConfigSg(chan, sgl, dir, flags, config);
    }
    for (let i = 0; i < spec.channels; i++) {
      const chan = probeChan(machine, spec, this, i);
      this.channels.push(chan);
      requestIrq(spec.firstIrq + i, () => this.irqHandler(chan));
      vchanInit(chan, spec.firstTasklet + i, opts.callbackUnderLock);
    }
  }

  /** Puts every channel's registers in their reset state (host side, before the run). */
  static format(machine: Machine, spec: DeviceSpec): void {
    for (let i = 0; i < spec.channels; i++) {
      machine.arena.words[chanState(spec, i) + VREG.HW_ACTIVE] = -1;
    }
  }

  deviceAllocChanResources(chan: DmaChan): number {
    return vdmaClientGet(chan, this.clientPm);
  }

  /** vchan_free_chan_resources(): every descriptor is freed, REUSE cleared. */
  deviceFreeChanResources(chan: DmaChan): void {
    const all: number[] = [];
    const f = spinLockIrqsave(chan.vcLock);
    vchanGetAllDescriptors(chan, all);
    spinUnlockIrqrestore(chan.vcLock, f);
    vchanDmaDescFreeList(chan, all);
    vdmaClientPut(chan);
  }

  devicePrepDmaMemcpy(chan: DmaChan, dst: number, src: number, len: number, flags: number): number {
    return vdmaPrepMemcpy(this.machine.pool, chan, dst, src, len, flags);
  }

  /**
   * Builds a slave descriptor from the channel's config registers as they are now: config
   * followed by prep is not atomic, so another CPU's config may be what this one reads.
   */
  devicePrepSlaveSg(
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
  ): number {
    return vdmaPrepSg(this.machine.pool, chan, sgl, dir, flags, vdmaConfigRegisters(chan));
  }

  /**
   * device_prep_config_sg as dw-edma implements it: store a passed config for later preps,
   * but build this descriptor from the passed config itself, not from the shared
   * registers. No framework lock is needed: concurrent callers cannot mix configs.
   */
  private prepConfigSg(
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
    config: DmaSlaveConfig | null,
  ): number {
    if (!config) return this.devicePrepSlaveSg(chan, sgl, dir, flags);
    const gen = this.deviceConfig(chan, config);
    return vdmaPrepSg(this.machine.pool, chan, sgl, dir, flags, { ...config, gen });
  }

  /** device_config: stores the registers for later preps, without a lock (as most drivers). */
  deviceConfig(chan: DmaChan, config: DmaSlaveConfig): number {
    return vdmaWriteConfig(chan, config);
  }

  txSubmit(chan: DmaChan, desc: number): number {
    return vchanTxSubmit(chan, desc);
  }

  deviceIssuePending(chan: DmaChan): void {
    const f = spinLockIrqsave(chan.vcLock);
    const { pending, moved } = vchanIssuePending(chan);
    if (pending) this.start(chan);
    spinUnlockIrqrestore(chan.vcLock, f);
    trace(EventCode.issue, chan.index, moved);
  }

  /** Moves issued descriptors into the hardware queue while it has room. Caller holds vc.lock. */
  private start(chan: DmaChan): void {
    const c = chan.hwWords;
    const cb = chan.hw;
    const hwHead = Atomics.load(c, cb + VREG.HW_HEAD);
    const drvDone = c[cb + VREG.DRV_DONE]!;
    // A slot is reusable once both the hardware and the irq handler are past it.
    const oldest = counterDiff(drvDone, hwHead) < 0 ? drvDone : hwHead;
    let tail = c[cb + VREG.HW_TAIL]!;
    let queued = 0;
    while (counterDiff(tail, oldest) < HW_RING_SIZE) {
      const i = vchanNextDesc(chan);
      if (i < 0) break;
      vchanStartDesc(chan, i);
      c[ringSlot(cb, tail)] = i;
      tail = (tail + 1) | 0;
      queued++;
    }
    if (queued === 0) return;
    // Publishing HW_TAIL hands the ring entries (and their descriptors) to the engine.
    Atomics.store(c, cb + VREG.HW_TAIL, tail);
    ringDoorbell(this.view, this.index);
  }

  /** The channel's hardirq handler: completes what the hardware finished, refills the queue. */
  private irqHandler(chan: DmaChan): void {
    const c = chan.hwWords;
    const cb = chan.hw;
    spinLock(chan.vcLock);
    const head = Atomics.load(c, cb + VREG.HW_HEAD);
    let done = c[cb + VREG.DRV_DONE]!;
    let n = 0;
    while (counterDiff(head, done) > 0) {
      vdmaMetadataComplete(chan, c[ringSlot(cb, done)]!);
      vchanCookieComplete(chan, c[ringSlot(cb, done)]!);
      done = (done + 1) | 0;
      n++;
    }
    c[cb + VREG.DRV_DONE] = done;
    const periods = vdmaCyclicIrq(chan, this.d);
    if (vchanNextDesc(chan) >= 0) this.start(chan);
    spinUnlock(chan.vcLock);
    // Some drivers complete from the irq handler itself: callbacks then run in hardirq.
    if (this.callbacksInHardirq && n + periods > 0) vchanComplete(chan, this.callbackUnderLock);
    const actor = currentActor();
    actor.machine.stats[actor.machine.statBase(actor.index) + STAT.IRQS]!++;
    trace(EventCode.irq, chan.index, n);
  }

  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus {
    const ret = dmaCookieStatus(chan.w, chan.base, cookie, state);
    if (ret === DmaStatus.DMA_COMPLETE) return ret;
    // Paused: every transfer not yet complete reads DMA_PAUSED (as stm32-dma). One register
    // word: only the residue needs vc.lock, so a caller without a state takes no lock.
    const status = vdmaPaused(chan) ? DmaStatus.DMA_PAUSED : ret;
    if (state === null) return status;
    const f = spinLockIrqsave(chan.vcLock);
    state.residue = this.residue(chan, cookie);
    spinUnlockIrqrestore(chan.vcLock, f);
    return status;
  }

  /** Bytes left of the descriptor with `cookie`, at this device's granularity. Caller holds vc.lock. */
  private residue(chan: DmaChan, cookie: number): number {
    return vdmaResidue(this.d, this.residueGranularity, chan, cookie);
  }

  /** device_terminate_all: see vdmaTerminateAll(). */
  deviceTerminateAll(chan: DmaChan): number {
    return vdmaTerminateAll(this.view, this.index, chan, this.terminateVdesc);
  }

  /** device_pause: see vdmaPause(). */
  devicePause(chan: DmaChan): number {
    return vdmaPause(this.view, this.index, chan);
  }

  /** device_resume: see vdmaResume(). */
  deviceResume(chan: DmaChan): number {
    return vdmaResume(this.view, this.index, chan);
  }

  /** device_prep_dma_cyclic from the channel's config registers: see vdmaPrepCyclic(). */
  devicePrepDmaCyclic(
    chan: DmaChan,
    bufAddr: number,
    bufLen: number,
    periodLen: number,
    dir: DmaTransferDirection,
    flags: number,
  ): number {
    const cfg = vdmaConfigRegisters(chan);
    return vdmaPrepCyclic(this.machine.pool, chan, bufAddr, bufLen, periodLen, dir, flags, cfg);
  }

  /** device_synchronize: see vdmaSynchronize(). */
  deviceSynchronize(chan: DmaChan): void {
    vdmaSynchronize(chan);
  }

  /** dmaengine_desc_free() for a REUSE descriptor the client holds. */
  descFree(chan: DmaChan, desc: number): number {
    const d = this.d;
    const db = descBase(desc);
    if (d[db + DESC.REUSE] === 0) return -EPERM;
    if (d[db + DESC.STATE] !== DescState.PREPARED) return -EINVAL;
    const f = spinLockIrqsave(chan.vcLock);
    listDel(chan.w, chan.base, LIST_HEAD.ALLOCATED, d, desc);
    spinUnlockIrqrestore(chan.vcLock, f);
    this.machine.pool.free(desc);
    return 0;
  }

  // --- DMA mapping debug, descriptor metadata, interleaved, dependencies ---
  readonly runsDependencies = true;
  readonly descMetadataModes: number;
  private readonly metadataOps = vdmaMetadataOps((desc) => {
    const k = this.d[descBase(desc) + DESC.CHAN]! - (this.channels[0]?.index ?? 0);
    return this.channels[k] ?? null;
  });

  /** A memcpy descriptor has no metadata ops; slave and interleaved ones have vdma's. */
  descMetadataOps(desc: number): DmaDescriptorMetadataOps | null {
    return this.d[descBase(desc) + DESC.KIND] === DmaOp.MEMCPY ? null : this.metadataOps;
  }

  devicePrepInterleavedDma(chan: DmaChan, xt: DmaInterleavedTemplate, flags: number): number {
    return vdmaPrepInterleaved(this.machine.pool, chan, xt, flags);
  }

  descMemRanges(desc: number, out: number[]): void {
    vdmaDescMemRanges(this.d, desc, out);
  }
}
