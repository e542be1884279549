import { DESC, type DescriptorPool } from '../../shm/descriptor-pool.js';
import { thisCpu } from '../../kernel/current.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { vchanTxPrep } from '../../dmaengine/virt-dma.js';
import {
  dmaengineGetDstIcg,
  dmaengineGetSrcIcg,
  type DmaInterleavedTemplate,
} from '../../dmaengine/interleaved.js';
import { DmaOp, DmaTransferDirection } from '../../dmaengine/types.js';
import { MAX_SEGMENTS, VDESC } from './vdesc.js';
import { vdmaMetadataReset } from './metadata.js';

/**
 * The segments (src, dst, len) of a template: numf frames of its chunks, each side's
 * address advancing by the chunk and then its gap. A chunk that continues the previous
 * segment on both sides is merged into it (a gap of 0 costs no hardware descriptor).
 * @returns the flat segment list, or null when it needs more than MAX_SEGMENTS
 */
export function interleavedSegments(xt: DmaInterleavedTemplate): number[] | null {
  const out: number[] = [];
  const n = xt.frameSize ?? xt.sgl.length;
  let src = xt.srcStart;
  let dst = xt.dstStart;
  for (let f = 0; f < xt.numf; f++) {
    for (let k = 0; k < n; k++) {
      const chunk = xt.sgl[k]!;
      const last = out.length - 3;
      if (
        last >= 0 &&
        out[last]! + out[last + 2]! === src &&
        out[last + 1]! + out[last + 2]! === dst
      ) {
        out[last + 2]! += chunk.size;
      } else {
        if (out.length / 3 >= MAX_SEGMENTS) return null;
        out.push(src, dst, chunk.size);
      }
      src += chunk.size + dmaengineGetSrcIcg(xt, chunk);
      dst += chunk.size + dmaengineGetDstIcg(xt, chunk);
    }
  }
  return out;
}

/**
 * vdma's device_prep_interleaved_dma: memory to memory with both addresses advancing (its
 * engine has no fixed-address mode). The segments are held inline in the descriptor, as a
 * driver with a fixed hardware descriptor holds them: a template needing more than
 * MAX_SEGMENTS of them (after merging contiguous chunks) is refused with NULL.
 * @returns the slot, or -1
 */
export function vdmaPrepInterleaved(
  pool: DescriptorPool,
  chan: DmaChan,
  xt: DmaInterleavedTemplate,
  flags: number,
): number {
  if (xt.dir !== DmaTransferDirection.DMA_MEM_TO_MEM || !xt.srcInc || !xt.dstInc) return -1;
  if (!Number.isInteger(xt.numf) || xt.numf <= 0) return -1;
  const n = xt.frameSize ?? xt.sgl.length;
  if (n <= 0 || n > xt.sgl.length) return -1;
  for (let k = 0; k < n; k++) if (!(xt.sgl[k]!.size > 0)) return -1;
  const segs = interleavedSegments(xt);
  if (!segs) return -1;
  const i = pool.alloc();
  if (i < 0) return -1;
  const d = pool.words;
  const db = descBase(i);
  let len = 0;
  for (let s = 0; s < segs.length; s++) d[db + VDESC.SEGMENTS + s] = segs[s]!;
  for (let s = 2; s < segs.length; s += 3) len += segs[s]!;
  d[db + DESC.KIND] = DmaOp.INTERLEAVED;
  d[db + DESC.DIRECTION] = DmaTransferDirection.DMA_MEM_TO_MEM;
  d[db + DESC.OWNER_CPU] = thisCpu().id;
  d[db + DESC.LEN] = len;
  d[db + DESC.RESIDUE] = len;
  d[db + VDESC.SEG_COUNT] = segs.length / 3;
  d[db + VDESC.PERIOD_LEN] = 0;
  vdmaMetadataReset(d, db);
  return vchanTxPrep(chan, i, flags);
}
