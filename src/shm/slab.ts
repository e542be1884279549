import { defineLayout } from './layout.js';
import { ARENA_HEADER, ARENA_HEADER_ADDR, ARENA_RESERVED, type Arena } from './arena.js';
import { Shadow, SHADOW_GRANULE, poison, unpoison } from './shadow.js';
import { Spinlock } from './raw-lock.js';

/**
 * kmalloc's chunks, taken from the arena's bump allocator and never given back to it:
 *
 *   chunk (64-aligned, a size class)
 *   +-----------------+------------------------------+----------------+
 *   | OBJ header (64) | object: size bytes           | tail redzone   |
 *   | shadow META     | shadow 8 / k (valid bytes)   | shadow REDZONE |
 *   +-----------------+------------------------------+----------------+
 *
 * The header is the object's left redzone and keeps its alloc and free records, so a
 * report about a freed object can say who allocated and who freed it. Freed objects go
 * through a FIFO quarantine (bounded in bytes, as KASAN's) before their class's free list,
 * so a use after free stays detectable for a while.
 */
export const OBJ = defineLayout(
  [
    'STATE',
    'CLASS',
    'SIZE',
    'NEXT',
    'MAGIC',
    'ALLOC_ACTOR',
    'ALLOC_CTX',
    'ALLOC_SEQ',
    'FREE_ACTOR',
    'FREE_CTX',
    'FREE_SEQ',
    'SPARE',
  ],
  { ALLOC_TIME: 2, FREE_TIME: 2 },
  16,
);

/** OBJ.STATE values. */
export const ObjState = { ALLOCATED: 1, QUARANTINED: 2, FREE: 3 } as const;

const OBJ_MAGIC = 0x51ab0b1e;

/** kmalloc(0)'s result: not NULL, and any access through it is a NULL-page access. */
export const ZERO_SIZE_PTR = 16;

/** The largest kmalloc() (KMALLOC_MAX_SIZE with 4 KiB pages and MAX_ORDER 10). */
export const KMALLOC_MAX_SIZE = 1 << 22;

/** Chunk sizes: 128, 192, 256, 384, ... (2^k and 3 * 2^(k-1)), up to one that fits the largest object. */
export const SLAB_CLASSES: readonly number[] = (() => {
  const out: number[] = [];
  for (let k = 7; out.length === 0 || out[out.length - 1]! < need(KMALLOC_MAX_SIZE); k++) {
    out.push(1 << k);
    out.push(3 << (k - 1));
  }
  return out;
})();

/** Chunk bytes an object of `size` needs: header, object and at least one redzone granule. */
function need(size: number): number {
  return OBJ.BYTES + Math.ceil(size / SHADOW_GRANULE) * SHADOW_GRANULE + SHADOW_GRANULE;
}

/** The slab's words, after the arena header in the reserved page. */
export const SLAB_HEADER = defineLayout(
  ['LOCK', 'Q_HEAD', 'Q_TAIL', 'Q_BYTES', 'Q_LIMIT', 'SEQ', 'ALLOCS', 'FREES', 'FAILED', 'FAULTS'],
  { FREE_HEAD: SLAB_CLASSES.length },
  16,
);

/** Byte address of the slab header. */
export const SLAB_HEADER_ADDR = ARENA_HEADER_ADDR + ARENA_HEADER.BYTES;

/** Who allocated or freed an object: the actor, its context (CpuContext, 3 engine, -1 host) and when. */
export interface SlabWho {
  actor: number;
  context: number;
  /** Run-clock time, ms. */
  time: number;
}

/** One alloc or free record of an object. */
export interface SlabRecord extends SlabWho {
  /** Order among every kmalloc and kfree of the run. */
  seq: number;
}

/** A kmalloc object as its header describes it. */
export interface SlabObject {
  addr: number;
  size: number;
  /** Its chunk's size class (the `kmalloc-N` cache; N counts the header and redzone). */
  cache: number;
  state: 'allocated' | 'quarantined' | 'free';
  alloc: SlabRecord;
  /** null while allocated. */
  free: SlabRecord | null;
}

/** What kfree() found wrong: the kernel's "double-free" and "invalid-free" reports. */
export interface SlabFault {
  kind: 'double-free' | 'invalid-free';
  addr: number;
  /** The object (double free), or null (not the start of a kmalloc object). */
  object: SlabObject | null;
}

/** What a bad access hit (KASAN's bug types, plus an access outside any allocation). */
export type KasanKind =
  | 'null-ptr-deref'
  | 'use-after-free'
  | 'slab-out-of-bounds'
  | 'out-of-bounds'
  | 'never-allocated'
  | 'out-of-arena';

