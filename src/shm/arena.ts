import { defineLayout, alignUp } from './layout.js';
import { DmasimError } from '../errors.js';

/** Bytes below this address are never handed out, so that address 0 is NULL. */
export const ARENA_RESERVED = 4096;

/** The largest arena: addresses are s32 here. */
export const ARENA_MAX_BYTES = 0x7fffffff;

/** Arena header words: the bump pointer of the allocator. */
export const ARENA_HEADER = defineLayout(['BRK', 'LIMIT'], {}, 16);

/**
 * Simulated physical memory: one SharedArrayBuffer whose byte offsets are the DMA
 * addresses (dma_addr_t). Engines really copy bytes here; clients really fill and verify.
 * A bump allocator (kmalloc without kfree: a run allocates at set-up and frees by ending)
 * hands out aligned buffers.
 */
export class Arena {
  readonly bytes: Uint8Array;
  readonly size: number;
  private readonly header: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly headerBuffer: SharedArrayBuffer,
  ) {
    this.bytes = new Uint8Array(buffer);
    this.size = buffer.byteLength;
    this.header = new Int32Array(headerBuffer);
  }

  /**
   * Creates an arena of `size` bytes (at most 2 GiB - 1, addresses are s32 here).
   * @param hwBytes bytes after the reserved page kept for hardware words (DeviceSpec.regs)
   */
  static create(size: number, hwBytes = 0): Arena {
    if (!Number.isInteger(size) || size <= ARENA_RESERVED || size > ARENA_MAX_BYTES) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `arena size ${size} is out of range: expected ${ARENA_RESERVED + 1}..${ARENA_MAX_BYTES} bytes`,
      );
    }
    const arena = new Arena(new SharedArrayBuffer(size), new SharedArrayBuffer(ARENA_HEADER.BYTES));
    arena.header[ARENA_HEADER.BRK] = ARENA_RESERVED + hwBytes;
    arena.header[ARENA_HEADER.LIMIT] = size;
    return arena;
  }

  /**
   * Allocates `len` bytes aligned to `align` (a power of two), safe from any thread.
   * @returns the address, or 0 (NULL) when the arena is exhausted
   */
  alloc(len: number, align = 8): number {
    const h = this.header;
    for (;;) {
      const brk = Atomics.load(h, ARENA_HEADER.BRK);
      const addr = alignUp(brk, align);
      const end = addr + len;
      if (end > h[ARENA_HEADER.LIMIT]! || end < addr) return 0;
      if (Atomics.compareExchange(h, ARENA_HEADER.BRK, brk, end) === brk) return addr;
    }
  }

  /** Bytes handed out so far (reserved page included). */
  used(): number {
    return Atomics.load(this.header, ARENA_HEADER.BRK);
  }
}
