import { defineLayout } from './layout.js';
import { Spinlock } from './raw-lock.js';

/** Mappings the table tracks at once (dma-debug's preallocated entries, scaled down). */
export const DMA_DEBUG_ENTRIES = 2048;

/**
 * dma-debug's hash of live mappings (kernel/dma/debug.c's dma_entry_hash), as one table
 * every thread sees: a header, then DMA_DEBUG_ENTRIES fixed entries. A raw lock (no lockdep,
 * no preemption point, like the slab's) guards it; a controlled run never finds it held.
 *
 *   LOCK       the table's lock
 *   HIGH       one past the highest entry ever used: scans stop there
 *   LIVE       mappings live now
 *   ERRORS     error_count: every DMA-API error found
 *   DISABLED   1 once the table overflowed ("debugging out of memory - disabling")
 */
export const DMA_DEBUG = defineLayout(['LOCK', 'HIGH', 'LIVE', 'ERRORS', 'DISABLED'], {}, 16);

/**
 * One mapping (struct dma_debug_entry):
 *
 *   STATE      0 free, 1 mapped
 *   DEV        the device's id (nameId of its name)
 *   NAME       its name in the run's string table (for reports made by another thread)
 *   ADDR, SIZE the DMA address and length
 *   DIR        enum dma_data_direction it was mapped with
 *   TYPE       DmaDebugType: how it was mapped (dma_map_single, dma_map_sg)
 *   NENTS      sg_call_ents: the nents the sg list was mapped with (0 for single)
 *   OWNER      who may touch the bytes now: 1 the device (after map or sync_for_device),
 *              0 the CPU (after sync_for_cpu)
 *   ACTOR      the actor that mapped it
 *   REPORTED   1 once reported as leaked (reported once)
 */
export const DMA_DEBUG_ENTRY = defineLayout(
  ['STATE', 'DEV', 'NAME', 'ADDR', 'SIZE', 'DIR', 'TYPE', 'NENTS', 'OWNER', 'ACTOR', 'REPORTED'],
  {},
  1,
);

/** DMA_DEBUG_ENTRY.TYPE values (type2name order in debug.c). */
export const DmaDebugType = { SINGLE: 1, SG: 2 } as const;

/** A mapping as read from the table. */
export interface DmaDebugEntry {
  slot: number;
  dev: number;
  /** The device's name as a string table id. */
  name: number;
  addr: number;
  size: number;
  dir: number;
  type: number;
  nents: number;
  /** 1: the device owns the bytes; 0: the CPU does. */
  owner: number;
  actor: number;
  reported: number;
}

/** A scan's test of one live mapping: its device id, address and size. */
type Match = (dev: number, addr: number, size: number) => boolean;

