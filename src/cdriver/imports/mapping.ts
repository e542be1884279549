import {
  dmaMapSingle,
  dmaMappingError,
  dmaUnmapSingle,
  dmaengineGetDmaDevice,
} from '../../dma-mapping/mapping.js';
import { dmaSyncSingleForCpu, dmaSyncSingleForDevice } from '../../dma-mapping/sync.js';
import type { DmaDataDirection } from '../../dma-mapping/direction.js';
import type { DmaMapDevice } from '../../dma-mapping/debug.js';
import { kfree, kzalloc } from '../../kernel/slab.js';
import { DEV_BIAS, chanOf } from './dmaengine.js';
import type { CRuntime } from '../runtime.js';

/** The device of a `struct device *` from dmaengine_get_dma_device(), or a stand-in for NULL. */
function devOf(h: number): DmaMapDevice {
  const c = chanOf(h - DEV_BIAS);
  return c
    ? dmaengineGetDmaDevice(c)
    : { name: h === 0 ? '(null device)' : `device@0x${(h >>> 0).toString(16)}` };
}

export const MAPPING_IMPORTS = {
  dma_map_single: () => (dev: number, ptr: number, size: number, dir: number) =>
    dmaMapSingle(devOf(dev), ptr, size, dir as DmaDataDirection) | 0,
  dma_unmap_single: () => (dev: number, addr: number, size: number, dir: number) =>
    dmaUnmapSingle(devOf(dev), addr >>> 0, size, dir as DmaDataDirection),
  dma_mapping_error: () => (dev: number, addr: number) => dmaMappingError(devOf(dev), addr),
  dma_sync_single_for_cpu: () => (dev: number, addr: number, size: number, dir: number) =>
    dmaSyncSingleForCpu(devOf(dev), addr, size, dir as DmaDataDirection),
  dma_sync_single_for_device: () => (dev: number, addr: number, size: number, dir: number) =>
    dmaSyncSingleForDevice(devOf(dev), addr, size, dir as DmaDataDirection),
  dma_alloc_coherent:
    (rt: CRuntime) => (_dev: number, size: number, handle: number, gfp: number) => {
      const p = kzalloc(size, gfp);
      if (handle) rt.setI32(handle, p);
      return p;
    },
  dma_free_coherent: () => (_dev: number, _size: number, cpu: number) => {
    if (cpu) kfree(cpu);
  },
} as const;
