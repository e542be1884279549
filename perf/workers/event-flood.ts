import { workerData } from 'node:worker_threads';
import { EventRing } from '../../src/shm/event-ring.js';
import { EventEmitter } from '../../src/events/emitter.js';
import { WallClock as RunClock } from '../../src/sched/run-clock.js';
import { EventCode } from '../../src/events/kinds.js';

// Produces `count` submit events as fast as the ring lets it: the producer side of the
// event pipeline, exactly as an actor records events.
const { ring, control, count, epoch } = workerData as {
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  count: number;
  epoch: number;
};
const emitter = new EventEmitter(
  new EventRing(ring),
  new Int32Array(control),
  new RunClock(epoch),
  2,
  new Float64Array(8),
  0,
);
for (let i = 0; i < count; i++) emitter.emit(EventCode.submit, 0, 0, i, i + 1);
