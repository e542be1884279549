import type { DescriptorPool } from '../../shm/descriptor-pool.js';
import type { SchedView } from '../../sched/sched-view.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { lockdep_assert_held } from '../../kernel/report/lockdep-assert.js';
import { DmaTransferDirection } from '../../dmaengine/types.js';
import { ringDoorbell } from '../../platform/engine-idle.js';
import type { BamOptions } from './options.js';
import { BREG, PIPE, circSpace, resetTag } from './regs.js';

/** What the driver's functions share: the BAM's words and geometry (`struct bam_device`). */
export interface BamHw {
  /** The arena's words: the BAM's registers and pipes live there. */
  readonly a: Int32Array;
  /** The descriptor pool's words. */
  readonly d: Int32Array;
  readonly pool: DescriptorPool;
  /** Word index of the BAM's global registers (BREG). */
  readonly regs: number;
  /** FIFO entries the hardware rings over. */
  readonly ring: number;
  /** Bytes one hardware descriptor may move (BAM_FIFO_SIZE). */
  readonly chunk: number;
  readonly opts: BamOptions;
  readonly view: SchedView;
  /** The device index (its engine's doorbell). */
  readonly index: number;
}

/** IS_BUSY(): the FIFO has no free entry. Caller holds vc.lock. */
export function bamIsBusy(hw: BamHw, chan: DmaChan): boolean {
  const a = hw.a;
  return circSpace(a[chan.hw + PIPE.TAIL]!, a[chan.hw + PIPE.HEAD]!, hw.ring) === 0;
}

/**
 * bam_reset_channel(): resets the pipe (its FIFO offsets, a NWD wait, a pipe lock its group
 * holds) and marks it for bam_chan_init_hw() at its next use. Caller holds vc.lock.
 */
export function bamResetChannel(hw: BamHw, chan: DmaChan): void {
  lockdep_assert_held(chan.vcLock);
  const a = hw.a;
  const rst = Atomics.add(a, chan.hw + PIPE.P_RST, 1) + 1;
  Atomics.store(a, chan.hw + PIPE.P_EVNT_REG, resetTag(rst));
  a[chan.hw + PIPE.INITIALIZED] = 0;
  ringDoorbell(hw.view, hw.index);
}

/**
 * bam_chan_init_hw(): resets the pipe, sets its direction and the peripheral FIFO it is
 * wired to (from the slave config), and empties the driver's FIFO markers.
 */
export function bamChanInitHw(hw: BamHw, chan: DmaChan, dir: DmaTransferDirection): void {
  bamResetChannel(hw, chan);
  const a = hw.a;
  const p = chan.hw;
  a[p + PIPE.P_CTRL_DIR] = dir;
  a[p + PIPE.P_PERIPH] =
    dir === DmaTransferDirection.DMA_DEV_TO_MEM
      ? a[p + PIPE.SLAVE_SRC_ADDR]!
      : a[p + PIPE.SLAVE_DST_ADDR]!;
  a[p + PIPE.INITIALIZED] = 1;
  a[p + PIPE.HEAD] = 0;
  a[p + PIPE.TAIL] = 0;
}

/**
 * bam_apply_new_config(): the stored slave config's maxburst goes into the device-global
 * BAM_DESC_CNT_TRSHLD (so one pipe's config changes every pipe's threshold).
 */
export function bamApplyNewConfig(hw: BamHw, chan: DmaChan, dir: DmaTransferDirection): void {
  const a = hw.a;
  const burst =
    dir === DmaTransferDirection.DMA_DEV_TO_MEM
      ? a[chan.hw + PIPE.SLAVE_SRC_MAXBURST]!
      : a[chan.hw + PIPE.SLAVE_DST_MAXBURST]!;
  Atomics.store(a, hw.regs + BREG.DESC_CNT_TRSHLD, burst);
  a[chan.hw + PIPE.RECONFIGURE] = 0;
}
