import { dmaChans } from '../../dmaengine/device-list.js';
import {
  dmaReleaseChannel,
  dmaRequestChan,
  dmaRequestChanByMask,
} from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaSyncWait,
  dmaenginePrepDmaMemcpy,
  dmaenginePrepSlaveSingle,
  dmaengineSlaveConfig,
  dmaengineSubmit,
  dmaengineTxStatus,
} from '../../dmaengine/consumer.js';
import {
  dmaengineSynchronize,
  dmaengineTerminateAsync,
  dmaengineTerminateSync,
} from '../../dmaengine/terminate.js';
import { dmaenginePause, dmaengineResume } from '../../dmaengine/pause.js';
import { defineCallback, defineCallbackResult } from '../../dmaengine/callbacks.js';
import { DmaCtrlFlags, type DmaTransferDirection, type DmaTxState } from '../../dmaengine/types.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import type { DmaAsyncTxDescriptor } from '../../dmaengine/descriptor.js';
import { Gfp, kfree, kzalloc } from '../../kernel/slab.js';
import { ENODEV, EINVAL } from '../../kernel/errno.js';
import { cRuntime, type CRuntime } from '../runtime.js';

/**
 * C handles of channels: small non-NULL, non-ERR_PTR values a driver only passes back. A
 * `struct device *` from dmaengine_get_dma_device() is the channel's handle plus DEV_BIAS.
 */
const CHAN_BASE = 0x200;
export const DEV_BIAS = 2;

export function chanHandle(chan: DmaChan): number {
  return CHAN_BASE + chan.index * 4;
}

/** The channel of a handle, or null for anything else (NULL, an ERR_PTR, garbage). */
export function chanOf(h: number): DmaChan | null {
  const k = (h - CHAN_BASE) / 4;
  if (!Number.isInteger(k) || k < 0) return null;
  return dmaChans()[k] ?? null;
}

/** struct dma_async_tx_descriptor, as the header lays it out (wasm32). */
export const TXD = {
  COOKIE: 0,
  FLAGS: 4,
  CHAN: 8,
  CALLBACK: 12,
  CALLBACK_RESULT: 16,
  PARAM: 20,
  BYTES: 24,
};

/** struct dma_slave_config's offsets (wasm32). */
const CFG = {
  DIRECTION: 0,
  SRC_ADDR: 4,
  DST_ADDR: 8,
  SRC_WIDTH: 12,
  DST_WIDTH: 16,
  SRC_BURST: 20,
  DST_BURST: 24,
};

/**
 * The callbacks a C descriptor runs: one of each type for every C driver, invoked with
 * the address of the descriptor's C view, from which the C function and its param are read
 * when the callback runs (as the kernel reads tx->callback then). The view is freed after
 * the callback unless the descriptor is reusable.
 */
function cCallback(view: number, result: { result: number; residue: number } | null): void {
  const rt = cRuntime();
  const fn = rt.u32(view + TXD.CALLBACK);
  const fnr = rt.u32(view + TXD.CALLBACK_RESULT);
  const param = rt.u32(view + TXD.PARAM);
  const reuse = (rt.u32(view + TXD.FLAGS) & DmaCtrlFlags.DMA_CTRL_REUSE) !== 0;
  if (fnr !== 0 && result !== null) {
    rt.setI32(rt.resultAddr, result.result);
    rt.setI32(rt.resultAddr + 4, result.residue);
    rt.callPtr(fnr, param, rt.resultAddr);
  } else if (fn !== 0) {
    rt.callPtr(fn, param);
  }
  if (!reuse) {
    rt.descs.delete(view);
    kfree(view);
  }
}
const C_CALLBACK = defineCallback('cdriver_callback', (view) => cCallback(view, null));
const C_CALLBACK_RESULT = defineCallbackResult('cdriver_callback_result', (view, r) =>
  cCallback(view, r),
);

/** A prepared descriptor as C sees it: a kzalloc'd view the driver fills before submit. */
function txView(
  rt: CRuntime,
  tx: DmaAsyncTxDescriptor | null,
  chan: number,
  flags: number,
): number {
  if (!tx) return 0;
  // Prep may be called in atomic context (a callback, under a spinlock): GFP_NOWAIT, as a
  // provider's prep allocates its descriptor.
  const view = kzalloc(TXD.BYTES, Gfp.GFP_NOWAIT);
  if (view === 0) return 0;
  rt.setI32(view + TXD.FLAGS, flags);
  rt.setI32(view + TXD.CHAN, chan);
  rt.descs.set(view, tx);
  return view;
}

