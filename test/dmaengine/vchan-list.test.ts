import { describe, it, expect } from 'vitest';
import {
  descBase,
  initLists,
  LIST_HEAD,
  listAddTail,
  listDel,
  listFirst,
  listSpliceTailInit,
  listTakeAll,
} from '../../src/dmaengine/vchan-list.js';
import { CHAN, VCHAN_LISTS } from '../../src/shm/channel-struct.js';
import { DESC, DescState, DescriptorPool } from '../../src/shm/descriptor-pool.js';

/** A channel struct at a non-zero base (so that a dropped base shows) and a pool of 8. */
function setup() {
  const c = new Int32Array(new SharedArrayBuffer(2 * CHAN.BYTES));
  const cb = CHAN.WORDS;
  initLists(c, cb);
  const pool = DescriptorPool.create(8);
  for (let i = 0; i < 8; i++) pool.alloc();
  return { c, cb, pool, d: pool.words };
}

type Ctx = ReturnType<typeof setup>;

/**
 * A list walked both ways; throws on a broken link. Returns the forward order after
 * checking that head.PREV and tail.NEXT are -1 and that the backward walk mirrors it.
 */
function walk({ c, cb, d }: Ctx, head: number): number[] {
  const fwd: number[] = [];
  let prev = -1;
  for (let i = c[cb + head]!; i >= 0; i = d[descBase(i) + DESC.NEXT]!) {
    if (fwd.length > 8) throw new Error('cycle in forward walk');
    expect(d[descBase(i) + DESC.PREV], `PREV of ${i}`).toBe(prev);
    fwd.push(i);
    prev = i;
  }
  expect(c[cb + head + 1], 'TAIL').toBe(prev);
  const back: number[] = [];
  for (let i = c[cb + head + 1]!; i >= 0; i = d[descBase(i) + DESC.PREV]!) {
    if (back.length > 8) throw new Error('cycle in backward walk');
    back.push(i);
  }
  expect(back.reverse()).toEqual(fwd);
  return fwd;
}

function add(ctx: Ctx, head: number, ...idx: number[]): void {
  for (const i of idx) listAddTail(ctx.c, ctx.cb, head, ctx.d, i);
}

const { ALLOCATED, SUBMITTED, ISSUED, COMPLETED, TERMINATED } = LIST_HEAD;

describe('vchan lists', () => {
  it('keep each TAIL word right after its HEAD word in the channel struct', () => {
    expect(VCHAN_LISTS.map((l) => [LIST_HEAD[l], CHAN[`${l}_TAIL`] - CHAN[`${l}_HEAD`]])).toEqual(
      VCHAN_LISTS.map((l) => [CHAN[`${l}_HEAD`], 1]),
    );
  });

  it('start empty after initLists', () => {
    const ctx = setup();

    for (const head of Object.values(LIST_HEAD)) {
      expect([ctx.c[ctx.cb + head], ctx.c[ctx.cb + head + 1]]).toEqual([-1, -1]);
    }
    expect([...ctx.c.subarray(0, CHAN.WORDS)].every((w) => w === 0)).toBe(true);
  });

  it('descBase matches the pool slot layout', () => {
    const { pool } = setup();

    expect([0, 1, 7].map(descBase)).toEqual([0, 1, 7].map((i) => pool.base(i)));
  });
});

describe('listAddTail', () => {
  it('appends in order and links both ways', () => {
    const ctx = setup();

    add(ctx, SUBMITTED, 3, 0, 5);

    expect(walk(ctx, SUBMITTED)).toEqual([3, 0, 5]);
    expect(listFirst(ctx.c, ctx.cb, SUBMITTED)).toBe(3);
  });

  it('resets stale links of the added descriptor', () => {
    const ctx = setup();
    ctx.d[descBase(4) + DESC.NEXT] = 6;
    ctx.d[descBase(4) + DESC.PREV] = 2;

    add(ctx, ISSUED, 4);

    expect(walk(ctx, ISSUED)).toEqual([4]);
  });

  it('keeps lists of one channel independent', () => {
    const ctx = setup();

    add(ctx, ALLOCATED, 0, 1);
    add(ctx, COMPLETED, 2, 3);
    add(ctx, ALLOCATED, 4);

    expect([walk(ctx, ALLOCATED), walk(ctx, COMPLETED), walk(ctx, TERMINATED)]).toEqual([
      [0, 1, 4],
      [2, 3],
      [],
    ]);
  });
});

describe('listFirst', () => {
  it('returns -1 for an empty list', () => {
    const ctx = setup();

    expect(listFirst(ctx.c, ctx.cb, COMPLETED)).toBe(-1);
  });
});

