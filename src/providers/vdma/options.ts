import type { ParamDef } from '../../platform/param-schema.js';

/** Residue granularity a provider reports (enum dma_residue_granularity). */
export type ResidueGranularity = 'descriptor' | 'segment' | 'burst';

/** Options of a vdma controller (a generic virt-dma engine). */
export interface VdmaOptions {
  /** Copy bandwidth in MB/s; 0 means as fast as the host can copy. */
  bandwidth: number;
  /** Fixed latency per descriptor, in microseconds. */
  latency: number;
  /** Probability that a transfer gets one byte flipped (a broken engine). */
  corrupt: number;
  residue: ResidueGranularity;
  /** Bytes per burst, for BURST residue and bandwidth pacing. */
  burst: number;
  /** Where completion callbacks run: the tasklet (softirq, as virt-dma) or the irq handler. */
  callbackContext: 'softirq' | 'hardirq';
  /** The PL08x bug: the tasklet invokes callbacks with vc.lock held (a scenario's variant). */
  callbackUnderLock: boolean;
  /** The driver implements device_prep_config_sg (a scenario's variant). */
  prepConfigSg: boolean;
  /** alloc_chan_resources refuses a runtime-suspended client device (-EACCES). */
  clientPm: boolean;
  /** The engine checks each segment against KASAN's shadow (freed kmalloc memory). */
  kasan: boolean;
  /**
   * terminate_all parks descriptors with vchan_terminate_vdesc() (the fix, default); false:
   * it frees a cyclic descriptor at once and leaves vc->cyclic naming it (a scenario's variant).
   */
  terminateVdesc?: boolean;
  /** desc_metadata_modes the controller advertises. */
  metadata: 'both' | 'client' | 'engine' | 'none';
  /** A two-deep pipeline: the next descriptor's source is read before this one's write-back, unless DMA_PREP_FENCE. */
  pipeline: boolean;
}

/** vdma's options that are flags; the last two are chosen by a scenario's plan only. */
export const VDMA_OPTION_DEFS: readonly ParamDef[] = [
  {
    key: 'corrupt',
    flag: 'corrupt',
    kind: 'number',
    default: 0,
    min: 0,
    max: 1,
    help: 'probability that the engine flips a byte of a transfer',
  },
  {
    key: 'bandwidth',
    flag: 'bandwidth',
    kind: 'uint',
    default: 0,
    help: 'engine copy bandwidth in MB/s (0: unlimited)',
  },
  {
    key: 'latency',
    flag: 'latency',
    kind: 'uint',
    default: 0,
    help: 'engine latency per descriptor in us',
  },
  {
    key: 'residue',
    flag: 'residue',
    kind: 'choice',
    default: 'burst',
    choices: ['descriptor', 'segment', 'burst'],
    help: 'residue granularity the provider reports',
  },
  {
    key: 'burst',
    flag: 'burst',
    kind: 'uint',
    default: 64,
    min: 1,
    help: 'bytes per hardware burst (BURST residue, pacing)',
  },
  {
    key: 'callbackContext',
    flag: 'callback-context',
    kind: 'choice',
    default: 'softirq',
    choices: ['softirq', 'hardirq'],
    help: 'where vdma runs completion callbacks: its tasklet, or its irq handler',
  },
  {
    key: 'clientPm',
    flag: 'client-pm',
    kind: 'bool',
    default: false,
    help: 'alloc_chan_resources resumes the client device and refuses a suspended one (-EACCES)',
  },
  {
    key: 'kasan',
    flag: 'kasan',
    kind: 'bool',
    default: true,
    help: 'the engine checks what it reads and writes against KASAN (use-after-free of kmalloc memory)',
  },
  {
    key: 'metadata',
    flag: 'metadata',
    kind: 'choice',
    default: 'both',
    choices: ['both', 'client', 'engine', 'none'],
    help: 'descriptor metadata modes vdma advertises (DESC_METADATA_CLIENT, _ENGINE)',
  },
  {
    key: 'pipeline',
    flag: 'pipeline',
    kind: 'bool',
    default: false,
    help: 'read the next descriptor before this one is written back unless it has DMA_PREP_FENCE',
  },
];

/** Defaults of the options no flag sets. */
export const VDMA_VARIANT_DEFAULTS: Pick<
  VdmaOptions,
  'callbackUnderLock' | 'prepConfigSg' | 'terminateVdesc'
> = {
  callbackUnderLock: false,
  prepConfigSg: false,
  terminateVdesc: true,
};
