import { EIO } from '../kernel/errno.js';
import { printk } from '../kernel/current.js';
import type { DmaChan } from './chan.js';
import type { DmaDevice } from './provider.js';
import { DmaTransactionType, dmaHasCap } from './types.js';

/** The registered devices and their channels, in this thread (dma_device_list). */
const devices: DmaDevice[] = [];
const chans: DmaChan[] = [];

/**
 * dma_async_device_register(): checks that every claimed capability has its prep op and
 * that device_tx_status and device_issue_pending exist, then makes the device's channels
 * requestable (in this thread: every thread registers the same devices).
 * @returns 0, or -EIO (with the kernel's dev_err line) as the kernel does
 */
export function dmaAsyncDeviceRegister(dev: DmaDevice): number {
  const claims: [DmaTransactionType, boolean, string][] = [
    [DmaTransactionType.DMA_MEMCPY, dev.devicePrepDmaMemcpy !== undefined, 'DMA_MEMCPY'],
    [DmaTransactionType.DMA_SLAVE, dev.devicePrepSlaveSg !== undefined, 'DMA_SLAVE'],
    [
      DmaTransactionType.DMA_INTERLEAVE,
      dev.devicePrepInterleavedDma !== undefined,
      'DMA_INTERLEAVE',
    ],
  ];
  for (const [cap, hasOp, name] of claims) {
    if (dmaHasCap(cap, dev.capMask) && !hasOp) {
      printk(`${dev.name}: Device claims capability ${name}, but op is not defined`);
      return -EIO;
    }
  }
  // A scenario module in JavaScript can leave out what the interface requires.
  const ops = [
    ['deviceTxStatus', 'tx_status'],
    ['deviceIssuePending', 'issue_pending'],
  ] as const;
  for (const [op, name] of ops) {
    if (typeof dev[op] !== 'function') {
      printk(`${dev.name}: Device ${name} is not defined`);
      return -EIO;
    }
  }
  devices.push(dev);
  for (const c of dev.channels) chans[c.index] = c;
  return 0;
}

/** Every registered device, in registration order. */
export function dmaDevices(): readonly DmaDevice[] {
  return devices;
}

/** Every registered channel by global index. */
export function dmaChans(): readonly DmaChan[] {
  return chans;
}

/** Forgets all devices (between runs on a reused thread). */
export function resetDmaDevices(): void {
  devices.length = 0;
  chans.length = 0;
}
