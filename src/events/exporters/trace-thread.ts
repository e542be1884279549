import { ThreadRecords, type FlowPhase } from './trace-event.js';
import { toNs, usText } from './time-text.js';

/** An open slice: what it stands for (`kind`, `key`: a lock id, a descriptor) and its texts. */
interface Frame {
  kind: string;
  key: number;
  what: string;
  args: string;
}

/**
 * One thread of a trace (an actor): its open duration slices, innermost last, which must
 * nest, and its clock. A slice that ends under others (a lock released out of order) ends
 * them too, and they begin again at once, so that the B/E records always nest.
 */
export class TraceThread {
  private readonly stack: Frame[] = [];
  private readonly records: ThreadRecords;
  /** Last ts written on this thread (ns). */
  private last = -Infinity;

  /** @param write writes one trace-event record */
  constructor(
    readonly tid: number,
    private readonly write: (record: string) => void,
  ) {
    this.records = new ThreadRecords(tid);
  }

  /** Whether no slice is open. */
  idle(): boolean {
    return this.stack.length === 0;
  }

  /**
   * The ts of an event of this thread at run time `ms`, as text: nudged 1 ns past the
   * thread's last when not later (a controlled run's virtual clock stands still between
   * points), so that viewers keep the order of begins, ends and flows on the thread.
   */
  ts(ms: number): string {
    const x = toNs(ms);
    this.last = x > this.last ? x : this.last + 1;
    return usText(this.last);
  }

  /** Begins a slice (`what` from nameCat(), args a JSON text). */
  open(ts: string, kind: string, key: number, what: string, args: string): void {
    this.stack.push({ kind, key, what, args });
    this.write(this.records.begin(ts, what, args));
  }

  /**
   * Ends the innermost open slice of `kind` and `key`, with `args` merged into it; an end
   * without its beginning (recording began inside the call) is dropped.
   */
  close(ts: string, kind: string, key: number, args: string): void {
    const st = this.stack;
    let i = st.length - 1;
    while (i >= 0 && !(st[i]!.kind === kind && st[i]!.key === key)) i--;
    if (i < 0) return;
    const above = st.splice(i + 1);
    for (let k = above.length; k > 0; k--) this.write(this.records.end(ts, '{}'));
    st.pop();
    this.write(this.records.end(ts, args));
    for (const f of above) this.open(ts, f.kind, f.key, f.what, f.args);
  }

  /** Ends every open slice at `ts`. */
  closeAll(ts: string): void {
    for (let k = this.stack.length; k > 0; k--) this.write(this.records.end(ts, '{}'));
    this.stack.length = 0;
  }

  /** An instant event on this thread. */
  instant(ts: string, what: string, args: string): void {
    this.write(this.records.instant(ts, what, args));
  }

  /** A flow event bound to the slice open on this thread. */
  flow(ph: FlowPhase, ts: string, id: number): void {
    this.write(this.records.flow(ph, ts, id));
  }
}
