import { STAT } from '../../shm/control-block.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { LIST_HEAD, descBase, listAdd, listDel, listFirst } from '../../dmaengine/vchan-list.js';
import { vchanCookieComplete } from '../../dmaengine/virt-dma.js';
import { DescState } from '../../shm/descriptor-pool.js';
import { DESC } from '../../shm/descriptor-pool.js';
import { currentActor, thisCpu } from '../../kernel/current.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../../kernel/spinlock.js';
import { EventCode } from '../../events/kinds.js';
import { trace } from '../../events/trace.js';
import { BDESC, LockKind } from './async-desc.js';
import { BREG, PIPE, circCnt, resetTag } from './regs.js';
import { bamIsBusy, type BamHw } from './bam-chan.js';
import { bamStartDma } from './start-dma.js';
import { bamQueueUnlockOnEmpty } from './pipe-lock.js';

/** The hardware's offset (entries) into the FIFO, or 0 before it saw the pipe's last reset. */
function swOffset(hw: BamHw, chan: DmaChan): number {
  const a = hw.a;
  const v = Atomics.load(a, chan.hw + PIPE.P_SW_OFSTS);
  const tag = resetTag(Atomics.load(a, chan.hw + PIPE.P_RST));
  return (v & 0x7fff0000) === tag ? (v & 0xffff) / 8 : 0;
}

/**
 * process_channel_irqs() for one pipe: every transfer of desc_list whose copied part
 * (XFER_LEN) the hardware has consumed leaves the list; a whole one completes its cookie,
 * a partly copied one goes back to the head of desc_issued for the work handler to copy
 * the rest. A lock descriptor is freed without a cookie (v20 on).
 * @returns how many transfers completed
 */
function bamProcessPipe(hw: BamHw, chan: DmaChan): number {
  const a = hw.a;
  const d = hw.d;
  const p = chan.hw;
  const f = spinLockIrqsave(chan.vcLock);
  let avail = circCnt(swOffset(hw, chan), a[p + PIPE.HEAD]!, hw.ring);
  let done = 0;
  for (let i = listFirst(a, p, PIPE.DESC_LIST); i >= 0;) {
    const db = descBase(i);
    const next = d[db + DESC.NEXT]!;
    const xfer = d[db + BDESC.XFER_LEN]!;
    if (avail < xfer) break;
    a[p + PIPE.HEAD] = (a[p + PIPE.HEAD]! + xfer) % hw.ring;
    d[db + BDESC.NUM_DESC] = d[db + BDESC.NUM_DESC]! - xfer;
    d[db + BDESC.CURR] = d[db + BDESC.CURR]! + xfer;
    avail -= xfer;
    listDel(a, p, PIPE.DESC_LIST, d, i);
    if (d[db + BDESC.NUM_DESC] !== 0) {
      listAdd(chan.w, chan.base, LIST_HEAD.ISSUED, d, i);
      d[db + DESC.STATE] = DescState.ISSUED;
    } else if (d[db + BDESC.LOCK_KIND] !== LockKind.NONE && !hw.opts.cookieLockDesc) {
      // bam_dma_free_lock_desc(): no cookie, no callback.
      hw.pool.free(i);
    } else {
      vchanCookieComplete(chan, i);
      done++;
    }
    i = next;
  }
  spinUnlockIrqrestore(chan.vcLock, f);
  return done;
}

/**
 * bam_dma_irq() of execution environment `ee`: reads and clears BAM_IRQ_SRCS_EE(ee),
 * processes the pipes it names, and schedules the EE's work handler to refill them.
 * @param chans the device's channels; the EE's own are those its bits name
 */
export function bamDmaIrq(hw: BamHw, ee: number, chans: readonly DmaChan[], work: number): void {
  const srcs = Atomics.exchange(hw.a, hw.regs + BREG.IRQ_SRCS_EE + ee, 0);
  let done = 0;
  let first = -1;
  for (let k = 0; k < chans.length; k++) {
    if ((srcs & (1 << k)) === 0) continue;
    done += bamProcessPipe(hw, chans[k]!);
    if (first < 0) first = chans[k]!.index;
  }
  if (srcs !== 0) thisCpu().taskletSchedule(work);
  const actor = currentActor();
  actor.machine.stats[actor.machine.statBase(actor.index) + STAT.IRQS]!++;
  // The event names the first pipe the interrupt was for.
  trace(EventCode.irq, first, done);
}

/**
 * bam_dma_work() for the EE's pipes (a BH work item: softirq context, as the tasklet it
 * replaced): restarts every pipe with issued work and room in its FIFO. v12 queued the
 * UNLOCK here, once desc_issued was empty.
 */
export function bamDmaWork(hw: BamHw, chans: readonly DmaChan[]): void {
  for (const chan of chans) {
    const f = spinLockIrqsave(chan.vcLock);
    if (hw.opts.unlock === 'v12') bamQueueUnlockOnEmpty(hw, chan);
    if (listFirst(chan.w, chan.base, LIST_HEAD.ISSUED) >= 0 && !bamIsBusy(hw, chan)) {
      bamStartDma(hw, chan);
    }
    spinUnlockIrqrestore(chan.vcLock, f);
  }
}
