import { currentActor } from '../kernel/current.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit } from '../dmaengine/api-point.js';
import type { Scatterlist } from '../dmaengine/types.js';
import { DmaDebugType } from '../shm/dma-debug-table.js';
import { DmaDataDirection } from './direction.js';
import { addrSize, dirName, dmaDeviceId, errPrintk, hex64, type DmaMapDevice } from './debug.js';
import { checkInUse } from './in-flight.js';
import { addressable, cacheLines } from './mapping.js';

/** check_sync(): the mapping must hold the range and agree on the direction. */
function checkSync(
  dev: DmaMapDevice,
  addr: number,
  size: number,
  dir: number,
  toCpu: boolean,
  nents: number,
): void {
  const table = currentActor().machine.dmaDebug;
  if (table.disabled()) return;
  const fn = 'check_sync';
  const entry = table.findContain(dmaDeviceId(dev), addr);
  if (!entry) {
    errPrintk(
      dev,
      fn,
      'sync-not-mapped',
      `device driver tries to sync DMA memory it has not allocated ${addrSize(addr, size)}`,
      { addr, size },
    );
    return;
  }
  const at = { addr, size, entry };
  if (addr + size > entry.addr + entry.size) {
    errPrintk(
      dev,
      fn,
      'sync-range',
      `device driver syncs DMA memory outside allocated range [device address=${hex64(entry.addr)}] [allocation size=${entry.size} bytes] [sync offset+size=${addr - entry.addr + size}]`,
      at,
    );
  }
  if (toCpu) checkInUse(dev, entry, fn, 'sync-in-use', 'syncs DMA memory for cpu');
  table.setOwner(entry.slot, toCpu ? 0 : 1);
  if (entry.dir === DmaDataDirection.DMA_BIDIRECTIONAL) return;
  const pair = `${addrSize(addr, entry.size)} [mapped with ${dirName(entry.dir)}] [synced with ${dirName(dir)}]`;
  if (dir !== entry.dir) {
    errPrintk(
      dev,
      fn,
      'sync-direction',
      `device driver syncs DMA memory with different direction ${pair}`,
      at,
    );
  }
  if (
    toCpu &&
    entry.dir !== DmaDataDirection.DMA_FROM_DEVICE &&
    dir !== DmaDataDirection.DMA_TO_DEVICE
  ) {
    errPrintk(
      dev,
      fn,
      'sync-read-only',
      `device driver syncs device read-only DMA memory for cpu ${pair}`,
      at,
    );
  }
  if (
    !toCpu &&
    entry.dir !== DmaDataDirection.DMA_TO_DEVICE &&
    dir !== DmaDataDirection.DMA_FROM_DEVICE
  ) {
    errPrintk(
      dev,
      fn,
      'sync-write-only',
      `device driver syncs device write-only DMA memory to device ${pair}`,
      at,
    );
  }
  if (nents > 0 && entry.type === DmaDebugType.SG && nents !== entry.nents) {
    errPrintk(
      dev,
      fn,
      'sync-sg-count',
      `device driver syncs DMA sg list with different entry count [map count=${entry.nents}] [sync count=${nents}]`,
      at,
    );
  }
}

/** dma_sync_single_for_cpu(): the CPU owns the bytes until dma_sync_single_for_device(). */
export function dmaSyncSingleForCpu(
  dev: DmaMapDevice,
  addr: number,
  size: number,
  dir: DmaDataDirection,
): void {
  const cpu = apiEnter(ApiPoint.dma_sync_single_for_cpu);
  checkSync(dev, addr, size, dir, true, 0);
  if (addressable(addr, size)) cacheLines(addr, size);
  apiExit(cpu, ApiPoint.dma_sync_single_for_cpu);
}

/** dma_sync_single_for_device(): hands the bytes back to the device. */
export function dmaSyncSingleForDevice(
  dev: DmaMapDevice,
  addr: number,
  size: number,
  dir: DmaDataDirection,
): void {
  const cpu = apiEnter(ApiPoint.dma_sync_single_for_device);
  checkSync(dev, addr, size, dir, false, 0);
  if (addressable(addr, size)) cacheLines(addr, size);
  apiExit(cpu, ApiPoint.dma_sync_single_for_device);
}

/** dma_sync_sg_for_cpu(dev, sgl, nents, dir). */
export function dmaSyncSgForCpu(
  dev: DmaMapDevice,
  sgl: readonly Scatterlist[],
  nents: number,
  dir: DmaDataDirection,
): void {
  for (let i = 0; i < Math.min(nents, sgl.length); i++) {
    const sg = sgl[i]!;
    checkSync(dev, sg.dmaAddress, sg.length, dir, true, nents);
    if (addressable(sg.dmaAddress, sg.length)) cacheLines(sg.dmaAddress, sg.length);
  }
}

/** dma_sync_sg_for_device(dev, sgl, nents, dir). */
export function dmaSyncSgForDevice(
  dev: DmaMapDevice,
  sgl: readonly Scatterlist[],
  nents: number,
  dir: DmaDataDirection,
): void {
  for (let i = 0; i < Math.min(nents, sgl.length); i++) {
    const sg = sgl[i]!;
    checkSync(dev, sg.dmaAddress, sg.length, dir, false, nents);
    if (addressable(sg.dmaAddress, sg.length)) cacheLines(sg.dmaAddress, sg.length);
  }
}
