import { CHAN } from '../shm/channel-struct.js';
import { DESC } from '../shm/descriptor-pool.js';
import { ReportType, emitReport, warningBlock } from '../kernel/report/report.js';
import type { DmaChan } from './chan.js';
import { dmaAsyncIsComplete } from './cookie.js';
import { DMA_MIN_COOKIE, DmaStatus } from './types.js';

/**
 * dmasim's check of dma_cookie_complete() (the kernel has none): the cookie completed must
 * be outstanding, inside the window (completed_cookie, cookie] that dma_async_is_complete()
 * reads. One outside it means completions went out of order or a cookie was assigned
 * outside tx_submit (BAM v19's LOCK/UNLOCK descriptors): the channel's completed_cookie
 * then jumped past cookies still in flight, whose tx_status already read DMA_COMPLETE, and
 * now moves backwards. A `cookie-window` violation. Caller holds vc.lock.
 */
export function cookieWindowCheck(chan: DmaChan, db: number): void {
  const d = chan.machine.pool.words;
  const cookie = d[db + DESC.COOKIE]!;
  if (cookie < DMA_MIN_COOKIE) return;
  const c = chan.w;
  const completed = c[chan.base + CHAN.COMPLETED_COOKIE]!;
  const used = c[chan.base + CHAN.COOKIE]!;
  if (dmaAsyncIsComplete(cookie, completed, used) !== DmaStatus.DMA_COMPLETE) return;
  const message =
    `dmaengine: ${chan.name}: dma_cookie_complete() of cookie ${cookie}, which is not ` +
    `outstanding (completed_cookie ${completed}, cookie ${used}): completions out of order, ` +
    'or a cookie assigned outside tx_submit; tx_status already read DMA_COMPLETE for it';
  emitReport(
    ReportType.USER,
    warningBlock({ where: 'dma_cookie_complete', fn: 'dma_cookie_complete' }, message),
    {
      kind: 'cookie-window',
      message,
      where: 'dma_cookie_complete',
      fields: { chan: chan.index, cookie, completed, used },
    },
  );
}
