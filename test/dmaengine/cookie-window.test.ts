import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cookieWindowCheck } from '../../src/dmaengine/cookie-window.js';
import type { DmaChan } from '../../src/dmaengine/chan.js';
import { emitReport } from '../../src/kernel/report/report.js';
import { CHAN } from '../../src/shm/channel-struct.js';
import { DESC, DescriptorPool } from '../../src/shm/descriptor-pool.js';

vi.mock('../../src/kernel/report/report.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/kernel/report/report.js')>()),
  emitReport: vi.fn(),
  // The kernel-style header names the current actor: there is none in this thread.
  warningBlock: (_at: unknown, message: string) => [message],
}));

const INT32_MAX = 0x7fffffff;

/** A channel whose cookie window is (completed, used], and a descriptor holding `cookie`. */
function setup(completed: number, used: number, cookie: number) {
  const pool = DescriptorPool.create(2);
  const w = new Int32Array(new SharedArrayBuffer(2 * CHAN.BYTES));
  const base = CHAN.WORDS;
  w[base + CHAN.COMPLETED_COOKIE] = completed;
  w[base + CHAN.COOKIE] = used;
  const db = pool.base(pool.alloc());
  pool.words[db + DESC.COOKIE] = cookie;
  const chan = { machine: { pool }, w, base, name: 'dma0chan1', index: 1 } as unknown as DmaChan;
  return { chan, db };
}

beforeEach(() => {
  vi.mocked(emitReport).mockClear();
});

describe('cookieWindowCheck', () => {
  it.each([
    ['the oldest outstanding cookie', 1, 4, 2],
    ['the newest outstanding cookie', 1, 4, 4],
    ['a cookie past INT32 max, in a window that wrapped', INT32_MAX - 1, 3, INT32_MAX],
    ['a cookie after the wrap', INT32_MAX - 1, 3, 2],
    ['a descriptor without a cookie', 1, 4, 0],
    ['a descriptor whose submit failed', 1, 4, -22],
  ])('says nothing for %s', (_what, completed, used, cookie) => {
    const { chan, db } = setup(completed, used, cookie);

    cookieWindowCheck(chan, db);

    expect(emitReport).not.toHaveBeenCalled();
  });

  it.each([
    ['already completed', 5, 6, 2],
    ['the completed cookie itself', 5, 6, 5],
    ['never assigned', 1, 4, 5],
    ['outside a window that wrapped', INT32_MAX - 1, 3, 4],
  ])('reports a cookie %s as cookie-window', (_what, completed, used, cookie) => {
    const { chan, db } = setup(completed, used, cookie);

    cookieWindowCheck(chan, db);

    expect(emitReport).toHaveBeenCalledTimes(1);
    expect(vi.mocked(emitReport).mock.calls[0]![2]).toMatchObject({
      kind: 'cookie-window',
      where: 'dma_cookie_complete',
      fields: { chan: 1, cookie, completed, used },
    });
  });
});
