/**
 * The buffer patterns of drivers/dma/dmatest.c: fill, verify and the mismatch messages.
 *
 * Every function works on ONE test buffer that starts at byte `base` of a shared arena; the
 * kernel's functions loop over a NULL-terminated array of buffers, our callers loop instead.
 * Log lines are returned without the "dmatest: " pr_fmt prefix.
 */

/** Bit 7: set in every source byte (dmatest.c `PATTERN_SRC`). */
export const PATTERN_SRC = 0x80;
/** Bit 7 clear: every destination byte (dmatest.c `PATTERN_DST`). */
export const PATTERN_DST = 0x00;
/** Bit 6: source bytes the engine is to copy (dmatest.c `PATTERN_COPY`). */
export const PATTERN_COPY = 0x40;
/** Bit 5: destination bytes the engine is to overwrite (dmatest.c `PATTERN_OVERWRITE`). */
export const PATTERN_OVERWRITE = 0x20;
/** Low bits: inverse of the byte index (dmatest.c `PATTERN_COUNT_MASK`). */
export const PATTERN_COUNT_MASK = 0x1f;
/** The fixed index every memset byte uses (dmatest.c `PATTERN_MEMSET_IDX`). */
export const PATTERN_MEMSET_IDX = 0x01;
/** Mismatches printed per `dmatest_verify()` call (dmatest.c `MAX_ERROR_COUNT`). */
export const MAX_ERROR_COUNT = 32;

/** Receives one log line (without the "dmatest: " prefix). */
export type DmatestLog = (line: string) => void;

/** Mirrors `gen_inv_idx()`: the inverted counter bits of byte `index`. */
export function genInvIdx(index: number, isMemset: boolean): number {
  return ~(isMemset ? PATTERN_MEMSET_IDX : index) & PATTERN_COUNT_MASK;
}

/** Mirrors `gen_src_value()`. */
export function genSrcValue(index: number, isMemset: boolean): number {
  return PATTERN_SRC | genInvIdx(index, isMemset);
}

/** Mirrors `gen_dst_value()`. */
export function genDstValue(index: number, isMemset: boolean): number {
  return PATTERN_DST | genInvIdx(index, isMemset);
}

/**
 * Mirrors `dmatest_init_srcs()` for one buffer: [0,start) and [start+len,bufSize) get the
 * source pattern, [start,start+len) additionally PATTERN_COPY.
 */
export function dmatestInitSrcs(
  buf: Uint8Array,
  base: number,
  start: number,
  len: number,
  bufSize: number,
  isMemset: boolean,
): void {
  fill(buf, base, start, len, bufSize, isMemset, PATTERN_SRC, PATTERN_COPY);
}

/**
 * Mirrors `dmatest_init_dsts()` for one buffer: [0,start) and [start+len,bufSize) get the
 * destination pattern, [start,start+len) additionally PATTERN_OVERWRITE.
 */
export function dmatestInitDsts(
  buf: Uint8Array,
  base: number,
  start: number,
  len: number,
  bufSize: number,
  isMemset: boolean,
): void {
  fill(buf, base, start, len, bufSize, isMemset, PATTERN_DST, PATTERN_OVERWRITE);
}

function fill(
  buf: Uint8Array,
  base: number,
  start: number,
  len: number,
  bufSize: number,
  isMemset: boolean,
  pattern: number,
  inside: number,
): void {
  const memsetBits = ~PATTERN_MEMSET_IDX & PATTERN_COUNT_MASK;
  // Like the kernel's three loops, the middle one runs to start+len even past bufSize.
  const end = start + len;
  let i = 0;
  for (; i < start; i++)
    buf[base + i] = pattern | (isMemset ? memsetBits : ~i & PATTERN_COUNT_MASK);
  for (; i < end; i++)
    buf[base + i] = pattern | inside | (isMemset ? memsetBits : ~i & PATTERN_COUNT_MASK);
  for (; i < bufSize; i++)
    buf[base + i] = pattern | (isMemset ? memsetBits : ~i & PATTERN_COUNT_MASK);
}

const hex2 = (v: number): string => v.toString(16).padStart(2, '0');

/**
 * Mirrors `dmatest_mismatch()`: the warning for one wrong byte. The classification looks at
 * `actual ^ pattern`, not at the expected value.
 */
export function dmatestMismatchLine(
  threadName: string,
  actual: number,
  pattern: number,
  index: number,
  counter: number,
  isSrcbuf: boolean,
  isMemset: boolean,
): string {
  const diff = (actual ^ pattern) & 0xff;
  const expected = (pattern | genInvIdx(counter, isMemset)) & 0xff;
  const at = (index >>> 0).toString(16);
  let where: string;
  if (isSrcbuf) where = `srcbuf[0x${at}] overwritten!`;
  else if ((pattern & PATTERN_COPY) !== 0 && (diff & (PATTERN_COPY | PATTERN_OVERWRITE)) !== 0)
    where = `dstbuf[0x${at}] not copied!`;
  else if ((diff & PATTERN_SRC) !== 0) where = `dstbuf[0x${at}] was copied!`;
  else where = `dstbuf[0x${at}] mismatch!`;
  return `${threadName}: ${where} Expected ${hex2(expected)}, got ${hex2(actual & 0xff)}`;
}

