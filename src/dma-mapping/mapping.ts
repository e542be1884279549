import { currentActor, thisCpu } from '../kernel/current.js';
import { ENOMEM } from '../kernel/errno.js';
import { ARENA_RESERVED } from '../shm/arena.js';
import { DmaDebugType } from '../shm/dma-debug-table.js';
import { ApiPoint, Point } from '../sched/labels.js';
import { apiEnter, apiExit } from '../dmaengine/api-point.js';
import type { DmaChan } from '../dmaengine/chan.js';
import type { DmaDevice } from '../dmaengine/provider.js';
import type { Scatterlist } from '../dmaengine/types.js';
import { DmaDataDirection, validDmaDirection } from './direction.js';
import {
  TYPE_NAMES,
  addrSize,
  dirName,
  dmaDeviceId,
  errPrintk,
  hex64,
  type DmaMapDevice,
} from './debug.js';
import { checkInUse } from './in-flight.js';

/** Bytes per cache line that a mapping or a sync writes back or invalidates. */
const CACHE_LINE = 64;

/** DMA_MAPPING_ERROR (~(dma_addr_t)0), as an int32. */
export const DMA_MAPPING_ERROR = -1;

/**
 * The cache maintenance of a map, unmap or sync on a non-coherent machine: one access per
 * cache line of the buffer. Not free: an interrupt that arrives meanwhile is taken when this
 * work ends, as real code would take it somewhere inside it.
 */
export function cacheLines(addr: number, len: number): number {
  const w = currentActor().machine.arena.bytes;
  let sink = 0;
  for (let a = addr; a < addr + len; a += CACHE_LINE) sink ^= Atomics.load(w, a);
  return sink;
}

/** dmaengine_get_dma_device(): the device a client maps its buffers with (the controller's). */
export function dmaengineGetDmaDevice(chan: DmaChan): DmaDevice {
  return chan.device;
}

/** Whether `[addr, addr + len)` is memory a device can reach (the arena past the NULL page). */
export function addressable(addr: number, len: number): boolean {
  return (
    Number.isInteger(addr) &&
    addr >= ARENA_RESERVED &&
    addr + len <= currentActor().machine.arena.size
  );
}

function record(
  dev: DmaMapDevice,
  addr: number,
  len: number,
  dir: number,
  type: number,
  nents: number,
): void {
  const { machine, index } = currentActor();
  machine.dmaDebug.add({
    dev: dmaDeviceId(dev),
    name: machine.strings.intern(dev.name),
    addr,
    size: len,
    dir,
    type,
    nents,
    owner: 1,
    actor: index,
  });
}

/** A bad direction: dma_map_*() BUG_ON(!valid_dma_direction(dir)); here a report and an error. */
function badDirection(
  dev: DmaMapDevice,
  fn: string,
  addr: number,
  len: number,
  dir: number,
): boolean {
  if (validDmaDirection(dir)) return false;
  errPrintk(
    dev,
    fn,
    'map-direction',
    `device driver maps DMA memory with invalid direction ${dirName(dir)} ${addrSize(addr, len)}`,
    { addr, size: len },
  );
  return true;
}

/**
 * dma_map_single(dev, addr, len, dir): an identity mapping (no IOMMU: an arena address is
 * its own bus address), recorded by dma-debug; from now on the device owns the bytes.
 * @returns the DMA address, or DMA_MAPPING_ERROR for memory outside the arena or a bad
 *   direction (check it with dmaMappingError())
 */
export function dmaMapSingle(
  dev: DmaMapDevice,
  addr: number,
  len: number,
  dir: DmaDataDirection,
): number {
  if (badDirection(dev, 'debug_dma_map_single', addr, len, dir)) return DMA_MAPPING_ERROR;
  if (!addressable(addr, len)) {
    errPrintk(
      dev,
      'debug_dma_map_single',
      'map-invalid',
      `device driver maps memory from invalid area [addr=${hex64(addr)}] [len=${len}]`,
      { addr, size: len },
    );
    return DMA_MAPPING_ERROR;
  }
  cacheLines(addr, len);
  thisCpu().point(Point.dma_map_single);
  record(dev, addr, len, dir, DmaDebugType.SINGLE, 0);
  return addr;
}

