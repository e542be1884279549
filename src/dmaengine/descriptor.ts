import { DESC, DescState } from '../shm/descriptor-pool.js';
import type { DmaChan } from './chan.js';
import {
  CallbackKind,
  isDefinedCallback,
  type DmaCallback,
  type DmaCallbackResult,
} from './callbacks.js';
import { reportMisuse } from './misuse.js';
import { descBase } from './vchan-list.js';

/** What a wrong value is, for the misuse line: `a function 'f'`, `an object`, `1.5`. */
function describe(v: unknown): string {
  if (typeof v === 'function') return v.name ? `a plain function '${v.name}'` : 'a plain function';
  if (typeof v === 'object') return v === null ? 'null' : 'an object';
  if (typeof v === 'string') return `a string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return `${typeof v} ${v}`;
  return typeof v;
}

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
    this.d[this.db + DESC.CALLBACK] = this.callbackId(cb, CallbackKind.CALLBACK);
  }

  /** tx->callback_result = fn: invoked instead of callback whenever it is set. */
  set callbackResult(cb: DmaCallbackResult | null) {
    this.d[this.db + DESC.CALLBACK_RESULT] = this.callbackId(cb, CallbackKind.CALLBACK_RESULT);
  }

  /**
   * tx->callback_param: an int32 (the callback runs on whichever CPU takes the interrupt,
   * so what it touches must be in shared memory and the param can only name it). Anything
   * else is `bad-callback-param` misuse and stores 0.
   */
  set callbackParam(param: number) {
    if (Number.isInteger(param) && param === (param | 0)) {
      this.d[this.db + DESC.CALLBACK_PARAM] = param;
      return;
    }
    this.d[this.db + DESC.CALLBACK_PARAM] = 0;
    reportMisuse(
      'bad-callback-param',
      this.chan.index,
      this.index,
      `dmaengine: ${this.chan.name}: tx.callbackParam = ${describe(param)}: the param must be ` +
        'an int32 (an index or offset into shared memory, e.g. the index of a declared state instance); 0 is stored',
    );
  }

  /**
   * The id a callback field stores: a callback of `kind` defined at load time, or 0 for
   * NULL. Anything else (a plain function, a callback of the other type) would never run:
   * `bad-callback` misuse, and the field is cleared.
   */
  private callbackId(cb: unknown, kind: number): number {
    if (cb === null || cb === undefined) return 0;
    if (isDefinedCallback(cb, kind)) return (cb as DmaCallback | DmaCallbackResult).id;
    const [field, define] =
      kind === CallbackKind.CALLBACK
        ? ['tx.callback', 'defineCallback(name, fn)']
        : ['tx.callbackResult', 'defineCallbackResult(name, fn)'];
    const other = isDefinedCallback(
      cb,
      kind === CallbackKind.CALLBACK ? CallbackKind.CALLBACK_RESULT : CallbackKind.CALLBACK,
    );
    reportMisuse(
      'bad-callback',
      this.chan.index,
      this.index,
      `dmaengine: ${this.chan.name}: ${field} = ${other ? 'a callback of the other type' : describe(cb)}: ` +
        `it would never run; define it with ${define} when the module loads, so that every CPU has it`,
    );
    return 0;
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
