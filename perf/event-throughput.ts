import { Worker } from 'node:worker_threads';
import { CONTROL } from '../src/shm/control-block.js';
import { EventRing } from '../src/shm/event-ring.js';
import { EventDrain } from '../src/events/drain.js';
import { WallClock as RunClock } from '../src/sched/run-clock.js';
import { median } from './measure.js';

function flood(
  ring: EventRing,
  control: SharedArrayBuffer,
  count: number,
  how: 'emit' | 'bare',
  batches = 0,
): Worker {
  return new Worker(new URL('./workers/event-flood.js', import.meta.url), {
    workerData: { ring: ring.buffer, control, count, epoch: RunClock.epochNow(), how, batches },
  });
}

/**
 * Events per second from `producers` worker threads through their rings, merged in
 * sequence order and delivered to one RxJS subscriber on the main thread.
 */
export async function eventThroughput(count: number, producers = 1): Promise<number> {
  const control = new SharedArrayBuffer(CONTROL.BYTES);
  const rings = Array.from({ length: producers }, () => EventRing.create(8192));
  const drain = new EventDrain(
    rings,
    rings.map((_, i) => `p${i}`),
    new Int32Array(control),
  );
  let seen = 0;
  let last = -1;
  // The clock starts at the first event: worker start-up is not the pipeline's cost.
  let t0 = 0;
  drain.events$.subscribe((e) => {
    if (seen === 0) t0 = performance.now();
    if (e.seq !== last + 1) throw new Error(`event ${e.seq} out of order`);
    last = e.seq;
    seen++;
  });
  const workers = rings.map((r) => flood(r, control, count / producers, 'emit'));
  try {
    while (seen < count) {
      if (drain.drain() === 0) await drain.sleep(1);
    }
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Records per second one producer thread publishes: through EventEmitter.emit() at
 * --events all ('emit'), or as bare ring records ('bare', the baseline). The producer times
 * each ring-full it writes into an empty ring (8192 records, about a ms, so that few
 * batches lose the core to another process) while the host only frees records: the figure
 * is the producer's cost, with the cache lines the ring moves between the two threads.
 * @returns the median batch's rate
 */
export async function emitRate(batches: number, how: 'emit' | 'bare'): Promise<number> {
  const control = new SharedArrayBuffer(CONTROL.BYTES);
  const ring = EventRing.create(8192);
  const worker = flood(ring, control, 0, how, batches);
  let times: number[] | undefined;
  let failure: Error | undefined;
  worker.once('message', (t: number[]) => (times = t));
  worker.once('error', (err) => (failure = err));
  try {
    while (times === undefined) {
      if (failure !== undefined) throw failure;
      const n = ring.pending();
      if (n > 0) ring.advanceHead(n);
      else await new Promise<void>((r) => setImmediate(r));
    }
    return ring.capacity / (median(times) / 1000);
  } finally {
    await worker.terminate();
  }
}
