import type { DeviceSpec, Machine } from '../../shm/machine.js';
import type { SchedView } from '../../sched/sched-view.js';
import { requestIrq, taskletSetup } from '../../kernel/interrupts.js';
import { chanState, probeChan } from '../../platform/provider.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../../kernel/spinlock.js';
import { printk } from '../../kernel/current.js';
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
  vchanDmaDescFreeList,
  vchanFindDesc,
  vchanGetAllDescriptors,
  vchanInit,
  vchanIssuePending,
  vchanTxSubmit,
} from '../../dmaengine/virt-dma.js';
import { LIST_HEAD, descBase, listAdd, listDel, listFirst } from '../../dmaengine/vchan-list.js';
import { DescMetadataMode, type DmaDescriptorMetadataOps } from '../../dmaengine/metadata.js';
import { DESC, DescState } from '../../shm/descriptor-pool.js';
import { EventCode } from '../../events/kinds.js';
import { trace } from '../../events/trace.js';
import { EPERM } from '../../kernel/errno.js';
import { DmasimError } from '../../errors.js';
import type { BamOptions } from './options.js';
import { BDESC, bamDescMemRanges, bamPrepSlaveSg, bamRemaining } from './async-desc.js';
import { BREG, MAX_EES, MAX_FIFO_ENTRIES, PIPE, maxChunk, pipeEe, ringEntries } from './regs.js';
import { bamChanInitHw, bamIsBusy, bamResetChannel, type BamHw } from './bam-chan.js';
import { bamStartDma } from './start-dma.js';
import { bamDmaIrq, bamDmaWork } from './irq.js';
import { bamMetadataOps } from './pipe-lock.js';

/**
 * A Qualcomm BAM controller driver after drivers/dma/qcom/bam_dma.c with the pipe-lock
 * series: DMA_SLAVE only, one descriptor FIFO per pipe (channel), residue per segment,
 * pause and resume by P_HALT, terminate by pipe reset, no device_synchronize. Pipes are
 * split among execution environments (EEs); each EE has its interrupt line and its work
 * handler, and runs the driver for its own pipes.
 */
export class BamDevice implements DmaDevice {
  readonly index: number;
  readonly name: string;
  readonly capMask = dmaCapSet(DmaTransactionType.DMA_SLAVE);
  readonly copyAlign = 0;
  readonly residueGranularity = DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_SEGMENT;
  readonly descriptorReuse = false;
  readonly directions =
    (1 << DmaTransferDirection.DMA_MEM_TO_DEV) | (1 << DmaTransferDirection.DMA_DEV_TO_MEM);
  readonly channels: DmaChan[] = [];
  /** DMA_SLAVE_BUSWIDTH_4_BYTES only. */
  readonly srcAddrWidths = 1 << 4;
  readonly dstAddrWidths = 1 << 4;
  /** The series sets DESC_METADATA_CLIENT for the lock bracket's scratchpad. */
  readonly descMetadataModes = DescMetadataMode.DESC_METADATA_CLIENT;
  private readonly hw: BamHw;
  private readonly metadataOps: DmaDescriptorMetadataOps;

  constructor(view: SchedView, spec: DeviceSpec) {
    const machine = view.machine;
    this.index = spec.index;
    this.name = spec.name;
    const opts = spec.options as unknown as BamOptions;
    this.hw = {
      a: machine.arena.words,
      d: machine.pool.words,
      pool: machine.pool,
      regs: spec.regs,
      ring: ringEntries(opts.descFifo),
      chunk: maxChunk(opts.descFifo),
      opts,
      view,
      index: spec.index,
    };
    const ees = opts.ees;
    for (let i = 0; i < spec.channels; i++) {
      const chan = probeChan(machine, spec, this, i);
      this.channels.push(chan);
      vchanInit(chan, spec.firstTasklet + i);
    }
    for (let ee = 0; ee < ees; ee++) {
      const own = this.channels.filter((_, k) => pipeEe(k, spec.channels, ees) === ee);
      const work = spec.firstTasklet + spec.channels + ee;
      taskletSetup(work, () => bamDmaWork(this.hw, own));
      requestIrq(spec.firstIrq + ee, () => bamDmaIrq(this.hw, ee, this.channels, work));
    }
    this.metadataOps = bamMetadataOps(this.hw, (desc) => {
      const k = this.hw.d[descBase(desc) + DESC.CHAN]! - spec.firstChan;
      return this.channels[k] ?? null;
    });
  }

