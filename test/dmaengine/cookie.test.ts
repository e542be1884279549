import { describe, it, expect } from 'vitest';
import {
  dmaAsyncIsComplete,
  dmaCookieAssign,
  dmaCookieComplete,
  dmaCookieInit,
  dmaCookieStatus,
} from '../../src/dmaengine/cookie.js';
import { CHAN } from '../../src/shm/channel-struct.js';
import { DESC, DescriptorPool } from '../../src/shm/descriptor-pool.js';
import { DMA_MIN_COOKIE, DmaStatus, type DmaTxState } from '../../src/dmaengine/types.js';

const INT32_MAX = 0x7fffffff;

/** Two channel structs, the second at word CHAN.WORDS, so that a wrong base shows. */
function setup() {
  const chans = new Int32Array(new SharedArrayBuffer(2 * CHAN.BYTES));
  const pool = DescriptorPool.create(4);
  return { chans, cb: CHAN.WORDS, pool, descs: pool.words };
}

describe('dmaCookieInit', () => {
  it('sets the cookie and the completed cookie to DMA_MIN_COOKIE', () => {
    const { chans, cb } = setup();
    chans[cb + CHAN.COOKIE] = 77;
    chans[cb + CHAN.COMPLETED_COOKIE] = 55;

    dmaCookieInit(chans, cb);

    expect([chans[cb + CHAN.COOKIE], chans[cb + CHAN.COMPLETED_COOKIE]]).toEqual([1, 1]);
    expect(DMA_MIN_COOKIE).toBe(1);
    expect([...chans.subarray(0, CHAN.WORDS)].every((w) => w === 0)).toBe(true);
  });
});

describe('dmaCookieAssign', () => {
  it('hands out consecutive cookies into the channel and the descriptor', () => {
    const { chans, cb, pool, descs } = setup();
    dmaCookieInit(chans, cb);
    const d0 = pool.base(pool.alloc());
    const d1 = pool.base(pool.alloc());

    const c0 = dmaCookieAssign(chans, cb, descs, d0);
    const c1 = dmaCookieAssign(chans, cb, descs, d1);

    expect([c0, c1]).toEqual([2, 3]);
    expect([descs[d0 + DESC.COOKIE], descs[d1 + DESC.COOKIE]]).toEqual([2, 3]);
    expect([chans[cb + CHAN.COOKIE], chans[cb + CHAN.COOKIE_WRAPPED]]).toEqual([3, 0]);
  });

  it('reaches INT32 max without wrapping', () => {
    const { chans, cb, pool, descs } = setup();
    chans[cb + CHAN.COOKIE] = INT32_MAX - 1;
    const d = pool.base(pool.alloc());

    const cookie = dmaCookieAssign(chans, cb, descs, d);

    expect([cookie, chans[cb + CHAN.COOKIE], chans[cb + CHAN.COOKIE_WRAPPED]]).toEqual([
      INT32_MAX,
      INT32_MAX,
      0,
    ]);
  });

  it('wraps past INT32 max back to DMA_MIN_COOKIE and marks the channel wrapped', () => {
    const { chans, cb, pool, descs } = setup();
    chans[cb + CHAN.COOKIE] = INT32_MAX;
    const d = pool.base(pool.alloc());

    const cookie = dmaCookieAssign(chans, cb, descs, d);
    const next = dmaCookieAssign(chans, cb, descs, d);

    expect([cookie, next]).toEqual([DMA_MIN_COOKIE, DMA_MIN_COOKIE + 1]);
    expect([chans[cb + CHAN.COOKIE], chans[cb + CHAN.COOKIE_WRAPPED]]).toEqual([2, 1]);
    expect(descs[d + DESC.COOKIE]).toBe(2);
  });
});

