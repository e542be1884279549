import type { EVENT_TABLE, EventKind } from './kinds.js';

/** Where the event was produced: a CPU's context, or the hardware (an engine). */
export type EventContext = 'process' | 'softirq' | 'hardirq' | 'hw';

/** What every event carries. */
export interface EventBase {
  /** Position in the run's one total order (0, 1, 2, ... with no gaps). */
  seq: number;
  /** Milliseconds since the run started. */
  time: number;
  /** The actor that produced it: `cpu0`, `dma0` (an engine), ... */
  actor: string;
  context: EventContext;
}

type Fields<K extends EventKind> = {
  readonly [F in (typeof EVENT_TABLE)[K]['fields'][number]]: number;
};

/** One event of kind K. */
export type DmaEventOf<K extends EventKind> = EventBase & { kind: K } & Fields<K>;

/** The event union: narrow on `kind`. */
export type DmaEvent = { [K in EventKind]: DmaEventOf<K> }[EventKind];