  /**
   * Host side: checks the geometry, resets the global registers (BAM_DESC_CNT_TRSHLD starts
   * at 4, as bam_reset() sets it) and empties every pipe's desc_list.
   * @throws DmasimError DMASIM_BAD_OPTION for a FIFO size that is not a power of two, or
   *   more EEs than the BAM has or than it has pipes
   */
  static format(machine: Machine, spec: DeviceSpec): void {
    const opts = spec.options as unknown as BamOptions;
    const fifo = opts.descFifo;
    if ((fifo & (fifo - 1)) !== 0 || fifo / 8 > MAX_FIFO_ENTRIES) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--desc-fifo: got ${fifo}, expected a power of two from 64 to ${MAX_FIFO_ENTRIES * 8}`,
      );
    }
    if (!Number.isInteger(opts.ees) || opts.ees < 1 || opts.ees > MAX_EES) {
      throw new DmasimError('DMASIM_BAD_OPTION', `bam: ees ${opts.ees} is outside 1..${MAX_EES}`);
    }
    if (opts.ees > spec.channels) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `bam: ${opts.ees} execution environments need at least as many pipes (channels), got ${spec.channels}`,
      );
    }
    const a = machine.arena.words;
    a[spec.regs + BREG.DESC_CNT_TRSHLD] = 4;
    for (let i = 0; i < spec.channels; i++) {
      const p = chanState(spec, i);
      a[p + PIPE.DESC_LIST] = -1;
      a[p + PIPE.DESC_LIST_TAIL] = -1;
    }
  }

  deviceAllocChanResources(): number {
    return 0;
  }

  /** bam_free_chan(): frees every descriptor, resets the pipe unless it is busy. */
  deviceFreeChanResources(chan: DmaChan): void {
    const all: number[] = [];
    const f = spinLockIrqsave(chan.vcLock);
    vchanGetAllDescriptors(chan, all);
    if (listFirst(this.hw.a, chan.hw, PIPE.DESC_LIST) >= 0) {
      printk(`bam-dma ${this.name}: Cannot free busy channel`);
    } else {
      bamResetChannel(this.hw, chan);
      this.hw.a[chan.hw + PIPE.BAM_LOCKED] = 0;
    }
    spinUnlockIrqrestore(chan.vcLock, f);
    vchanDmaDescFreeList(chan, all);
  }

  /** bam_slave_config(): stored under vc.lock, applied when the next descriptor starts. */
  deviceConfig(chan: DmaChan, config: DmaSlaveConfig): number {
    const a = this.hw.a;
    const f = spinLockIrqsave(chan.vcLock);
    a[chan.hw + PIPE.SLAVE_SRC_ADDR] = config.srcAddr;
    a[chan.hw + PIPE.SLAVE_DST_ADDR] = config.dstAddr;
    a[chan.hw + PIPE.SLAVE_SRC_MAXBURST] = config.srcMaxburst;
    a[chan.hw + PIPE.SLAVE_DST_MAXBURST] = config.dstMaxburst;
    a[chan.hw + PIPE.RECONFIGURE] = 1;
    spinUnlockIrqrestore(chan.vcLock, f);
    return 0;
  }

  devicePrepSlaveSg(
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
  ): number {
    return bamPrepSlaveSg(this.hw.pool, chan, sgl, dir, flags, this.hw.chunk);
  }

  txSubmit(chan: DmaChan, desc: number): number {
    return vchanTxSubmit(chan, desc);
  }

  /** bam_issue_pending(): starts the pipe if it has issued work and room in its FIFO. */
  deviceIssuePending(chan: DmaChan): void {
    const f = spinLockIrqsave(chan.vcLock);
    const { pending, moved } = vchanIssuePending(chan);
    if (pending && !bamIsBusy(this.hw, chan)) bamStartDma(this.hw, chan);
    spinUnlockIrqrestore(chan.vcLock, f);
    trace(EventCode.issue, chan.index, moved);
  }

  /**
   * bam_tx_status(): a transfer still on desc_issued has all its length left; one in the
   * FIFO the sizes of its hardware descriptors not yet consumed (SEGMENT granularity).
   */
  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus {
    const ret = dmaCookieStatus(chan.w, chan.base, cookie, state);
    if (ret === DmaStatus.DMA_COMPLETE) return ret;
    const paused = this.hw.a[chan.hw + PIPE.PAUSED] !== 0;
    if (!state) return paused ? DmaStatus.DMA_PAUSED : ret;
    const d = this.hw.d;
    let residue = 0;
    const f = spinLockIrqsave(chan.vcLock);
    const vd = vchanFindDesc(chan, cookie);
    if (vd >= 0) {
      residue = d[descBase(vd) + BDESC.LENGTH]!;
    } else {
      for (let i = listFirst(this.hw.a, chan.hw, PIPE.DESC_LIST); i >= 0;) {
        const db = descBase(i);
        if (d[db + DESC.COOKIE] === cookie) residue += bamRemaining(d, db);
        i = d[db + DESC.NEXT]!;
      }
    }
    spinUnlockIrqrestore(chan.vcLock, f);
    state.residue = residue;
    return ret === DmaStatus.DMA_IN_PROGRESS && paused ? DmaStatus.DMA_PAUSED : ret;
  }

  /**
   * bam_dma_terminate_all(): resets the pipe if anything is in its FIFO, puts desc_list
   * back on desc_issued and frees every descriptor without callbacks. v21 clears bam_locked
   * here; whether the hardware's pipe lock survives the reset is not documented (Gerhold
   * asked on v21): dmasim's reset releases a lock the pipe's group holds.
   */
  deviceTerminateAll(chan: DmaChan): number {
    const a = this.hw.a;
    const d = this.hw.d;
    const all: number[] = [];
    const f = spinLockIrqsave(chan.vcLock);
    const first = listFirst(a, chan.hw, PIPE.DESC_LIST);
    if (first >= 0)
      bamChanInitHw(this.hw, chan, d[descBase(first) + BDESC.DIR]! as DmaTransferDirection);
    for (let i = first; i >= 0;) {
      const next = d[descBase(i) + DESC.NEXT]!;
      listDel(a, chan.hw, PIPE.DESC_LIST, d, i);
      listAdd(chan.w, chan.base, LIST_HEAD.ISSUED, d, i);
      d[descBase(i) + DESC.STATE] = DescState.ISSUED;
      i = next;
    }
    a[chan.hw + PIPE.BAM_LOCKED] = 0;
    vchanGetAllDescriptors(chan, all);
    spinUnlockIrqrestore(chan.vcLock, f);
    vchanDmaDescFreeList(chan, all);
    return 0;
  }

  /** bam_pause(): P_HALT; the engine stops between descriptors. */
  devicePause(chan: DmaChan): number {
    return this.halt(chan, 1);
  }

  /** bam_resume(). */
  deviceResume(chan: DmaChan): number {
    return this.halt(chan, 0);
  }

  private halt(chan: DmaChan, on: number): number {
    const f = spinLockIrqsave(chan.vcLock);
    Atomics.store(this.hw.a, chan.hw + PIPE.P_HALT, on);
    this.hw.a[chan.hw + PIPE.PAUSED] = on;
    spinUnlockIrqrestore(chan.vcLock, f);
    if (on === 0) this.hw.view.wake(this.hw.view.machine.engineActor[this.index]!);
    return 0;
  }

  /** BAM descriptors are not reusable: dmaengine_desc_free() has nothing to free. */
  descFree(): number {
    return -EPERM;
  }

  descMetadataOps(): DmaDescriptorMetadataOps {
    return this.metadataOps;
  }

  descMemRanges(desc: number, out: number[]): void {
    bamDescMemRanges(this.hw.d, desc, out);
  }
}
