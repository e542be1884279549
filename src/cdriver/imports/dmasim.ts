import { findPeripheral } from '../../platform/peripherals.js';
import { FIFO_REGS, FifoCtrl, fifoStreamByte } from '../../peripherals/fifo/regs.js';
import { DmasimError } from '../../errors.js';
import type { CRuntime } from '../runtime.js';

/** The run's integer parameters a C driver reads with dmasim_param() (set per run). */
let params: Record<string, unknown> = {};

/** Sets what dmasim_param() answers in this thread (the scenario's params). */
export function setDriverParams(p: Record<string, unknown>): void {
  params = p;
}

function fifo(rt: CRuntime, name: number): ReturnType<typeof findPeripheral> & object {
  const n = rt.cString(name);
  const f = findPeripheral(n);
  if (!f)
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `the driver asked for FIFO device '${n}', which the run does not have`,
    );
  return f;
}

export const DMASIM_IMPORTS = {
  dmasim_fifo_data_addr: (rt: CRuntime) => (name: number) => fifo(rt, name).dataAddr,
  dmasim_fifo_irq: (rt: CRuntime) => (name: number) => fifo(rt, name).irq,
  dmasim_fifo_enable: (rt: CRuntime) => (name: number, enable: number) => {
    const f = fifo(rt, name);
    Atomics.store(
      f.words,
      f.regs + FIFO_REGS.CTRL,
      enable ? FifoCtrl.EN | FifoCtrl.IRQ_DONE | FifoCtrl.IRQ_OVERRUN | FifoCtrl.IRQ_UNDERRUN : 0,
    );
  },
  dmasim_fifo_stream_byte: () => (n: number) => fifoStreamByte(n >>> 0),
  dmasim_param: (rt: CRuntime) => (name: number, def: number) => {
    const v = params[rt.cString(name)];
    return typeof v === 'number' ? v | 0 : typeof v === 'boolean' ? (v ? 1 : 0) : def;
  },
} as const;
