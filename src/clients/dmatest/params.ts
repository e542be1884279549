/** dmatest's module parameters (drivers/dma/dmatest.c), camelCased. */
export interface DmatestParams {
  /** Bus ID of the channel to test (`dma0chan0`); empty = any. */
  channel: string;
  /** Bus ID of the DMA device (`dma0`); empty = any. */
  device: string;
  threadsPerChan: number;
  /** 0 = all channels. */
  maxChannels: number;
  /** Tests per thread; 0 = until the run stops. */
  iterations: number;
  testBufSize: number;
  /** Fixed transfer length; 0 = random. Must be below testBufSize. */
  transferSize: number;
  /** Per-transfer wait in ms; -1 = infinite. Unused in polled mode. */
  timeout: number;
  noverify: boolean;
  norandom: boolean;
  polled: boolean;
  /** Alignment shift; -1 = the device's copy_align. */
  alignment: number;
  verbose: boolean;
}

/** The kernel's defaults. */
export const DMATEST_DEFAULTS: DmatestParams = {
  channel: '',
  device: '',
  threadsPerChan: 1,
  maxChannels: 0,
  iterations: 0,
  testBufSize: 16384,
  transferSize: 0,
  timeout: 3000,
  noverify: false,
  norandom: false,
  polled: false,
  alignment: -1,
  verbose: false,
};