/** A KASAN report: the first bad byte of an access and what it hit. */
export interface KasanReport {
  kind: KasanKind;
  /** First bad byte. */
  addr: number;
  /** The access. */
  access: { addr: number; size: number; write: boolean };
  /** The kmalloc object the bad byte belongs to (or lies in the redzones of), if any. */
  object: SlabObject | null;
}

/**
 * kmalloc()/kfree() over the arena, safe from any thread: a raw spinlock (no lockdep, no
 * preemption point: a controlled run never finds it held) guards the free lists and the
 * quarantine; the shadow says what every granule is. The host and every thread build their
 * own Slab over the same words.
 */
export class Slab {
  private readonly w: Int32Array;
  private readonly f64: Float64Array;
  private readonly hb = SLAB_HEADER_ADDR / 4;
  private readonly lock: Spinlock;

  constructor(readonly arena: Arena) {
    this.w = arena.words;
    this.f64 = new Float64Array(arena.buffer);
    this.lock = new Spinlock(this.w, this.hb + SLAB_HEADER.LOCK);
  }

  /** The default quarantine: 1/32 of the arena, as KASAN's is of RAM. */
  static defaultQuarantine(arena: Arena): number {
    return Math.floor(arena.size / 32);
  }

  /** Bytes of freed objects the quarantine holds before it recycles the oldest. */
  setQuarantineLimit(bytes: number): void {
    Atomics.store(this.w, this.hb + SLAB_HEADER.Q_LIMIT, Math.max(0, Math.floor(bytes)));
  }

  /**
   * kmalloc(size): an object of `size` bytes, 64-byte aligned; `zero` clears it (kzalloc).
   * @returns its address, ZERO_SIZE_PTR for size 0, or 0 (NULL) when the size is too large
   *   or the arena is exhausted: never throws
   */
  alloc(size: number, zero: boolean, who: SlabWho): number {
    if (size === 0) return ZERO_SIZE_PTR;
    const w = this.w;
    const hb = this.hb;
    if (!Number.isInteger(size) || size < 0 || size > KMALLOC_MAX_SIZE) {
      Atomics.add(w, hb + SLAB_HEADER.FAILED, 1);
      return 0;
    }
    const want = need(size);
    let cls = 0;
    while (SLAB_CLASSES[cls]! < want) cls++;
    const chunkBytes = SLAB_CLASSES[cls]!;
    this.lock.lock();
    let chunk = w[hb + SLAB_HEADER.FREE_HEAD + cls]!;
    if (chunk !== 0) {
      w[hb + SLAB_HEADER.FREE_HEAD + cls] = w[chunk / 4 + OBJ.NEXT]!;
    } else {
      chunk = this.arena.grab(chunkBytes, OBJ.BYTES);
      if (chunk === 0) {
        w[hb + SLAB_HEADER.FAILED]!++;
        this.lock.unlock();
        return 0;
      }
    }
    const h = chunk / 4;
    w[h + OBJ.STATE] = ObjState.ALLOCATED;
    w[h + OBJ.CLASS] = cls;
    w[h + OBJ.SIZE] = size;
    w[h + OBJ.NEXT] = 0;
    w[h + OBJ.MAGIC] = OBJ_MAGIC;
    w[h + OBJ.ALLOC_ACTOR] = who.actor;
    w[h + OBJ.ALLOC_CTX] = who.context;
    w[h + OBJ.ALLOC_SEQ] = w[hb + SLAB_HEADER.SEQ]!++;
    this.f64[(chunk >> 3) + OBJ.ALLOC_TIME / 2] = who.time;
    w[h + OBJ.FREE_ACTOR] = -1;
    w[h + OBJ.FREE_CTX] = -1;
    w[h + OBJ.FREE_SEQ] = -1;
    this.f64[(chunk >> 3) + OBJ.FREE_TIME / 2] = 0;
    w[hb + SLAB_HEADER.ALLOCS]!++;
    const obj = chunk + OBJ.BYTES;
    const shadow = this.arena.shadow;
    poison(shadow, chunk, OBJ.BYTES, Shadow.META);
    poison(shadow, obj, chunkBytes - OBJ.BYTES, Shadow.REDZONE);
    unpoison(shadow, obj, size);
    this.lock.unlock();
    if (zero) this.arena.bytes.fill(0, obj, obj + size);
    return obj;
  }

