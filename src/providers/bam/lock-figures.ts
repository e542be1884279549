import { BREG, LOCK_SAMPLES, PIPE } from './regs.js';

/** Where one lock figure lives: a pipe's sum, sample count and samples, and the BAM's total. */
const FIGURE = {
  wait: {
    sum: PIPE.WAIT_US,
    n: PIPE.WAIT_N,
    samples: PIPE.WAIT_SAMPLES,
    total: BREG.TOTAL_WAIT_US,
  },
  hold: {
    sum: PIPE.HOLD_US,
    n: PIPE.HOLD_N,
    samples: PIPE.HOLD_SAMPLES,
    total: BREG.TOTAL_HOLD_US,
  },
} as const;

/**
 * The engine's record of one lock wait (from the moment a LOCK descriptor reached the
 * head of its pipe to the moment the lock was its group's) or hold (LOCK to UNLOCK), in
 * microseconds of run clock: the pipe's sum and samples, the BAM's total.
 */
export function recordLockFigure(
  a: Int32Array,
  regs: number,
  pipe: number,
  kind: keyof typeof FIGURE,
  us: number,
): void {
  const f = FIGURE[kind];
  const n = a[pipe + f.n]!;
  a[pipe + f.samples + (n % LOCK_SAMPLES)] = us;
  Atomics.store(a, pipe + f.n, n + 1);
  Atomics.add(a, pipe + f.sum, us);
  Atomics.add(a, regs + f.total, us);
}

/** One pipe's lock figures, as the BAM's hardware counted them. */
export interface PipeLockFigures {
  /** Locks its group took through this pipe. */
  locks: number;
  /** Data bytes it forwarded, hardware descriptors it processed. */
  bytes: number;
  descriptors: number;
  waitMsTotal: number;
  holdMsTotal: number;
  waitMsP50: number;
  waitMsP99: number;
  holdMsP50: number;
  holdMsP99: number;
}

/** The p-th percentile (0..1, nearest rank) of `values`, 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function samples(a: Int32Array, pipe: number, kind: keyof typeof FIGURE): number[] {
  const f = FIGURE[kind];
  const n = Math.min(LOCK_SAMPLES, Atomics.load(a, pipe + f.n));
  return Array.from({ length: n }, (_, i) => a[pipe + f.samples + i]! / 1000);
}

/**
 * A pipe's figures read from its registers (BAM debug registers, as a driver's debugfs
 * would show them). Medians and p99 are over its latest LOCK_SAMPLES locks; totals over all.
 */
export function pipeLockFigures(a: Int32Array, pipe: number): PipeLockFigures {
  const wait = samples(a, pipe, 'wait');
  const hold = samples(a, pipe, 'hold');
  return {
    locks: Atomics.load(a, pipe + PIPE.LOCKS),
    bytes: Atomics.load(a, pipe + PIPE.DATA_BYTES),
    descriptors: Atomics.load(a, pipe + PIPE.DESCS),
    waitMsTotal: Atomics.load(a, pipe + PIPE.WAIT_US) / 1000,
    holdMsTotal: Atomics.load(a, pipe + PIPE.HOLD_US) / 1000,
    waitMsP50: percentile(wait, 0.5),
    waitMsP99: percentile(wait, 0.99),
    holdMsP50: percentile(hold, 0.5),
    holdMsP99: percentile(hold, 0.99),
  };
}

/** The BAM's own totals over every pipe (what the pipes' figures must add up to). */
export function bamTotals(
  a: Int32Array,
  regs: number,
): { bytes: number; descriptors: number; locks: number; waitMs: number; holdMs: number } {
  return {
    bytes: Atomics.load(a, regs + BREG.TOTAL_BYTES),
    descriptors: Atomics.load(a, regs + BREG.TOTAL_DESCS),
    locks: Atomics.load(a, regs + BREG.TOTAL_LOCKS),
    waitMs: Atomics.load(a, regs + BREG.TOTAL_WAIT_US) / 1000,
    holdMs: Atomics.load(a, regs + BREG.TOTAL_HOLD_US) / 1000,
  };
}
