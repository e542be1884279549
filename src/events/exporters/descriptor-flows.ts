import { flow, jsonText, type FlowPhase } from './trace-event.js';

const NAME = jsonText('descriptor');
const CAT = jsonText('dma');

/**
 * The flows of a trace that follow each descriptor from submit through the engine to its
 * callback. A descriptor is its pool slot and the slot's generation: slots are reused, and
 * a step of another generation belongs to no open flow. Each submit starts a new flow id.
 */
export class DescriptorFlows {
  /** Open flows by slot: the generation submitted and the flow's id. */
  private readonly open = new Map<number, { gen: number; id: number }>();
  private nextId = 1;

  /** @param put writes one trace-event record */
  constructor(private readonly put: (record: string) => void) {}

  /** dmaengine_submit() of slot `desc` (generation `gen`) on thread `tid`. */
  start(tid: number, ts: number, desc: number, gen: number): void {
    const id = this.nextId++;
    this.open.set(desc, { gen, id });
    this.put(flow('s', tid, ts, id, NAME, CAT));
  }

  /** A step of the descriptor's way (the engine starts it, finishes it). */
  step(tid: number, ts: number, desc: number, gen: number): void {
    this.mark('t', tid, ts, desc, gen);
  }

  /** Its callback: the end of its way. */
  end(tid: number, ts: number, desc: number, gen: number): void {
    if (this.mark('f', tid, ts, desc, gen)) this.open.delete(desc);
  }

  private mark(ph: FlowPhase, tid: number, ts: number, desc: number, gen: number): boolean {
    const f = this.open.get(desc);
    if (f === undefined || f.gen !== gen) return false;
    this.put(flow(ph, tid, ts, f.id, NAME, CAT));
    return true;
  }
}
