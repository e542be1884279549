import { printk } from '../../kernel/current.js';
import { EACCES } from '../../kernel/errno.js';
import type { DmaChan } from '../../dmaengine/chan.js';

/**
 * alloc_chan_resources' part for the client device: a runtime-PM reference on it, held
 * until free_chan_resources (as a driver that powers the client's side of the link does).
 * With `refuseSuspended`, a suspended client is refused as pm_runtime_get_sync() fails on a
 * suspended device whose runtime PM is disabled (rpm_resume(): -EACCES), and the driver
 * returns that error: dma_request_chan() gets it and the channel stays free.
 * @returns 0, or -EACCES
 */
export function vdmaClientGet(chan: DmaChan, refuseSuspended: boolean): number {
  const client = chan.client();
  if (!client) return 0;
  if (refuseSuspended && client.runtimeSuspended()) {
    printk(
      `${chan.device.name}: ${chan.name}: client ${client.name} is runtime-suspended: -EACCES`,
    );
    return -EACCES;
  }
  client.pmRuntimeGetNoresume();
  printk(`${chan.device.name}: ${chan.name}: alloc_chan_resources for client ${client.name}`);
  return 0;
}

/** free_chan_resources' part: drops the reference alloc_chan_resources took. */
export function vdmaClientPut(chan: DmaChan): void {
  const client = chan.client();
  if (!client) return;
  client.pmRuntimePutNoidle();
  printk(`${chan.device.name}: ${chan.name}: free_chan_resources: client ${client.name} released`);
}