function errPtr(err: number): number {
  return err | 0;
}

export const DMAENGINE_IMPORTS = {
  dma_request_chan: (rt: CRuntime) => (_dev: number, name: number) => {
    const c = dmaRequestChan(rt.cString(name));
    return typeof c === 'number' ? errPtr(c) : chanHandle(c);
  },
  dma_request_chan_by_mask: (rt: CRuntime) => (mask: number) => {
    const c = dmaRequestChanByMask(rt.u32(mask));
    return typeof c === 'number' ? errPtr(c) : chanHandle(c);
  },
  dma_release_channel: () => (h: number) => {
    const c = chanOf(h);
    if (c) dmaReleaseChannel(c);
  },
  dmaengine_get_dma_device: () => (h: number) => h + DEV_BIAS,
  dmaengine_slave_config: (rt: CRuntime) => (h: number, cfg: number) => {
    const c = chanOf(h);
    if (!c) return -EINVAL;
    return dmaengineSlaveConfig(c, {
      direction: rt.u32(cfg + CFG.DIRECTION) as DmaTransferDirection,
      srcAddr: rt.u32(cfg + CFG.SRC_ADDR),
      dstAddr: rt.u32(cfg + CFG.DST_ADDR),
      srcAddrWidth: rt.u32(cfg + CFG.SRC_WIDTH),
      dstAddrWidth: rt.u32(cfg + CFG.DST_WIDTH),
      srcMaxburst: rt.u32(cfg + CFG.SRC_BURST),
      dstMaxburst: rt.u32(cfg + CFG.DST_BURST),
    });
  },
  dmaengine_prep_slave_single:
    (rt: CRuntime) => (h: number, buf: number, len: number, dir: number, flags: number) =>
      txView(
        rt,
        dmaenginePrepSlaveSingle(chanOf(h), buf, len, dir as DmaTransferDirection, flags),
        h,
        flags,
      ),
  dmaengine_prep_dma_memcpy:
    (rt: CRuntime) => (h: number, dst: number, src: number, len: number, flags: number) =>
      txView(rt, dmaenginePrepDmaMemcpy(chanOf(h), dst, src, len, flags), h, flags),
  dmaengine_submit: (rt: CRuntime) => (view: number) => {
    const tx = rt.descs.get(view);
    if (!tx) return -EINVAL;
    if (rt.u32(view + TXD.CALLBACK_RESULT) !== 0) tx.callbackResult = C_CALLBACK_RESULT;
    else if (rt.u32(view + TXD.CALLBACK) !== 0) tx.callback = C_CALLBACK;
    tx.callbackParam = view;
    const cookie = dmaengineSubmit(tx);
    rt.setI32(view + TXD.COOKIE, cookie);
    return cookie;
  },
  dma_async_issue_pending: () => (h: number) => {
    const c = chanOf(h);
    if (c) dmaAsyncIssuePending(c);
  },
  dmaengine_tx_status: (rt: CRuntime) => (h: number, cookie: number, state: number) => {
    const c = chanOf(h);
    if (!c) return 3;
    const st: DmaTxState | null = state ? { last: 0, used: 0, residue: 0, inFlightBytes: 0 } : null;
    const status = dmaengineTxStatus(c, cookie, st);
    if (st) {
      rt.setI32(state, st.last);
      rt.setI32(state + 4, st.used);
      rt.setI32(state + 8, st.residue);
      rt.setI32(state + 12, st.inFlightBytes);
    }
    return status;
  },
  dma_sync_wait: () => (h: number, cookie: number) => {
    const c = chanOf(h);
    return c ? dmaSyncWait(c, cookie) : 3;
  },
  dmaengine_pause: () => (h: number) => {
    const c = chanOf(h);
    return c ? dmaenginePause(c) : -ENODEV;
  },
  dmaengine_resume: () => (h: number) => {
    const c = chanOf(h);
    return c ? dmaengineResume(c) : -ENODEV;
  },
  dmaengine_terminate_async: () => (h: number) => {
    const c = chanOf(h);
    return c ? dmaengineTerminateAsync(c) : -ENODEV;
  },
  dmaengine_terminate_sync: () => (h: number) => {
    const c = chanOf(h);
    return c ? dmaengineTerminateSync(c) : -ENODEV;
  },
  dmaengine_synchronize: () => (h: number) => {
    const c = chanOf(h);
    if (c) dmaengineSynchronize(c);
  },
} as const;
