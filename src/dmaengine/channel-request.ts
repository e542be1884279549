import { CHAN } from '../shm/channel-struct.js';
import { printk, thisCpu } from '../kernel/current.js';
import { onceAt, warningBlock } from '../kernel/report/report.js';
import { ENODEV, EPROBE_DEFER } from '../kernel/errno.js';
import { mightSleep } from '../kernel/might-sleep.js';
import { EventCode } from '../events/kinds.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import { trace } from '../events/trace.js';
import type { DmaChan } from './chan.js';
import { dmaChans, dmaDevices } from './device-list.js';
import { reportMisuse } from './misuse.js';
import { synchronize } from './terminate.js';
import type { DmaCapMask } from './types.js';
import type { ClientDevice } from './client-device.js';
import { reportReleaseInFlight } from './release-in-flight.js';
import { dmaDebugDeviceReleased } from '../dma-mapping/ownership.js';

/** dma_filter_fn. */
export type DmaFilterFn<P> = (chan: DmaChan, param: P) => boolean;

/**
 * private_candidate() + dma_chan_get() on one channel: client_count 0 -> 1 atomically (the
 * kernel holds dma_list_mutex; here two CPUs may race for the channel and one finds it
 * busy), then device_alloc_chan_resources.
 * @returns 0, -EPROBE_DEFER when the channel is busy (find_candidate()'s "no candidate"),
 *   or device_alloc_chan_resources()'s error
 */
function chanGet(chan: DmaChan, client: ClientDevice | undefined): number {
  if (Atomics.compareExchange(chan.w, chan.base + CHAN.CLIENT_COUNT, 0, 1) !== 0)
    return -EPROBE_DEFER;
  // The provider sees the requesting device in alloc_chan_resources and may refuse it.
  Atomics.store(chan.w, chan.base + CHAN.CLIENT, client ? client.addr : -1);
  const ret = chan.device.deviceAllocChanResources(chan);
  if (ret < 0) {
    Atomics.store(chan.w, chan.base + CHAN.CLIENT, -1);
    Atomics.store(chan.w, chan.base + CHAN.CLIENT_COUNT, 0);
    return ret;
  }
  Atomics.store(chan.w, chan.base + CHAN.OWNER, thisCpu().id);
  trace(EventCode['chan.request'], chan.index, 1);
  return 0;
}

/**
 * dma_request_channel(mask, filter, param): the first free channel whose device has every
 * capability in `mask` and that `filter` accepts. Exclusive until dma_release_channel().
 * Takes dma_list_mutex: may sleep.
 * @param client the requesting device, handed to the provider's alloc_chan_resources
 * @returns the channel, or null (also when every candidate's provider refused)
 */
export function dmaRequestChannel<P>(
  mask: DmaCapMask,
  filter?: DmaFilterFn<P>,
  param?: P,
  client?: ClientDevice,
): DmaChan | null {
  apiEnter(ApiPoint.dma_request_channel);
  mightSleep('dma_request_channel');
  for (const dev of dmaDevices()) {
    if ((dev.capMask & mask) !== mask) continue;
    for (const chan of dev.channels) {
      if (chan.clientCount() !== 0) continue;
      if (filter && !filter(chan, param as P)) continue;
      if (chanGet(chan, client) === 0) return apiReturn(ApiPoint.dma_request_channel, chan);
    }
  }
  return apiReturn(ApiPoint.dma_request_channel, null);
}

/**
 * dma_request_chan_by_mask().
 * @returns the channel, -EPROBE_DEFER when no device is registered, else -ENODEV
 */
export function dmaRequestChanByMask(mask: DmaCapMask, client?: ClientDevice): DmaChan | number {
  const chan = dmaRequestChannel(mask, undefined, undefined, client);
  if (chan) return chan;
  return dmaDevices().length === 0 ? -EPROBE_DEFER : -ENODEV;
}

/**
 * dma_request_chan() by channel name (dmasim has no device tree: the name is the channel's
 * `dma0chan1`). A private slave channel is exclusive. Takes dma_list_mutex: may sleep.
 * @returns the channel; -EPROBE_DEFER when no channel matches the name or the one that
 *   does is busy (find_candidate() finds no candidate either way); or the error of
 *   device_alloc_chan_resources() (the provider refused `client`: the channel stays free)
 * @param client the requesting device (dma_request_chan()'s `dev`), which the provider sees
 *   from device_alloc_chan_resources to device_free_chan_resources
 */
export function dmaRequestChan(name: string, client?: ClientDevice): DmaChan | number {
  apiEnter(ApiPoint.dma_request_chan);
  mightSleep('dma_request_chan');
  const chan = dmaChans().find((c) => c?.name === name);
  if (!chan) return apiReturn(ApiPoint.dma_request_chan, -EPROBE_DEFER);
  const ret = chanGet(chan, client);
  return apiReturn(ApiPoint.dma_request_chan, ret === 0 ? chan : ret);
}

/** The call site of dma_release_channel()'s WARN_ONCE. */
const RELEASE_WARN = {
  where: 'drivers/dma/dmaengine.c',
  fn: 'dma_release_channel',
  key: 'drivers/dma/dmaengine.c:dma_release_channel',
};

/**
 * dma_release_channel(): takes dma_list_mutex (may sleep), WARN_ONCE when client_count != 1, drop the reference, and on the
 * last one synchronize and free the channel's resources (dma_chan_put()).
 */
export function dmaReleaseChannel(chan: DmaChan): void {
  const cpu = apiEnter(ApiPoint.dma_release_channel);
  mightSleep('dma_release_channel');
  const count = chan.clientCount();
  trace(EventCode['chan.release'], chan.index, count);
  if (count !== 1) {
    reportMisuse('release-refcount', chan.index, count);
    // WARN_ONCE(): one flag for this call site in the whole machine, so its block is
    // printed once per run, whichever CPU and channel; the misuse event is every time.
    if (onceAt(RELEASE_WARN.key)) {
      for (const line of warningBlock(RELEASE_WARN, `chan reference count ${count} != 1`))
        printk(line);
    }
    if (count <= 0) return apiReturn(ApiPoint.dma_release_channel, undefined);
  }
  if (count > 1) {
    Atomics.sub(chan.w, chan.base + CHAN.CLIENT_COUNT, 1);
    return apiReturn(ApiPoint.dma_release_channel, undefined);
  }
  // The last reference: synchronize and free before the channel looks free, so that a
  // requester cannot get it while its resources are being torn down (the kernel holds
  // dma_list_mutex across both).
  reportReleaseInFlight(chan);
  synchronize(chan, 'dma_release_channel');
  chan.device.deviceFreeChanResources(chan);
  Atomics.store(chan.w, chan.base + CHAN.CLIENT, -1);
  Atomics.store(chan.w, chan.base + CHAN.OWNER, -1);
  Atomics.store(chan.w, chan.base + CHAN.CLIENT_COUNT, 0);
  // dma-debug: the controller's last client is gone, so are its mappings.
  dmaDebugDeviceReleased(chan.device);
  apiExit(cpu, ApiPoint.dma_release_channel);
}
