import { DESC, DescState, POOL } from '../shm/descriptor-pool.js';
import { reportViolation } from '../kernel/report/user-violation.js';
import type { DmaChan } from './chan.js';
import { descBase } from './vchan-list.js';
import { DMA_MIN_COOKIE } from './types.js';

/**
 * The channel's transfers still in flight: descriptors submitted, issued or with the
 * hardware, neither completed nor terminated. Only the client's: a descriptor the driver
 * made for itself and never passed through tx_submit has no cookie (a BAM's LOCK/UNLOCK
 * descriptor), and it is the driver's to finish. One scan of the slots ever handed out.
 */
export function transfersInFlight(chan: DmaChan): number {
  const d = chan.machine.pool.words;
  const fresh = Math.min(Atomics.load(d, POOL.FRESH), chan.machine.pool.slots);
  let n = 0;
  for (let i = 0; i < fresh; i++) {
    const db = descBase(i);
    const state = d[db + DESC.STATE];
    if (
      d[db + DESC.CHAN] === chan.index &&
      (state === DescState.SUBMITTED || state === DescState.ISSUED || state === DescState.ACTIVE) &&
      d[db + DESC.COOKIE]! >= DMA_MIN_COOKIE
    )
      n++;
  }
  return n;
}

/**
 * dma_release_channel() of a channel whose transfers are still in flight: the client gives
 * the channel back while the hardware may still write its buffers, and no callback will run
 * for them (free_chan_resources frees them). The kernel does not check it; dmasim reports it
 * as `release-with-transfers-in-flight`, before the release's synchronize. A client
 * terminates first (dmaengine_terminate_sync()) or waits for its transfers.
 */
export function reportReleaseInFlight(chan: DmaChan): void {
  const n = transfersInFlight(chan);
  if (n === 0) return;
  const client = chan.client();
  const who = client ? client.name : '(no client device)';
  reportViolation('release-with-transfers-in-flight', {
    message:
      `dma_release_channel(${chan.name}) by ${who} with ${n} transfer(s) in flight: ` +
      'terminate them (dmaengine_terminate_sync()) or wait for them before releasing',
    chan: chan.name,
    client: who,
    inFlight: n,
  });
}
