import type { PeripheralModule } from '../../platform/peripheral.js';
import { portWords } from '../../platform/dma-port.js';
import { QCE_REGS } from './regs.js';
import { runQce, type QceOptions } from './qce.js';
import { qceMmio } from './mmio.js';

/**
 * A Qualcomm crypto engine (QCE) behind a BAM: configured through registers (CFG, KEY,
 * SEG_SIZE, then GO), fed its job's bytes through its input FIFO, its digest read back from
 * RESULT. Its register decoder checks every access: a write to a config register while a
 * job runs is `register-write-while-busy`; an access by an execution environment other
 * than the one the BAM pipe lock holds it for is an external abort, `lock-violation`.
 */
export const qcePeripheral: PeripheralModule = {
  name: 'qce',
  summary:
    'a crypto engine behind a BAM: register-programmed jobs over an input FIFO, lock-checked registers',
  options: [
    {
      key: 'rate',
      flag: 'rate',
      kind: 'number',
      default: 64,
      min: 0,
      help: 'bytes per ms of run clock the engine processes (0: as fast as the host)',
    },
    {
      key: 'depth',
      flag: 'depth',
      kind: 'uint',
      default: 256,
      min: 4,
      max: 1 << 20,
      help: 'input FIFO bytes (a power of two)',
    },
    {
      key: 'watermark',
      flag: 'watermark',
      kind: 'uint',
      default: 16,
      min: 1,
      help: 'bytes of room at which the engine requests DMA',
    },
    {
      key: 'chunk',
      flag: 'chunk',
      kind: 'uint',
      default: 16,
      min: 1,
      help: 'bytes the engine takes from its FIFO per step',
    },
  ],
  words: (options) => QCE_REGS.WORDS + portWords((options as unknown as QceOptions).depth),
  port: (options) => {
    const o = options as unknown as QceOptions;
    return { offset: QCE_REGS.WORDS, depth: o.depth, watermark: o.watermark, rx: false };
  },
  irqLines: () => 0,
  mmio: qceMmio,
  run: runQce,
};
