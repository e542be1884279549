import type { Scenario } from './scenario.js';
import type { ParamDef } from '../platform/param-schema.js';
import { builtinCheckers } from './checkers.js';
import { SLAVE, fifoSlaveClient } from '../clients/fifo-slave/client.js';
import { fifoPeripheral } from '../peripherals/fifo/peripheral.js';

/** The device's own options (the fifo model's, but `total`: the transfer's `bytes`). */
const PARAMS: readonly ParamDef[] = [
  ...fifoPeripheral.options.filter((d) => d.key !== 'total'),
  {
    key: 'bytes',
    flag: 'bytes',
    kind: 'uint',
    default: 4096,
    min: 1,
    max: 1 << 24,
    help: 'bytes of the one slave transfer (the device stops after them)',
  },
];

interface FifoSlaveParams {
  direction: 'rx' | 'tx';
  bytes: number;
  rate: number;
  depth: number;
  watermark: number;
  chunk: number;
}

/**
 * A slave transfer paced by a device: cpu0 runs the driver (config, prep, submit, issue,
 * enable the device), the device fifo0 produces or consumes its stream at its rate through
 * its FIFO, the controller moves each burst when the device requests it, and the device's
 * own interrupt (DONE, OVERRUN, UNDERRUN) is handled on cpu1.
 */
export const fifoSlaveScenario: Scenario = {
  name: 'fifo-slave',
  summary: 'a slave transfer paced by a FIFO device and its DMA request; its irq in hardirq',
  params: PARAMS,
  // Free runs keep the FIFO fed only if the engine thread wakes within a FIFO's worth of
  // the device's time; a controlled run decides it by the schedule, reproducibly.
  defaults: { mode: 'controlled' },
  plan(_opts, params) {
    const p = params as unknown as FifoSlaveParams;
    return {
      cpus: 2,
      state: [SLAVE],
      arenaBytes: p.bytes + (1 << 20),
      arenaFlags: ['--bytes'],
      irqCpu: () => 0,
      peripherals: [
        {
          peripheral: 'fifo',
          name: 'fifo0',
          irqCpu: 1,
          options: {
            direction: p.direction,
            rate: p.rate,
            depth: p.depth,
            watermark: p.watermark,
            chunk: p.chunk,
            total: p.bytes,
          },
        },
      ],
    };
  },
  cpuProgram(cpu, _opts, params) {
    if (cpu !== 0) return null;
    const p = params as unknown as FifoSlaveParams;
    return fifoSlaveClient('dma0chan0', 'fifo0', p.direction, p.bytes, p.watermark);
  },
  collect(results) {
    return { transfer: results[0] ?? null };
  },
  checkers: builtinCheckers('dataCorruption', 'apiMisuse'),
};
