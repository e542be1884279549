import { defineLayout } from './layout.js';
import { Spinlock } from './raw-lock.js';
import { DescRecords, RECORD, type PoolRecorder } from './desc-records.js';

/** Words of a descriptor slot a provider lays out as it needs (DESC.EXT onwards). */
export const DESC_EXT_WORDS = 42;

/**
 * One `struct virt_dma_desc` (with its `dma_async_tx_descriptor`), in a fixed slot, and
 * the provider's descriptor around it (as `struct bam_async_desc` embeds its vd):
 *
 *   STATE, GEN          DescState; GEN counts reuses of the slot so a stale handle is caught
 *   LEN, RESIDUE        bytes to move; RESIDUE is the residue at prep (all of LEN): the live
 *                       residue is the provider's to derive from its hardware
 *   CALLBACK*           tx->callback and tx->callback_result as callback ids (0: NULL), and
 *                       tx->callback_param; both callbacks are kept, callback_result wins
 *   RESULT*             dmaengine_result, written back by the hardware only on error
 *   NEXT, PREV          links of whichever virt-dma list (or the free list) holds it
 *   CFG_GEN, CFG_*_ADDR the slave config the provider built it from (for the config checker)
 *   ASYNC_TX            the rest of dma_async_tx_descriptor, packed: bits 0-1 its
 *                       desc_metadata_mode, bits 2-31 tx->next (the dependent descriptor's
 *                       slot + 1, 0 for none; see dmaengine/dependency.ts)
 *   EXT                 DESC_EXT_WORDS words the provider owns (its segments, its hardware
 *                       descriptor or a pointer to one)
 *
 * Two 64-byte lines hold the header. The first is the CPUs': state, links, cookie and
 * callback change at every step of the descriptor's life. The hardware reads only the
 * second (FLAGS, LEN and the provider's words), which the CPUs leave alone until the slot
 * is prepared again; so the first line stays with the CPUs (the engine writes there only
 * on error) instead of crossing to the engine and back per descriptor.
 */
export const DESC = defineLayout(
  [
    'STATE',
    'GEN',
    'CHAN',
    'COOKIE',
    'DIRECTION',
    'KIND',
    'OWNER_CPU',
    'NEXT',
    'PREV',
    'RESIDUE',
    'CALLBACK',
    'CALLBACK_PARAM',
    'CALLBACK_RESULT',
    'RESULT',
    'RESULT_RESIDUE',
    'REUSE',
    'CFG_GEN',
    'CFG_SRC_ADDR',
    'CFG_DST_ADDR',
    'FLAGS',
    'LEN',
    'ASYNC_TX',
  ],
  { EXT: DESC_EXT_WORDS },
  16,
);

/** Values of DESC.STATE: where the descriptor is in its life. */
export const DescState = {
  FREE: 0,
  /** prepared, on desc_allocated */
  PREPARED: 1,
  /** on desc_submitted, has a cookie */
  SUBMITTED: 2,
  /** on desc_issued */
  ISSUED: 3,
  /** queued to or being moved by the hardware */
  ACTIVE: 4,
  /** on desc_completed, waiting for the tasklet */
  COMPLETED: 5,
  /** taken by the tasklet: its callback runs, then it is freed */
  CALLBACK: 6,
  /** on desc_terminated, waiting for synchronize */
  TERMINATED: 7,
} as const;
export type DescState = (typeof DescState)[keyof typeof DescState];

/**
 * Pool header: the free list and its lock (a slab lock: never seen by lockdep). FRESH is the
 * first slot never handed out: slots past it are free without being on the list, so that
 * creating a pool touches none of its pages (a fresh page costs a fault, ~3 us here, and a
 * default pool is 256 of them).
 */
export const POOL = defineLayout(
  ['LOCK', 'FREE_HEAD', 'FREE_COUNT', 'ALLOC_FAILS', 'FRESH'],
  {},
  16,
);

/** Most slots a thread moves between its magazine and the shared free list at a time. */
export const MAGAZINE_BATCH = 16;

/**
 * The magazine batch for a pool of `slots` shared by `threads` threads: a thread holds at
 * most 2 batches, so this keeps at most half the pool in magazines, and a small pool gets
 * none (0: every allocation goes to the shared list).
 */
export function magazineBatch(slots: number, threads: number): number {
  return Math.min(MAGAZINE_BATCH, Math.floor(slots / (4 * Math.max(1, threads))));
}

/**
 * The descriptor pool: fixed slots in one SharedArrayBuffer, a free list threaded through
 * DESC.NEXT. Allocation mirrors a GFP_NOWAIT kzalloc: on exhaustion it returns -1 (the
 * caller's NULL), it never throws and never waits.
 *
 * Like slab's per-CPU caches, each thread keeps a small magazine of free slots and takes
 * the shared list's lock only to move a batch of slots at a time. A thread can therefore
 * fail an allocation while other threads' magazines hold free slots (at most half the
 * pool, see magazineBatch()), as with a real per-CPU cache.
 *
 *   [ POOL header | slot 0 | slot 1 | ... | slot n-1 | records ]   each slot DESC.WORDS words
 *
 * The records (desc-records.ts) say who allocated and freed each slot, for KASAN reports.
 */
