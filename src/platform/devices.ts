import { CHAN } from '../shm/channel-struct.js';
import { IRQ } from '../shm/irq-struct.js';
import type { DeviceSpec, Machine } from '../shm/machine.js';
import { alignUp } from '../shm/layout.js';
import { dmaCookieInit } from '../dmaengine/cookie.js';
import { initLists } from '../dmaengine/vchan-list.js';
import type { ProviderModule } from './provider.js';

/** One controller a scenario's plan asks for. */
export interface ControllerUse {
  /** Its provider: a name (built in) or the module object. Default: the scenario's first. */
  provider?: string | ProviderModule;
  /** Its channels. Default: --channels. */
  channels?: number;
  /** Provider options over those the run resolved from its flags (a scenario's variant). */
  options?: Record<string, unknown>;
}

/**
 * --controllers controllers of the scenario's first provider, each with `options` (a
 * scenario's variant of the default controllers).
 */
export function everyController(count: number, options: Record<string, unknown>): ControllerUse[] {
  return Array.from({ length: count }, () => ({ options }));
}

/** A controller resolved: its provider and its options. */
export interface ControllerPlan {
  provider: ProviderModule;
  channels: number;
  options: Record<string, unknown>;
}

/** The devices of a run with their lines, tasklets and hardware words laid out. */
export interface DevicesLayout {
  devices: DeviceSpec[];
  /** Names of the lines and the tasklets, in table order. */
  irqs: string[];
  tasklets: string[];
  /** The first arena word after them. */
  endWord: number;
}

/** Hardware words are aligned to a 64-byte line: two devices never share one. */
const LINE_WORDS = 16;

/**
 * Lays the controllers out: global channel numbers, interrupt lines and tasklets in
 * device order, and each device's hardware words (its layout's device part, then one
 * channel part per channel) in the arena from `firstWord` (after the declared state).
 */
export function layoutDevices(
  controllers: readonly ControllerPlan[],
  firstWord: number,
): DevicesLayout {
  const devices: DeviceSpec[] = [];
  const irqs: string[] = [];
  const tasklets: string[] = [];
  let chans = 0;
  let word = alignUp(firstWord, LINE_WORDS);
  controllers.forEach((c, index) => {
    const p = c.provider;
    const name = `dma${index}`;
    const nIrqs = p.irqLines?.(c.channels, c.options) ?? 0;
    const nTasklets = p.tasklets?.(c.channels, c.options) ?? 0;
    const devWords = alignUp(p.layout?.device?.WORDS ?? 0, LINE_WORDS);
    const chanWords = alignUp(p.layout?.channel?.WORDS ?? 0, LINE_WORDS);
    const dev: DeviceSpec = {
      index,
      name,
      provider: p.name,
      ...(p.module ? { module: p.module } : {}),
      firstChan: chans,
      channels: c.channels,
      options: c.options,
      firstIrq: irqs.length,
      irqs: nIrqs,
      firstTasklet: tasklets.length,
      tasklets: nTasklets,
      regs: word,
      devWords,
      chanWords,
    };
    // One per channel is named after its channel, as /proc/interrupts names dma lines.
    const named = (n: number, i: number): string =>
      n === c.channels ? `${name}chan${i}` : `${name}.${i}`;
    for (let i = 0; i < nIrqs; i++) irqs.push(named(nIrqs, i));
    for (let i = 0; i < nTasklets; i++) tasklets.push(named(nTasklets, i));
    devices.push(dev);
    chans += c.channels;
    word += devWords + chanWords * c.channels;
  });
  return { devices, irqs, tasklets, endWord: word };
}

/**
 * Host side, before any thread starts: every channel's dma_chan and virt_dma_chan in their
 * initial state (no client, cookies at DMA_MIN_COOKIE, lists empty), then each provider's
 * own formatting of its device.
 */
export function formatDevices(machine: Machine, providers: readonly ProviderModule[]): void {
  const c = machine.chans;
  for (const dev of machine.spec.devices) {
    for (let i = 0; i < dev.channels; i++) {
      const cb = machine.chanBase(dev.firstChan + i);
      c[cb + CHAN.DEVICE] = dev.index;
      c[cb + CHAN.CHAN_ID] = i;
      c[cb + CHAN.OWNER] = -1;
      c[cb + CHAN.CYCLIC] = -1;
      c[cb + CHAN.CLIENT] = -1;
      dmaCookieInit(c, cb);
      initLists(c, cb);
    }
    providers[dev.index]!.format?.(machine, dev);
  }
}

/** Routes line `line` to CPU `cpu` (its affinity). */
export function setIrqAffinity(machine: Machine, line: number, cpu: number): void {
  machine.irqs[line * IRQ.WORDS + IRQ.CPU] = cpu;
}
