import type { Machine, PeripheralSpec } from '../shm/machine.js';
import type { SchedView } from '../sched/sched-view.js';
import { ARENA_RESERVED } from '../shm/arena.js';
import { reportViolation } from '../kernel/report/user-violation.js';

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
 * An access nothing answers: the NULL page, past the arena, or not 4-byte aligned. The
 * bus reports an error (`bus-error`) and the access does not happen.
 * @returns true when `addr` is such an address
 */
function busError(addr: number, access: MmioAccess, write: boolean): boolean {
  if (!bus) return true;
  if (addr >= ARENA_RESERVED && addr + 4 <= bus.machine.arena.size && (addr & 3) === 0)
    return false;
  reportViolation('bus-error', {
    message:
      `${write ? 'write' : 'read'} of register 0x${(addr >>> 0).toString(16)} by EE${access.ee}'s ` +
      `${access.by === 'dma' ? 'command descriptor' : 'CPU'}: no device or memory answers there`,
    addr,
    ee: access.ee,
  });
  return true;
}

/**
 * writel(): a 32-bit register write at arena address `addr`. A peripheral's decoder sees
 * it (and may refuse it); any other address is plain memory.
 */
export function writel(addr: number, value: number, access: MmioAccess): void {
  if (busError(addr, access, true)) return;
  const d = decode(addr);
  if (d?.handler) d.handler.write(d.dev, (addr - d.first) >> 2, value | 0, access);
  else Atomics.store(bus!.machine.arena.words, addr >> 2, value);
}

/** readl(): a 32-bit register read at arena address `addr` (see writel()); -1 on a bus error. */
export function readl(addr: number, access: MmioAccess): number {
  if (busError(addr, access, false)) return -1;
  const d = decode(addr);
  if (d?.handler) return d.handler.read(d.dev, (addr - d.first) >> 2, access);
  return Atomics.load(bus!.machine.arena.words, addr >> 2);
}
