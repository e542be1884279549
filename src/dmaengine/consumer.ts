import { CHAN } from '../shm/channel-struct.js';
import { DESC, DescState } from '../shm/descriptor-pool.js';
import { printk, thisCpu } from '../kernel/current.js';
import { EINVAL, ENOSYS } from '../kernel/errno.js';
import { EventCode } from '../events/kinds.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit, apiReturn } from './api-point.js';
import { trace } from '../events/trace.js';
import type { DmaChan } from './chan.js';
import { DmaAsyncTxDescriptor } from './descriptor.js';
import { reportMisuse } from './misuse.js';
import { descBase } from './vchan-list.js';
import { noteIssueInWindow } from './terminate-window.js';
import {
  DMA_MIN_COOKIE,
  DmaOp,
  DmaStatus,
  type DmaSlaveConfig,
  type DmaTransferDirection,
  type DmaTxState,
  type Scatterlist,
} from './types.js';

/** The fixed limit of dma_sync_wait(), in ms (not dmatest's `timeout`). */
export const DMA_SYNC_WAIT_TIMEOUT_MS = 5000;

function held(chan: DmaChan): boolean {
  if (chan.clientCount() > 0) return true;
  reportMisuse('chan-not-held', chan.index);
  return false;
}

/**
 * The prep wrappers' `!chan || !chan->device`: they return NULL for either (dmaengine.h),
 * where the other calls dereference both.
 */
export function noChan(chan: DmaChan | null | undefined): chan is null | undefined {
  return !chan || !(chan.device as DmaChan['device'] | null);
}

/** Wraps a prep's descriptor slot in a handle and records the prep (NULL for -1). */
export function wrapPrep(
  chan: DmaChan,
  desc: number,
  op: number,
  len: number,
  flags: number,
): DmaAsyncTxDescriptor | null {
  if (desc < 0) return null;
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  // The config the descriptor was built from (for slave transfers), not the caller's intent.
  trace(
    EventCode.prep,
    chan.index,
    desc,
    op,
    len,
    flags,
    d[db + DESC.CFG_GEN],
    d[db + DESC.CFG_SRC_ADDR],
    d[db + DESC.CFG_DST_ADDR],
  );
  return new DmaAsyncTxDescriptor(chan, desc, d[db + DESC.GEN]!);
}

/**
 * dmaengine_slave_config(): hands the config to device_config for subsequent preps.
 * @returns 0, -ENOSYS without device_config, or the driver's error
 */
export function dmaengineSlaveConfig(chan: DmaChan, config: DmaSlaveConfig): number {
  const cpu = apiEnter(ApiPoint.dmaengine_slave_config);
  if (!held(chan)) return apiReturn(ApiPoint.dmaengine_slave_config, -EINVAL);
  if (!chan.device.deviceConfig) return apiReturn(ApiPoint.dmaengine_slave_config, -ENOSYS);
  const gen = chan.device.deviceConfig(chan, config);
  trace(EventCode.config, chan.index, gen, config.direction ?? 0, config.srcAddr, config.dstAddr);
  apiExit(cpu, ApiPoint.dmaengine_slave_config);
  return gen < 0 ? gen : 0;
}

/**
 * dmaengine_prep_dma_memcpy().
 * @returns the descriptor, or null (NULL chan or chan->device, no op, no client, zero
 *   length, pool exhausted)
 */
export function dmaenginePrepDmaMemcpy(
  chan: DmaChan | null,
  dst: number,
  src: number,
  len: number,
  flags: number,
): DmaAsyncTxDescriptor | null {
  const cpu = apiEnter(ApiPoint.dmaengine_prep_dma_memcpy);
  if (noChan(chan) || !chan.device.devicePrepDmaMemcpy || !held(chan))
    return apiReturn(ApiPoint.dmaengine_prep_dma_memcpy, null);
  if (len <= 0) {
    reportMisuse('zero-length', chan.index, len);
    return apiReturn(ApiPoint.dmaengine_prep_dma_memcpy, null);
  }
  const tx = wrapPrep(
    chan,
    chan.device.devicePrepDmaMemcpy(chan, dst, src, len, flags),
    DmaOp.MEMCPY,
    len,
    flags,
  );
  apiExit(cpu, ApiPoint.dmaengine_prep_dma_memcpy);
  return tx;
}

/**
 * dmaengine_prep_slave_sg(): a slave transfer built from the channel's current config.
 * @returns the descriptor, or null (NULL chan or chan->device, no op, ...)
 */
export function dmaenginePrepSlaveSg(
  chan: DmaChan | null,
  sgl: readonly Scatterlist[],
  dir: DmaTransferDirection,
  flags: number,
): DmaAsyncTxDescriptor | null {
  const cpu = apiEnter(ApiPoint.dmaengine_prep_slave_sg);
  if (noChan(chan) || !chan.device.devicePrepSlaveSg || !held(chan))
    return apiReturn(ApiPoint.dmaengine_prep_slave_sg, null);
  let len = 0;
  for (const sg of sgl) len += sg.length;
  if (sgl.length === 0 || sgl.some((sg) => sg.length <= 0)) {
    reportMisuse('zero-length', chan.index, sgl.length);
    return apiReturn(ApiPoint.dmaengine_prep_slave_sg, null);
  }
  const tx = wrapPrep(
    chan,
    chan.device.devicePrepSlaveSg(chan, sgl, dir, flags),
    DmaOp.SLAVE_SG,
    len,
    flags,
  );
  apiExit(cpu, ApiPoint.dmaengine_prep_slave_sg);
  return tx;
}

