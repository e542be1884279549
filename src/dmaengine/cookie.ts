import { CHAN } from '../shm/channel-struct.js';
import { DESC } from '../shm/descriptor-pool.js';
import { DMA_MIN_COOKIE, DmaStatus, type DmaTxState } from './types.js';

/** dma_cookie_init(): both cookies start at DMA_MIN_COOKIE. */
export function dmaCookieInit(chans: Int32Array, cb: number): void {
  Atomics.store(chans, cb + CHAN.COOKIE, DMA_MIN_COOKIE);
  Atomics.store(chans, cb + CHAN.COMPLETED_COOKIE, DMA_MIN_COOKIE);
}

/**
 * dma_cookie_assign(): the next cookie of the channel into the descriptor. The caller holds
 * the channel's lock. Cookies are s32; past INT_MAX they wrap back to DMA_MIN_COOKIE.
 * @returns the cookie
 */
export function dmaCookieAssign(
  chans: Int32Array,
  cb: number,
  descs: Int32Array,
  db: number,
): number {
  let cookie = (chans[cb + CHAN.COOKIE]! + 1) | 0;
  if (cookie < DMA_MIN_COOKIE) {
    cookie = DMA_MIN_COOKIE;
    chans[cb + CHAN.COOKIE_WRAPPED] = 1;
  }
  // Under the channel lock: its release publishes the value to tx_status's lock-free read.
  chans[cb + CHAN.COOKIE] = cookie;
  descs[db + DESC.COOKIE] = cookie;
  return cookie;
}

/**
 * dma_cookie_complete(): records the descriptor's cookie as the channel's last completed
 * and zeroes it in the descriptor "to prevent accidental repeated completions".
 * @returns false for a descriptor without a valid cookie (the kernel's BUG_ON)
 */
export function dmaCookieComplete(
  chans: Int32Array,
  cb: number,
  descs: Int32Array,
  db: number,
): boolean {
  const cookie = descs[db + DESC.COOKIE]!;
  if (cookie < DMA_MIN_COOKIE) return false;
  chans[cb + CHAN.COMPLETED_COOKIE] = cookie;
  descs[db + DESC.COOKIE] = 0;
  return true;
}

/**
 * dma_async_is_complete(): the window rule. With in-order completion, a cookie is complete
 * iff it lies outside (last_complete, last_used], taking the s32 wrap into account.
 */
export function dmaAsyncIsComplete(
  cookie: number,
  lastComplete: number,
  lastUsed: number,
): DmaStatus {
  if (lastComplete <= lastUsed) {
    if (cookie <= lastComplete || cookie > lastUsed) return DmaStatus.DMA_COMPLETE;
  } else if (cookie <= lastComplete && cookie > lastUsed) {
    return DmaStatus.DMA_COMPLETE;
  }
  return DmaStatus.DMA_IN_PROGRESS;
}

/**
 * dma_cookie_status(): a lock-free snapshot of (used, completed), residue 0.
 */
export function dmaCookieStatus(
  chans: Int32Array,
  cb: number,
  cookie: number,
  state: DmaTxState | null,
): DmaStatus {
  const used = Atomics.load(chans, cb + CHAN.COOKIE);
  const complete = Atomics.load(chans, cb + CHAN.COMPLETED_COOKIE);
  if (state) {
    state.last = complete;
    state.used = used;
    state.residue = 0;
    state.inFlightBytes = 0;
  }
  return dmaAsyncIsComplete(cookie, complete, used);
}
