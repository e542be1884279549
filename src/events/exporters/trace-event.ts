import { usText } from './time-text.js';

/**
 * Records of the Chrome trace-event format (the JSON Perfetto and chrome://tracing open),
 * each as one JSON object text that starts with the `,` separating it from the one before
 * (the file's first record is written apart). One process (pid 1) is the machine; each
 * actor is a thread.
 * Times are given in integer ns and written as the format's microseconds. `name`, `cat` and
 * `args` are JSON texts already (see jsonText): the exporter formats its names once, not at
 * every record.
 */

/** The one pid of the machine. */
export const TRACE_PID = 1;

/** A JSON string literal for `s`. */
export function jsonText(s: string): string {
  return JSON.stringify(s);
}

/** Metadata (ph M): process_name, thread_name, thread_sort_index. */
export function metadata(name: string, tid: number | null, args: string): string {
  const thread = tid === null ? '' : `,"tid":${tid}`;
  return `,\n{"ph":"M","pid":${TRACE_PID}${thread},"name":"${name}","args":${args}}`;
}

/** The beginning of a duration slice (ph B) on thread `tid` at `ts` ns. */
export function sliceBegin(
  tid: number,
  ts: number,
  name: string,
  cat: string,
  args: string,
): string {
  return `,\n{"ph":"B","pid":${TRACE_PID},"tid":${tid},"ts":${usText(ts)},"name":${name},"cat":${cat},"args":${args}}`;
}

/** The end of the innermost open slice of thread `tid` (ph E); its args merge into the slice's. */
export function sliceEnd(tid: number, ts: number, args: string): string {
  return `,\n{"ph":"E","pid":${TRACE_PID},"tid":${tid},"ts":${usText(ts)},"args":${args}}`;
}

/** An instant event (ph i) of thread `tid`, or global when `tid` is null. */
export function instant(
  tid: number | null,
  ts: number,
  name: string,
  cat: string,
  args: string,
): string {
  const where = tid === null ? '"s":"g"' : `"tid":${tid},"s":"t"`;
  return `,\n{"ph":"i","pid":${TRACE_PID},${where},"ts":${usText(ts)},"name":${name},"cat":${cat},"args":${args}}`;
}

/** Flow phases: start, step, end. */
export type FlowPhase = 's' | 't' | 'f';

/**
 * A flow event (ph s/t/f) with id `id`, bound to the slice open on thread `tid` at `ts`
 * (bp "e": the enclosing slice, for the end too, not the next one).
 */
export function flow(
  ph: FlowPhase,
  tid: number,
  ts: number,
  id: number,
  name: string,
  cat: string,
): string {
  return `,\n{"ph":"${ph}","pid":${TRACE_PID},"tid":${tid},"ts":${usText(ts)},"id":${id},"name":${name},"cat":${cat},"bp":"e"}`;
}

/** A counter sample (ph C): one track per key of `args` (numbers). */
export function counter(ts: number, name: string, args: string): string {
  return `,\n{"ph":"C","pid":${TRACE_PID},"ts":${usText(ts)},"name":${name},"args":${args}}`;
}
