import type { DeviceSpec, Machine } from '../shm/machine.js';
import type { ParamDef } from './param-schema.js';
import type { SchedView } from '../sched/sched-view.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { EventEmitter } from '../events/emitter.js';
import type { DmaDevice } from '../dmaengine/provider.js';
import { DmaChan } from '../dmaengine/chan.js';

/** A fixed layout of Int32 words (what defineLayout() returns). */
export interface WordLayout {
  readonly WORDS: number;
}

/** What a provider's probe gets, in every thread: the device to build and its memory. */
export interface ProbeEnv {
  readonly view: SchedView;
  readonly machine: Machine;
  readonly dev: DeviceSpec;
}

/** What a provider's engine gets: its thread is the controller's hardware. */
export interface EngineEnv extends ProbeEnv {
  readonly sched: Scheduler;
  readonly emitter: EventEmitter;
  /** The engine's actor index (its statistics, its ring). */
  readonly actor: number;
  /** The run's seed (for the hardware's own random choices, e.g. corruption). */
  readonly seed: number;
}

/**
 * A DMA controller driver and its hardware, as a plug-in: the framework keeps dma_chan and
 * virt_dma_chan; the provider owns everything else. The host builds every controller of a
 * run through one registry (providers/registry.ts), so a provider is added without touching
 * the core: a built-in one in src/providers/<name>/, a user's one in a module whose URL is
 * `module` and which exports it as `provider`.
 */
export interface ProviderModule {
  /** Its name, as a scenario's plan and `dmasim list` say it: `vdma`. */
  readonly name: string;
  /** One line for `dmasim list`. */
  readonly summary: string;
  /** The file:// URL of the module exporting it as `provider` (not for built-ins). */
  module?: string;
  /** Its options: flags on the command line of a scenario that uses it, listed by --help. */
  readonly options: readonly ParamDef[];
  /** Options no flag sets, with their defaults: a scenario's plan chooses them (variants). */
  readonly variantDefaults?: Readonly<Record<string, unknown>>;
  /**
   * Its state in shared memory, laid out by the host in the arena (DeviceSpec.regs): words
   * per device (its global registers), then per channel (`struct <prov>_chan`: its own
   * registers, rings, stored slave config). DmaChan.hw indexes a channel's.
   */
  readonly layout?: { readonly device?: WordLayout; readonly channel?: WordLayout };
  /** Interrupt lines one device raises (e.g. one per channel). Default: 0. */
  irqLines?(channels: number, options: Record<string, unknown>): number;
  /**
   * The channel (of this device) whose interrupt affinity line `line` takes, when its lines
   * are not one per channel (a BAM's one line per execution environment). Default: a line
   * per channel takes its channel's; any other line cpu0.
   */
  irqChannel?(line: number, channels: number, options: Record<string, unknown>): number;
  /** Tasklets one device uses (a virt-dma driver: one per channel). Default: 0. */
  tasklets?(channels: number, options: Record<string, unknown>): number;
  /** Host side, before any thread starts: puts the device's state in its initial values. */
  format?(machine: Machine, dev: DeviceSpec): void;
  /**
   * The driver's probe, in every thread: builds the struct dma_device, its channels (with
   * DmaChan.hw at each channel's state) and requests its irq handlers and tasklets. The host
   * registers the result with dma_async_device_register().
   */
  probe(env: ProbeEnv): DmaDevice;
  /** The controller's hardware, when it has an actor of its own: runs until the run shuts down. */
  engine?(env: EngineEnv): void;
}

/** Word index in the arena of device `dev`'s channel `k` state (see ProviderModule.layout). */
export function chanState(dev: DeviceSpec, k: number): number {
  return dev.chanWords > 0 ? dev.regs + dev.devWords + k * dev.chanWords : -1;
}

/**
 * A probe's `struct dma_chan` for channel `i` of device `dev`: its global index and bus ID,
 * the device it belongs to, and its hardware words (DmaChan.hw).
 */
export function probeChan(
  machine: Machine,
  dev: DeviceSpec,
  device: DmaDevice,
  i: number,
): DmaChan {
  const index = dev.firstChan + i;
  return new DmaChan(machine, index, i, device, machine.chanName(index), chanState(dev, i));
}
