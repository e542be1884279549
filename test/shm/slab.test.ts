import { describe, it, expect } from 'vitest';
import { Arena, ARENA_PAGE, ARENA_RESERVED } from '../../src/shm/arena.js';
import { KMALLOC_MAX_SIZE, OBJ, SLAB_CLASSES, Slab, ZERO_SIZE_PTR } from '../../src/shm/slab.js';
import { Shadow } from '../../src/shm/shadow.js';

const ALICE = { actor: 0, context: 0, time: 1.5 };
const BOB = { actor: 1, context: 1, time: 2.25 };

function slab(pages = 4, quarantine = 1 << 20): Slab {
  const s = new Slab(Arena.create(pages * ARENA_PAGE));
  s.setQuarantineLimit(quarantine);
  return s;
}

describe('Slab', () => {
  it('hands out 64-byte aligned objects whose bytes only are valid', () => {
    const s = slab();

    const a = s.alloc(13, false, ALICE);
    const b = s.alloc(64, false, ALICE);

    expect([a % 64, b % 64]).toEqual([0, 0]);
    expect([s.check(a, 13, true), s.check(b, 64, false)]).toEqual([null, null]);
    const sh = s.arena.shadow;
    expect([sh[a / 8 - 1], sh[a / 8], sh[a / 8 + 1], sh[a / 8 + 2]]).toEqual([
      Shadow.META,
      8,
      5,
      Shadow.REDZONE,
    ]);
  });

  it('zeroes a kzalloc object, also one recycled from a free list', () => {
    const s = slab(4, 0);
    const a = s.alloc(32, false, ALICE);
    s.arena.bytes.fill(0xaa, a, a + 32);
    s.free(a, ALICE);

    const b = s.alloc(32, true, ALICE);

    expect(b).toBe(a);
    expect(s.arena.bytes.subarray(b, b + 32).every((x) => x === 0)).toBe(true);
  });

  it('reports an access after kfree as use-after-free, with who allocated and freed it', () => {
    const s = slab();
    const a = s.alloc(40, false, ALICE);
    s.alloc(40, false, ALICE);
    expect(s.free(a, BOB)).toBeNull();

    const report = s.check(a + 8, 4, false);

    expect(report).toEqual({
      kind: 'use-after-free',
      addr: a + 8,
      access: { addr: a + 8, size: 4, write: false },
      object: {
        addr: a,
        size: 40,
        cache: SLAB_CLASSES[0],
        state: 'quarantined',
        alloc: { actor: 0, context: 0, time: 1.5, seq: 0 },
        free: { actor: 1, context: 1, time: 2.25, seq: 2 },
      },
    });
  });

  it('reports an access past the end as slab-out-of-bounds, at the first bad byte', () => {
    const s = slab();
    const a = s.alloc(13, false, ALICE);

    const report = s.check(a + 8, 8, true);

    expect([report?.kind, report?.addr, report?.object?.addr]).toEqual([
      'slab-out-of-bounds',
      a + 13,
      a,
    ]);
  });

  it('reports an access to a header as out of bounds of its object', () => {
    const s = slab();
    const a = s.alloc(16, false, ALICE);

    const report = s.check(a - 4, 4, false);

    expect([report?.kind, report?.object?.addr]).toEqual(['slab-out-of-bounds', a]);
  });

  it.each([
    ['the NULL page', 8, 'null-ptr-deref'],
    ['memory never allocated', 3 * ARENA_PAGE, 'never-allocated'],
    ['past the arena', 4 * ARENA_PAGE - 2, 'out-of-arena'],
  ] as const)('reports an access to %s', (_label, addr, kind) => {
    const s = slab();

    expect(s.check(addr, 4, false)?.kind).toBe(kind);
  });

  it('tells a bump-allocated buffer overrun from a slab one', () => {
    const s = slab();
    const buf = s.arena.alloc(12, 8);

    expect([s.check(buf, 12, false), s.check(buf + 12, 1, false)?.kind]).toEqual([
      null,
      'out-of-bounds',
    ]);
  });

  it('detects a double free and leaves the object as it was', () => {
    const s = slab();
    const a = s.alloc(24, false, ALICE);
    s.free(a, BOB);

    const fault = s.free(a, ALICE);

    expect([fault?.kind, fault?.addr, fault?.object?.free?.actor]).toEqual([
      'double-free',
      a,
      BOB.actor,
    ]);
    expect(s.stats()).toMatchObject({ allocs: 1, frees: 1, faults: 1 });
  });

  it.each([
    ['an address inside an object', (a: number) => a + 8],
    ['a bump-allocated buffer', (_a: number, s: Slab) => s.arena.alloc(128, 64)],
    ['an address in no allocation', () => 2 * ARENA_PAGE],
  ])('detects an invalid free of %s', (_label, target) => {
    const s = slab();
    const a = s.alloc(24, false, ALICE);

    const fault = s.free(target(a, s), ALICE);

    expect([fault?.kind, fault?.object]).toEqual(['invalid-free', null]);
  });

  it('makes kfree(NULL) and kfree(ZERO_SIZE_PTR) no-ops', () => {
    const s = slab();

    expect([s.alloc(0, false, ALICE), s.free(0, ALICE), s.free(ZERO_SIZE_PTR, ALICE)]).toEqual([
      ZERO_SIZE_PTR,
      null,
      null,
    ]);
    expect(s.check(ZERO_SIZE_PTR, 1, false)?.kind).toBe('null-ptr-deref');
  });

  it('bounds the quarantine in bytes and recycles its oldest object first', () => {
    const chunk = SLAB_CLASSES[0]!;
    const s = slab(4, 3 * chunk);
    const objs = Array.from({ length: 5 }, () => s.alloc(8, false, ALICE));

    for (const o of objs) s.free(o, BOB);

    expect(s.stats().quarantineBytes).toBe(3 * chunk);
    // The two oldest left the quarantine (FIFO): they are reused first, the rest still poisoned.
    expect([s.alloc(8, false, ALICE), s.alloc(8, false, ALICE)].sort()).toEqual(
      [objs[0], objs[1]].sort(),
    );
    expect(s.check(objs[4]!, 1, false)?.kind).toBe('use-after-free');
  });

  it('returns 0 (NULL) without throwing when the arena is exhausted or the size too large', () => {
    const s = slab(1);
    const got: number[] = [];
    for (let a = s.alloc(4000, false, ALICE); a !== 0; a = s.alloc(4000, false, ALICE)) got.push(a);

    // 4000 bytes + header + redzone: the 4096-byte class.
    expect(got.length).toBe((ARENA_PAGE - ARENA_RESERVED) / 4096);
    expect([s.alloc(KMALLOC_MAX_SIZE + 1, false, ALICE), s.alloc(-1, false, ALICE)]).toEqual([
      0, 0,
    ]);
    expect(s.stats().failed).toBe(3);
  });

  it('keeps every header in the left redzone', () => {
    const s = slab();

    const a = s.alloc(100, false, ALICE);

    expect(s.arena.words[(a - OBJ.BYTES) / 4 + OBJ.SIZE]).toBe(100);
  });
});
