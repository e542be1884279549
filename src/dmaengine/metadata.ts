import { DESC } from '../shm/descriptor-pool.js';
import { EINVAL, ENOTSUPP } from '../kernel/errno.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit } from './api-point.js';
import type { DmaChan } from './chan.js';
import type { DmaAsyncTxDescriptor } from './descriptor.js';
import { descBase } from './vchan-list.js';

/** enum dma_desc_metadata_mode (bits of dma_device.desc_metadata_modes). */
export const DescMetadataMode = {
  DESC_METADATA_NONE: 0,
  /** The client's buffer: attached with dmaengine_desc_attach_metadata(). */
  DESC_METADATA_CLIENT: 1 << 0,
  /** The provider's buffer: reached with dmaengine_desc_get_metadata_ptr(). */
  DESC_METADATA_ENGINE: 1 << 1,
} as const;
export type DescMetadataMode = (typeof DescMetadataMode)[keyof typeof DescMetadataMode];

/** What dmaengine_desc_get_metadata_ptr() returns: the pointer and its two lengths. */
export interface DmaMetadataPtr {
  /** Arena address of the metadata. */
  ptr: number;
  /** Bytes of metadata in it now (from the engine on DEV_TO_MEM, or set by the client). */
  payloadLen: number;
  /** Bytes it can hold. */
  maxLen: number;
}

/** struct dma_descriptor_metadata_ops: each takes the descriptor's slot. */
export interface DmaDescriptorMetadataOps {
  attach?(desc: number, data: number, len: number): number;
  getPtr?(desc: number): DmaMetadataPtr | number;
  setLen?(desc: number, payloadLen: number): number;
}

/** Bits of DESC.ASYNC_TX that hold desc_metadata_mode. */
export const ASYNC_TX_MODE_MASK = 3;

/** desc->desc_metadata_mode. */
export function descMetadataMode(d: Int32Array, desc: number): number {
  return d[descBase(desc) + DESC.ASYNC_TX]! & ASYNC_TX_MODE_MASK;
}

/** dmaengine_is_metadata_mode_supported(). */
export function dmaengineIsMetadataModeSupported(chan: DmaChan, mode: DescMetadataMode): boolean {
  return ((chan.device.descMetadataModes ?? 0) & mode) !== 0;
}

/**
 * desc_check_and_set_metadata_mode(): the first metadata call fixes the descriptor's mode
 * if its channel supports it; a later call in the other mode is refused.
 * @returns 0, -ENOTSUPP (mode not supported) or -EINVAL (modes mixed)
 */
function checkAndSetMode(tx: DmaAsyncTxDescriptor, mode: DescMetadataMode): number {
  const d = tx.chan.machine.pool.words;
  const i = descBase(tx.index) + DESC.ASYNC_TX;
  const had = d[i]! & ASYNC_TX_MODE_MASK;
  if (had === 0) {
    if (!dmaengineIsMetadataModeSupported(tx.chan, mode)) return -ENOTSUPP;
    d[i] = (d[i]! & ~ASYNC_TX_MODE_MASK) | mode;
    return 0;
  }
  return had === mode ? 0 : -EINVAL;
}

function opsOf(tx: DmaAsyncTxDescriptor): DmaDescriptorMetadataOps | null {
  return tx.chan.device.descMetadataOps?.(tx.index) ?? null;
}

/**
 * dmaengine_desc_attach_metadata(desc, data, len): DESC_METADATA_CLIENT; the provider
 * fills or sends the client's buffer.
 * @returns 0, or -EINVAL (NULL descriptor, modes mixed, or the provider's refusal),
 *   -ENOTSUPP (the channel lacks the mode or the descriptor has no attach op)
 */
export function dmaengineDescAttachMetadata(
  tx: DmaAsyncTxDescriptor | null,
  data: number,
  len: number,
): number {
  const cpu = apiEnter(ApiPoint.dmaengine_desc_attach_metadata);
  const ret = attach(tx, data, len);
  apiExit(cpu, ApiPoint.dmaengine_desc_attach_metadata);
  return ret;
}

function attach(tx: DmaAsyncTxDescriptor | null, data: number, len: number): number {
  if (!tx) return -EINVAL;
  const ret = checkAndSetMode(tx, DescMetadataMode.DESC_METADATA_CLIENT);
  if (ret) return ret;
  const ops = opsOf(tx);
  if (!ops?.attach) return -ENOTSUPP;
  return ops.attach(tx.index, data, len);
}

/**
 * dmaengine_desc_get_metadata_ptr(desc): DESC_METADATA_ENGINE; the provider's metadata
 * buffer of the descriptor, valid until its callback returns.
 * @returns the pointer and lengths, or a negative errno (the kernel's ERR_PTR): -EINVAL
 *   (NULL descriptor, modes mixed), -ENOTSUPP (mode or op missing)
 */
export function dmaengineDescGetMetadataPtr(
  tx: DmaAsyncTxDescriptor | null,
): DmaMetadataPtr | number {
  const cpu = apiEnter(ApiPoint.dmaengine_desc_get_metadata_ptr);
  const ret = getPtr(tx);
  apiExit(cpu, ApiPoint.dmaengine_desc_get_metadata_ptr);
  return ret;
}

function getPtr(tx: DmaAsyncTxDescriptor | null): DmaMetadataPtr | number {
  if (!tx) return -EINVAL;
  const ret = checkAndSetMode(tx, DescMetadataMode.DESC_METADATA_ENGINE);
  if (ret) return ret;
  const ops = opsOf(tx);
  if (!ops?.getPtr) return -ENOTSUPP;
  return ops.getPtr(tx.index);
}

/**
 * dmaengine_desc_set_metadata_len(desc, payload_len): DESC_METADATA_ENGINE; how much of
 * the provider's buffer the client filled (MEM_TO_DEV).
 * @returns 0, or -EINVAL (NULL descriptor, modes mixed, too long), -ENOTSUPP
 */
export function dmaengineDescSetMetadataLen(
  tx: DmaAsyncTxDescriptor | null,
  payloadLen: number,
): number {
  const cpu = apiEnter(ApiPoint.dmaengine_desc_set_metadata_len);
  const ret = setLen(tx, payloadLen);
  apiExit(cpu, ApiPoint.dmaengine_desc_set_metadata_len);
  return ret;
}

function setLen(tx: DmaAsyncTxDescriptor | null, payloadLen: number): number {
  if (!tx) return -EINVAL;
  const ret = checkAndSetMode(tx, DescMetadataMode.DESC_METADATA_ENGINE);
  if (ret) return ret;
  const ops = opsOf(tx);
  if (!ops?.setLen) return -ENOTSUPP;
  return ops.setLen(tx.index, payloadLen);
}