/**
 * Mirrors the loop body of `dmatest_verify()` for one buffer: compares [start,end) against
 * `pattern | gen_inv_idx(counter++)` and returns how many bytes differ.
 *
 * The kernel's cap is per `dmatest_verify()` call, shared by the buffers of that call:
 * `errorCount` is the number of mismatches earlier buffers of the same call already found
 * (0 for a single-buffer test), and a line is logged only while errorCount + found so far
 * < MAX_ERROR_COUNT. The "errors suppressed" line is NOT logged here: the kernel prints it
 * once after all buffers of the call, see {@link dmatestErrorsSuppressedLine}.
 */
export function dmatestVerify(
  buf: Uint8Array,
  base: number,
  start: number,
  end: number,
  counter: number,
  pattern: number,
  isSrcbuf: boolean,
  isMemset: boolean,
  errorCount: number,
  log: DmatestLog,
  threadName: string,
): number {
  const memsetBits = ~PATTERN_MEMSET_IDX & PATTERN_COUNT_MASK;
  let found = 0;
  for (let i = start; i < end; i++, counter++) {
    const actual = buf[base + i]!;
    const expected = pattern | (isMemset ? memsetBits : ~counter & PATTERN_COUNT_MASK);
    if (actual !== expected) {
      if (errorCount + found < MAX_ERROR_COUNT)
        log(dmatestMismatchLine(threadName, actual, pattern, i, counter, isSrcbuf, isMemset));
      found++;
    }
  }
  return found;
}

/**
 * Mirrors the tail of `dmatest_verify()`: "%s: %u errors suppressed" when one call found
 * more than MAX_ERROR_COUNT mismatches, else null.
 */
export function dmatestErrorsSuppressedLine(threadName: string, errorCount: number): string | null {
  if (errorCount <= MAX_ERROR_COUNT) return null;
  return `${threadName}: ${(errorCount - MAX_ERROR_COUNT) >>> 0} errors suppressed`;
}

/** One single-buffer test iteration, as `dmatest_func()` sees it after the transfer. */
export interface DmatestVerifyAllArgs {
  readonly src: Uint8Array;
  readonly srcBase: number;
  readonly dst: Uint8Array;
  readonly dstBase: number;
  readonly srcOff: number;
  readonly dstOff: number;
  readonly len: number;
  readonly bufSize: number;
  /** true for a DMA_MEMSET thread, false for DMA_MEMCPY. */
  readonly isMemset: boolean;
  /** `current->comm` of the test thread, e.g. "dma0chan0-copy0". */
  readonly threadName: string;
  readonly log: DmatestLog;
}

/**
 * Mirrors the six `dmatest_verify()` calls of one `dmatest_func()` iteration (memcpy and
 * memset; one src and one dst buffer), in the kernel's order, each call with its own
 * MAX_ERROR_COUNT cap and its own "errors suppressed" line. Returns the summed error count
 * that `dmatest_func()` reports as "data error". The kernel's pr_debug lines
 * ("verifying source buffer...") are not logged.
 */
export function dmatestVerifyAll(a: DmatestVerifyAllArgs): number {
  const { src, srcBase, dst, dstBase, srcOff, dstOff, len, bufSize, isMemset } = a;
  const one = (
    buf: Uint8Array,
    base: number,
    start: number,
    end: number,
    counter: number,
    pattern: number,
    isSrcbuf: boolean,
  ): number => {
    const n = dmatestVerify(
      buf,
      base,
      start,
      end,
      counter,
      pattern,
      isSrcbuf,
      isMemset,
      0,
      a.log,
      a.threadName,
    );
    const suppressed = dmatestErrorsSuppressedLine(a.threadName, n);
    if (suppressed !== null) a.log(suppressed);
    return n;
  };
  let errors = one(src, srcBase, 0, srcOff, 0, PATTERN_SRC, true);
  errors += one(src, srcBase, srcOff, srcOff + len, srcOff, PATTERN_SRC | PATTERN_COPY, true);
  errors += one(src, srcBase, srcOff + len, bufSize, srcOff + len, PATTERN_SRC, true);
  errors += one(dst, dstBase, 0, dstOff, 0, PATTERN_DST, false);
  // The copied dst region is checked against the source indices: its counter starts at srcOff.
  errors += one(dst, dstBase, dstOff, dstOff + len, srcOff, PATTERN_SRC | PATTERN_COPY, false);
  errors += one(dst, dstBase, dstOff + len, bufSize, dstOff + len, PATTERN_DST, false);
  return errors;
}
