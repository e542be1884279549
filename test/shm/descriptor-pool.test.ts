import { describe, it, expect } from 'vitest';
import {
  DESC,
  DescState,
  DescriptorPool,
  MAGAZINE_BATCH,
  magazineBatch,
  POOL,
} from '../../src/shm/descriptor-pool.js';
import { RECORD } from '../../src/shm/desc-records.js';

/** The header words of slot `i` (everything before the provider's words). */
function headerWords(pool: DescriptorPool, i: number): number[] {
  const base = pool.base(i);
  return [...pool.words.subarray(base, base + DESC.EXT)];
}

/** A slot header as alloc() must leave it: all zero but GEN, STATE, NEXT and PREV. */
function freshHeader(gen: number): number[] {
  const words = new Array<number>(DESC.EXT).fill(0);
  words[DESC.STATE] = DescState.PREPARED;
  words[DESC.GEN] = gen;
  words[DESC.NEXT] = -1;
  words[DESC.PREV] = -1;
  return words;
}

/** Allocates until the pool says -1; returns the indices handed out. */
function allocAll(pool: DescriptorPool): number[] {
  const out: number[] = [];
  for (let i = pool.alloc(); i >= 0; i = pool.alloc()) {
    if (out.length > pool.slots) throw new Error('pool handed out more slots than it has');
    out.push(i);
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

describe('DescriptorPool', () => {
  it('sizes its buffer for the header plus one DESC per slot', () => {
    const pool = DescriptorPool.create(5);

    expect(pool.words.byteLength).toBe(DescriptorPool.bytesFor(5));
    expect(DescriptorPool.bytesFor(5)).toBe(POOL.BYTES + 5 * (DESC.BYTES + RECORD.BYTES));
    expect(pool.slots).toBe(5);
  });

  it('starts with every slot free', () => {
    const pool = DescriptorPool.create(4);

    expect([pool.freeCount(), pool.allocFailures()]).toEqual([4, 0]);
    expect(range(4).map((i) => pool.words[pool.base(i) + DESC.STATE])).toEqual([0, 0, 0, 0]);
  });

  it('hands out distinct indices until exhaustion, then -1 without throwing', () => {
    const pool = DescriptorPool.create(3);

    const got = [pool.alloc(), pool.alloc(), pool.alloc()];
    const exhausted = [pool.alloc(), pool.alloc()];

    expect(sorted(got)).toEqual([0, 1, 2]);
    expect(exhausted).toEqual([-1, -1]);
  });

  it('hands out every slot of a pool larger than a magazine exactly once', () => {
    const slots = 2 * MAGAZINE_BATCH + 5;
    const pool = DescriptorPool.create(slots);

    const got = allocAll(pool);

    expect(sorted(got)).toEqual(range(slots));
    expect([pool.freeCount(), pool.allocFailures()]).toEqual([0, 1]);
  });

  it('counts allocation failures and tracks the free count', () => {
    const pool = DescriptorPool.create(2);
    const counts: [number, number][] = [];

    for (let n = 0; n < 4; n++) {
      pool.alloc();
      counts.push([pool.freeCount(), pool.allocFailures()]);
    }

    expect(counts).toEqual([
      [1, 0],
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
  });

  it('marks a new slot PREPARED with GEN 1 and every other header word cleared', () => {
    const pool = DescriptorPool.create(2);

    const i = pool.alloc();

    expect(headerWords(pool, i)).toEqual(freshHeader(1));
  });

  it('reuses a freed slot with GEN bumped and its old header zeroed', () => {
    const pool = DescriptorPool.create(1);
    const i = pool.alloc();
    const base = pool.base(i);
    for (let k = 0; k < DESC.WORDS; k++) {
      if (k !== DESC.STATE && k !== DESC.GEN) pool.words[base + k] = 1000 + k;
    }

    const freed = pool.free(i);
    const again = pool.alloc();

    expect([freed, again]).toEqual([true, i]);
    expect(headerWords(pool, again)).toEqual(freshHeader(2));
    expect(pool.freeCount()).toBe(0);
  });

  it('bumps GEN on every reuse of the same slot', () => {
    const pool = DescriptorPool.create(1);
    const gens: number[] = [];

    for (let n = 0; n < 5; n++) {
      const i = pool.alloc();
      gens.push(pool.words[pool.base(i) + DESC.GEN]!);
      pool.free(i);
    }

    expect(gens).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps GEN non-negative when it passes INT32 max', () => {
    const pool = DescriptorPool.create(1);
    pool.words[pool.base(0) + DESC.GEN] = 0x7fffffff;

    const i = pool.alloc();

    expect(pool.words[pool.base(i) + DESC.GEN]).toBe(0);
  });

  it('sets STATE FREE on free and counts the slot free again', () => {
    const pool = DescriptorPool.create(3);
    const a = pool.alloc();
    pool.alloc();

    const freed = pool.free(a);

    expect([freed, pool.words[pool.base(a) + DESC.STATE], pool.freeCount()]).toEqual([
      true,
      DescState.FREE,
      2,
    ]);
  });

  it('refuses to free a free slot without handing it out twice', () => {
    const pool = DescriptorPool.create(3);
    const a = pool.alloc();
    pool.free(a);

    const again = pool.free(a);

    expect(again).toBe(false);
    expect(pool.freeCount()).toBe(3);
    expect(sorted(allocAll(pool))).toEqual([0, 1, 2]);
  });

  it('refuses to free a slot that was never allocated', () => {
    const pool = DescriptorPool.create(3);
    const a = pool.alloc();
    const never = [0, 1, 2].find((i) => i !== a)!;

    const results = [pool.free(never), pool.free(a)];

    expect(results).toEqual([false, true]);
    expect(sorted(allocAll(pool))).toEqual([0, 1, 2]);
  });

  it('hands out every slot exactly once after an arbitrary free order', () => {
    const pool = DescriptorPool.create(6);
    allocAll(pool);
    for (const i of [3, 0, 5, 1]) pool.free(i);

    const again = allocAll(pool);

    expect(sorted(again)).toEqual([0, 1, 3, 5]);
    expect([pool.freeCount(), pool.allocFailures()]).toEqual([0, 2]);
  });

  it('returns -1 from a pool of 0 slots', () => {
    const pool = DescriptorPool.create(0);

    const i = pool.alloc();

    expect([i, pool.slots, pool.freeCount(), pool.allocFailures()]).toEqual([-1, 0, 0, 1]);
  });

  it('leaves the pool lock free after alloc, free and flush', () => {
    const pool = DescriptorPool.create(1);

    pool.free(pool.alloc());
    pool.alloc();
    pool.alloc();
    pool.flush();

    expect(pool.words[POOL.LOCK]).toBe(0);
  });
});

describe('DescriptorPool magazines (one view per thread)', () => {
  it('lets another view allocate only what the shared list holds until flush()', () => {
    const pool = DescriptorPool.create(2);
    const other = new DescriptorPool(pool.words.buffer as SharedArrayBuffer);
    const i = pool.alloc();

    const before = [other.freeCount(), other.alloc()];
    pool.flush();
    const after = [other.freeCount(), other.alloc()];

    expect(before).toEqual([0, -1]);
    expect(after).toEqual([1, 1 - i]);
    expect([pool.freeCount(), other.freeCount(), pool.allocFailures()]).toEqual([0, 0, 1]);
  });

  it('returns a batch to the shared list once its magazine holds 2 * MAGAZINE_BATCH', () => {
    const slots = 2 * MAGAZINE_BATCH + 8;
    const pool = DescriptorPool.create(slots);
    const other = new DescriptorPool(pool.words.buffer as SharedArrayBuffer);
    const mine = allocAll(pool);
    for (const i of mine) pool.free(i);

    const shared = Atomics.load(pool.words, POOL.FREE_COUNT);
    const theirs = allocAll(other);
    const mineAgain = allocAll(pool);

    expect([pool.freeCount(), shared]).toEqual([0, MAGAZINE_BATCH]);
    expect(theirs).toHaveLength(MAGAZINE_BATCH);
    expect(mineAgain).toHaveLength(slots - MAGAZINE_BATCH);
    expect(sorted([...theirs, ...mineAgain])).toEqual(range(slots));
  });

  it('keeps a slot freed by another view from being handed out twice', () => {
    const pool = DescriptorPool.create(4);
    const other = new DescriptorPool(pool.words.buffer as SharedArrayBuffer);
    const got = allocAll(pool);

    const freedByOther = other.free(got[0]!);
    const freedAgain = pool.free(got[0]!);
    other.flush();
    pool.flush();

    expect([freedByOther, freedAgain]).toEqual([true, false]);
    expect([allocAll(pool), allocAll(other)]).toEqual([[got[0]], []]);
  });

  it('moves slots in batches of the size it was given', () => {
    const pool = DescriptorPool.create(10);
    const view = new DescriptorPool(pool.words.buffer as SharedArrayBuffer, 2);

    const first = view.alloc();
    const sharedAfterAlloc = Atomics.load(pool.words, POOL.FREE_COUNT);
    const got = [first, ...allocAll(view)];
    for (const i of got) view.free(i);

    // Frees leave 1, 2, 3, 4 -> 2, 3, 4 -> 2, ...: ten frees keep two in the magazine.
    expect([sharedAfterAlloc, Atomics.load(pool.words, POOL.FREE_COUNT)]).toEqual([8, 8]);
    expect(view.freeCount()).toBe(10);
    expect(sorted(got)).toEqual(range(10));
  });

  it('works straight on the shared list with batch 0', () => {
    const pool = DescriptorPool.create(3);
    const a = new DescriptorPool(pool.words.buffer as SharedArrayBuffer, 0);
    const b = new DescriptorPool(pool.words.buffer as SharedArrayBuffer, 0);

    const i = a.alloc();
    const counts = [a.freeCount(), b.freeCount()];
    a.free(i);
    const theirs = allocAll(b);

    expect(counts).toEqual([2, 2]);
    expect(sorted(theirs)).toEqual([0, 1, 2]);
    expect([a.freeCount(), b.freeCount(), a.alloc()]).toEqual([0, 0, -1]);
  });
});

describe('magazineBatch', () => {
  it.each([
    { slots: 4096, threads: 4, batch: MAGAZINE_BATCH },
    { slots: 64, threads: 2, batch: 8 },
    { slots: 100, threads: 1, batch: MAGAZINE_BATCH },
    { slots: 7, threads: 1, batch: 1 },
    { slots: 3, threads: 1, batch: 0 },
    { slots: 100, threads: 0, batch: MAGAZINE_BATCH },
    { slots: 0, threads: 4, batch: 0 },
  ])('gives $batch for $slots slots and $threads threads', ({ slots, threads, batch }) => {
    expect(magazineBatch(slots, threads)).toBe(batch);
  });

  it.each([
    [8, 1],
    [64, 2],
    [100, 3],
    [4096, 8],
    [33, 2],
  ])('keeps at most half of %i slots in the magazines of %i threads', (slots, threads) => {
    const batch = magazineBatch(slots, threads);
    const pool = DescriptorPool.create(slots);
    const views = Array.from(
      { length: threads },
      () => new DescriptorPool(pool.words.buffer as SharedArrayBuffer, batch),
    );
    const owned = views.map(() => [] as number[]);

    // Every thread allocates its share (a late one may fail while earlier magazines hold
    // slots) and frees it again: what stays in magazines is lost to the other threads.
    for (let t = 0; t < threads; t++) {
      for (let k = 0; k < Math.floor(slots / threads); k++) {
        const i = views[t]!.alloc();
        if (i >= 0) owned[t]!.push(i);
      }
    }
    views.forEach((v, t) => owned[t]!.forEach((i) => v.free(i)));

    expect(Atomics.load(pool.words, POOL.FREE_COUNT)).toBeGreaterThanOrEqual(slots / 2);
  });
});