describe('dmaCookieComplete', () => {
  it('records the cookie as completed and zeroes it in the descriptor', () => {
    const { chans, cb, pool, descs } = setup();
    dmaCookieInit(chans, cb);
    const d = pool.base(pool.alloc());
    dmaCookieAssign(chans, cb, descs, d);

    const ok = dmaCookieComplete(chans, cb, descs, d);

    expect([ok, chans[cb + CHAN.COMPLETED_COOKIE], descs[d + DESC.COOKIE]]).toEqual([true, 2, 0]);
  });

  it.each([0, -1, -0x80000000])(
    'refuses a descriptor with cookie %i and leaves the channel alone',
    (cookie) => {
      const { chans, cb, pool, descs } = setup();
      dmaCookieInit(chans, cb);
      chans[cb + CHAN.COMPLETED_COOKIE] = 9;
      const d = pool.base(pool.alloc());
      descs[d + DESC.COOKIE] = cookie;

      const ok = dmaCookieComplete(chans, cb, descs, d);

      expect([ok, chans[cb + CHAN.COMPLETED_COOKIE], descs[d + DESC.COOKIE]]).toEqual([
        false,
        9,
        cookie,
      ]);
    },
  );

  it('refuses a second completion of the same descriptor', () => {
    const { chans, cb, pool, descs } = setup();
    dmaCookieInit(chans, cb);
    const d = pool.base(pool.alloc());
    dmaCookieAssign(chans, cb, descs, d);

    const results = [
      dmaCookieComplete(chans, cb, descs, d),
      dmaCookieComplete(chans, cb, descs, d),
    ];

    expect(results).toEqual([true, false]);
    expect(chans[cb + CHAN.COMPLETED_COOKIE]).toBe(2);
  });
});

describe('dmaAsyncIsComplete', () => {
  const { DMA_COMPLETE: DONE, DMA_IN_PROGRESS: BUSY } = DmaStatus;

  it.each([
    // Not wrapped: complete iff cookie <= last_complete or cookie > last_used.
    { cookie: 5, complete: 10, used: 20, status: DONE },
    { cookie: 10, complete: 10, used: 20, status: DONE },
    { cookie: 11, complete: 10, used: 20, status: BUSY },
    { cookie: 20, complete: 10, used: 20, status: BUSY },
    { cookie: 21, complete: 10, used: 20, status: DONE },
    { cookie: 7, complete: 7, used: 7, status: DONE },
    { cookie: 8, complete: 7, used: 7, status: DONE },
    // Wrapped (last_complete > last_used): complete iff last_used < cookie <= last_complete.
    { cookie: INT32_MAX - 5, complete: INT32_MAX - 2, used: 3, status: DONE },
    { cookie: INT32_MAX - 2, complete: INT32_MAX - 2, used: 3, status: DONE },
    { cookie: INT32_MAX - 1, complete: INT32_MAX - 2, used: 3, status: BUSY },
    { cookie: INT32_MAX, complete: INT32_MAX - 2, used: 3, status: BUSY },
    { cookie: 1, complete: INT32_MAX - 2, used: 3, status: BUSY },
    { cookie: 3, complete: INT32_MAX - 2, used: 3, status: BUSY },
    { cookie: 4, complete: INT32_MAX - 2, used: 3, status: DONE },
  ])(
    'cookie $cookie with last_complete $complete, last_used $used is $status',
    ({ cookie, complete, used, status }) => {
      expect(dmaAsyncIsComplete(cookie, complete, used)).toBe(status);
    },
  );
});

describe('dmaCookieStatus', () => {
  it('reports in progress with the channel snapshot and zero residue', () => {
    const { chans, cb, pool, descs } = setup();
    dmaCookieInit(chans, cb);
    const d0 = pool.base(pool.alloc());
    const d1 = pool.base(pool.alloc());
    dmaCookieAssign(chans, cb, descs, d0);
    const cookie = dmaCookieAssign(chans, cb, descs, d1);
    dmaCookieComplete(chans, cb, descs, d0);
    const state: DmaTxState = { last: -5, used: -5, residue: 123, inFlightBytes: 456 };

    const status = dmaCookieStatus(chans, cb, cookie, state);

    expect(status).toBe(DmaStatus.DMA_IN_PROGRESS);
    expect(state).toEqual({ last: 2, used: 3, residue: 0, inFlightBytes: 0 });
  });

  it('reports complete once the cookie is completed', () => {
    const { chans, cb, pool, descs } = setup();
    dmaCookieInit(chans, cb);
    const d = pool.base(pool.alloc());
    const cookie = dmaCookieAssign(chans, cb, descs, d);
    dmaCookieComplete(chans, cb, descs, d);
    const state: DmaTxState = { last: 0, used: 0, residue: 9, inFlightBytes: 9 };

    const status = dmaCookieStatus(chans, cb, cookie, state);

    expect([status, state]).toEqual([
      DmaStatus.DMA_COMPLETE,
      { last: 2, used: 2, residue: 0, inFlightBytes: 0 },
    ]);
  });

  it('accepts a null state', () => {
    const { chans, cb } = setup();
    dmaCookieInit(chans, cb);

    expect(dmaCookieStatus(chans, cb, 1, null)).toBe(DmaStatus.DMA_COMPLETE);
  });
});
