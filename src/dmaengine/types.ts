/** enum dma_status. */
export const DmaStatus = {
  DMA_COMPLETE: 0,
  DMA_IN_PROGRESS: 1,
  DMA_PAUSED: 2,
  DMA_ERROR: 3,
  DMA_OUT_OF_ORDER: 4,
} as const;
export type DmaStatus = (typeof DmaStatus)[keyof typeof DmaStatus];

/** enum dma_transaction_type (the capability bits used here). */
export const DmaTransactionType = {
  DMA_MEMCPY: 0,
  DMA_XOR: 1,
  DMA_PQ: 2,
  DMA_XOR_VAL: 3,
  DMA_PQ_VAL: 4,
  DMA_MEMSET: 5,
  DMA_MEMSET_SG: 6,
  DMA_INTERRUPT: 7,
  DMA_PRIVATE: 8,
  DMA_ASYNC_TX: 9,
  DMA_SLAVE: 10,
  DMA_CYCLIC: 11,
  DMA_INTERLEAVE: 12,
  DMA_COMPLETION_NO_ORDER: 13,
  DMA_REPEAT: 14,
  DMA_LOAD_EOT: 15,
} as const;
export type DmaTransactionType = (typeof DmaTransactionType)[keyof typeof DmaTransactionType];

/** dma_cap_mask_t as a bitmask over DmaTransactionType. */
export type DmaCapMask = number;

/** dma_cap_set() on a mask value. */
export function dmaCapSet(type: DmaTransactionType, mask: DmaCapMask = 0): DmaCapMask {
  return mask | (1 << type);
}

/** dma_has_cap(). */
export function dmaHasCap(type: DmaTransactionType, mask: DmaCapMask): boolean {
  return (mask & (1 << type)) !== 0;
}

/** enum dma_transfer_direction. */
export const DmaTransferDirection = {
  DMA_MEM_TO_MEM: 0,
  DMA_MEM_TO_DEV: 1,
  DMA_DEV_TO_MEM: 2,
  DMA_DEV_TO_DEV: 3,
  DMA_TRANS_NONE: 4,
} as const;
export type DmaTransferDirection = (typeof DmaTransferDirection)[keyof typeof DmaTransferDirection];

/** enum dma_ctrl_flags. */
export const DmaCtrlFlags = {
  DMA_PREP_INTERRUPT: 1 << 0,
  DMA_CTRL_ACK: 1 << 1,
  DMA_PREP_PQ_DISABLE_P: 1 << 2,
  DMA_PREP_PQ_DISABLE_Q: 1 << 3,
  DMA_PREP_CONTINUE: 1 << 4,
  DMA_PREP_FENCE: 1 << 5,
  DMA_CTRL_REUSE: 1 << 6,
  DMA_PREP_CMD: 1 << 7,
  DMA_PREP_REPEAT: 1 << 8,
  DMA_PREP_LOAD_EOT: 1 << 9,
} as const;

/** enum dmaengine_tx_result. */
export const DmaengineTxResult = {
  DMA_TRANS_NOERROR: 0,
  DMA_TRANS_READ_FAILED: 1,
  DMA_TRANS_WRITE_FAILED: 2,
  DMA_TRANS_ABORTED: 3,
} as const;
export type DmaengineTxResult = (typeof DmaengineTxResult)[keyof typeof DmaengineTxResult];

/** struct dmaengine_result. */
export interface DmaengineResult {
  result: DmaengineTxResult;
  residue: number;
}

/** enum dma_residue_granularity. */
export const DmaResidueGranularity = {
  DMA_RESIDUE_GRANULARITY_DESCRIPTOR: 0,
  DMA_RESIDUE_GRANULARITY_SEGMENT: 1,
  DMA_RESIDUE_GRANULARITY_BURST: 2,
} as const;

/** struct dma_tx_state: filled by tx_status when the caller passes one. */
export interface DmaTxState {
  last: number;
  used: number;
  residue: number;
  inFlightBytes: number;
}

/** struct dma_slave_config (the fields this simulator models). */
export interface DmaSlaveConfig {
  /** Deprecated in the kernel; the prep direction is what counts. */
  direction?: DmaTransferDirection;
  srcAddr: number;
  dstAddr: number;
  srcAddrWidth: number;
  dstAddrWidth: number;
  /** In words of srcAddrWidth, not bytes. */
  srcMaxburst: number;
  dstMaxburst: number;
}

/** One scatterlist entry after dma_map_sg(): sg_dma_address / sg_dma_len. */
export interface Scatterlist {
  dmaAddress: number;
  length: number;
}

/** Kinds of prepared operation (recorded in the descriptor and in prep events). */
export const DmaOp = {
  MEMCPY: 0,
  SLAVE_SG: 1,
  /** dmaengine_prep_dma_cyclic(): a ring of periods, repeated until terminated. */
  CYCLIC: 2,
  /** dmaengine_prep_interleaved_dma(): a template of frames and chunks. */
  INTERLEAVED: 3,
} as const;
export type DmaOp = (typeof DmaOp)[keyof typeof DmaOp];

/** DMA_MIN_COOKIE. */
export const DMA_MIN_COOKIE = 1;
