/**
 * Every scheduling point has a label from this table, as every event has a kind: the
 * decision log, recorded orders and divergence reports name points by it.
 *
 * `yield`: a busy-poll step (cpu_relax). PCT lowers the polling entity's priority there, as
 * Shuttle does at yield_now, so a strict-priority schedule cannot starve the actor the poller
 * waits for.
 */
const CORE_POINTS = {
  'actor.start': {},
  'actor.exit': {},
  /** The CPU takes its pending interrupts here (recorded, and a choice when controlled). */
  'irq.take': {},
  'irq.enable': {},
  'bh.enable': {},
  spin_lock: {},
  /** Inside the critical section, just after the lock was taken: others run meanwhile. */
  'lock.acquired': {},
  spin_unlock: {},
  mutex_lock: {},
  mutex_unlock: {},
  /** A CPU waits for a lock another holds (spinning, or a sleeping mutex). */
  'lock.wait': {},
  cpu_relax: { yield: true },
  wait_event: {},
  wait_var: {},
  msleep: {},
  /** A driver polls a hardware register (readx_poll_timeout). */
  poll: {},
  /** A CPU whose program ended serves interrupts until the run shuts down. */
  idle: {},
  callback: {},
  'callback/exit': {},
  dma_map_single: {},
  'engine.start': {},
  'engine.burst': {},
  'engine.done': {},
  'engine.irq': {},
  'engine.reset': {},
  'engine.idle': {},
  /** The engine is busy for a while (latency, bandwidth pacing). */
  'engine.delay': {},
} as const satisfies Record<string, { yield?: boolean }>;

/** The consumer API calls: each has an entry point (its name) and an exit (`name/exit`). */
export const API_POINTS = [
  'dma_request_chan',
  'dma_request_channel',
  'dma_release_channel',
  'dmaengine_slave_config',
  'dmaengine_prep_dma_memcpy',
  'dmaengine_prep_slave_sg',
  'dmaengine_prep_config_sg',
  'dmaengine_submit',
  'dma_async_issue_pending',
  'dmaengine_tx_status',
  'dmaengine_terminate_async',
  'dmaengine_synchronize',
  'dmaengine_desc_set_reuse',
  'dmaengine_desc_free',
  'async_tx_ack',
  'dmaengine_terminate_sync',
  'dmaengine_pause',
  'dmaengine_resume',
  'dma_get_slave_caps',
  'dmaengine_prep_dma_cyclic',
  'dmaengine_prep_interleaved_dma',
  'dmaengine_desc_attach_metadata',
  'dmaengine_desc_get_metadata_ptr',
  'dmaengine_desc_set_metadata_len',
  'dma_unmap_single',
  'dma_map_sg',
  'dma_unmap_sg',
  'dma_sync_single_for_cpu',
  'dma_sync_single_for_device',
] as const;
export type ApiPoint = (typeof API_POINTS)[number];

/** Label names in code order: a label's code is its index here. */
export const POINT_LABELS: readonly string[] = [
  ...Object.keys(CORE_POINTS),
  ...API_POINTS.flatMap((a) => [a, `${a}/exit`]),
];

/** Codes of the core labels, for the hot path: `Point['spin_lock']`. */
export const Point = Object.fromEntries(Object.keys(CORE_POINTS).map((k, i) => [k, i])) as {
  readonly [K in keyof typeof CORE_POINTS]: number;
};

const API_BASE = Object.keys(CORE_POINTS).length;

/** Code of an API call's entry point; its exit is the code + 1. */
export const ApiPoint = Object.fromEntries(API_POINTS.map((a, i) => [a, API_BASE + 2 * i])) as {
  readonly [K in ApiPoint]: number;
};

/** Whether label `code` is a busy-poll step (see above). */
export const POINT_YIELDS: readonly boolean[] = POINT_LABELS.map(
  (name) => (CORE_POINTS as Record<string, { yield?: boolean }>)[name]?.yield === true,
);

/** The name of label `code` (for reports). */
export function pointName(code: number): string {
  return POINT_LABELS[code] ?? `point#${code}`;
}