/** The table over its shared buffer: every thread builds its own view. */
export class DmaDebugTable {
  readonly words: Int32Array;
  private readonly lock: Spinlock;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.lock = new Spinlock(this.words, DMA_DEBUG.LOCK);
  }

  /** Bytes the table needs. */
  static bytes(): number {
    return DMA_DEBUG.BYTES + DMA_DEBUG_ENTRIES * DMA_DEBUG_ENTRY.BYTES;
  }

  private base(slot: number): number {
    return DMA_DEBUG.WORDS + slot * DMA_DEBUG_ENTRY.WORDS;
  }

  /**
   * add_dma_entry(): records a mapping.
   * @returns its slot, or -1 when the table is full (the table disables itself then) or
   *   already disabled
   */
  add(e: Omit<DmaDebugEntry, 'slot' | 'reported'>): number {
    const w = this.words;
    this.lock.lock();
    let slot = -1;
    if (w[DMA_DEBUG.DISABLED] === 0) {
      const high = w[DMA_DEBUG.HIGH]!;
      for (let s = 0; s < high; s++) {
        if (w[this.base(s) + DMA_DEBUG_ENTRY.STATE] === 0) {
          slot = s;
          break;
        }
      }
      if (slot < 0 && high < DMA_DEBUG_ENTRIES) {
        slot = high;
        w[DMA_DEBUG.HIGH] = high + 1;
      }
      if (slot < 0) w[DMA_DEBUG.DISABLED] = 1;
    }
    if (slot >= 0) {
      const b = this.base(slot);
      w[b + DMA_DEBUG_ENTRY.DEV] = e.dev;
      w[b + DMA_DEBUG_ENTRY.NAME] = e.name;
      w[b + DMA_DEBUG_ENTRY.REPORTED] = 0;
      w[b + DMA_DEBUG_ENTRY.ADDR] = e.addr;
      w[b + DMA_DEBUG_ENTRY.SIZE] = e.size;
      w[b + DMA_DEBUG_ENTRY.DIR] = e.dir;
      w[b + DMA_DEBUG_ENTRY.TYPE] = e.type;
      w[b + DMA_DEBUG_ENTRY.NENTS] = e.nents;
      w[b + DMA_DEBUG_ENTRY.OWNER] = e.owner;
      w[b + DMA_DEBUG_ENTRY.ACTOR] = e.actor;
      w[b + DMA_DEBUG_ENTRY.STATE] = 1;
      w[DMA_DEBUG.LIVE]!++;
    }
    this.lock.unlock();
    return slot;
  }

  /** Whether the table overflowed and stopped tracking (its checks are off from then on). */
  disabled(): boolean {
    return Atomics.load(this.words, DMA_DEBUG.DISABLED) !== 0;
  }

  /**
   * bucket_find_exact(): the mapping of `dev` at `addr` (the first one still owned by the
   * device when the same address is mapped several times, as dma-debug's best fit), or null.
   */
  findExact(dev: number, addr: number): DmaDebugEntry | null {
    return this.find((d, a) => d === dev && a === addr);
  }

  /** bucket_find_contain(): the mapping of `dev` holding `[addr, addr + size)`'s start, or null. */
  findContain(dev: number, addr: number): DmaDebugEntry | null {
    return this.find((d, a, n) => d === dev && addr >= a && addr < a + n);
  }

  /** Every live mapping overlapping `[addr, addr + len)` (any device). */
  overlapping(addr: number, len: number): DmaDebugEntry[] {
    return this.all((_d, a, n) => a < addr + len && addr < a + n);
  }

  /** Every live mapping of `dev`. */
  ofDevice(dev: number): DmaDebugEntry[] {
    return this.all((d) => d === dev);
  }

  /** hash_bucket_del(): drops the mapping in `slot`. */
  remove(slot: number): void {
    const w = this.words;
    this.lock.lock();
    if (w[this.base(slot) + DMA_DEBUG_ENTRY.STATE] === 1) {
      w[this.base(slot) + DMA_DEBUG_ENTRY.STATE] = 0;
      w[DMA_DEBUG.LIVE]!--;
    }
    this.lock.unlock();
  }

  /** Sets who owns the bytes of the mapping in `slot` (1 device, 0 CPU). */
  setOwner(slot: number, owner: number): void {
    Atomics.store(this.words, this.base(slot) + DMA_DEBUG_ENTRY.OWNER, owner);
  }

  /** Marks the mapping in `slot` as reported leaked. */
  setReported(slot: number): void {
    Atomics.store(this.words, this.base(slot) + DMA_DEBUG_ENTRY.REPORTED, 1);
  }

  /** Counts one DMA-API error (error_count). @returns the count before */
  countError(): number {
    return Atomics.add(this.words, DMA_DEBUG.ERRORS, 1);
  }

  /** Errors found, live mappings. */
  stats(): { errors: number; live: number } {
    return {
      errors: Atomics.load(this.words, DMA_DEBUG.ERRORS),
      live: Atomics.load(this.words, DMA_DEBUG.LIVE),
    };
  }

  private read(slot: number): DmaDebugEntry {
    const w = this.words;
    const b = this.base(slot);
    return {
      slot,
      dev: w[b + DMA_DEBUG_ENTRY.DEV]!,
      name: w[b + DMA_DEBUG_ENTRY.NAME]!,
      addr: w[b + DMA_DEBUG_ENTRY.ADDR]!,
      size: w[b + DMA_DEBUG_ENTRY.SIZE]!,
      dir: w[b + DMA_DEBUG_ENTRY.DIR]!,
      type: w[b + DMA_DEBUG_ENTRY.TYPE]!,
      nents: w[b + DMA_DEBUG_ENTRY.NENTS]!,
      owner: Atomics.load(w, b + DMA_DEBUG_ENTRY.OWNER),
      actor: w[b + DMA_DEBUG_ENTRY.ACTOR]!,
      reported: Atomics.load(w, b + DMA_DEBUG_ENTRY.REPORTED),
    };
  }

  private find(match: Match): DmaDebugEntry | null {
    const found = this.all(match);
    return found.find((e) => e.owner === 1) ?? found[0] ?? null;
  }

  /** The live mappings `match` accepts, read only when accepted (a scan allocates nothing else). */
  private all(match: Match): DmaDebugEntry[] {
    const w = this.words;
    const out: DmaDebugEntry[] = [];
    this.lock.lock();
    const high = w[DMA_DEBUG.HIGH]!;
    for (let s = 0; s < high; s++) {
      const b = this.base(s);
      if (w[b + DMA_DEBUG_ENTRY.STATE] !== 1) continue;
      if (
        match(
          w[b + DMA_DEBUG_ENTRY.DEV]!,
          w[b + DMA_DEBUG_ENTRY.ADDR]!,
          w[b + DMA_DEBUG_ENTRY.SIZE]!,
        )
      )
        out.push(this.read(s));
    }
    this.lock.unlock();
    return out;
  }
}
