import { DESC, DescState } from '../shm/descriptor-pool.js';
import type { DmaChan } from './chan.js';
import type { DmaCallback, DmaCallbackResult } from './callbacks.js';
import { descBase } from './vchan-list.js';

/**
 * `struct dma_async_tx_descriptor` as the client holds it: a handle onto a descriptor
 * slot. `gen` pins the slot's generation, so that a handle used after its descriptor was
 * freed and the slot reused is recognised instead of corrupting someone else's transfer.
 */
export class DmaAsyncTxDescriptor {
  private readonly d: Int32Array;
  private readonly db: number;

  constructor(
    readonly chan: DmaChan,
    /** Slot index in the descriptor pool. */
    readonly index: number,
    readonly gen: number,
  ) {
    this.d = chan.machine.pool.words;
    this.db = descBase(index);
  }

  /** Whether the slot still holds this descriptor (not freed and reused). */
  valid(): boolean {
    return (
      this.d[this.db + DESC.GEN] === this.gen && this.d[this.db + DESC.STATE] !== DescState.FREE
    );
  }

  /** tx->cookie. */
  get cookie(): number {
    return this.d[this.db + DESC.COOKIE]!;
  }

  /** tx->flags. */
  get flags(): number {
    return this.d[this.db + DESC.FLAGS]!;
  }

  /**
   * tx->callback = fn. Both fields are kept, as in the kernel: callback_result, when set,
   * is the one invoked (dmaengine_desc_callback_invoke()).
   */
  set callback(cb: DmaCallback | null) {
    this.d[this.db + DESC.CALLBACK] = cb ? cb.id : 0;
  }

  /** tx->callback_result = fn: invoked instead of callback whenever it is set. */
  set callbackResult(cb: DmaCallbackResult | null) {
    this.d[this.db + DESC.CALLBACK_RESULT] = cb ? cb.id : 0;
  }

  /** tx->callback_param. */
  set callbackParam(param: number) {
    this.d[this.db + DESC.CALLBACK_PARAM] = param;
  }

  /** Slot state, for diagnostics and tests. */
  state(): number {
    return this.d[this.db + DESC.STATE]!;
  }

  /** The config generation and FIFO addresses the descriptor was built from. */
  builtFrom(): { gen: number; srcAddr: number; dstAddr: number } {
    const d = this.d;
    const b = this.db;
    return {
      gen: d[b + DESC.CFG_GEN]!,
      srcAddr: d[b + DESC.CFG_SRC_ADDR]!,
      dstAddr: d[b + DESC.CFG_DST_ADDR]!,
    };
  }
}
