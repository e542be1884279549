import { defineLayout } from '../../shm/layout.js';

/**
 * The crypto engine's registers (its first words; its input FIFO's PORT block follows):
 *
 *   VERSION     read-only; the scratchpad the BAM's LOCK/UNLOCK dummy writes go to
 *   CFG, KEY    a job's configuration (mode, key)
 *   SEG_SIZE    the bytes of the next job
 *   GO          writing 1 queues a job (GO_COUNT); the engine starts it when the one
 *               running ends, latching KEY and SEG_SIZE then
 *   STATUS      reads BUSY while a job is queued or running, DONE once a result is in RESULT
 *   RESULT      the last job's digest of its bytes
 *   JOBS        jobs finished (BUSY is JOBS != GO_COUNT: two counters, each with one writer)
 *   LOCK_EE     the execution environment the BAM pipe lock holds it for, + 1 (0: none)
 *   JOB_*       the running job as latched when it started (its key and length, bytes
 *               processed); GO_EE the EE that wrote the last GO
 *   BUSY_WRITES config register writes that found it busy; ABORTS accesses refused
 *               because another EE held the lock (each also a violation)
 */
export const QCE_REGS = defineLayout(
  [
    'VERSION',
    'CFG',
    'KEY',
    'SEG_SIZE',
    'GO',
    'STATUS',
    'RESULT',
    'JOBS',
    'GO_COUNT',
    'LOCK_EE',
    'JOB_KEY',
    'JOB_LEN',
    'JOB_DONE',
    'GO_EE',
    'BUSY_WRITES',
    'ABORTS',
  ],
  {},
  16,
);

/** Bits of STATUS. */
export const QceStatus = { BUSY: 1, DONE: 2 } as const;

/** The registers a job is configured by: writing one while BUSY corrupts the running job. */
export const QCE_CONFIG_REGS: ReadonlySet<number> = new Set([
  QCE_REGS.CFG,
  QCE_REGS.KEY,
  QCE_REGS.SEG_SIZE,
  QCE_REGS.GO,
]);

/** Whether a job is queued or running. */
export function qceBusy(w: Int32Array, r: number): boolean {
  return Atomics.load(w, r + QCE_REGS.JOBS) !== Atomics.load(w, r + QCE_REGS.GO_COUNT);
}

/** The value VERSION reads (QCE 5.1). */
export const QCE_VERSION = 0x50010000;

/**
 * The digest a job computes (FNV-1a over its bytes, seeded and finished with its key), as
 * a client computes the result it expects: a job whose key register was rewritten while it
 * ran, or whose FIFO carried another job's bytes, ends with another value.
 */
export function qceDigestInit(key: number): number {
  return (0x811c9dc5 ^ key) | 0;
}

export function qceDigestByte(h: number, b: number): number {
  return Math.imul(h ^ b, 16777619);
}

export function qceDigestFinal(h: number, key: number): number {
  return (h ^ key) | 0;
}

/** The digest of `len` bytes at `at` with `key` (the client's expectation). */
export function qceDigest(bytes: Uint8Array, at: number, len: number, key: number): number {
  let h = qceDigestInit(key);
  for (let i = 0; i < len; i++) h = qceDigestByte(h, bytes[at + i]!);
  return qceDigestFinal(h, key);
}