/** dmaengine_prep_slave_single(): a one-entry scatterlist (on the caller's stack in the kernel). */
export function dmaenginePrepSlaveSingle(
  chan: DmaChan | null,
  buf: number,
  len: number,
  dir: DmaTransferDirection,
  flags: number,
): DmaAsyncTxDescriptor | null {
  return dmaenginePrepSlaveSg(chan, [{ dmaAddress: buf, length: len }], dir, flags);
}

/**
 * dmaengine_submit() / tx->tx_submit(): assigns a cookie and queues the descriptor as
 * pending. It does not start the transfer: see dma_async_issue_pending().
 * @returns the cookie (> 0) or a negative errno
 */
export function dmaengineSubmit(tx: DmaAsyncTxDescriptor): number {
  const cpu = apiEnter(ApiPoint.dmaengine_submit);
  const chan = tx.chan;
  if (!tx.valid()) {
    reportMisuse('stale-descriptor', chan.index, tx.index);
    return apiReturn(ApiPoint.dmaengine_submit, -EINVAL);
  }
  const state = tx.state();
  if (state === DescState.SUBMITTED) {
    reportMisuse('submit-twice', chan.index, tx.index);
  } else if (state !== DescState.PREPARED) {
    reportMisuse('submit-not-prepared', chan.index, state);
    return apiReturn(ApiPoint.dmaengine_submit, -EINVAL);
  }
  const cookie = chan.device.txSubmit(chan, tx.index);
  trace(EventCode.submit, chan.index, tx.index, cookie, tx.gen);
  apiExit(cpu, ApiPoint.dmaengine_submit);
  return cookie;
}

/** dma_submit_error(): the cookie if it is an error, else 0. */
export function dmaSubmitError(cookie: number): number {
  return cookie < 0 ? cookie : 0;
}

/** dma_async_issue_pending(): moves pending descriptors to the hardware. */
export function dmaAsyncIssuePending(chan: DmaChan): void {
  const cpu = apiEnter(ApiPoint.dma_async_issue_pending);
  if (!held(chan)) return apiReturn(ApiPoint.dma_async_issue_pending, undefined);
  // Reported, if at all, by the dmaengine_synchronize() that closes the window.
  noteIssueInWindow(chan);
  chan.device.deviceIssuePending(chan);
  apiExit(cpu, ApiPoint.dma_async_issue_pending);
}

/**
 * dmaengine_tx_status(): the cookie's status, with residue while in progress (0 once
 * complete; the residue of a completed transfer comes through callback_result).
 */
export function dmaengineTxStatus(
  chan: DmaChan,
  cookie: number,
  state: DmaTxState | null,
): DmaStatus {
  const cpu = apiEnter(ApiPoint.dmaengine_tx_status);
  const used = Atomics.load(chan.w, chan.base + CHAN.COOKIE);
  if (cookie < DMA_MIN_COOKIE || (cookie > used && chan.w[chan.base + CHAN.COOKIE_WRAPPED] === 0)) {
    reportMisuse('status-foreign-cookie', chan.index, cookie);
  }
  const status = chan.device.deviceTxStatus(chan, cookie, state);
  trace(EventCode.status, chan.index, cookie, status, state ? state.residue : 0);
  apiExit(cpu, ApiPoint.dmaengine_tx_status);
  return status;
}

/**
 * dma_async_is_tx_complete(): tx_status without residue, filling last/used when asked.
 */
export function dmaAsyncIsTxComplete(
  chan: DmaChan,
  cookie: number,
  out?: { last: number; used: number },
): DmaStatus {
  const state: DmaTxState = { last: 0, used: 0, residue: 0, inFlightBytes: 0 };
  const status = dmaengineTxStatus(chan, cookie, state);
  if (out) {
    out.last = state.last;
    out.used = state.used;
  }
  return status;
}

/**
 * dma_sync_wait(): issues pending work, then busy-polls the cookie with cpu_relax() for at
 * most 5 s ("%s: timeout!", DMA_ERROR).
 */
export function dmaSyncWait(chan: DmaChan, cookie: number): DmaStatus {
  const cpu = thisCpu();
  const sched = cpu.sched;
  const deadline = sched.deadline(DMA_SYNC_WAIT_TIMEOUT_MS);
  dmaAsyncIssuePending(chan);
  // dma_async_is_tx_complete() passes a state: the driver takes its lock on every poll.
  const state: DmaTxState = { last: 0, used: 0, residue: 0, inFlightBytes: 0 };
  for (;;) {
    const status = dmaengineTxStatus(chan, cookie, state);
    if (sched.clock.now() >= deadline) {
      printk(`${chan.device.name}: dma_sync_wait: timeout!`);
      return DmaStatus.DMA_ERROR;
    }
    if (status !== DmaStatus.DMA_IN_PROGRESS) return status;
    cpu.cpuRelax();
  }
}
