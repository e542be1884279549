import { defineStruct } from '../../shm/struct.js';
import { declareState, type StateUse } from '../../shm/state-layout.js';

/**
 * config-race shared state: the module's info, then one struct per stream. A client (CPU c)
 * has two streams: 0 in process context, 1 chained from completion callbacks.
 *
 *   info.ready     1 once cpu0 requested the channel
 *   info.finished  clients whose process loop ended
 *   info.api / len the API (1 safe, 0 unsafe) and transfer length every client runs with:
 *                  callbacks read them here, not from a thread's module variables
 *   stream.done    completions of the stream; wq its wait queue
 *   stream.src / fifo  its source buffer and its device FIFO window (SLOTS[s] slots of len)
 *   stream.submitted   transfers submitted (transfer k goes to slot k % SLOTS[s])
 *   stream.stop    1: the callback chain stops re-preparing
 *   stream.idle    1: nothing of the stream in flight
 */
export const CONFIG_RACE_INFO = defineStruct('config_race_info', {
  ready: 'i32',
  finished: 'i32',
  finishedWq: 'waitqueue',
  api: 'i32',
  len: 'i32',
});
export const CONFIG_RACE_STREAM = defineStruct('config_race_stream', {
  done: 'i32',
  wq: 'waitqueue',
  src: 'i32',
  fifo: 'i32',
  stop: 'i32',
  idle: 'i32',
  prepFailures: 'i32',
  errors: 'i32',
  submitted: 'i32',
});

/** The module's info, one per run. */
export const INFO = declareState('config-race.info', CONFIG_RACE_INFO, 'machine');
/** STREAMS per client: stream s of client c is instance c * STREAMS + s. */
export const STREAM_STATE = declareState('config-race.stream', CONFIG_RACE_STREAM, 'machine');

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

/** The shared state `clients` clients need (a plan's `state`). */
export function configRaceState(clients: number): readonly StateUse[] {
  return [INFO, { decl: STREAM_STATE, count: clients * STREAMS }];
}

/** The byte a stream's transfers carry: distinct per stream, never 0 (a cleared window). */
export function streamByte(c: number, s: number): number {
  return 0x41 + ((c * STREAMS + s) % 190);
}
