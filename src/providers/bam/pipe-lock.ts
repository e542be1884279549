import { DESC, DescState } from '../../shm/descriptor-pool.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import {
  LIST_HEAD,
  descBase,
  listAdd,
  listAddTail,
  listFirst,
} from '../../dmaengine/vchan-list.js';
import { dmaCookieAssign } from '../../dmaengine/cookie.js';
import { DmaCtrlFlags, DmaOp, DmaTransferDirection } from '../../dmaengine/types.js';
import type { DmaDescriptorMetadataOps } from '../../dmaengine/metadata.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../../kernel/spinlock.js';
import { EINVAL, EOPNOTSUPP } from '../../kernel/errno.js';
import { printk, thisCpu } from '../../kernel/current.js';
import { BamCommandType, BAM_CE_SIZE, bamPrepCeLe32 } from './qcom-bam-dma.js';
import { BDESC, LockKind, setHw } from './async-desc.js';
import { DescFlag, PIPE } from './regs.js';
import type { BamHw } from './bam-chan.js';

/**
 * bam_make_lock_desc(): a one-entry descriptor whose command element writes 0 to the
 * client's scratchpad register, with CMD | LOCK or CMD | UNLOCK. It takes no cookie (v20
 * on) and has no callback; v19 gave it a cookie (`cookieLockDesc`). Caller holds vc.lock.
 * @returns the slot, or -1 (GFP_NOWAIT failure)
 */
function bamMakeLockDesc(hw: BamHw, chan: DmaChan, kind: number): number {
  const i = hw.pool.alloc();
  if (i < 0) return -1;
  const d = hw.d;
  const db = descBase(i);
  // The command element lives in the pipe's words (one per kind: its content is constant).
  const ce = (chan.hw + (kind === LockKind.LOCK ? PIPE.LOCK_CE : PIPE.UNLOCK_CE)) * 4;
  bamPrepCeLe32(hw.a, ce, hw.a[chan.hw + PIPE.SCRATCHPAD]!, BamCommandType.BAM_WRITE_COMMAND, 0);
  const flag = kind === LockKind.LOCK ? DescFlag.LOCK : DescFlag.UNLOCK;
  setHw(d, db, 0, ce, BAM_CE_SIZE, DescFlag.CMD | flag);
  d[db + BDESC.NUM_DESC] = 1;
  d[db + BDESC.XFER_LEN] = 0;
  d[db + BDESC.CURR] = 0;
  d[db + BDESC.AFLAGS] = 0;
  d[db + BDESC.DIR] = DmaTransferDirection.DMA_MEM_TO_DEV;
  d[db + BDESC.LENGTH] = BAM_CE_SIZE;
  d[db + BDESC.LOCK_KIND] = kind;
  d[db + DESC.KIND] = DmaOp.SLAVE_SG;
  d[db + DESC.DIRECTION] = DmaTransferDirection.DMA_MEM_TO_DEV;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = BAM_CE_SIZE;
  d[db + DESC.CHAN] = chan.index;
  d[db + DESC.FLAGS] = DmaCtrlFlags.DMA_PREP_CMD;
  d[db + DESC.STATE] = DescState.ISSUED;
  if (hw.opts.cookieLockDesc) dmaCookieAssign(chan.w, chan.base, d, db);
  return i;
}

/** Whether the channel brackets its sequences: a BAM with pipe locking, a scratchpad, MEM_TO_DEV. */
function lockWanted(hw: BamHw, chan: DmaChan): boolean {
  const a = hw.a;
  return (
    hw.opts.pipeLock &&
    a[chan.hw + PIPE.SCRATCHPAD] !== 0 &&
    a[chan.hw + PIPE.META_DIR] === DmaTransferDirection.DMA_MEM_TO_DEV
  );
}

/**
 * bam_setup_pipe_lock(), at the start of a fresh sequence (not locked, and the head is not
 * a lock descriptor): v21 allocates LOCK and UNLOCK together ("all-or-nothing"), puts LOCK
 * at the head of desc_issued and UNLOCK at its tail. v12 queues only LOCK here; its UNLOCK
 * comes from bamQueueUnlockOnEmpty(). On an allocation failure the sequence runs unlocked
 * (the silent fallback Gerhold pointed out on v21). Caller holds vc.lock.
 */
export function bamSetupPipeLock(hw: BamHw, chan: DmaChan): void {
  const a = hw.a;
  if (!lockWanted(hw, chan) || a[chan.hw + PIPE.BAM_LOCKED] !== 0) return;
  const first = listFirst(chan.w, chan.base, LIST_HEAD.ISSUED);
  if (first < 0 || hw.d[descBase(first) + BDESC.LOCK_KIND] !== LockKind.NONE) return;
  const lock = bamMakeLockDesc(hw, chan, LockKind.LOCK);
  const unlock = hw.opts.unlock === 'v21' ? bamMakeLockDesc(hw, chan, LockKind.UNLOCK) : -2;
  if (lock < 0 || unlock === -1) {
    if (lock >= 0) hw.pool.free(lock);
    if (unlock >= 0) hw.pool.free(unlock);
    printk(`bam-dma: ${chan.name}: failed to allocate the BAM lock descriptors`);
    return;
  }
  listAdd(chan.w, chan.base, LIST_HEAD.ISSUED, hw.d, lock);
  if (unlock >= 0) listAddTail(chan.w, chan.base, LIST_HEAD.ISSUED, hw.d, unlock);
  a[chan.hw + PIPE.BAM_LOCKED] = 1;
}

/**
 * v12's end of a locked sequence, in the work handler: once desc_issued is empty the
 * transaction was taken to be done and UNLOCK is queued. desc_issued only says what is not
 * yet in the FIFO, not what the peripheral finished (Gerhold's review). Caller holds vc.lock.
 */
export function bamQueueUnlockOnEmpty(hw: BamHw, chan: DmaChan): void {
  const a = hw.a;
  if (a[chan.hw + PIPE.BAM_LOCKED] === 0) return;
  if (listFirst(chan.w, chan.base, LIST_HEAD.ISSUED) >= 0) return;
  const unlock = bamMakeLockDesc(hw, chan, LockKind.UNLOCK);
  if (unlock < 0) return;
  listAddTail(chan.w, chan.base, LIST_HEAD.ISSUED, hw.d, unlock);
  a[chan.hw + PIPE.BAM_LOCKED] = 0;
}

/**
 * bam_metadata_ops.attach (v21): stores the scratchpad address and direction from a
 * struct bam_desc_metadata in the channel, under vc.lock (v17). Returns 0 on a BAM without
 * pipe locking (v14 on); v12/v13 returned an error there (`attachEnotsupp`).
 */
export function bamMetadataOps(
  hw: BamHw,
  chanOf: (desc: number) => DmaChan | null,
): DmaDescriptorMetadataOps {
  return {
    attach(desc, data) {
      const chan = chanOf(desc);
      // v21 checks neither len nor its size (Gerhold asked for len == sizeof on v21).
      if (!chan || data === 0) return -EINVAL;
      if (!hw.opts.pipeLock) return hw.opts.attachEnotsupp ? -EOPNOTSUPP : 0;
      const f = spinLockIrqsave(chan.vcLock);
      hw.a[chan.hw + PIPE.SCRATCHPAD] = hw.a[data >> 2]!;
      hw.a[chan.hw + PIPE.META_DIR] = hw.a[(data >> 2) + 1]!;
      spinUnlockIrqrestore(chan.vcLock, f);
      return 0;
    },
  };
}