  /**
   * kfree(addr): 0 (NULL) and ZERO_SIZE_PTR are no-ops. The object's bytes become FREED in
   * the shadow and it enters the quarantine.
   * @returns null, or the fault when `addr` was already freed or is not a kmalloc object
   *   (the object stays as it was): kernel misuse is data, not an exception
   */
  free(addr: number, who: SlabWho): SlabFault | null {
    if (addr === 0 || addr === ZERO_SIZE_PTR) return null;
    if (!this.isObjectStart(addr)) {
      Atomics.add(this.w, this.hb + SLAB_HEADER.FAULTS, 1);
      return { kind: 'invalid-free', addr, object: null };
    }
    const w = this.w;
    const hb = this.hb;
    const chunk = addr - OBJ.BYTES;
    const h = chunk / 4;
    this.lock.lock();
    if (w[h + OBJ.STATE] !== ObjState.ALLOCATED) {
      w[hb + SLAB_HEADER.FAULTS]!++;
      this.lock.unlock();
      return { kind: 'double-free', addr, object: this.objectAt(chunk) };
    }
    w[h + OBJ.STATE] = ObjState.QUARANTINED;
    w[h + OBJ.FREE_ACTOR] = who.actor;
    w[h + OBJ.FREE_CTX] = who.context;
    w[h + OBJ.FREE_SEQ] = w[hb + SLAB_HEADER.SEQ]!++;
    this.f64[(chunk >> 3) + OBJ.FREE_TIME / 2] = who.time;
    w[hb + SLAB_HEADER.FREES]!++;
    poison(this.arena.shadow, addr, w[h + OBJ.SIZE]!, Shadow.FREED);
    // Quarantine: append, then recycle the oldest while over the limit.
    w[h + OBJ.NEXT] = 0;
    const tail = w[hb + SLAB_HEADER.Q_TAIL]!;
    if (tail === 0) w[hb + SLAB_HEADER.Q_HEAD] = chunk;
    else w[tail / 4 + OBJ.NEXT] = chunk;
    w[hb + SLAB_HEADER.Q_TAIL] = chunk;
    w[hb + SLAB_HEADER.Q_BYTES] = w[hb + SLAB_HEADER.Q_BYTES]! + SLAB_CLASSES[w[h + OBJ.CLASS]!]!;
    while (w[hb + SLAB_HEADER.Q_BYTES]! > w[hb + SLAB_HEADER.Q_LIMIT]!) {
      const old = w[hb + SLAB_HEADER.Q_HEAD]!;
      const oh = old / 4;
      w[hb + SLAB_HEADER.Q_HEAD] = w[oh + OBJ.NEXT]!;
      if (w[hb + SLAB_HEADER.Q_HEAD] === 0) w[hb + SLAB_HEADER.Q_TAIL] = 0;
      const cls = w[oh + OBJ.CLASS]!;
      w[hb + SLAB_HEADER.Q_BYTES] = w[hb + SLAB_HEADER.Q_BYTES]! - SLAB_CLASSES[cls]!;
      w[oh + OBJ.STATE] = ObjState.FREE;
      w[oh + OBJ.NEXT] = w[hb + SLAB_HEADER.FREE_HEAD + cls]!;
      w[hb + SLAB_HEADER.FREE_HEAD + cls] = old;
    }
    this.lock.unlock();
    return null;
  }

  /**
   * kasan_check_range(): whether `size` bytes at `addr` may be read (or written).
   * Reads the shadow without the lock: an access racing with its object's kfree() is a bug
   * either way.
   * @returns null when every byte is valid, else what the first bad byte hit
   */
  check(addr: number, size: number, write: boolean): KasanReport | null {
    const access = { addr, size, write };
    if (size <= 0) return null;
    if (addr < ARENA_RESERVED) return { kind: 'null-ptr-deref', addr, access, object: null };
    const end = addr + size;
    if (end > this.arena.size) {
      return { kind: 'out-of-arena', addr: Math.max(addr, this.arena.size), access, object: null };
    }
    const shadow = this.arena.shadow;
    const last = Math.floor((end - 1) / SHADOW_GRANULE);
    for (let g = Math.floor(addr / SHADOW_GRANULE); g <= last; g++) {
      const code = shadow[g]!;
      const from = Math.max(addr, g * SHADOW_GRANULE);
      const to = Math.min(end, g * SHADOW_GRANULE + SHADOW_GRANULE);
      if (code >= 1 && code <= Shadow.FULL && to - g * SHADOW_GRANULE <= code) continue;
      const bad =
        code >= 1 && code <= Shadow.FULL ? Math.max(from, g * SHADOW_GRANULE + code) : from;
      if (code === Shadow.UNALLOCATED) {
        return { kind: 'never-allocated', addr: bad, access, object: null };
      }
      const object = this.objectOf(bad);
      if (code === Shadow.FREED) return { kind: 'use-after-free', addr: bad, access, object };
      // Past the end of a buffer that is not a kmalloc object (the bump allocator's).
      if (!object) return { kind: 'out-of-bounds', addr: bad, access, object };
      return { kind: 'slab-out-of-bounds', addr: bad, access, object };
    }
    return null;
  }

