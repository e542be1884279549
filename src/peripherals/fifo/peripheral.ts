import type { PeripheralModule } from '../../platform/peripheral.js';
import { portWords } from '../../platform/dma-port.js';
import { FIFO_REGS } from './regs.js';
import { runFifo, type FifoOptions } from './fifo.js';

/**
 * A generic FIFO device (a UART, an SPI or I2S controller, an ADC: the part a DMA client
 * sees): a FIFO with a DMA request at its watermark, a rate on the run clock, registers,
 * and one interrupt line for DONE, OVERRUN and UNDERRUN.
 */
export const fifoPeripheral: PeripheralModule = {
  name: 'fifo',
  summary: 'a FIFO device producing (rx) or consuming (tx) a byte stream at a rate',
  options: [
    {
      key: 'direction',
      flag: 'direction',
      kind: 'choice',
      choices: ['rx', 'tx'],
      default: 'rx',
      help: 'rx: the device produces (DEV_TO_MEM); tx: it consumes (MEM_TO_DEV)',
    },
    {
      key: 'rate',
      flag: 'rate',
      kind: 'number',
      default: 100,
      min: 0.001,
      help: 'bytes per ms of run clock',
    },
    {
      key: 'depth',
      flag: 'depth',
      kind: 'uint',
      default: 64,
      min: 4,
      max: 1 << 20,
      help: 'FIFO bytes (a power of two)',
    },
    {
      key: 'watermark',
      flag: 'watermark',
      kind: 'uint',
      default: 16,
      min: 1,
      help: 'bytes of data (rx) or room (tx) at which the device requests DMA',
    },
    {
      key: 'chunk',
      flag: 'chunk',
      kind: 'uint',
      default: 4,
      min: 1,
      help: 'bytes the device moves per period',
    },
    {
      key: 'total',
      flag: 'total',
      kind: 'uint',
      default: 0,
      help: 'bytes after which it stops and raises DONE (0: until the run ends)',
    },
  ],
  words: (options) => FIFO_REGS.WORDS + portWords((options as unknown as FifoOptions).depth),
  port: (options) => {
    const o = options as unknown as FifoOptions;
    return {
      offset: FIFO_REGS.WORDS,
      depth: o.depth,
      watermark: o.watermark,
      rx: o.direction === 'rx',
    };
  },
  irqLines: () => 1,
  run: runFifo,
};
