/**
 * KASAN's shadow memory, as dmasim keeps it: one byte per 8-byte granule of the arena, in a
 * SharedArrayBuffer of its own so that every thread sees the same state. Unlike generic
 * KASAN, 0 means "never allocated" (a fresh buffer is all zero), and a granule an object
 * may use says how many of its bytes are valid:
 *
 *   0            never allocated (or the reserved NULL page)
 *   1..7         allocated, the first k bytes valid (an object that ends mid-granule)
 *   8            allocated, all 8 bytes valid
 *   META (0xfa)  a kmalloc object's header: the left redzone, holding its alloc/free records
 *   FREED (0xfb) a freed kmalloc object (quarantined, then on a free list)
 *   REDZONE (0xfc) the slack after a kmalloc object, up to the next chunk
 */
export const Shadow = {
  UNALLOCATED: 0,
  FULL: 8,
  META: 0xfa,
  FREED: 0xfb,
  REDZONE: 0xfc,
} as const;

/** Bytes one shadow byte describes. */
export const SHADOW_GRANULE = 8;

/** Shadow bytes for an arena of `size` bytes. */
export function shadowBytes(size: number): number {
  return Math.ceil(size / SHADOW_GRANULE);
}

/**
 * Marks `len` bytes at `addr` allocated (kasan_unpoison()). A start that is not on a granule
 * makes its first granule fully valid (the bytes before it belong to whoever precedes it).
 */
export function unpoison(shadow: Uint8Array, addr: number, len: number): void {
  if (len <= 0) return;
  const end = addr + len;
  const first = Math.floor(addr / SHADOW_GRANULE);
  const last = Math.floor((end - 1) / SHADOW_GRANULE);
  shadow.fill(Shadow.FULL, first, last);
  const tail = end % SHADOW_GRANULE || SHADOW_GRANULE;
  const had = shadow[last]!;
  // A neighbour that ends in this granule already made some of its bytes valid.
  shadow[last] = had >= 1 && had <= Shadow.FULL ? Math.max(had, tail) : tail;
}

/** Marks the granules of `[addr, addr + len)` with `code` (kasan_poison()); `addr` is granule-aligned. */
export function poison(shadow: Uint8Array, addr: number, len: number, code: number): void {
  shadow.fill(code, addr / SHADOW_GRANULE, Math.ceil((addr + len) / SHADOW_GRANULE));
}
