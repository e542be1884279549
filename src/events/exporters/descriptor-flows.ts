import type { FlowPhase } from './trace-event.js';
import type { TraceThread } from './trace-thread.js';

/**
 * The flows of a trace that follow each descriptor from submit through the engine to its
 * callback. A descriptor is its pool slot and the slot's generation: slots are reused, and
 * a step of another generation belongs to no open flow. Each submit starts a new flow id.
 */
export class DescriptorFlows {
  /** Open flows by slot: the generation submitted and the flow's id. */
  private readonly open = new Map<number, { gen: number; id: number }>();
  private nextId = 1;

  /** dmaengine_submit() of slot `desc` (generation `gen`) on thread `t`. */
  start(t: TraceThread, ts: string, desc: number, gen: number): void {
    const id = this.nextId++;
    this.open.set(desc, { gen, id });
    t.flow('s', ts, id);
  }

  /** A step of the descriptor's way (the engine starts it, finishes it). */
  step(t: TraceThread, ts: string, desc: number, gen: number): void {
    this.mark('t', t, ts, desc, gen);
  }

  /** Its callback: the end of its way. */
  end(t: TraceThread, ts: string, desc: number, gen: number): void {
    if (this.mark('f', t, ts, desc, gen)) this.open.delete(desc);
  }

  private mark(ph: FlowPhase, t: TraceThread, ts: string, desc: number, gen: number): boolean {
    const f = this.open.get(desc);
    if (f === undefined || f.gen !== gen) return false;
    t.flow(ph, ts, f.id);
    return true;
  }
}
