import { findPeripheral } from '../../platform/peripherals.js';
import { DmaPort } from '../../platform/dma-port.js';
import { FIFO_REGS, FifoCtrl, fifoStreamByte } from '../../peripherals/fifo/regs.js';
import { currentActor } from '../../kernel/current.js';
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

/** The FIFO of device `name`, as its driver reads it by PIO (an rx data register). */
function fifoPort(rt: CRuntime, name: number): DmaPort {
  const f = fifo(rt, name);
  return new DmaPort(currentActor().schedView, f.dataAddr / 4);
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
  dmasim_fifo_status: (rt: CRuntime) => (name: number) => {
    const f = fifo(rt, name);
    return Atomics.load(f.words, f.regs + FIFO_REGS.STATUS);
  },
  // Write-1-to-clear: only the bits the driver handled, so a bit raised meanwhile stays.
  dmasim_fifo_ack: (rt: CRuntime) => (name: number, bits: number) => {
    const f = fifo(rt, name);
    Atomics.and(f.words, f.regs + FIFO_REGS.STATUS, ~bits);
  },
  dmasim_fifo_level: (rt: CRuntime) => (name: number) => fifoPort(rt, name).level(),
  dmasim_fifo_read: (rt: CRuntime) => (name: number) => {
    const port = fifoPort(rt, name);
    if (port.level() <= 0) return -1;
    let b = 0;
    port.popEach(1, currentActor().machine.arena.bytes, (byte) => {
      b = byte;
    });
    return b;
  },
  dmasim_fifo_stream_byte: () => (n: number) => fifoStreamByte(n >>> 0),
  dmasim_param: (rt: CRuntime) => (name: number, def: number) => {
    const v = params[rt.cString(name)];
    return typeof v === 'number' ? v | 0 : typeof v === 'boolean' ? (v ? 1 : 0) : def;
  },
} as const;
