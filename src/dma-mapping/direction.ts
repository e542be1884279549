/** enum dma_data_direction: who reads and who writes a mapped buffer. */
export const DmaDataDirection = {
  DMA_BIDIRECTIONAL: 0,
  DMA_TO_DEVICE: 1,
  DMA_FROM_DEVICE: 2,
  DMA_NONE: 3,
} as const;
export type DmaDataDirection = (typeof DmaDataDirection)[keyof typeof DmaDataDirection];

/** dir2name[] of kernel/dma/debug.c. */
export const DIR_NAMES: readonly string[] = [
  'DMA_BIDIRECTIONAL',
  'DMA_TO_DEVICE',
  'DMA_FROM_DEVICE',
  'DMA_NONE',
];

/** valid_dma_direction(). */
export function validDmaDirection(dir: number): dir is DmaDataDirection {
  return (
    dir === DmaDataDirection.DMA_BIDIRECTIONAL ||
    dir === DmaDataDirection.DMA_TO_DEVICE ||
    dir === DmaDataDirection.DMA_FROM_DEVICE
  );
}
