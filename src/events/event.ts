import type { EVENT_TABLE } from './kinds.js';

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

/**
 * Kinds declared outside the core table (defineEventKinds), for the type of the event
 * union: kind name -> `{ level, fields }`. Empty here; a module that declares kinds adds
 * its table by augmentation:
 *
 *   declare module 'dmasim' { interface DeclaredEventKinds extends MyKinds {} }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface DeclaredEventKinds {}

type KindTable = typeof EVENT_TABLE & DeclaredEventKinds;

/** Every kind of the event union: the core's and the declared ones. */
export type EventKind = Extract<keyof KindTable, string>;

type Fields<K extends EventKind> = KindTable[K] extends {
  fields: readonly (infer F extends string)[];
}
  ? { readonly [P in F]: number }
  : never;

/** One event of kind K. */
export type DmaEventOf<K extends EventKind> = EventBase & { kind: K } & Fields<K>;

/**
 * A record whose code no module loaded on the host declared (a kind declared only in the
 * actors' threads): delivered, hashed and counted rather than dropped.
 */
export type UnknownEvent = EventBase & {
  kind: 'unknown';
  /** The record's kind code. */
  code: number;
  /** Its eight payload words. */
  words: readonly number[];
};

/** The event union: narrow on `kind`. */
export type DmaEvent = { [K in EventKind]: DmaEventOf<K> }[EventKind] | UnknownEvent;
