import { defineLayout, alignUp } from './layout.js';
import { shadowBytes, unpoison } from './shadow.js';
import { WasmMemory } from './wasm-memory.js';
import { DmasimError } from '../errors.js';

/** Bytes below this address are never handed out, so that address 0 is NULL. */
export const ARENA_RESERVED = 4096;

/** A WebAssembly page: the arena is a whole number of them. */
export const ARENA_PAGE = 65536;

/** The most pages an arena has: addresses are s32 here (and in a wasm32 driver). */
export const ARENA_MAX_PAGES = 32767;

/** The largest arena, in bytes. */
export const ARENA_MAX_BYTES = ARENA_MAX_PAGES * ARENA_PAGE;

/**
 * Where the allocators keep their words: in the reserved page, high enough that a store
 * through a NULL struct pointer (small offsets) does not reach them.
 *
 *   0 ......... 3072        NULL page, never handed out, never written
 *   3072 ...... 3136        ARENA_HEADER: the bump allocator
 *   3136 ...... 4096        SLAB_HEADER (see slab.ts): kmalloc's lock, quarantine, free lists
 *   4096 ...... state       declared shared state (see state-layout.ts), laid out by the host
 *   state ..... BRK         buffers and kmalloc chunks handed out so far
 *   BRK ....... LIMIT       free
 */
export const ARENA_HEADER_ADDR = 3072;

/** Arena header words: the bump pointer of the allocator and the end of the arena. */
export const ARENA_HEADER = defineLayout(['BRK', 'LIMIT'], {}, 16);

/**
 * Simulated physical memory: one shared WebAssembly.Memory whose byte offsets are the DMA
 * addresses (dma_addr_t) and, for a driver compiled to wasm32 over it, the C pointers.
 * Engines really copy bytes here; clients really fill and verify. A bump allocator hands
 * out buffers a run keeps until it ends; kmalloc() (slab.ts) takes its chunks from it.
 */
export class Arena {
  readonly buffer: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  /** The whole arena as words (lock words and declared state live here). */
  readonly words: Int32Array;
  /** KASAN's shadow: one byte per 8-byte granule (see shadow.ts). */
  readonly shadow: Uint8Array;
  readonly size: number;
  private readonly hb = ARENA_HEADER_ADDR / 4;

  constructor(
    readonly memory: WasmMemory,
    readonly shadowBuffer: SharedArrayBuffer,
  ) {
    // A shared memory's buffer is one SharedArrayBuffer for as long as it does not grow, and
    // an arena never grows (maximum = initial).
    this.buffer = memory.buffer as SharedArrayBuffer;
    this.bytes = new Uint8Array(this.buffer);
    this.words = new Int32Array(this.buffer);
    this.shadow = new Uint8Array(shadowBuffer);
    this.size = this.buffer.byteLength;
  }

  /**
   * Creates an arena of at least `size` bytes, rounded up to whole 64 KiB pages.
   * @param size bytes; at most ARENA_MAX_BYTES
   * @param reserve bytes after the NULL page kept for declared state: zeroed, valid for
   *   KASAN, never handed out
   * @throws DmasimError DMASIM_BAD_OPTION when the size is out of range
   */
  static create(size: number, reserve = 0): Arena {
    if (
      !Number.isInteger(size) ||
      size <= ARENA_RESERVED ||
      size > ARENA_MAX_BYTES ||
      !Number.isInteger(reserve) ||
      reserve < 0 ||
      ARENA_RESERVED + reserve > size
    ) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `arena size ${size} (state ${reserve}) is out of range: expected ${ARENA_RESERVED + 1}..${ARENA_MAX_BYTES} bytes, state included`,
      );
    }
    const pages = Math.ceil(size / ARENA_PAGE);
    const memory = new WasmMemory({ initial: pages, maximum: pages, shared: true });
    const arena = new Arena(memory, new SharedArrayBuffer(shadowBytes(pages * ARENA_PAGE)));
    arena.words[arena.hb + ARENA_HEADER.BRK] = ARENA_RESERVED + reserve;
    arena.words[arena.hb + ARENA_HEADER.LIMIT] = arena.size;
    unpoison(arena.shadow, ARENA_RESERVED, reserve);
    return arena;
  }

  /**
   * Allocates `len` bytes aligned to `align` (a power of two), safe from any thread; KASAN
   * sees them allocated.
   * @returns the address, or 0 (NULL) when the arena is exhausted
   */
  alloc(len: number, align = 8): number {
    const addr = this.grab(len, align);
    if (addr !== 0) unpoison(this.shadow, addr, len);
    return addr;
  }

  /** alloc() without touching the shadow (kmalloc marks its chunks itself). */
  grab(len: number, align: number): number {
    const h = this.words;
    const brk = this.hb + ARENA_HEADER.BRK;
    for (;;) {
      const at = Atomics.load(h, brk);
      const addr = alignUp(at, align);
      const end = addr + len;
      if (end > h[this.hb + ARENA_HEADER.LIMIT]! || end < addr) return 0;
      if (Atomics.compareExchange(h, brk, at, end) === at) return addr;
    }
  }

  /** Bytes handed out so far (reserved page and declared state included). */
  used(): number {
    return Atomics.load(this.words, this.hb + ARENA_HEADER.BRK);
  }
}
