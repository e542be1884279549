import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import { mightSleep } from '../kernel/might-sleep.js';
import { EINVAL, ENOSYS } from '../kernel/errno.js';
import type { DmaChan } from './chan.js';
import { closeTerminateWindow, openTerminateWindow } from './terminate-window.js';

/**
 * dmaengine_terminate_async(): stops the channel's transfers without waiting; callbacks
 * already running or scheduled may still run. Legal in atomic context.
 * @returns 0, or -EINVAL without device_terminate_all
 */
export function dmaengineTerminateAsync(chan: DmaChan): number {
  return terminate(chan, true);
}

/** device_terminate_all, opening the terminate..synchronize window when `async`. */
function terminate(chan: DmaChan, async: boolean): number {
  const cpu = apiEnter(ApiPoint.dmaengine_terminate_async);
  if (!chan.device.deviceTerminateAll)
    return apiReturn(ApiPoint.dmaengine_terminate_async, -EINVAL);
  if (async) openTerminateWindow(chan);
  const ret = chan.device.deviceTerminateAll(chan);
  apiExit(cpu, ApiPoint.dmaengine_terminate_async);
  return ret;
}

/**
 * dmaengine_synchronize(): waits until the hardware no longer touches memory and no
 * callback runs or is scheduled. May sleep. Reports `issue-after-terminate` when
 * dma_async_issue_pending() was called since dmaengine_terminate_async().
 */
export function dmaengineSynchronize(chan: DmaChan): void {
  const cpu = apiEnter(ApiPoint.dmaengine_synchronize);
  mightSleep('dmaengine_synchronize');
  synchronize(chan, 'dmaengine_synchronize');
  apiExit(cpu, ApiPoint.dmaengine_synchronize);
}

/** The body of dmaengine_synchronize(), also run by dma_release_channel()'s dma_chan_put(). */
export function synchronize(chan: DmaChan, caller: string): void {
  chan.device.deviceSynchronize?.(chan);
  closeTerminateWindow(chan, caller);
}

/** dmaengine_terminate_sync(): terminate_async + synchronize. Not from atomic context. */
export function dmaengineTerminateSync(chan: DmaChan): number {
  mightSleep('dmaengine_terminate_sync');
  const ret = dmaengineTerminateAsync(chan);
  if (ret) return ret;
  dmaengineSynchronize(chan);
  return 0;
}

/**
 * dmaengine_terminate_all() (deprecated): device_terminate_all without synchronize, and
 * without the terminate_async rule on a later issue. -ENOSYS without the op.
 */
export function dmaengineTerminateAll(chan: DmaChan): number {
  if (!chan.device.deviceTerminateAll) return -ENOSYS;
  return terminate(chan, false);
}