/** dma_mapping_error(): -ENOMEM for DMA_MAPPING_ERROR, else 0. */
export function dmaMappingError(_dev: DmaMapDevice, dmaAddr: number): number {
  return dmaAddr === DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/**
 * check_unmap(): the mapping must exist for this device, with this size, function and
 * direction, and no submitted, issued or active descriptor may still use its bytes (unless
 * another live mapping covers them). Removes it.
 */
function checkUnmap(
  dev: DmaMapDevice,
  addr: number,
  size: number,
  dir: number,
  type: number,
  nents: number,
): void {
  const table = currentActor().machine.dmaDebug;
  if (table.disabled()) return;
  const fn = 'check_unmap';
  const entry = table.findExact(dmaDeviceId(dev), addr);
  if (!entry) {
    if (addr === DMA_MAPPING_ERROR) {
      errPrintk(
        dev,
        fn,
        'unmap-not-mapped',
        'device driver tries to free an invalid DMA memory address',
        { addr, size },
      );
    } else {
      errPrintk(
        dev,
        fn,
        'unmap-not-mapped',
        `device driver tries to free DMA memory it has not allocated ${addrSize(addr, size)}`,
        { addr, size },
      );
    }
    return;
  }
  const at = { addr, size, entry };
  if (size !== entry.size) {
    errPrintk(
      dev,
      fn,
      'unmap-size',
      `device driver frees DMA memory with different size [device address=${hex64(addr)}] [map size=${entry.size} bytes] [unmap size=${size} bytes]`,
      at,
    );
  }
  if (type !== entry.type) {
    errPrintk(
      dev,
      fn,
      'unmap-function',
      `device driver frees DMA memory with wrong function ${addrSize(addr, size)} [mapped as ${TYPE_NAMES[entry.type]}] [unmapped as ${TYPE_NAMES[type]}]`,
      at,
    );
  } else if (type === DmaDebugType.SG && nents !== entry.nents) {
    errPrintk(
      dev,
      fn,
      'unmap-sg-count',
      `device driver frees DMA sg list with different entry count [map count=${entry.nents}] [unmap count=${nents}]`,
      at,
    );
  }
  if (dir !== entry.dir) {
    errPrintk(
      dev,
      fn,
      'unmap-direction',
      `device driver frees DMA memory with different direction ${addrSize(addr, size)} [mapped with ${dirName(entry.dir)}] [unmapped with ${dirName(dir)}]`,
      at,
    );
  }
  checkInUse(dev, entry, fn, 'unmap-in-use', 'frees DMA memory');
  table.remove(entry.slot);
}

/**
 * dma_unmap_single(): ends the device's ownership (the CPU's caches are invalidated for
 * FROM_DEVICE and BIDIRECTIONAL), with dma-debug's unmap checks.
 */
export function dmaUnmapSingle(
  dev: DmaMapDevice,
  addr: number,
  size: number,
  dir: DmaDataDirection,
): void {
  const cpu = apiEnter(ApiPoint.dma_unmap_single);
  checkUnmap(dev, addr, size, dir, DmaDebugType.SINGLE, 0);
  if (addressable(addr, size)) cacheLines(addr, size);
  apiExit(cpu, ApiPoint.dma_unmap_single);
}

/**
 * dma_map_sg(dev, sgl, nents, dir): maps each entry (identity: sg_dma_address is the
 * entry's address, sg_dma_len its length) and records each with the list's nents.
 * @returns the entries mapped (nents), or 0 on failure (nothing is mapped then)
 */
export function dmaMapSg(
  dev: DmaMapDevice,
  sgl: Scatterlist[],
  nents: number,
  dir: DmaDataDirection,
): number {
  const cpu = apiEnter(ApiPoint.dma_map_sg);
  const n = Math.min(nents, sgl.length);
  const first = sgl[0];
  if (
    n <= 0 ||
    !first ||
    badDirection(dev, 'debug_dma_map_sg', first.dmaAddress, first.length, dir)
  ) {
    apiExit(cpu, ApiPoint.dma_map_sg);
    return 0;
  }
  for (let i = 0; i < n; i++) {
    const sg = sgl[i]!;
    if (!addressable(sg.dmaAddress, sg.length)) {
      errPrintk(
        dev,
        'debug_dma_map_sg',
        'map-invalid',
        `device driver maps memory from invalid area [addr=${hex64(sg.dmaAddress)}] [len=${sg.length}]`,
        { addr: sg.dmaAddress, size: sg.length },
      );
      apiExit(cpu, ApiPoint.dma_map_sg);
      return 0;
    }
  }
  for (let i = 0; i < n; i++) {
    const sg = sgl[i]!;
    cacheLines(sg.dmaAddress, sg.length);
    record(dev, sg.dmaAddress, sg.length, dir, DmaDebugType.SG, nents);
  }
  apiExit(cpu, ApiPoint.dma_map_sg);
  return n;
}

/** dma_unmap_sg(dev, sgl, nents, dir): `nents` as passed to dma_map_sg(), not its result. */
export function dmaUnmapSg(
  dev: DmaMapDevice,
  sgl: readonly Scatterlist[],
  nents: number,
  dir: DmaDataDirection,
): void {
  const cpu = apiEnter(ApiPoint.dma_unmap_sg);
  const n = Math.min(nents, sgl.length);
  for (let i = 0; i < n; i++) {
    const sg = sgl[i]!;
    checkUnmap(dev, sg.dmaAddress, sg.length, dir, DmaDebugType.SG, nents);
    if (addressable(sg.dmaAddress, sg.length)) cacheLines(sg.dmaAddress, sg.length);
  }
  apiExit(cpu, ApiPoint.dma_unmap_sg);
}
