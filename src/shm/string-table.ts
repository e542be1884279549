import { defineLayout } from './layout.js';

/** Header words: the next free byte, and the strings that did not fit. */
export const STRINGS = defineLayout(['TOP', 'LOST'], {}, 4);

/** Bytes the table starts with, and the most it grows to. */
const INITIAL_BYTES = 64 * 1024;
const MAX_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Strings an actor hands to the host, where an event can carry only int32 words (the text
 * of a WARN or a user's violation): each is appended once to one shared byte buffer and
 * named by its byte offset. The buffer is growable SharedArrayBuffer memory, so that a run
 * that reports little costs one small block; a string that no longer fits is lost (id -1,
 * counted in LOST) rather than waited for.
 *
 *   [ TOP | LOST | pad | len | UTF-8 bytes | pad | len | UTF-8 bytes | ... ]
 *                       ^ id of the first string (len: u32, little-endian; 4-byte aligned)
 *
 * Each thread interns its own strings: a text one thread already appended is not looked up
 * in the others' (the table is written, never searched).
 */
export class StringTable {
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;
  /** This thread's strings in this run, by text. */
  private readonly ids = new Map<string, number>();

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, STRINGS.WORDS);
    // Length-tracking: sees the buffer's growth by any thread.
    this.bytes = new Uint8Array(buffer);
  }

  /** A table with no strings (host side). */
  static create(): StringTable {
    const t = new StringTable(new SharedArrayBuffer(INITIAL_BYTES, { maxByteLength: MAX_BYTES }));
    t.header[STRINGS.TOP] = STRINGS.BYTES;
    return t;
  }

  /**
   * Appends `text` (once per thread and run).
   * @returns its id, or -1 when the table is full
   */
  intern(text: string): number {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    const data = encoder.encode(text);
    const need = (4 + data.length + 3) & ~3;
    const h = this.header;
    let at = Atomics.load(h, STRINGS.TOP);
    for (;;) {
      if (at + need > MAX_BYTES) {
        Atomics.add(h, STRINGS.LOST, 1);
        return -1;
      }
      const seen = Atomics.compareExchange(h, STRINGS.TOP, at, at + need);
      if (seen === at) break;
      at = seen;
    }
    const buf = this.buffer;
    while (buf.byteLength < at + need) {
      const want = Math.min(MAX_BYTES, Math.max(2 * buf.byteLength, at + need));
      // Another thread may grow it first (to more): a grow to less than the length throws.
      try {
        buf.grow(want);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
      }
    }
    const b = this.bytes;
    const n = data.length;
    b[at] = n & 0xff;
    b[at + 1] = (n >>> 8) & 0xff;
    b[at + 2] = (n >>> 16) & 0xff;
    b[at + 3] = n >>> 24;
    b.set(data, at + 4);
    // The bytes reach the host with the event that names them: its publication is a
    // seq-cst store after these plain writes, and the host reads it before the text.
    this.ids.set(text, at);
    return at;
  }

  /** The string named `id`, or null for -1 or an id the table does not hold. */
  text(id: number): string | null {
    const b = this.bytes;
    if (id < STRINGS.BYTES || id + 4 > b.length) return null;
    const n = (b[id]! | (b[id + 1]! << 8) | (b[id + 2]! << 16) | (b[id + 3]! << 24)) >>> 0;
    if (id + 4 + n > b.length) return null;
    // TextDecoder refuses shared memory: decode a copy.
    return decoder.decode(b.slice(id + 4, id + 4 + n));
  }

  /** Strings that did not fit. */
  lost(): number {
    return Atomics.load(this.header, STRINGS.LOST);
  }
}
