import { Worker } from 'node:worker_threads';
import { CONTROL } from '../src/shm/control-block.js';
import { EventRing } from '../src/shm/event-ring.js';
import { EventDrain } from '../src/events/drain.js';
import { WallClock as RunClock } from '../src/sched/run-clock.js';

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
  const workers = rings.map(
    (r) =>
      new Worker(new URL('./workers/event-flood.js', import.meta.url), {
        workerData: {
          ring: r.buffer,
          control,
          count: count / producers,
          epoch: RunClock.epochNow(),
        },
      }),
  );
  try {
    while (seen < count) {
      if (drain.drain() === 0) await drain.sleep(1);
    }
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
