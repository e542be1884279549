import { DESC } from '../../shm/descriptor-pool.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { descBase, listAddTail } from '../../dmaengine/vchan-list.js';
import { vchanNextDesc, vchanStartDesc } from '../../dmaengine/virt-dma.js';
import type { DmaTransferDirection } from '../../dmaengine/types.js';
import { lockdep_assert_held } from '../../kernel/report/lockdep-assert.js';
import { ringDoorbell } from '../../platform/engine-idle.js';
import { BDESC, LockKind, orHwFlags } from './async-desc.js';
import { DescFlag, PIPE, circSpace, resetTag } from './regs.js';
import { bamApplyNewConfig, bamChanInitHw, bamIsBusy, type BamHw } from './bam-chan.js';
import { bamSetupPipeLock } from './pipe-lock.js';

/** dmaengine_desc_callback_valid(): the transfer has a callback. */
function callbackValid(d: Int32Array, db: number): boolean {
  return d[db + DESC.CALLBACK] !== 0 || d[db + DESC.CALLBACK_RESULT] !== 0;
}

/**
 * bam_start_dma(): copies as many hardware descriptors as fit into the FIFO, perhaps only
 * part of a transfer (its XFER_LEN), moving each transfer from desc_issued to desc_list;
 * then writes the tail to P_EVNT_REG, which starts the hardware. A fresh sequence first
 * gets its lock bracket (bamSetupPipeLock()); a pending slave config is applied when the
 * next descriptor starts. Caller holds vc.lock.
 */
export function bamStartDma(hw: BamHw, chan: DmaChan): void {
  lockdep_assert_held(chan.vcLock);
  if (vchanNextDesc(chan) < 0) return;
  bamSetupPipeLock(hw, chan);
  const a = hw.a;
  const d = hw.d;
  const p = chan.hw;
  const ring = hw.ring;
  let vd = vchanNextDesc(chan);
  while (vd >= 0 && !bamIsBusy(hw, chan)) {
    vchanStartDesc(chan, vd);
    const db = descBase(vd);
    const dir = d[db + BDESC.DIR]! as DmaTransferDirection;
    if (a[p + PIPE.INITIALIZED] === 0) bamChanInitHw(hw, chan, dir);
    if (a[p + PIPE.RECONFIGURE] !== 0) bamApplyNewConfig(hw, chan, dir);
    const avail = circSpace(a[p + PIPE.TAIL]!, a[p + PIPE.HEAD]!, ring);
    const num = d[db + BDESC.NUM_DESC]!;
    const xfer = num > avail ? avail : num;
    d[db + BDESC.XFER_LEN] = xfer;
    const curr = d[db + BDESC.CURR]!;
    // The transfer's EOT / NWD go on its last hardware descriptor, once that is copied.
    if (num === xfer) orHwFlags(d, db, curr + xfer - 1, d[db + BDESC.AFLAGS]!);
    const here = vd;
    vd = vchanNextDesc(chan);
    // An interrupt at this descriptor if the FIFO is full, nothing follows, or it has a
    // callback; EOT raises one anyway.
    if (
      (avail <= xfer || vd < 0 || callbackValid(d, db)) &&
      (d[db + BDESC.AFLAGS]! & DescFlag.EOT) === 0
    ) {
      orHwFlags(d, db, curr + xfer - 1, DescFlag.INT);
    }
    let tail = a[p + PIPE.TAIL]!;
    for (let k = 0; k < xfer; k++) {
      const src = db + BDESC.HW + (curr + k) * 2;
      a[p + PIPE.FIFO + tail * 2] = d[src]!;
      a[p + PIPE.FIFO + tail * 2 + 1] = d[src + 1]!;
      tail = (tail + 1) % ring;
    }
    a[p + PIPE.TAIL] = tail;
    listAddTail(a, p, PIPE.DESC_LIST, d, here);
    // v21: the sequence is over for the driver once its UNLOCK is in the FIFO.
    if (d[db + BDESC.LOCK_KIND] === LockKind.UNLOCK && hw.opts.unlock === 'v21') {
      a[p + PIPE.BAM_LOCKED] = 0;
    }
  }
  // The FIFO entries before the tail: the engine reads them once it sees the new tail.
  const rst = Atomics.load(a, p + PIPE.P_RST);
  Atomics.store(a, p + PIPE.P_EVNT_REG, resetTag(rst) | (a[p + PIPE.TAIL]! * 8));
  ringDoorbell(hw.view, hw.index);
}
