import { parentPort, workerData } from 'node:worker_threads';
import { EventRing, RECORD_WORDS, RING } from '../../src/shm/event-ring.js';
import { EventEmitter } from '../../src/events/emitter.js';
import { WallClock as RunClock } from '../../src/sched/run-clock.js';
import { EventCode } from '../../src/events/kinds.js';

// The producer side of the event pipeline: submit events recorded exactly as an actor
// records them at --events all ('emit'), or bare ring records with nothing around them
// ('bare', the baseline). 'flood' emits `count` as fast as the ring lets it; 'batches'
// times each ring-full of records, into an empty ring, and posts the times (ms).
const { ring, control, count, epoch, how, batches } = workerData as {
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  count: number;
  epoch: number;
  how: 'emit' | 'bare';
  batches: number;
};
const r = new EventRing(ring);
const w = r.words;
const cap = r.capacity;
const emitter = new EventEmitter(
  r,
  new Int32Array(control),
  new RunClock(epoch),
  2,
  new Float64Array(8),
  0,
);
let seq = 0;

/** `n` records from seq on, the bare way: payload, time, the publishing store. */
function bare(n: number): void {
  for (let k = 0; k < n; k++, seq++) {
    if (seq - Atomics.load(w, RING.HEAD) >= cap) while (seq - Atomics.load(w, RING.HEAD) >= cap);
    const base = RING.WORDS + (seq & (cap - 1)) * RECORD_WORDS;
    w[base] = seq;
    w[base + 1] = EventCode.submit;
    w[base + 2] = 0;
    w[base + 3] = seq;
    w[base + 4] = seq + 1;
    w[base + 5] = 1;
    w[base + 6] = 0;
    w[base + 7] = 0;
    w[base + 8] = 0;
    w[base + 9] = 0;
    r.setTimeAt(base, seq);
    Atomics.store(w, RING.TAIL, seq + 1);
  }
}

function emit(n: number): void {
  for (let k = 0; k < n; k++, seq++) emitter.emit(EventCode.submit, 0, 0, seq, seq + 1, 1);
}

const produce = how === 'emit' ? emit : bare;
if (batches > 0) {
  const times: number[] = [];
  for (let b = 0; b < batches; b++) {
    // Wait for the host to free the ring: its lines are then the host's, as in a run.
    for (let head = Atomics.load(w, RING.HEAD); head !== seq; head = Atomics.load(w, RING.HEAD)) {
      Atomics.store(w, RING.PRODUCER_WAITING, 1);
      if (Atomics.load(w, RING.HEAD) === head) Atomics.wait(w, RING.HEAD, head, 5);
    }
    const t0 = performance.now();
    produce(cap);
    times.push(performance.now() - t0);
  }
  parentPort?.postMessage(times);
} else {
  produce(count);
}
