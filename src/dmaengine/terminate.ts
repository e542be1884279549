import { CHAN } from '../shm/channel-struct.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import { mightSleep } from '../kernel/might-sleep.js';
import { EINVAL, ENOSYS } from '../kernel/errno.js';
import type { DmaChan } from './chan.js';

/**
 * dmaengine_terminate_async(): stops the channel's transfers without waiting; callbacks
 * already running or scheduled may still run. Legal in atomic context.
 * @returns 0, or -EINVAL without device_terminate_all
 */
export function dmaengineTerminateAsync(chan: DmaChan): number {
  const cpu = apiEnter(ApiPoint.dmaengine_terminate_async);
  if (!chan.device.deviceTerminateAll)
    return apiReturn(ApiPoint.dmaengine_terminate_async, -EINVAL);
  Atomics.store(chan.w, chan.base + CHAN.TERMINATING, 1);
  const ret = chan.device.deviceTerminateAll(chan);
  apiExit(cpu, ApiPoint.dmaengine_terminate_async);
  return ret;
}

/**
 * dmaengine_synchronize(): waits until the hardware no longer touches memory and no
 * callback runs or is scheduled. May sleep.
 */
export function dmaengineSynchronize(chan: DmaChan): void {
  const cpu = apiEnter(ApiPoint.dmaengine_synchronize);
  mightSleep('dmaengine_synchronize');
  chan.device.deviceSynchronize?.(chan);
  Atomics.store(chan.w, chan.base + CHAN.TERMINATING, 0);
  apiExit(cpu, ApiPoint.dmaengine_synchronize);
}

/** dmaengine_terminate_sync(): terminate_async + synchronize. Not from atomic context. */
export function dmaengineTerminateSync(chan: DmaChan): number {
  mightSleep('dmaengine_terminate_sync');
  const ret = dmaengineTerminateAsync(chan);
  if (ret) return ret;
  dmaengineSynchronize(chan);
  return 0;
}

/** dmaengine_terminate_all() (deprecated): terminate without synchronize. -ENOSYS without the op. */
export function dmaengineTerminateAll(chan: DmaChan): number {
  if (!chan.device.deviceTerminateAll) return -ENOSYS;
  const ret = dmaengineTerminateAsync(chan);
  Atomics.store(chan.w, chan.base + CHAN.TERMINATING, 0);
  return ret;
}
