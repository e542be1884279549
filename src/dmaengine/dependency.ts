import { DESC, DescState } from '../shm/descriptor-pool.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import type { DmaChan } from './chan.js';
import { DmaAsyncTxDescriptor } from './descriptor.js';
import { dmaChans } from './device-list.js';
import { reportMisuse } from './misuse.js';
import { ASYNC_TX_MODE_MASK } from './metadata.js';
import { descBase } from './vchan-list.js';

/** tx->next of slot `desc`: the dependent's slot, or -1. */
function nextOf(d: Int32Array, desc: number): number {
  return (d[descBase(desc) + DESC.ASYNC_TX]! >>> 2) - 1;
}

function setNext(d: Int32Array, desc: number, next: number): void {
  const i = descBase(desc) + DESC.ASYNC_TX;
  d[i] = (d[i]! & ASYNC_TX_MODE_MASK) | ((next + 1) << 2);
}

/**
 * txd_chain(txd, next) (CONFIG_ASYNC_TX_ENABLE_CHANNEL_SWITCH): `next`, prepared but not
 * submitted, depends on `tx`: when `tx` completes, its provider submits `next` and issues
 * `next`'s channel, which may be another channel or controller (dma_run_dependencies()).
 * The client must not submit `next` itself.
 * @returns false (and `next` is not chained) when `next` is not a prepared descriptor
 */
export function txdChain(tx: DmaAsyncTxDescriptor, next: DmaAsyncTxDescriptor): boolean {
  const d = tx.chan.machine.pool.words;
  if (!next.valid() || next.state() !== DescState.PREPARED || !tx.valid()) {
    reportMisuse('submit-not-prepared', next.chan.index, next.state());
    return false;
  }
  setNext(d, tx.index, next.index);
  return true;
}

/** txd_next(tx): the dependent descriptor, or null. */
export function txdNext(tx: DmaAsyncTxDescriptor): DmaAsyncTxDescriptor | null {
  const d = tx.chan.machine.pool.words;
  const next = nextOf(d, tx.index);
  if (next < 0) return null;
  const chan = dmaChans()[d[descBase(next) + DESC.CHAN]!];
  return chan ? new DmaAsyncTxDescriptor(chan, next, d[descBase(next) + DESC.GEN]!) : null;
}

/**
 * dma_run_dependencies(tx): called by a provider that supports async_tx once `tx`'s
 * callback has run. Clears tx->next, submits the dependents on the first dependent's
 * channel up to a channel switch (the one after the switch is submitted when this one
 * completes), then calls that channel's device_issue_pending.
 */
export function dmaRunDependencies(chan: DmaChan, desc: number): void {
  const d = chan.machine.pool.words;
  let dep = nextOf(d, desc);
  if (dep < 0) return;
  setNext(d, desc, -1);
  const target = dmaChans()[d[descBase(dep) + DESC.CHAN]!];
  if (!target) return;
  while (dep >= 0) {
    let depNext = nextOf(d, dep);
    if (depNext >= 0 && d[descBase(depNext) + DESC.CHAN] === target.index) setNext(d, dep, -1);
    else depNext = -1;
    const cookie = target.device.txSubmit(target, dep);
    trace(EventCode.submit, target.index, dep, cookie, d[descBase(dep) + DESC.GEN]);
    dep = depNext;
  }
  target.device.deviceIssuePending(target);
}
