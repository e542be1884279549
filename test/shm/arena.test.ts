import { describe, it, expect } from 'vitest';
import { thrown } from '../support/thrown.js';
import {
  Arena,
  ARENA_HEADER,
  ARENA_HEADER_ADDR,
  ARENA_MAX_BYTES,
  ARENA_PAGE,
  ARENA_RESERVED,
} from '../../src/shm/arena.js';
import { Shadow } from '../../src/shm/shadow.js';
import { WasmMemory } from '../../src/shm/wasm-memory.js';
import { DmasimError } from '../../src/errors.js';

/** Runs `fn` and returns what it threw. */
describe('Arena', () => {
  it('creates an arena of whole 64 KiB pages with only the reserved page used', () => {
    const arena = Arena.create(8192);

    expect([arena.size, arena.bytes.length, arena.used()]).toEqual([
      ARENA_PAGE,
      ARENA_PAGE,
      ARENA_RESERVED,
    ]);
  });

  it('is a shared WebAssembly.Memory whose buffer every view shares', () => {
    const arena = Arena.create(3 * ARENA_PAGE + 1);

    expect(arena.memory).toBeInstanceOf(WasmMemory);
    expect(arena.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([arena.memory.buffer === arena.buffer, arena.size]).toEqual([true, 4 * ARENA_PAGE]);
  });

  it('keeps its header in the reserved page and leaves address 0 alone', () => {
    const arena = Arena.create(ARENA_PAGE);
    arena.alloc(16);

    const header = arena.words.subarray(ARENA_HEADER_ADDR / 4, ARENA_HEADER_ADDR / 4 + 2);

    expect([...header]).toEqual([ARENA_RESERVED + 16, ARENA_PAGE]);
    expect(ARENA_HEADER_ADDR + ARENA_HEADER.BYTES).toBeLessThanOrEqual(ARENA_RESERVED);
    expect(arena.bytes.subarray(0, 64).every((b) => b === 0)).toBe(true);
  });

  it('reserves zeroed, KASAN-valid room for declared state before the first buffer', () => {
    const arena = Arena.create(ARENA_PAGE, 128);

    expect(arena.alloc(8)).toBe(ARENA_RESERVED + 128);
    expect([...arena.shadow.subarray(ARENA_RESERVED / 8, ARENA_RESERVED / 8 + 17)]).toEqual([
      ...Array<number>(17).fill(Shadow.FULL),
    ]);
  });

  it('marks a buffer allocated in the shadow, its last granule partly', () => {
    const arena = Arena.create(ARENA_PAGE);

    const addr = arena.alloc(13);

    expect([...arena.shadow.subarray(addr / 8, addr / 8 + 3)]).toEqual([8, 5, Shadow.UNALLOCATED]);
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
    const arena = Arena.create(ARENA_PAGE);

    const fit = arena.alloc(ARENA_PAGE - ARENA_RESERVED, 1);
    const none = arena.alloc(1, 1);

    expect([fit, none, arena.used()]).toEqual([ARENA_RESERVED, 0, ARENA_PAGE]);
  });

  it('returns 0 without moving the break when a buffer does not fit', () => {
    const arena = Arena.create(ARENA_PAGE);
    arena.alloc(10);

    const big = arena.alloc(ARENA_PAGE);
    const small = arena.alloc(8);

    expect([big, small]).toEqual([0, ARENA_RESERVED + 16]);
  });

  it('returns 0 when only the alignment padding does not fit', () => {
    const arena = Arena.create(ARENA_PAGE);
    arena.alloc(ARENA_PAGE - ARENA_RESERVED - 64 + 1, 1);

    expect(arena.alloc(63, 64)).toBe(0);
    expect(arena.alloc(63, 1)).toBe(ARENA_PAGE - 63);
  });

  it('shares the break between two views of the same buffers', () => {
    const arena = Arena.create(8192);
    const other = new Arena(arena.memory, arena.shadowBuffer);

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
    ['one byte more than 32767 pages', ARENA_MAX_BYTES + 1],
  ])('refuses %s with DMASIM_BAD_OPTION', (_label, size) => {
    const err = thrown(() => Arena.create(size));

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  });

  it('accepts the smallest size above the reserved page, as one page', () => {
    const arena = Arena.create(ARENA_RESERVED + 1);

    expect([arena.size, arena.alloc(1, 1)]).toEqual([ARENA_PAGE, ARENA_RESERVED]);
  });
});

describe('Arena near the 2 GiB limit', () => {
  /**
   * An arena whose header says LIMIT = 2 GiB - 1 with the break just below it. alloc() only
   * reads the header, so a small data buffer stands in for the 2 GiB one.
   */
  function nearlyFullArena(brk: number): Arena {
    const arena = Arena.create(ARENA_PAGE);
    const header = arena.words.subarray(ARENA_HEADER_ADDR / 4);
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
