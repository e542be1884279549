import type { ParamDef } from '../../platform/param-schema.js';

/** Options of a BAM controller. */
export interface BamOptions {
  /** Bytes of each pipe's descriptor FIFO (a power of two; the real one is 32 KiB). */
  descFifo: number;
  /** The BAM supports pipe locking (BAM 1.4.0 and later). */
  pipeLock: boolean;
  /** Execution environments sharing the BAM: each has its pipes and its interrupt line. */
  ees: number;
  /**
   * How the driver ends a locked sequence. `v21`: UNLOCK queued with LOCK, at the tail of
   * the fresh sequence (the series' last version). `v12`: UNLOCK queued by the work handler
   * once desc_issued is empty (a scenario's variant).
   */
  unlock: 'v21' | 'v12';
  /** v19: LOCK and UNLOCK descriptors take cookies and complete as transfers (a variant). */
  cookieLockDesc: boolean;
  /** v12/v13: metadata attach fails with -EOPNOTSUPP on a BAM without pipe locking (a variant). */
  attachEnotsupp: boolean;
}

/** A BAM's options that are flags; the rest are chosen by a scenario's plan. */
export const BAM_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'descFifo',
    flag: 'desc-fifo',
    kind: 'uint',
    default: 32768,
    min: 64,
    max: 32768,
    help: "bytes of each pipe's descriptor FIFO (a power of two; 8 bytes per descriptor)",
  },
  {
    key: 'pipeLock',
    flag: 'pipe-lock',
    kind: 'bool',
    default: true,
    help: 'the BAM supports pipe locking (BAM 1.4.0 and later)',
  },
];

/** Defaults of the options no flag sets. */
export const BAM_VARIANT_DEFAULTS: Pick<
  BamOptions,
  'ees' | 'unlock' | 'cookieLockDesc' | 'attachEnotsupp'
> = {
  ees: 1,
  unlock: 'v21',
  cookieLockDesc: false,
  attachEnotsupp: false,
};
