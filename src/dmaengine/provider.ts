import type { DmaChan } from './chan.js';
import type { DmaSlaveCaps } from './slave-caps.js';
import type {
  DmaCapMask,
  DmaSlaveConfig,
  DmaStatus,
  DmaTransferDirection,
  DmaTxState,
  Scatterlist,
} from './types.js';
import type { DmaDescriptorMetadataOps } from './metadata.js';
import type { DmaInterleavedTemplate } from './interleaved.js';

/**
 * `struct dma_device`: what a provider registers. Prep callbacks return a descriptor slot
 * index, or -1 for NULL. Optional members are the kernel's optional callbacks.
 */
export interface DmaDevice {
  readonly index: number;
  /** dev_name(device->dev). */
  readonly name: string;
  readonly capMask: DmaCapMask;
  /** copy_align, as a shift (alignment is 1 << copyAlign). */
  readonly copyAlign: number;
  /** enum dma_residue_granularity. */
  readonly residueGranularity: number;
  readonly descriptorReuse: boolean;
  /** Bit mask of DmaTransferDirection values (`directions`). */
  readonly directions: number;
  readonly channels: DmaChan[];

  deviceAllocChanResources(chan: DmaChan): number;
  deviceFreeChanResources(chan: DmaChan): void;
  devicePrepDmaMemcpy?(chan: DmaChan, dst: number, src: number, len: number, flags: number): number;
  devicePrepSlaveSg?(
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
  ): number;
  devicePrepConfigSg?(
    chan: DmaChan,
    sgl: readonly Scatterlist[],
    dir: DmaTransferDirection,
    flags: number,
    config: DmaSlaveConfig | null,
  ): number;
  deviceConfig?(chan: DmaChan, config: DmaSlaveConfig): number;
  deviceIssuePending(chan: DmaChan): void;
  deviceTxStatus(chan: DmaChan, cookie: number, state: DmaTxState | null): DmaStatus;
  deviceTerminateAll?(chan: DmaChan): number;
  deviceSynchronize?(chan: DmaChan): void;
  /** tx->tx_submit for this provider's descriptors. @returns the cookie */
  txSubmit(chan: DmaChan, desc: number): number;
  /** Frees a descriptor the client owns (dmaengine_desc_free for a REUSE descriptor). */
  descFree(chan: DmaChan, desc: number): number;

  // Pause/resume, slave capabilities and cyclic transfers: all optional, as in the kernel.
  /** Bit masks of supported address widths in bytes (src_addr_widths, dst_addr_widths). */
  readonly srcAddrWidths?: number;
  readonly dstAddrWidths?: number;
  /** min_burst, max_burst and max_sg_burst (0: not reported). */
  readonly minBurst?: number;
  readonly maxBurst?: number;
  readonly maxSgBurst?: number;
  devicePause?(chan: DmaChan): number;
  deviceResume?(chan: DmaChan): number;
  /** device_caps: a per-channel override of what dma_get_slave_caps() filled in. */
  deviceCaps?(chan: DmaChan, caps: DmaSlaveCaps): void;
  devicePrepDmaCyclic?(
    chan: DmaChan,
    bufAddr: number,
    bufLen: number,
    periodLen: number,
    dir: DmaTransferDirection,
    flags: number,
  ): number;
  // --- DMA mapping debug, descriptor metadata, interleaved ---
  /**
   * The memory descriptor `desc`'s transfer reads and writes, pushed on `out` as
   * (addr, len) pairs, for dma-debug's check that an unmapped buffer is not still in use.
   * dmasim's own (the kernel cannot see into a provider's descriptors); without it that
   * check is skipped for the provider's descriptors.
   */
  descMemRanges?(desc: number, out: number[]): void;
  /** desc_metadata_modes: DESC_METADATA_CLIENT and/or DESC_METADATA_ENGINE (0: none). */
  readonly descMetadataModes?: number;
  /** desc->metadata_ops: attach, get_ptr, set_len (null: the descriptor has none). */
  descMetadataOps?(desc: number): DmaDescriptorMetadataOps | null;
  devicePrepInterleavedDma?(chan: DmaChan, xt: DmaInterleavedTemplate, flags: number): number;
  /**
   * The driver calls dma_run_dependencies() after each completion callback (async_tx
   * support): virt-dma's completion then submits a descriptor's tx->next.
   */
  readonly runsDependencies?: boolean;
}
