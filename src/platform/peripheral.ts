import type { Machine, PeripheralSpec } from '../shm/machine.js';
import type { ParamDef } from './param-schema.js';
import type { SchedView } from '../sched/sched-view.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { EventEmitter } from '../events/emitter.js';
import type { DmaPort } from './dma-port.js';
import type { MmioHandler } from './mmio.js';

/** What a peripheral's actor gets: its thread is the device. */
export interface PeripheralEnv {
  readonly view: SchedView;
  readonly machine: Machine;
  readonly spec: PeripheralSpec;
  readonly sched: Scheduler;
  readonly emitter: EventEmitter;
  readonly actor: number;
  readonly seed: number;
  /** Its FIFO's side of the DMA handshake, if it has one. */
  readonly port: DmaPort | null;
}

/** Where a peripheral's FIFO port sits in its words, and its geometry. */
export interface PortPlan {
  /** Word offset of the PORT block from the peripheral's first word. */
  offset: number;
  depth: number;
  watermark: number;
  /** The device produces (DEV_TO_MEM) rather than consumes. */
  rx: boolean;
}

/**
 * A device on the far side of slave transfers, as a plug-in: a third kind of actor beside
 * CPUs and controllers' engines. It has registers a driver reads and writes (its words in
 * the arena: address `spec.regs * 4`), maybe a FIFO whose DMA request paces a
 * controller's slave transfers (platform/dma-port.ts), and interrupt lines a driver
 * handles with request_irq(). Built-in models live in src/peripherals/<name>/; a user's
 * in a module whose URL is `module` and which exports it as `peripheral`.
 */
export interface PeripheralModule {
  readonly name: string;
  readonly summary: string;
  module?: string;
  /** Its options, resolved against this schema from what the scenario's plan gives. */
  readonly options: readonly ParamDef[];
  /** Words it needs in the arena (registers, FIFO) for these options. */
  words(options: Record<string, unknown>): number;
  /** Its FIFO port, if it has one. */
  port?(options: Record<string, unknown>): PortPlan | null;
  /** Interrupt lines it raises. Default: 1. */
  irqLines?(options: Record<string, unknown>): number;
  /** Host side, before any thread starts: its registers' reset values. */
  format?(machine: Machine, spec: PeripheralSpec): void;
  /**
   * Its register decoder: every writel()/readl() of its registers, by a CPU or a DMA
   * engine's command descriptor, goes through it in the accessor's thread (platform/mmio.ts).
   * Without one its registers are plain memory.
   */
  readonly mmio?: MmioHandler;
  /** The device's life: runs until the run shuts down. */
  run(env: PeripheralEnv): void;
}

/** One peripheral a scenario's plan asks for. */
export interface PeripheralUse {
  /** Its model: a built-in's name or the module object. */
  peripheral: string | PeripheralModule;
  /** Its name in reports and for findPeripheral(). Default: `<model><index>`. */
  name?: string;
  options?: Record<string, unknown>;
  /** The CPU its interrupt lines are routed to (their affinity). Default: cpu0. */
  irqCpu?: number;
}
