import { ApiPoint } from '../sched/labels.js';
import { ENOSYS } from '../kernel/errno.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import type { DmaChan } from './chan.js';

/**
 * dmaengine_pause(): stops the channel's activity "without data loss", synchronously: when
 * it returns 0 the hardware moves nothing more, and tx_status reads DMA_PAUSED with the
 * residue where it stopped.
 * @returns 0, -ENOSYS without device_pause, or the driver's error (-EPERM from a driver
 *   with nothing to pause, as stm32-dma)
 */
export function dmaenginePause(chan: DmaChan): number {
  const cpu = apiEnter(ApiPoint.dmaengine_pause);
  if (!chan.device.devicePause) return apiReturn(ApiPoint.dmaengine_pause, -ENOSYS);
  const ret = chan.device.devicePause(chan);
  apiExit(cpu, ApiPoint.dmaengine_pause);
  return ret;
}

/**
 * dmaengine_resume(): resumes a paused channel. "It is invalid to resume a channel which
 * is not currently paused" (client.rst): the driver reports the `resume-not-paused` misuse
 * and returns its error.
 * @returns 0, -ENOSYS without device_resume, or the driver's error
 */
export function dmaengineResume(chan: DmaChan): number {
  const cpu = apiEnter(ApiPoint.dmaengine_resume);
  if (!chan.device.deviceResume) return apiReturn(ApiPoint.dmaengine_resume, -ENOSYS);
  const ret = chan.device.deviceResume(chan);
  apiExit(cpu, ApiPoint.dmaengine_resume);
  return ret;
}
