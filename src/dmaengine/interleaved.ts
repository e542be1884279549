import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import type { DmaChan } from './chan.js';
import { noChan, wrapPrep } from './consumer.js';
import type { DmaAsyncTxDescriptor } from './descriptor.js';
import { reportMisuse } from './misuse.js';
import {
  DmaCtrlFlags,
  DmaOp,
  DmaTransactionType,
  dmaHasCap,
  type DmaTransferDirection,
} from './types.js';

/** struct data_chunk: one chunk of a frame, then its gap. */
export interface DataChunk {
  /** Bytes of the chunk. */
  size: number;
  /** Gap after it on both sides (used when src_sgl / dst_sgl and no side's own gap). */
  icg: number;
  /** Gap after it on the destination (wins over icg). */
  dstIcg?: number;
  /** Gap after it on the source (wins over icg). */
  srcIcg?: number;
}

/** struct dma_interleaved_template. */
export interface DmaInterleavedTemplate {
  srcStart: number;
  dstStart: number;
  dir: DmaTransferDirection;
  /** The source address advances (false: a fixed address, such as a FIFO). */
  srcInc: boolean;
  dstInc: boolean;
  /** The source side applies the chunks' gaps (scatter-gather). */
  srcSgl: boolean;
  dstSgl: boolean;
  /** Frames in the transfer. */
  numf: number;
  /** Chunks in a frame: sgl.length when not given. */
  frameSize?: number;
  sgl: readonly DataChunk[];
}

/** dmaengine_get_icg(): the gap a side applies after a chunk. */
function icgOf(inc: boolean, sgl: boolean, icg: number, dirIcg: number | undefined): number {
  if (inc) {
    if (dirIcg) return dirIcg;
    if (sgl) return icg;
  }
  return 0;
}

/** dmaengine_get_src_icg(). */
export function dmaengineGetSrcIcg(xt: DmaInterleavedTemplate, chunk: DataChunk): number {
  return icgOf(xt.srcInc, xt.srcSgl, chunk.icg, chunk.srcIcg);
}

/** dmaengine_get_dst_icg(). */
export function dmaengineGetDstIcg(xt: DmaInterleavedTemplate, chunk: DataChunk): number {
  return icgOf(xt.dstInc, xt.dstSgl, chunk.icg, chunk.dstIcg);
}

/** Bytes a template moves: numf frames of its chunks. */
export function interleavedLen(xt: DmaInterleavedTemplate): number {
  const n = xt.frameSize ?? xt.sgl.length;
  let frame = 0;
  for (let k = 0; k < n; k++) frame += xt.sgl[k]?.size ?? 0;
  return frame * xt.numf;
}

/**
 * The capability checks of the prep wrappers in dmaengine.h: DMA_PREP_REPEAT needs the
 * DMA_REPEAT capability; DMA_PREP_LOAD_EOT is checked the same way against DMA_LOAD_EOT
 * (dmaengine.h documents that pairing; its wrapper tests only DMA_REPEAT).
 */
export function repeatFlagsSupported(chan: DmaChan, flags: number): boolean {
  const caps = chan.device.capMask;
  if (
    (flags & DmaCtrlFlags.DMA_PREP_REPEAT) !== 0 &&
    !dmaHasCap(DmaTransactionType.DMA_REPEAT, caps)
  )
    return false;
  if (
    (flags & DmaCtrlFlags.DMA_PREP_LOAD_EOT) !== 0 &&
    !dmaHasCap(DmaTransactionType.DMA_LOAD_EOT, caps)
  )
    return false;
  return true;
}

/**
 * dmaengine_prep_interleaved_dma(chan, xt, flags).
 * @returns the descriptor, or null: NULL chan or chan->device, no
 *   device_prep_interleaved_dma, DMA_PREP_REPEAT without DMA_REPEAT (or LOAD_EOT without
 *   DMA_LOAD_EOT), or the provider's refusal (a template its hardware cannot describe)
 */
export function dmaenginePrepInterleavedDma(
  chan: DmaChan | null,
  xt: DmaInterleavedTemplate,
  flags: number,
): DmaAsyncTxDescriptor | null {
  const label = ApiPoint.dmaengine_prep_interleaved_dma;
  const cpu = apiEnter(label);
  if (noChan(chan) || !chan.device.devicePrepInterleavedDma) return apiReturn(label, null);
  if (!repeatFlagsSupported(chan, flags)) return apiReturn(label, null);
  if (chan.clientCount() <= 0) {
    reportMisuse('chan-not-held', chan.index);
    return apiReturn(label, null);
  }
  const len = interleavedLen(xt);
  if (len <= 0) {
    reportMisuse('zero-length', chan.index, len);
    return apiReturn(label, null);
  }
  const tx = wrapPrep(
    chan,
    chan.device.devicePrepInterleavedDma(chan, xt, flags),
    DmaOp.INTERLEAVED,
    len,
    flags,
  );
  apiExit(cpu, label);
  return tx;
}
