import { currentActor, thisCpu } from '../kernel/current.js';
import { ENOMEM } from '../kernel/errno.js';
import { ARENA_RESERVED } from '../shm/arena.js';
import { DmaDebugType, type DmaDebugEntry } from '../shm/dma-debug-table.js';
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
import { inFlightOverlap } from './in-flight.js';

/** Bytes per cache line that a mapping or a sync writes back or invalidates. */
const CACHE_LINE = 64;

/** DMA_MAPPING_ERROR (~(dma_addr_t)0), as an int32. */
export const DMA_MAPPING_ERROR = -1;

/**
 * The cache maintenance of a map, unmap or sync on a non-coherent machine: one access per
 * cache line of the buffer. Not free: an interrupt that arrives meanwhile is taken when this
 * work ends, as real code would take it somewhere inside it.
 */
function cacheLines(addr: number, len: number): number {
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
function addressable(addr: number, len: number): boolean {
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
 * dmasim's addition to dma-debug: the bytes of `entry` must not be in a transfer still
 * queued or running (the kernel cannot see this; a client that unmaps before the completion
 * reads stale bytes or lets the device write freed memory). Another live mapping of the
 * same bytes owned by the device may be the one the transfer uses: then nothing is said.
 */
function checkInUse(
  dev: DmaMapDevice,
  entry: DmaDebugEntry,
  fn: string,
  check: 'unmap-in-use' | 'sync-in-use',
  what: string,
): void {
  const using = inFlightOverlap(entry.addr, entry.size);
  if (!using) return;
  const table = currentActor().machine.dmaDebug;
  const others = table
    .overlapping(entry.addr, entry.size)
    .filter((e) => e.slot !== entry.slot && e.owner === 1);
  if (others.length > 0) return;
  const STATE = ['free', 'prepared', 'submitted', 'issued', 'active'];
  errPrintk(
    dev,
    fn,
    check,
    `device driver ${what} still in use by the device ${addrSize(entry.addr, entry.size)} ` +
      `[mapped with ${dirName(entry.dir)}] [in use by ${using.chan} descriptor ${using.desc} cookie ${using.cookie} (${STATE[using.state] ?? using.state})]`,
    { addr: entry.addr, size: entry.size, entry },
  );
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