  /** The kmalloc object whose chunk holds byte `addr` (its header, object or redzone), if any. */
  objectOf(addr: number): SlabObject | null {
    const shadow = this.arena.shadow;
    let g = Math.floor(addr / SHADOW_GRANULE);
    const metaGranules = OBJ.BYTES / SHADOW_GRANULE;
    if (shadow[g] === Shadow.META) {
      // In a header: its first granule is the chunk's start (a header is 64-aligned).
      const chunk = Math.floor(addr / OBJ.BYTES) * OBJ.BYTES;
      return this.objectAt(chunk);
    }
    // Back over the object and its redzone to the header that precedes them.
    const floor = ARENA_RESERVED / SHADOW_GRANULE;
    while (g >= floor && shadow[g] !== Shadow.META) {
      const c = shadow[g]!;
      if (c === Shadow.UNALLOCATED) return null;
      g--;
    }
    if (g < floor) return null;
    const object = this.objectAt((g + 1 - metaGranules) * SHADOW_GRANULE);
    // The header found must be the one of the chunk holding `addr`, not an older neighbour's
    // (a bump-allocated buffer may sit between them).
    return object && addr < object.addr - OBJ.BYTES + object.cache ? object : null;
  }

  /**
   * Whether any object was ever freed in this run: until then no byte of the shadow is
   * FREED, so no access can be a use after free (the engines' check costs one load).
   */
  anyFreed(): boolean {
    return Atomics.load(this.w, this.hb + SLAB_HEADER.FREES) !== 0;
  }

  /** Counters: live objects, quarantine bytes, failures and faults so far. */
  stats(): {
    allocs: number;
    frees: number;
    quarantineBytes: number;
    failed: number;
    faults: number;
  } {
    const w = this.w;
    const hb = this.hb;
    return {
      allocs: Atomics.load(w, hb + SLAB_HEADER.ALLOCS),
      frees: Atomics.load(w, hb + SLAB_HEADER.FREES),
      quarantineBytes: Atomics.load(w, hb + SLAB_HEADER.Q_BYTES),
      failed: Atomics.load(w, hb + SLAB_HEADER.FAILED),
      faults: Atomics.load(w, hb + SLAB_HEADER.FAULTS),
    };
  }

  private isObjectStart(addr: number): boolean {
    if (!Number.isInteger(addr) || addr % OBJ.BYTES !== 0) return false;
    if (addr < ARENA_RESERVED + OBJ.BYTES || addr >= this.arena.size) return false;
    const chunk = addr - OBJ.BYTES;
    return (
      this.arena.shadow[chunk / SHADOW_GRANULE] === Shadow.META &&
      Atomics.load(this.w, chunk / 4 + OBJ.MAGIC) === OBJ_MAGIC
    );
  }

  private objectAt(chunk: number): SlabObject | null {
    const w = this.w;
    const h = chunk / 4;
    if (chunk < ARENA_RESERVED || w[h + OBJ.MAGIC] !== OBJ_MAGIC) return null;
    const state = w[h + OBJ.STATE]!;
    const record = (actor: number, ctx: number, seq: number, time: number): SlabRecord => ({
      actor: w[h + actor]!,
      context: w[h + ctx]!,
      seq: w[h + seq]!,
      time: this.f64[(chunk >> 3) + time / 2]!,
    });
    return {
      addr: chunk + OBJ.BYTES,
      size: w[h + OBJ.SIZE]!,
      cache: SLAB_CLASSES[w[h + OBJ.CLASS]!]!,
      state:
        state === ObjState.ALLOCATED
          ? 'allocated'
          : state === ObjState.QUARANTINED
            ? 'quarantined'
            : 'free',
      alloc: record(OBJ.ALLOC_ACTOR, OBJ.ALLOC_CTX, OBJ.ALLOC_SEQ, OBJ.ALLOC_TIME),
      free:
        state === ObjState.ALLOCATED
          ? null
          : record(OBJ.FREE_ACTOR, OBJ.FREE_CTX, OBJ.FREE_SEQ, OBJ.FREE_TIME),
    };
  }
}
