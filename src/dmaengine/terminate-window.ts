import { CHAN } from '../shm/channel-struct.js';
import type { DmaChan } from './chan.js';
import { reportMisuse } from './misuse.js';

/**
 * The window from dmaengine_terminate_async() to dmaengine_synchronize(), in the channel's
 * CHAN.TERMINATING word: OPEN while it lasts, and the dma_async_issue_pending() calls made
 * inside it counted in units of ISSUE. One word, so that an issue on one CPU and the
 * synchronize that closes the window on another cannot lose a count between them.
 */
export const TerminateWindow = { OPEN: 1, ISSUE: 2 } as const;

/** Counts stop here rather than wrap into the sign bit. */
const MAX_COUNT = 0x3fffffff;

/** dmaengine_terminate_async() opens the window (a second terminate keeps it open). */
export function openTerminateWindow(chan: DmaChan): void {
  Atomics.or(chan.w, chan.base + CHAN.TERMINATING, TerminateWindow.OPEN);
}

/** dma_async_issue_pending(): counted when a window is open, else nothing. */
export function noteIssueInWindow(chan: DmaChan): void {
  const w = chan.w;
  const i = chan.base + CHAN.TERMINATING;
  let v = Atomics.load(w, i);
  while ((v & TerminateWindow.OPEN) !== 0 && v >>> 1 < MAX_COUNT) {
    const seen = Atomics.compareExchange(w, i, v, v + TerminateWindow.ISSUE);
    if (seen === v) return;
    v = seen;
  }
}

/**
 * dmaengine_synchronize() closes the window. Its behaviour "is undefined if
 * dma_async_issue_pending() has been called between dmaengine_terminate_async() and this
 * function" (dmaengine.h): that is `issue-after-terminate` misuse, reported here, once per
 * window, with the number of issues. A driver that terminates and re-arms without ever
 * synchronizing breaks no rule until it synchronizes (or releases the channel, whose
 * dma_chan_put() synchronizes).
 */
export function closeTerminateWindow(chan: DmaChan, caller: string): void {
  const v = Atomics.exchange(chan.w, chan.base + CHAN.TERMINATING, 0);
  const issues = v >>> 1;
  if ((v & TerminateWindow.OPEN) === 0 || issues === 0) return;
  reportMisuse(
    'issue-after-terminate',
    chan.index,
    issues,
    `dmaengine: ${chan.name}: ${caller}: dma_async_issue_pending() was called ${issues} time(s) ` +
      'since dmaengine_terminate_async(): undefined behaviour; synchronize before issuing again',
  );
}
