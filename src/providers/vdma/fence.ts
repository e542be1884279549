import { DESC } from '../../shm/descriptor-pool.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { DmaCtrlFlags } from '../../dmaengine/types.js';
import { MAX_SEGMENTS, VDESC } from './vdesc.js';

/** Source bytes of a descriptor the engine read ahead of time. */
interface Staged {
  gen: number;
  /** Per segment: its destination and the source bytes as they were when read. */
  segs: { dst: number; data: Uint8Array }[];
}

/**
 * vdma's two-deep pipeline (the `pipeline` option): while descriptor n is still being
 * written back, the engine already reads descriptor n+1's source, unless n carries
 * DMA_PREP_FENCE. That flag means what dmaengine.h says: "subsequent operations depend on
 * the result of this operation", so the hardware must finish n before it reads for n+1.
 * Without it a chain A->B then B->C copies B's old bytes into C.
 *
 * The engine calls readAhead() before it moves descriptor n, and land() after each
 * descriptor it moves: a descriptor whose source was read early ends with the bytes read
 * then, as if the copy had used them.
 */
export class VdmaPipeline {
  private readonly staged = new Map<number, Staged>();

  constructor(
    private readonly d: Int32Array,
    private readonly bytes: Uint8Array,
  ) {}

  /** Before `desc` is moved: reads `next`'s source now, unless `desc` is fenced (or no next). */
  readAhead(desc: number, next: number): void {
    const d = this.d;
    if (next < 0 || (d[descBase(desc) + DESC.FLAGS]! & DmaCtrlFlags.DMA_PREP_FENCE) !== 0) return;
    const nb = descBase(next);
    const n = Math.min(MAX_SEGMENTS, d[nb + VDESC.SEG_COUNT]!);
    const segs: Staged['segs'] = [];
    for (let s = 0; s < n; s++) {
      const o = nb + VDESC.SEGMENTS + s * 3;
      const src = d[o]!;
      const len = d[o + 2]!;
      // A source outside memory is the transfer's own bus error, not the pipeline's.
      if (src < 0 || len <= 0 || src + len > this.bytes.length) return;
      segs.push({ dst: d[o + 1]!, data: this.bytes.slice(src, src + len) });
    }
    this.staged.set(next, { gen: d[nb + DESC.GEN]!, segs });
  }

  /** After `desc` was moved: if its source was read ahead, its destination gets those bytes. */
  land(desc: number): void {
    const s = this.staged.get(desc);
    if (!s) return;
    this.staged.delete(desc);
    if (s.gen !== this.d[descBase(desc) + DESC.GEN]) return;
    for (const seg of s.segs) {
      if (seg.dst >= 0 && seg.dst + seg.data.length <= this.bytes.length)
        this.bytes.set(seg.data, seg.dst);
    }
  }
}
