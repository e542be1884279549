import { currentActor } from '../kernel/current.js';
import { ReportType, emitReport, warningBlock } from '../kernel/report/report.js';
import { nameId } from '../shm/name-hash.js';
import { DmaDebugType, type DmaDebugEntry } from '../shm/dma-debug-table.js';
import { DIR_NAMES, DmaDataDirection } from './direction.js';

/**
 * The device a mapping is made for (`struct device *`): a DMA controller (a DmaDevice, as
 * dmaengine_get_dma_device() returns it) or any device with a name. `driver` is what
 * dev_driver_string() prints; a DMA controller's is its provider's name.
 */
export interface DmaMapDevice {
  readonly name: string;
  readonly driver?: string;
  /** A DMA controller's index (DmaDevice.index): its driver is found from the machine. */
  readonly index?: number;
}

/** The id dma-debug files a device's mappings under (every thread computes the same). */
export function dmaDeviceId(dev: DmaMapDevice): number {
  return nameId(dev.name);
}

/** dev_driver_string(dev). */
function driverString(dev: DmaMapDevice): string {
  if (dev.driver !== undefined) return dev.driver;
  if (dev.index !== undefined) {
    const spec = currentActor().machine.spec.devices[dev.index];
    if (spec && spec.name === dev.name) return spec.provider;
  }
  return '';
}

/** type2name[] of kernel/dma/debug.c. */
export const TYPE_NAMES: Record<number, string> = {
  [DmaDebugType.SINGLE]: 'single',
  [DmaDebugType.SG]: 'scatter-gather',
};

/** What each check of dma-debug is called in a violation's `check` field. */
export type DmaDebugCheck =
  | 'map-direction'
  | 'map-invalid'
  | 'unmap-not-mapped'
  | 'unmap-size'
  | 'unmap-function'
  | 'unmap-sg-count'
  | 'unmap-direction'
  | 'unmap-in-use'
  | 'sync-not-mapped'
  | 'sync-range'
  | 'sync-direction'
  | 'sync-read-only'
  | 'sync-write-only'
  | 'sync-sg-count'
  | 'sync-in-use'
  | 'cpu-access'
  | 'leak';

export const hex64 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(16, '0')}`;

/** `[device address=0x...] [size=N bytes]`, the pair most messages carry. */
export function addrSize(addr: number, size: number): string {
  return `[device address=${hex64(addr)}] [size=${size} bytes]`;
}

/** dir2name[dir], for any number. */
export function dirName(dir: number): string {
  return DIR_NAMES[dir] ?? `DMA_DIR_${dir}`;
}

/**
 * err_printk(): counts the error and WARNs with `DMA-API: <driver> <dev>: <text>` as
 * dma-debug does (every error, where the kernel prints the first few by default and counts
 * the rest), recorded as a `dma-api-misuse` violation with the check, the address and size.
 * @param fn the debug.c function that found it (the WARNING line's symbol)
 */
export function errPrintk(
  dev: DmaMapDevice,
  fn: string,
  check: DmaDebugCheck,
  text: string,
  at: { addr: number; size: number; entry?: DmaDebugEntry | null },
): void {
  const { machine, name } = currentActor();
  machine.dmaDebug.countError();
  const drv = driverString(dev);
  const message = `DMA-API: ${drv ? `${drv} ` : ''}${dev.name}: ${text}`;
  const lines = warningBlock({ where: 'kernel/dma/debug.c', fn }, message);
  const e = at.entry;
  emitReport(ReportType.USER, lines, {
    kind: 'dma-api-misuse',
    message: `${name}: ${message}`,
    where: `kernel/dma/debug.c ${fn}`,
    fields: {
      check,
      device: dev.name,
      addr: at.addr,
      size: at.size,
      ...(e
        ? {
            mappedWith: dirName(e.dir),
            mappedAs: TYPE_NAMES[e.type] ?? String(e.type),
            mappedBy: e.actor,
          }
        : {}),
    },
  });
}

/** Whether a mapping in `dir` lets the device write the bytes (the CPU must not cache them). */
export function deviceWrites(dir: number): boolean {
  return dir === DmaDataDirection.DMA_FROM_DEVICE || dir === DmaDataDirection.DMA_BIDIRECTIONAL;
}