describe('listDel', () => {
  it.each([
    { label: 'the head', del: 1, left: [2, 3] },
    { label: 'the middle', del: 2, left: [1, 3] },
    { label: 'the tail', del: 3, left: [1, 2] },
  ])('removes $label and relinks the rest', ({ del, left }) => {
    const ctx = setup();
    add(ctx, ISSUED, 1, 2, 3);

    listDel(ctx.c, ctx.cb, ISSUED, ctx.d, del);

    expect(walk(ctx, ISSUED)).toEqual(left);
    expect([ctx.d[descBase(del) + DESC.NEXT], ctx.d[descBase(del) + DESC.PREV]]).toEqual([-1, -1]);
  });

  it('empties a list of one', () => {
    const ctx = setup();
    add(ctx, ISSUED, 6);

    listDel(ctx.c, ctx.cb, ISSUED, ctx.d, 6);

    expect(walk(ctx, ISSUED)).toEqual([]);
    expect([ctx.c[ctx.cb + ISSUED], ctx.c[ctx.cb + ISSUED + 1]]).toEqual([-1, -1]);
  });

  it('leaves a list that can be appended to again', () => {
    const ctx = setup();
    add(ctx, ISSUED, 1, 2, 3);
    listDel(ctx.c, ctx.cb, ISSUED, ctx.d, 3);
    listDel(ctx.c, ctx.cb, ISSUED, ctx.d, 1);

    add(ctx, ISSUED, 3, 1);

    expect(walk(ctx, ISSUED)).toEqual([2, 3, 1]);
  });
});

describe('listSpliceTailInit', () => {
  it('appends a whole list to a non-empty one, sets the state and empties the source', () => {
    const ctx = setup();
    add(ctx, SUBMITTED, 4, 5, 6);
    add(ctx, ISSUED, 0, 1);

    const n = listSpliceTailInit(ctx.c, ctx.cb, SUBMITTED, ISSUED, ctx.d, DescState.ISSUED);

    expect(n).toBe(3);
    expect([walk(ctx, ISSUED), walk(ctx, SUBMITTED)]).toEqual([[0, 1, 4, 5, 6], []]);
    expect([0, 1, 4, 5, 6].map((i) => ctx.d[descBase(i) + DESC.STATE])).toEqual([
      DescState.PREPARED,
      DescState.PREPARED,
      DescState.ISSUED,
      DescState.ISSUED,
      DescState.ISSUED,
    ]);
  });

  it('moves a whole list into an empty one', () => {
    const ctx = setup();
    add(ctx, SUBMITTED, 2, 7);

    const n = listSpliceTailInit(ctx.c, ctx.cb, SUBMITTED, ISSUED, ctx.d, DescState.ISSUED);

    expect(n).toBe(2);
    expect([walk(ctx, ISSUED), walk(ctx, SUBMITTED)]).toEqual([[2, 7], []]);
  });

  it('moves a list of one', () => {
    const ctx = setup();
    add(ctx, ISSUED, 1);
    add(ctx, SUBMITTED, 3);

    const n = listSpliceTailInit(ctx.c, ctx.cb, SUBMITTED, ISSUED, ctx.d, DescState.ISSUED);

    expect([n, walk(ctx, ISSUED), walk(ctx, SUBMITTED)]).toEqual([1, [1, 3], []]);
  });

  it('returns 0 and changes nothing for an empty source', () => {
    const ctx = setup();
    add(ctx, ISSUED, 0, 1);
    const before = [...ctx.d];

    const n = listSpliceTailInit(ctx.c, ctx.cb, SUBMITTED, ISSUED, ctx.d, DescState.ISSUED);

    expect(n).toBe(0);
    expect(walk(ctx, ISSUED)).toEqual([0, 1]);
    expect([...ctx.d]).toEqual(before);
  });
});

describe('listTakeAll', () => {
  it('returns the descriptors in order, unlinks each and empties the list', () => {
    const ctx = setup();
    add(ctx, COMPLETED, 5, 2, 7);
    const out = [9];

    listTakeAll(ctx.c, ctx.cb, COMPLETED, ctx.d, out);

    expect(out).toEqual([9, 5, 2, 7]);
    expect(walk(ctx, COMPLETED)).toEqual([]);
    expect(
      [5, 2, 7].map((i) => [ctx.d[descBase(i) + DESC.NEXT], ctx.d[descBase(i) + DESC.PREV]]),
    ).toEqual([
      [-1, -1],
      [-1, -1],
      [-1, -1],
    ]);
  });

  it('leaves other lists untouched and takes nothing from an empty list', () => {
    const ctx = setup();
    add(ctx, TERMINATED, 1, 2);
    const out: number[] = [];

    listTakeAll(ctx.c, ctx.cb, COMPLETED, ctx.d, out);

    expect([out, walk(ctx, TERMINATED)]).toEqual([[], [1, 2]]);
  });
});
