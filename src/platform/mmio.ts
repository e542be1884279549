import type { Machine, PeripheralSpec } from '../shm/machine.js';
import type { SchedView } from '../sched/sched-view.js';

/**
 * Who makes a register access, as the bus sees it: a CPU of an execution environment, or a
 * DMA engine executing a command descriptor for one of that environment's pipes. A command
 * element of a LOCK or UNLOCK descriptor says so (`pipeLock`): the peripheral behind the
 * BAM is then locked to, or released by, that environment.
 */
export interface MmioAccess {
  /** The execution environment (EE) the access is made for. */
  ee: number;
  by: 'cpu' | 'dma';
  pipeLock?: 'lock' | 'unlock';
}

/** What a peripheral's register hooks get: its spec and its words. */
export interface MmioDevice {
  readonly machine: Machine;
  readonly spec: PeripheralSpec;
  /** The arena's Int32 words; the device's registers start at `spec.regs`. */
  readonly words: Int32Array;
  /** Wakes the device's actor (a register write that gives it work: a GO bit). */
  wake(): void;
}

/**
 * A peripheral's register decoder (PeripheralModule.mmio): runs in the thread of whoever
 * accesses the register, so a device can check the access against its state at that
 * instant (a write while it is busy, a register locked to another environment) and report.
 */
export interface MmioHandler {
  /** `reg` is the word offset from the device's first register. */
  write(dev: MmioDevice, reg: number, value: number, access: MmioAccess): void;
  read(dev: MmioDevice, reg: number, access: MmioAccess): number;
}

interface Decoded {
  first: number;
  end: number;
  dev: MmioDevice;
  handler: MmioHandler | null;
}

/** This thread's bus: the run's peripherals by register range (set up at attach). */
let bus: { machine: Machine; devices: Decoded[] } | null = null;

/**
 * Builds this thread's bus: each peripheral's register window and its decoder (null: plain
 * memory). Every actor thread calls it once its peripherals' models are loaded.
 */
export function mmioAttach(view: SchedView, handlers: readonly (MmioHandler | null)[]): void {
  const machine = view.machine;
  const actors = machine.spec.actors;
  bus = {
    machine,
    devices: machine.spec.peripherals.map((spec, i) => {
      const actor = actors.findIndex((a) => a.kind === 'peripheral' && a.index === spec.index);
      return {
        first: spec.regs * 4,
        end: (spec.regs + spec.words) * 4,
        dev: { machine, spec, words: machine.arena.words, wake: () => view.wake(actor) },
        handler: handlers[i] ?? null,
      };
    }),
  };
}

function decode(addr: number): Decoded | null {
  if (!bus) return null;
  for (const d of bus.devices) if (addr >= d.first && addr < d.end) return d;
  return null;
}

/**
 * writel(): a 32-bit register write at arena address `addr`. A peripheral's decoder sees
 * it (and may refuse it); any other address is plain memory.
 */
export function writel(addr: number, value: number, access: MmioAccess): void {
  const d = decode(addr);
  if (d?.handler) d.handler.write(d.dev, (addr - d.first) >> 2, value | 0, access);
  else if (bus) Atomics.store(bus.machine.arena.words, addr >> 2, value);
}

/** readl(): a 32-bit register read at arena address `addr` (see writel()). */
export function readl(addr: number, access: MmioAccess): number {
  const d = decode(addr);
  if (d?.handler) return d.handler.read(d.dev, (addr - d.first) >> 2, access);
  return bus ? Atomics.load(bus.machine.arena.words, addr >> 2) : 0;
}

/** The peripheral whose registers hold `addr`, or null. */
export function mmioDeviceAt(addr: number): PeripheralSpec | null {
  return decode(addr)?.dev.spec ?? null;
}
