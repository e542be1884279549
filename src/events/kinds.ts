/**
 * The core's event kinds, their recording levels and payload fields (at most 8 int32
 * words): what the simulated kernel, the DMA engine core and its providers record. Clients
 * declare their own kinds beside them (defineEventKinds). The event union, the binary codec
 * and the level filter are derived from this table and those declarations.
 */
export const EVENT_TABLE = {
  'chan.request': { level: 0, fields: ['chan', 'clientCount'] },
  'chan.release': { level: 0, fields: ['chan', 'clientCount'] },
  config: { level: 0, fields: ['chan', 'gen', 'direction', 'srcAddr', 'dstAddr'] },
  misuse: { level: 0, fields: ['rule', 'chan', 'value'] },
  prep: {
    level: 1,
    fields: ['chan', 'desc', 'op', 'len', 'flags', 'cfgGen', 'srcAddr', 'dstAddr'],
  },
  // `gen` with `desc` names one descriptor across the reuse of its slot (DESC.GEN).
  submit: { level: 1, fields: ['chan', 'desc', 'cookie', 'gen'] },
  issue: { level: 1, fields: ['chan', 'moved'] },
  status: { level: 1, fields: ['chan', 'cookie', 'status', 'residue'] },
  'callback.begin': { level: 1, fields: ['chan', 'desc', 'result', 'residue', 'gen'] },
  'callback.end': { level: 1, fields: ['chan', 'desc', 'gen'] },
  terminate: { level: 1, fields: ['chan', 'aborted'] },
  'engine.start': { level: 2, fields: ['chan', 'desc', 'len', 'gen'] },
  'engine.done': { level: 2, fields: ['chan', 'desc', 'len', 'corrupted', 'gen'] },
  irq: { level: 2, fields: ['chan', 'completed'] },
  tasklet: { level: 2, fields: ['chan', 'callbacks'] },
  /** A consumer API call begins and returns; `api` is its entry label (sched/labels.ts ApiPoint). */
  'api.entry': { level: 2, fields: ['api'] },
  'api.exit': { level: 2, fields: ['api'] },
  /** The kernel's tracepoints of the same names; the irq line is the channel index. */
  irq_handler_entry: { level: 2, fields: ['irq'] },
  irq_handler_exit: { level: 2, fields: ['irq'] },
  softirq_entry: { level: 2, fields: ['vec'] },
  softirq_exit: { level: 2, fields: ['vec'] },
  /** `tasklet` is the TASKLET table entry (a vchan's: see DmaChan.tasklet). */
  tasklet_entry: { level: 2, fields: ['tasklet'] },
  tasklet_exit: { level: 2, fields: ['tasklet'] },
  /**
   * Controlled runs: the token goes from this actor to actor `next` (`nextIrq`: to take its
   * interrupts); `prevState` is this actor's ActorSchedState, `label` the point it stopped at.
   */
  sched_switch: { level: 2, fields: ['next', 'nextIrq', 'prevState', 'label'] },
  'lock.acquire': {
    level: 3,
    fields: ['lock', 'lockClass', 'lockKind', 'hardirqsOn', 'softirqsOn', 'depth'],
  },
  'lock.contended': { level: 3, fields: ['lock', 'lockClass', 'owner'] },
  'lock.release': { level: 3, fields: ['lock', 'lockClass', 'holdNs', 'waitNs', 'held'] },
  might_sleep: {
    level: 0,
    fields: ['what', 'inAtomic', 'irqsDisabled', 'preemptCount', 'locksHeld'],
  },
  /**
   * A report of driver code (kernel/report/): WARN*, BUG*, lockdep_assert_held() or a
   * user's reportViolation(); `type` is its ReportType, `text` its id in the run's string
   * table (-1: lost).
   */
  report: { level: 0, fields: ['type', 'text'] },
  /** vchan_cyclic_callback(): a period of cyclic `desc` elapsed; `periods` counts them. */
  'cyclic.period': { level: 2, fields: ['chan', 'desc', 'periods'] },
  /** vchan_complete() took vc->cyclic: one callback for `periods` elapsed periods. */
  'cyclic.callback': { level: 1, fields: ['chan', 'desc', 'periods', 'gen'] },
} as const satisfies Record<string, { level: 0 | 1 | 2 | 3; fields: readonly string[] }>;

/** A kind of the core table. */
export type CoreEventKind = keyof typeof EVENT_TABLE;

/** Core kinds in code order: a core kind's code is its index here. */
export const EVENT_KINDS = Object.keys(EVENT_TABLE) as CoreEventKind[];

/** Numeric codes, for the hot path: `EventCode['prep']`. */
export const EventCode = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as {
  readonly [K in CoreEventKind]: number;
};

/**
 * How much a run records.
 * - `lifecycle`: channel request/release, slave config, misuse, kernel reports (WARN, BUG,
 *   ...), and client results that the kernel prints at info level (dmatest failures and
 *   summaries, verify errors).
 * - `api`: adds every consumer call (prep, submit, issue, status, terminate), each
 *   callback's begin/end, and dmatest's passed results (what `verbose=1` prints).
 * - `all`: adds the hardware and interrupt path (engine start/done, irq, tasklet, and the
 *   entry and exit of irq handlers, softirqs and tasklets), each consumer call's entry and
 *   exit, and a controlled run's context switches: what a timeline needs.
 * Lock events (level 3) are recorded when lockdep is on, whatever the level: the validator
 * needs every acquisition and release.
 */
export const EVENT_LEVELS = ['lifecycle', 'api', 'all'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** Level of lock events: recorded iff the run has lockdep on. */
export const LOCKDEP_LEVEL = 3;
