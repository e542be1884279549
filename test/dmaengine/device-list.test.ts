import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dmaAsyncDeviceRegister,
  dmaDevices,
  resetDmaDevices,
} from '../../src/dmaengine/device-list.js';
import { setCurrentActor, type ActorContext } from '../../src/kernel/current.js';
import type { DmaDevice } from '../../src/dmaengine/provider.js';
import { DmaStatus, DmaTransactionType, dmaCapSet } from '../../src/dmaengine/types.js';
import { EIO } from '../../src/kernel/errno.js';
import { dmaAsyncDeviceRegister as exported } from '../../src/index.js';

/** Just what printk() needs: registration runs on the calling thread, no machine. */
function attach(): ActorContext['dmesg'] {
  const dmesg: ActorContext['dmesg'] = [];
  setCurrentActor({ name: 'cpu0', clock: { now: () => 0 }, dmesg } as unknown as ActorContext);
  return dmesg;
}

function device(overrides: Record<string, unknown>): DmaDevice {
  return {
    index: 0,
    name: 'dma0',
    capMask: dmaCapSet(DmaTransactionType.DMA_MEMCPY),
    copyAlign: 0,
    residueGranularity: 0,
    descriptorReuse: false,
    directions: 0,
    channels: [],
    deviceAllocChanResources: () => 0,
    deviceFreeChanResources: () => undefined,
    devicePrepDmaMemcpy: () => -1,
    deviceIssuePending: () => undefined,
    deviceTxStatus: () => DmaStatus.DMA_COMPLETE,
    txSubmit: () => 1,
    descFree: () => 0,
    ...overrides,
  };
}

describe('dmaAsyncDeviceRegister', () => {
  let dmesg: ActorContext['dmesg'];
  beforeEach(() => {
    dmesg = attach();
  });
  afterEach(() => {
    resetDmaDevices();
    setCurrentActor(null);
  });

  it('is exported from the package', () => {
    expect(exported).toBe(dmaAsyncDeviceRegister);
  });

  it('registers a device with every mandatory op', () => {
    expect(dmaAsyncDeviceRegister(device({}))).toBe(0);
    expect(dmaDevices()).toHaveLength(1);
  });

  it.each([
    ['deviceTxStatus', 'dma0: Device tx_status is not defined'],
    ['deviceIssuePending', 'dma0: Device issue_pending is not defined'],
    ['devicePrepDmaMemcpy', 'dma0: Device claims capability DMA_MEMCPY, but op is not defined'],
  ])('fails with -EIO without %s, as the kernel does', (op, line) => {
    expect(dmaAsyncDeviceRegister(device({ [op]: undefined }))).toBe(-EIO);
    expect(dmaDevices()).toHaveLength(0);
    expect(dmesg.map((l) => l.line)).toEqual([line]);
  });
});

describe('dmaAsyncDeviceRegister and DMA_INTERLEAVE', () => {
  afterEach(() => {
    resetDmaDevices();
    setCurrentActor(null);
  });

  it('fails with -EIO when DMA_INTERLEAVE is claimed without device_prep_interleaved_dma', () => {
    const dmesg = attach();
    const capMask = dmaCapSet(
      DmaTransactionType.DMA_INTERLEAVE,
      dmaCapSet(DmaTransactionType.DMA_MEMCPY),
    );
    expect(dmaAsyncDeviceRegister(device({ capMask }))).toBe(-EIO);
    expect(dmesg.map((l) => l.line)).toEqual([
      'dma0: Device claims capability DMA_INTERLEAVE, but op is not defined',
    ]);
    expect(dmaAsyncDeviceRegister(device({ capMask, devicePrepInterleavedDma: () => -1 }))).toBe(0);
  });
});
