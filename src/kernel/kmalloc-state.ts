import { currentActor } from './current.js';
import { kasanAccess } from './kasan.js';
import { Gfp, kmalloc } from './slab.js';
import { StateInstance } from './state.js';
import type { FieldName, FieldSpecs, Struct } from '../shm/struct.js';

/**
 * A struct a driver keeps in kmalloc() memory (`priv = kzalloc(sizeof(*priv), GFP_KERNEL)`),
 * with every field access checked by KASAN first: a callback that touches the struct after
 * kfree() is a `use-after-free` report naming `fn`, with the object's alloc and free
 * records. The access then goes on, as the kernel's does (the object sits in quarantine).
 * Declared state (stateOf()) keeps the unchecked accessors: it is never freed.
 */
export class KmallocState<F extends FieldSpecs = FieldSpecs> extends StateInstance<F> {
  constructor(
    struct: Struct<F>,
    addr: number,
    /** The function that accesses the struct through this view (KASAN's "in <fn>"). */
    readonly fn: string,
  ) {
    super(currentActor().machine, struct, addr);
  }

  private check(f: FieldName<F>, k: number, write: boolean): void {
    kasanAccess((this.base + this.off[f] + k) * 4, 4, write, this.fn);
  }

  override get(f: FieldName<F>, k = 0): number {
    this.check(f, k, false);
    return super.get(f, k);
  }

  override set(f: FieldName<F>, v: number, k = 0): void {
    this.check(f, k, true);
    super.set(f, v, k);
  }

  override load(f: FieldName<F>, k = 0): number {
    this.check(f, k, false);
    return super.load(f, k);
  }

  override store(f: FieldName<F>, v: number, k = 0): void {
    this.check(f, k, true);
    super.store(f, v, k);
  }

  override add(f: FieldName<F>, v: number, k = 0): number {
    this.check(f, k, true);
    return super.add(f, v, k);
  }

  override sub(f: FieldName<F>, v: number, k = 0): number {
    this.check(f, k, true);
    return super.sub(f, v, k);
  }

  override cmpxchg(f: FieldName<F>, expected: number, v: number, k = 0): number {
    this.check(f, k, true);
    return super.cmpxchg(f, expected, v, k);
  }
}

/**
 * A checked view of the `struct` instance at `addr`, a kmalloc() object (in any thread: the
 * address is all a callback needs, e.g. its callback_param).
 * @param fn the function the accesses are made in, for KASAN's report
 */
export function kmallocState<F extends FieldSpecs>(
  struct: Struct<F>,
  addr: number,
  fn: string,
): KmallocState<F> {
  return new KmallocState(struct, addr, fn);
}

/**
 * kzalloc(sizeof(struct), gfp) and its checked view.
 * @returns the view, or null when kzalloc() returned NULL
 */
export function kzallocState<F extends FieldSpecs>(
  struct: Struct<F>,
  fn: string,
  gfp: number = Gfp.GFP_KERNEL,
): KmallocState<F> | null {
  const addr = kmalloc(struct.WORDS * 4, gfp | Gfp.__GFP_ZERO);
  return addr === 0 ? null : new KmallocState(struct, addr, fn);
}
