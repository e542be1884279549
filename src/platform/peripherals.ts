import type { Machine, PeripheralSpec } from '../shm/machine.js';
import { alignUp } from '../shm/layout.js';
import { resolveParams } from './param-schema.js';
import { currentActor } from '../kernel/current.js';
import { DmasimError } from '../errors.js';
import { DmaPort } from './dma-port.js';
import type { PeripheralModule, PeripheralUse } from './peripheral.js';

/** The peripherals of a run laid out after the controllers. */
export interface PeripheralsLayout {
  peripherals: PeripheralSpec[];
  models: PeripheralModule[];
  /** Names of their interrupt lines, which follow the controllers' in the IRQ table. */
  irqs: string[];
  /** Affinity of each of those lines. */
  irqCpus: number[];
  /** The first arena word after them. */
  endWord: number;
}

/**
 * Lays the plan's peripherals out (their models resolved): options resolved against each
 * model's schema, their
 * words in the arena from `firstWord` (64-byte aligned), their lines from `firstIrq`.
 * @throws DmasimError DMASIM_BAD_OPTION for a bad model, bad options or a bad FIFO geometry,
 *   naming the peripheral
 */
export function layoutPeripherals(
  uses: readonly (PeripheralUse & { peripheral: PeripheralModule })[],
  firstIrq: number,
  firstWord: number,
  cpus: number,
): PeripheralsLayout {
  const peripherals: PeripheralSpec[] = [];
  const models: PeripheralModule[] = [];
  const irqs: string[] = [];
  const irqCpus: number[] = [];
  let word = alignUp(firstWord, 16);
  const names = new Set<string>();
  uses.forEach((use, index) => {
    const model = use.peripheral;
    const name = use.name ?? `${model.name}${index}`;
    const where = `peripheral '${name}'`;
    if (names.has(name)) throw new DmasimError('DMASIM_BAD_OPTION', `${where} is planned twice`);
    names.add(name);
    let options: Record<string, unknown>;
    try {
      options = resolveParams(model.options, use.options ?? {});
    } catch (err) {
      throw new DmasimError('DMASIM_BAD_OPTION', `${where}: ${(err as Error).message}`);
    }
    const port = model.port?.(options) ?? null;
    if (port) {
      if ((port.depth & (port.depth - 1)) !== 0 || port.depth < 4) {
        throw new DmasimError(
          'DMASIM_BAD_OPTION',
          `${where}: FIFO depth ${port.depth} is not a power of two >= 4`,
        );
      }
      if (port.watermark < 1 || port.watermark > port.depth) {
        throw new DmasimError(
          'DMASIM_BAD_OPTION',
          `${where}: watermark ${port.watermark} is outside 1..${port.depth} (the FIFO depth)`,
        );
      }
    }
    const nIrqs = model.irqLines?.(options) ?? 1;
    const words = alignUp(model.words(options), 16);
    const cpu = use.irqCpu ?? 0;
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpus) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${where}: irqCpu ${cpu} is not a CPU of this run (0..${cpus - 1})`,
      );
    }
    peripherals.push({
      index,
      name,
      peripheral: model.name,
      ...(model.module ? { module: model.module } : {}),
      options,
      firstIrq: firstIrq + irqs.length,
      irqs: nIrqs,
      regs: word,
      words,
      port: port ? word + port.offset : -1,
    });
    models.push(model);
    for (let i = 0; i < nIrqs; i++) {
      irqs.push(nIrqs === 1 ? name : `${name}.${i}`);
      irqCpus.push(cpu);
    }
    word += words;
  });
  return { peripherals, models, irqs, irqCpus, endWord: word };
}

/** Host side: every peripheral's FIFO port empty, then each model's own formatting. */
export function formatPeripherals(machine: Machine, models: readonly PeripheralModule[]): void {
  for (const spec of machine.spec.peripherals) {
    const model = models[spec.index]!;
    const port = model.port?.(spec.options);
    if (port) DmaPort.format(machine.arena.words, spec.port, port.depth, port.watermark, port.rx);
    model.format?.(machine, spec);
  }
}

/** A peripheral as its driver finds it (of_find_device_by_node(), platform_get_irq()). */
export interface PeripheralHandle {
  spec: PeripheralSpec;
  /** Its registers: the arena's Int32 words, from `regs`. */
  words: Int32Array;
  regs: number;
  /** Its FIFO's data register address (for a slave config), or 0 without a FIFO. */
  dataAddr: number;
  /** Its first interrupt line. */
  irq: number;
}

/**
 * The peripheral named `name` in the current run.
 * @returns null when the run has none of that name
 */
export function findPeripheral(name: string): PeripheralHandle | null {
  const m = currentActor().machine;
  const spec = m.spec.peripherals.find((p) => p.name === name);
  if (!spec) return null;
  return {
    spec,
    words: m.arena.words,
    regs: spec.regs,
    dataAddr: spec.port >= 0 ? spec.port * 4 : 0,
    irq: spec.firstIrq,
  };
}