export class DescriptorPool {
  readonly words: Int32Array;
  readonly slots: number;
  private readonly lock: Spinlock;
  /** This thread's magazine of free slot indices. */
  private readonly magazine: number[] = [];
  /** Per slot: who allocated and freed it, and when. */
  readonly records: DescRecords;
  /** The thread's running actor, for the records (null: the host; nothing recorded). */
  recorder: PoolRecorder | null = null;

  /**
   * @param buffer the pool's shared buffer
   * @param batch this thread's magazine batch (0: no magazine), see magazineBatch()
   */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly batch = MAGAZINE_BATCH,
  ) {
    this.words = new Int32Array(buffer);
    this.slots = (buffer.byteLength - POOL.BYTES) / (DESC.BYTES + RECORD.BYTES);
    this.lock = new Spinlock(this.words, POOL.LOCK);
    this.records = new DescRecords(buffer, POOL.BYTES + this.slots * DESC.BYTES, this.slots);
  }

  /** Bytes a pool of `slots` descriptors needs. */
  static bytesFor(slots: number): number {
    return POOL.BYTES + slots * (DESC.BYTES + RECORD.BYTES);
  }

  /** Creates a pool with every slot free (all of them fresh: zeroed, STATE FREE). */
  static create(slots: number): DescriptorPool {
    const pool = new DescriptorPool(new SharedArrayBuffer(DescriptorPool.bytesFor(slots)));
    const w = pool.words;
    w[POOL.FREE_HEAD] = -1;
    w[POOL.FREE_COUNT] = slots;
    w[POOL.FRESH] = 0;
    return pool;
  }

  /** Word offset of slot `index`. */
  base(index: number): number {
    return POOL.WORDS + index * DESC.WORDS;
  }

  /**
   * Takes a free slot, zeroes its header (not the segments, which prep writes), bumps its
   * generation and marks it PREPARED.
   * @returns the slot index, or -1 when the pool is exhausted (GFP_NOWAIT failure)
   */
  alloc(): number {
    const w = this.words;
    let index: number;
    if (this.batch === 0) index = this.take();
    else index = this.magazine.length > 0 || this.refill() > 0 ? this.magazine.pop()! : -1;
    if (index < 0) {
      Atomics.add(w, POOL.ALLOC_FAILS, 1);
      return -1;
    }
    const base = this.base(index);
    const gen = w[base + DESC.GEN]! + 1;
    // The header is zeroed; the provider's words are written by its prep.
    for (let f = 0; f < DESC.EXT; f++) w[base + f] = 0;
    w[base + DESC.GEN] = gen & 0x7fffffff;
    w[base + DESC.NEXT] = -1;
    w[base + DESC.PREV] = -1;
    // Published to other threads by the vc.lock release that puts it on a list.
    w[base + DESC.STATE] = DescState.PREPARED;
    if (this.recorder) this.records.noteAlloc(index, this.recorder);
    return index;
  }

  /** Returns a slot to the free list (kfree). Freeing a free slot is a caller bug: returns false. */
  free(index: number): boolean {
    const w = this.words;
    const base = this.base(index);
    if (Atomics.exchange(w, base + DESC.STATE, DescState.FREE) === DescState.FREE) return false;
    if (this.recorder) this.records.noteFree(index, this.recorder);
    this.magazine.push(index);
    if (this.magazine.length >= 2 * this.batch) this.drain(Math.max(1, this.batch));
    return true;
  }

  /** Takes one slot straight from the shared list, or -1. */
  private take(): number {
    this.lock.lock();
    const index = this.next();
    if (index >= 0) this.words[POOL.FREE_COUNT]!--;
    this.lock.unlock();
    return index;
  }

  /** Moves up to a batch of slots from the shared list into the magazine. */
  private refill(): number {
    let n = 0;
    this.lock.lock();
    for (; n < this.batch; n++) {
      const index = this.next();
      if (index < 0) break;
      this.magazine.push(index);
    }
    this.words[POOL.FREE_COUNT]! -= n;
    this.lock.unlock();
    return n;
  }

  /** The next free slot: from the list (freed slots first), else a fresh one; -1 if none. Lock held. */
  private next(): number {
    const w = this.words;
    const index = w[POOL.FREE_HEAD]!;
    if (index >= 0) {
      w[POOL.FREE_HEAD] = w[this.base(index) + DESC.NEXT]!;
      return index;
    }
    const fresh = w[POOL.FRESH]!;
    if (fresh >= this.slots) return -1;
    w[POOL.FRESH] = fresh + 1;
    return fresh;
  }

  /** Returns `n` slots of the magazine to the shared list. */
  private drain(n: number): void {
    const w = this.words;
    this.lock.lock();
    for (let k = 0; k < n; k++) {
      const index = this.magazine.pop()!;
      w[this.base(index) + DESC.NEXT] = w[POOL.FREE_HEAD]!;
      w[POOL.FREE_HEAD] = index;
    }
    w[POOL.FREE_COUNT]! += n;
    this.lock.unlock();
  }

  /** Returns this thread's whole magazine to the shared list (end of a thread's run). */
  flush(): void {
    if (this.magazine.length > 0) this.drain(this.magazine.length);
  }

  /** Slots free as this thread sees them: the shared list plus its own magazine. */
  freeCount(): number {
    return Atomics.load(this.words, POOL.FREE_COUNT) + this.magazine.length;
  }

  /** Allocation failures so far. */
  allocFailures(): number {
    return Atomics.load(this.words, POOL.ALLOC_FAILS);
  }
}
