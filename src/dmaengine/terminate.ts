import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import { mightSleep } from '../kernel/might-sleep.js';
import { printk } from '../kernel/current.js';
import { onceAt } from '../kernel/report/report.js';
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

/**
 * dmaengine_terminate_sync(): terminate_async + synchronize. It "must not be called from
 * atomic context or from within a complete callback" (dmaengine.h): there it is
 * `sleep-in-atomic`, and from the channel's own callback the synchronize waits for itself.
 * @returns 0, or terminate_async's -EINVAL (then nothing is synchronized)
 */
export function dmaengineTerminateSync(chan: DmaChan): number {
  const cpu = apiEnter(ApiPoint.dmaengine_terminate_sync);
  mightSleep('dmaengine_terminate_sync');
  const ret = dmaengineTerminateAsync(chan);
  if (ret) return apiReturn(ApiPoint.dmaengine_terminate_sync, ret);
  dmaengineSynchronize(chan);
  apiExit(cpu, ApiPoint.dmaengine_terminate_sync);
  return 0;
}

/**
 * dmaengine_terminate_all() (deprecated): device_terminate_all without synchronize, and
 * without the terminate_async rule on a later issue. The kernel says so only in a comment;
 * dmasim says it once per run in dmesg, naming the replacements.
 * @returns 0, -ENOSYS without the op, or the driver's error
 */
export function dmaengineTerminateAll(chan: DmaChan): number {
  if (onceAt(DEPRECATED_KEY)) {
    printk(
      `dmaengine: ${chan.name}: dmaengine_terminate_all() is deprecated: use ` +
        'dmaengine_terminate_async() + dmaengine_synchronize(), or dmaengine_terminate_sync()',
    );
  }
  if (!chan.device.deviceTerminateAll) return -ENOSYS;
  return terminate(chan, false);
}

/** The once-per-run flag of dmaengine_terminate_all()'s notice. */
const DEPRECATED_KEY = 'include/linux/dmaengine.h:dmaengine_terminate_all';
