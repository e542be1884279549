import { describe, it, expect } from 'vitest';
import { thrown } from '../support/thrown.js';
import { Arena, ARENA_HEADER, ARENA_RESERVED } from '../../src/shm/arena.js';
import { DmasimError } from '../../src/errors.js';

/** Runs `fn` and returns what it threw. */
describe('Arena', () => {
  it('creates an arena of the given size with only the reserved page used', () => {
    const arena = Arena.create(8192);

    expect([arena.size, arena.bytes.length, arena.used()]).toEqual([8192, 8192, ARENA_RESERVED]);
  });

  it('hands out the first buffer at the end of the reserved page', () => {
    const arena = Arena.create(8192);

    expect(arena.alloc(16)).toBe(ARENA_RESERVED);
  });

  it.each([1, 2, 8, 64, 256, 4096])('aligns addresses to %i bytes', (align) => {
    const arena = Arena.create(64 * 1024);
    arena.alloc(3, 1);

    const addrs = [arena.alloc(5, align), arena.alloc(17, align), arena.alloc(1, align)];

    for (const a of addrs) {
      expect(a % align).toBe(0);
      expect(a).toBeGreaterThanOrEqual(ARENA_RESERVED);
    }
  });

  it('aligns to 8 bytes by default', () => {
    const arena = Arena.create(8192);

    const addrs = [arena.alloc(3), arena.alloc(3), arena.alloc(9), arena.alloc(1)];

    expect(addrs).toEqual([4096, 4104, 4112, 4128]);
  });

  it('hands out non-overlapping buffers', () => {
    const arena = Arena.create(64 * 1024);
    const sizes = [1, 7, 64, 3, 1000, 2, 129];
    const aligns = [1, 8, 64, 2, 16, 4, 128];

    const bufs = sizes.map((len, i) => ({ addr: arena.alloc(len, aligns[i]), len }));

    const sorted = [...bufs].sort((a, b) => a.addr - b.addr);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.addr).toBeGreaterThanOrEqual(sorted[i - 1]!.addr + sorted[i - 1]!.len);
    }
    const last = sorted[sorted.length - 1]!;
    expect(arena.used()).toBe(last.addr + last.len);
  });

  it('fills the arena exactly, then returns 0 (NULL)', () => {
    const arena = Arena.create(ARENA_RESERVED + 64);

    const fit = arena.alloc(64, 1);
    const none = arena.alloc(1, 1);

    expect([fit, none, arena.used()]).toEqual([ARENA_RESERVED, 0, ARENA_RESERVED + 64]);
  });

  it('returns 0 without moving the break when a buffer does not fit', () => {
    const arena = Arena.create(ARENA_RESERVED + 100);
    arena.alloc(10);

    const big = arena.alloc(100);
    const small = arena.alloc(8);

    expect([big, small]).toEqual([0, ARENA_RESERVED + 16]);
  });

  it('returns 0 when only the alignment padding does not fit', () => {
    const arena = Arena.create(ARENA_RESERVED + 64);
    arena.alloc(1, 1);

    expect(arena.alloc(63, 64)).toBe(0);
    expect(arena.alloc(63, 1)).toBe(ARENA_RESERVED + 1);
  });

  it('shares the break between two views of the same buffers', () => {
    const arena = Arena.create(8192);
    const other = new Arena(arena.buffer, arena.headerBuffer);

    const a = arena.alloc(8);
    const b = other.alloc(8);

    expect([a, b, arena.used(), other.used()]).toEqual([4096, 4104, 4112, 4112]);
  });

  it.each([
    ['the reserved size', ARENA_RESERVED],
    ['zero', 0],
    ['a negative size', -1],
    ['a fraction', 8192.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['2 GiB', 0x80000000],
  ])('refuses %s with DMASIM_BAD_OPTION', (_label, size) => {
    const err = thrown(() => Arena.create(size));

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  });

  it('accepts the smallest size above the reserved page', () => {
    const arena = Arena.create(ARENA_RESERVED + 1);

    expect([arena.alloc(1, 1), arena.alloc(1, 1)]).toEqual([ARENA_RESERVED, 0]);
  });
});

describe('Arena near the 2 GiB limit', () => {
  /**
   * An arena whose header says LIMIT = 2 GiB - 1 with the break just below it. alloc() only
   * reads the header, so a small data buffer stands in for the 2 GiB one (a real
   * Arena.create(0x7fffffff) behaves the same).
   */
  function nearlyFullArena(brk: number): Arena {
    const arena = Arena.create(ARENA_RESERVED + 64);
    const header = new Int32Array(arena.headerBuffer);
    header[ARENA_HEADER.BRK] = brk;
    header[ARENA_HEADER.LIMIT] = 0x7fffffff;
    return arena;
  }

  it('fits a buffer that ends exactly at the limit', () => {
    const arena = nearlyFullArena(0x7ffffff0);

    expect([arena.alloc(15, 1), arena.alloc(1, 1)]).toEqual([0x7ffffff0, 0]);
  });

  // Rounding a break just below 2^31 up must not wrap to a negative int32 (it once did:
  // alloc returned a negative "address" instead of NULL).
  it('returns 0 when aligning the break would pass 2 GiB', () => {
    const arena = nearlyFullArena(0x7ffffff9);

    const addr = arena.alloc(8, 8);

    expect([addr, arena.used()]).toEqual([0, 0x7ffffff9]);
  });
});
