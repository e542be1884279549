import { DESC } from '../../shm/descriptor-pool.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { DmaOp, DmaResidueGranularity } from '../../dmaengine/types.js';
import { vchanFindDesc } from '../../dmaengine/virt-dma.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { VREG, counterDiff, ringSlot } from './hw-regs.js';
import { VDESC } from './vdesc.js';

/**
 * Bytes left of the descriptor with `cookie`, at the device's `granularity`
 * (enum dma_residue_granularity). Caller holds vc.lock.
 * @param d the descriptor pool's words
 */
export function vdmaResidue(
  d: Int32Array,
  granularity: number,
  chan: DmaChan,
  cookie: number,
): number {
  if (granularity === DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_DESCRIPTOR) return 0;
  const issued = vchanFindDesc(chan, cookie);
  if (issued >= 0) return d[descBase(issued) + DESC.LEN]!;
  const c = chan.hwWords;
  const cb = chan.hw;
  const tail = c[cb + VREG.HW_TAIL]!;
  for (let pos = c[cb + VREG.DRV_DONE]!; counterDiff(tail, pos) > 0; pos = (pos + 1) | 0) {
    const i = c[ringSlot(cb, pos)]!;
    const db = descBase(i);
    if (d[db + DESC.COOKIE] !== cookie) continue;
    const len = d[db + DESC.LEN]!;
    if (d[db + DESC.KIND] === DmaOp.CYCLIC) return cyclicResidue(d, granularity, chan, i, len);
    // The engine moves on while we read: retry until HEAD and ACTIVE are the same before
    // and after reading the progress, so the three registers describe one moment.
    for (;;) {
      const head = Atomics.load(c, cb + VREG.HW_HEAD);
      const active = Atomics.load(c, cb + VREG.HW_ACTIVE);
      const moved = Atomics.load(c, cb + VREG.HW_PROGRESS);
      if (
        Atomics.load(c, cb + VREG.HW_HEAD) !== head ||
        Atomics.load(c, cb + VREG.HW_ACTIVE) !== active
      )
        continue;
      // Finished by the hardware, not yet completed by the irq handler.
      if (counterDiff(head, pos) > 0) return 0;
      if (active !== i) return len;
      if (granularity === DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_BURST) return len - moved;
      let whole = 0;
      for (let s = 0; s < d[db + VDESC.SEG_COUNT]!; s++) {
        const segLen = d[db + VDESC.SEGMENTS + s * 3 + 2]!;
        if (whole + segLen > moved) break;
        whole += segLen;
      }
      return len - whole;
    }
  }
  return 0;
}

/**
 * A cyclic descriptor's residue: the bytes left to the end of the ring (provider.rst: "only
 * take into account the total size of the cyclic buffer"; snd_dmaengine_pcm_pointer()
 * takes buf_len - residue as the position). SEGMENT: whole periods, from the periods the
 * irq handler has signalled (so it moves when the period interrupt was handled); BURST:
 * from the hardware's progress in the ring. Caller holds vc.lock.
 */
function cyclicResidue(
  d: Int32Array,
  granularity: number,
  chan: DmaChan,
  desc: number,
  len: number,
): number {
  const c = chan.hwWords;
  const cb = chan.hw;
  if (granularity === DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_SEGMENT) {
    const db = descBase(desc);
    const period = d[db + VDESC.PERIOD_LEN]!;
    return len - (d[db + VDESC.PERIODS_DONE]! % (len / period)) * period;
  }
  if (Atomics.load(c, cb + VREG.HW_ACTIVE) !== desc) return len;
  return len - Atomics.load(c, cb + VREG.HW_PROGRESS);
}
