/**
 * Records of the Chrome trace-event format (the JSON Perfetto and chrome://tracing open),
 * each as one JSON object text that starts with the `,` separating it from the one before
 * (the file's first record is written apart). One process (pid 1) is the machine; each
 * actor is a thread. Times are the format's microseconds, as text (usText). A record is
 * built from few, mostly constant pieces: the exporter writes one or two for every event.
 */

/** The one pid of the machine. */
const TRACE_PID = 1;

/** A JSON string literal for `s`. */
export function jsonText(s: string): string {
  return JSON.stringify(s);
}

/** What a slice or instant is: `,"name":…,"cat":…,"args":`, made once per name. */
export function nameCat(name: string, cat: string): string {
  return `,"name":${jsonText(name)},"cat":${jsonText(cat)},"args":`;
}

/** Metadata (ph M): process_name, thread_name, thread_sort_index. */
export function metadata(name: string, tid: number | null, args: string): string {
  const thread = tid === null ? '' : `,"tid":${tid}`;
  return `,\n{"ph":"M","pid":${TRACE_PID}${thread},"name":"${name}","args":${args}}`;
}

/** An instant event (ph i) of the whole trace, not of one thread. */
export function globalInstant(ts: string, what: string, args: string): string {
  return `,\n{"ph":"i","pid":${TRACE_PID},"s":"g","ts":${ts}${what}${args}}`;
}

/** A counter sample (ph C): one track per key of `args` (numbers). */
export function counter(ts: string, name: string, args: string): string {
  return `,\n{"ph":"C","pid":${TRACE_PID},"ts":${ts},"name":${name},"args":${args}}`;
}

/** Flow phases: start, step, end. */
export type FlowPhase = 's' | 't' | 'f';

/** Flows are descriptors: one name and category for all (flows match on them and the id). */
const FLOW_TAIL = `,"name":"descriptor","cat":"dma","bp":"e"}`;

/** The records of one thread, their constant heads made once. */
export class ThreadRecords {
  private readonly b: string;
  private readonly e: string;
  private readonly i: string;
  private readonly flowHeads: Record<FlowPhase, string>;

  constructor(readonly tid: number) {
    const head = (ph: string): string => `,\n{"ph":"${ph}","pid":${TRACE_PID},"tid":${tid},"ts":`;
    this.b = head('B');
    this.e = head('E');
    this.i = `,\n{"ph":"i","pid":${TRACE_PID},"tid":${tid},"s":"t","ts":`;
    this.flowHeads = { s: head('s'), t: head('t'), f: head('f') };
  }

  /** The beginning of a duration slice (ph B); `what` from nameCat(). */
  begin(ts: string, what: string, args: string): string {
    return `${this.b}${ts}${what}${args}}`;
  }

  /** The end of the innermost open slice (ph E); its args merge into the slice's. */
  end(ts: string, args: string): string {
    return `${this.e}${ts},"args":${args}}`;
  }

  /** An instant event (ph i) of this thread. */
  instant(ts: string, what: string, args: string): string {
    return `${this.i}${ts}${what}${args}}`;
  }

  /**
   * A flow event (ph s/t/f) with id `id`, bound to the slice open on this thread at `ts`
   * (bp "e": the enclosing slice, for the end too, not the next one).
   */
  flow(ph: FlowPhase, ts: string, id: number): string {
    return `${this.flowHeads[ph]}${ts},"id":${id}${FLOW_TAIL}`;
  }
}
