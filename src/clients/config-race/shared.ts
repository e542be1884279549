import { defineLayout } from '../../shm/layout.js';

/**
 * config-race shared state: the module word, then one struct per stream. A client (CPU c)
 * has two streams: 0 in process context, 1 chained from completion callbacks.
 *
 *   INFO.READY     1 once cpu0 requested the channel
 *   INFO.FINISHED  clients whose process loop ended
 *   STREAM.DONE    completions of the stream; WQ its wait queue
 *   STREAM.SRC / FIFO  its source buffer and its device FIFO window (SLOTS[s] slots of len)
 *   STREAM.SUBMITTED   transfers submitted (transfer k goes to slot k % SLOTS[s])
 *   STREAM.STOP    1: the callback chain stops re-preparing
 *   STREAM.IDLE    1: nothing of the stream in flight
 */
export const INFO = defineLayout(['READY', 'FINISHED', 'FINISHED_WQ'], {}, 16);
export const STREAM = defineLayout(
  ['DONE', 'WQ', 'SRC', 'FIFO', 'STOP', 'IDLE', 'PREP_FAILURES', 'ERRORS', 'SUBMITTED'],
  {},
  16,
);

/**
 * Transfers a stream keeps in flight (process-context, callback-chained), each to its own
 * slot of the stream's FIFO window with its own config, as nvmet keeps several transfers
 * of a queue going: the CPU is busy configuring and preparing while completions arrive.
 * The chained stream keeps one: its first transfer is submitted from process context, and
 * a second one there could be interleaved with the first one's callback re-preparing.
 */
export const SLOTS = [4, 1] as const;

/** Streams per client. */
export const STREAMS = 2;

/** Word offset of stream `s` of client `c`. */
export function streamBase(c: number, s: number): number {
  return INFO.WORDS + (c * STREAMS + s) * STREAM.WORDS;
}

/** Shared words for `clients` clients. */
export function configRaceWords(clients: number): number {
  return INFO.WORDS + clients * STREAMS * STREAM.WORDS;
}

/** The byte a stream's transfers carry: distinct per stream, never 0 (a cleared window). */
export function streamByte(c: number, s: number): number {
  return 0x41 + ((c * STREAMS + s) % 190);
}
