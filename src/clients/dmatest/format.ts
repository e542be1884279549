/**
 * The result and summary lines of drivers/dma/dmatest.c, and its fixed-point rate maths.
 * Lines are returned without the "dmatest: " pr_fmt prefix.
 */

/** Fixed-point fraction bits (dmatest.c `FIXPT_SHIFT`). */
export const FIXPT_SHIFT = 8n;
const FIXPNT_MASK = 0xffn;
const UINT_MAX = 0xffff_ffffn;
/** `MAX_ERRNO` of include/linux/err.h: the top 4095 values of an unsigned long are errnos. */
const MAX_ERRNO = 4095n;
/** include/linux/sched.h `TASK_COMM_LEN`, NUL included. */
export const TASK_COMM_LEN = 16;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const toBig = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(v)));

/** Mirrors `INT_TO_FIXPT()` on an unsigned long long. */
export const intToFixpt = (a: bigint): bigint => u64(a << FIXPT_SHIFT);
/** Mirrors `FIXPT_TO_INT()`. */
export const fixptToInt = (a: bigint): bigint => a >> FIXPT_SHIFT;
/** Mirrors `FIXPT_GET_FRAC()`: hundredths, 0..99. */
export const fixptGetFrac = (a: bigint): bigint => ((a & FIXPNT_MASK) * 100n) >> FIXPT_SHIFT;

/**
 * Mirrors `__set_task_comm()`: `current->comm` keeps at most TASK_COMM_LEN-1 bytes, so a
 * thread name such as "dma0chan10-copy0" prints as "dma0chan10-copy" in every message.
 */
export function taskComm(name: string): string {
  return name.slice(0, TASK_COMM_LEN - 1);
}

/**
 * Mirrors the `"%s-%s%u"` name `dmatest_add_threads()` gives each kthread (before the
 * `comm` truncation of {@link taskComm}).
 */
export function dmatestThreadName(
  chanName: string,
  op: 'copy' | 'set' | 'xor' | 'pq',
  index: number,
): string {
  return `${chanName}-${op}${index >>> 0}`;
}

function resultLine(
  threadName: string,
  testNo: number,
  resultText: string,
  srcOff: number,
  dstOff: number,
  len: number,
  data: string,
): string {
  const hex = (v: number): string => (v >>> 0).toString(16);
  return (
    `${threadName}: result #${testNo >>> 0}: '${resultText}' with ` +
    `src_off=0x${hex(srcOff)} dst_off=0x${hex(dstOff)} len=0x${hex(len)} (${data})`
  );
}

/**
 * Mirrors `result()`: "%s: result #%u: '%s' with src_off=0x%x dst_off=0x%x len=0x%x (%lu)".
 * `data` is an unsigned long; an errno (-1..-4095, i.e. `IS_ERR_VALUE()`) prints signed
 * with %ld, any other negative value wraps as the kernel's unsigned long would.
 */
export function dmatestResultLine(
  threadName: string,
  testNo: number,
  resultText: string,
  srcOff: number,
  dstOff: number,
  len: number,
  data: number | bigint,
): string {
  const d = u64(toBig(data));
  const text = d >= u64(-MAX_ERRNO) ? BigInt.asIntN(64, d).toString() : d.toString();
  return resultLine(threadName, testNo, resultText, srcOff, dstOff, len, text);
}

/**
 * Mirrors `dbg_result()` (the pr_debug variant used by `verbose_result()` when not verbose):
 * same text as {@link dmatestResultLine} but `data` is always printed with %lu.
 */
export function dmatestDbgResultLine(
  threadName: string,
  testNo: number,
  resultText: string,
  srcOff: number,
  dstOff: number,
  len: number,
  data: number | bigint,
): string {
  return resultLine(
    threadName,
    testNo,
    resultText,
    srcOff,
    dstOff,
    len,
    u64(toBig(data)).toString(),
  );
}

/**
 * Mirrors `dmatest_persec(s64 runtime, unsigned int val)`: `val` per second as an 8-bit
 * fixed-point value, 0 when runtime <= 0. Arithmetic wraps like the kernel's u64/u32.
 *
 * The kernel's "drop precision until runtime is 32-bits" loop doubles per_sec while halving
 * runtime, so for runtimes above UINT_MAX us (~71.6 min) the rate is 4x too big per
 * iteration; reproduced as is.
 */
export function dmatestPersec(runtimeUs: number | bigint, val: number | bigint): bigint {
  let runtime = BigInt.asIntN(64, toBig(runtimeUs));
  let perSec = 1_000_000n;
  if (runtime <= 0n) return 0n;
  while (runtime > UINT_MAX) {
    runtime >>= 1n;
    perSec = u64(perSec << 1n);
  }
  perSec = u64(perSec * BigInt.asUintN(32, toBig(val)));
  perSec = intToFixpt(perSec);
  // do_div(per_sec, (u32)runtime): u64 by u32, truncating.
  return perSec / BigInt.asUintN(32, runtime);
}

/**
 * Mirrors `dmatest_KBs()`: FIXPT_TO_INT(dmatest_persec(runtime, len >> 10)). The KiB count
 * passes through dmatest_persec's `unsigned int` parameter, so it wraps at 4 TiB.
 */
export function dmatestKBs(runtimeUs: number | bigint, totalLenBytes: number | bigint): bigint {
  return fixptToInt(dmatestPersec(runtimeUs, u64(toBig(totalLenBytes)) >> 10n));
}

/**
 * Mirrors the `pr_info()` at the end of `dmatest_func()`:
 * "%s: summary %u tests, %u failures %llu.%02llu iops %llu KB/s (%d)", where the iops are
 * dmatest_persec(runtime, total_tests) and the KB/s dmatest_KBs(runtime, total_len).
 * `runtimeUs` is the kernel's runtime: wall time minus fill and compare time, in us.
 */
export function dmatestSummaryLine(
  threadName: string,
  totalTests: number,
  failedTests: number,
  runtimeUs: number | bigint,
  totalLen: number | bigint,
  ret: number,
): string {
  const iops = dmatestPersec(runtimeUs, totalTests >>> 0);
  const frac = fixptGetFrac(iops).toString().padStart(2, '0');
  return (
    `${threadName}: summary ${totalTests >>> 0} tests, ${failedTests >>> 0} failures ` +
    `${fixptToInt(iops)}.${frac} iops ${dmatestKBs(runtimeUs, totalLen)} KB/s (${ret | 0})`
  );
}
