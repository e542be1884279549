import { sliceBegin, sliceEnd } from './trace-event.js';
import { toNs } from './time-text.js';

/** An open slice: what it stands for (`kind`, `key`: a lock id, a descriptor) and its texts. */
interface Frame {
  kind: string;
  key: number;
  name: string;
  cat: string;
  args: string;
}

/**
 * One thread of a trace (an actor): its open duration slices, innermost last, which must
 * nest, and its clock. A slice that ends under others (a lock released out of order) ends
 * them too, and they begin again at once, so that the B/E records always nest.
 */
export class TraceThread {
  private readonly stack: Frame[] = [];
  /** Last ts written on this thread (ns). */
  private last = -Infinity;

  /** @param put writes one trace-event record */
  constructor(
    readonly tid: number,
    private readonly put: (record: string) => void,
  ) {}

  /** Whether no slice is open. */
  idle(): boolean {
    return this.stack.length === 0;
  }

  /**
   * The ts (ns) of an event of this thread at run time `ms`: nudged 1 ns past the thread's
   * last when not later (a controlled run's virtual clock stands still between points), so
   * that viewers keep the order of begins, ends and flows on the thread.
   */
  ts(ms: number): number {
    const x = toNs(ms);
    this.last = x > this.last ? x : this.last + 1;
    return this.last;
  }

  /** Begins a slice (name, cat and args are JSON texts). */
  open(ts: number, kind: string, key: number, name: string, cat: string, args: string): void {
    this.stack.push({ kind, key, name, cat, args });
    this.put(sliceBegin(this.tid, ts, name, cat, args));
  }

  /**
   * Ends the innermost open slice of `kind` and `key`, with `args` merged into it; an end
   * without its beginning (recording began inside the call) is dropped.
   */
  close(ts: number, kind: string, key: number, args: string): void {
    const st = this.stack;
    let i = st.length - 1;
    while (i >= 0 && !(st[i]!.kind === kind && st[i]!.key === key)) i--;
    if (i < 0) return;
    const above = st.splice(i + 1);
    for (let k = above.length; k > 0; k--) this.put(sliceEnd(this.tid, ts, '{}'));
    st.pop();
    this.put(sliceEnd(this.tid, ts, args));
    for (const f of above) this.open(ts, f.kind, f.key, f.name, f.cat, f.args);
  }

  /** Ends every open slice at `ts`. */
  closeAll(ts: number): void {
    for (let k = this.stack.length; k > 0; k--) this.put(sliceEnd(this.tid, ts, '{}'));
    this.stack.length = 0;
  }
}
