import { STAT } from '../shm/control-block.js';
import { ActorSchedState, SCHED, SCHED_ACTOR } from '../shm/sched-struct.js';
import { WAIT_SLICE_MS, FIRST_POLL_MS } from './wait-slices.js';
import { Point } from './labels.js';
import { throwIfAborted } from './run-aborted.js';
import type { WallClock } from './run-clock.js';
import type { InterruptSink, Scheduler } from './scheduler.js';
import { SchedulerBase } from './scheduler-base.js';
import type { SchedView } from './sched-view.js';
import { WaitFlag, WaitOp, opHolds } from './wait-spec.js';
import { WaitPolicy } from './wait-policy.js';

/**
 * Free mode: every actor runs truly in parallel and the OS decides the interleaving. A
 * point takes pending interrupts at once. Waits spin for an adaptive while, then sleep on
 * the actor's WAKE word. With a record buffer, every point is logged with its place in
 * the run's global order (one shared counter), so that replay can enforce that order.
 */
export class FreeScheduler extends SchedulerBase implements Scheduler {
  private readonly policy: WaitPolicy;
  private pollSlice = FIRST_POLL_MS;
  private pointCount = 0;
  /** A spinUntil() that failed just before this wait: how long, and its budget, in ms. */
  private spunFor = 0;
  private spinBudget = 0;
  private relaxes = 0;

  constructor(
    v: SchedView,
    actor: number,
    readonly clock: WallClock,
    private readonly record: Int32Array | null,
    private readonly stats: Float64Array,
    private readonly statBase: number,
    cores: number,
  ) {
    super(v, actor);
    this.policy = new WaitPolicy(v.i32, cores);
  }

  start(): void {
    Atomics.add(this.i, SCHED.AWAKE, 1);
    this.countPoint(Point['actor.start']);
  }

  point(label: number): void {
    this.countPoint(label);
    const s = this.sink;
    if (s !== null && s.pending()) this.takeIrq();
  }

  /**
   * Counts a point and, while the record has room, logs it with the next global sequence
   * number. The count is this thread's own until the actor exits (SCHED_ACTOR.POINTS):
   * that word's line is the one wakers touch.
   */
  protected countPoint(label: number): void {
    const k = this.pointCount++;
    const r = this.record;
    if (r !== null && 2 * k + 1 < r.length) {
      r[2 * k] = Atomics.add(this.i, SCHED.POINT_SEQ, 1);
      r[2 * k + 1] = label;
    }
  }

  protected takeIrq(): void {
    this.countPoint(Point['irq.take']);
    this.sink!.take();
  }

  relax(): void {
    this.point(Point.cpu_relax);
    // Now and then a short nap, so that a poller does not hold its core for good. Not a
    // point of its own: a controlled poll step is one point, and replay counts points.
    if ((++this.relaxes & 0xff) === 0) {
      this.checkAbort();
      const w = this.b + SCHED_ACTOR.WAKE;
      Atomics.wait(this.i, w, Atomics.load(this.i, w), 0.05);
    }
  }

  spinUntil(check: () => boolean, label: number): boolean {
    const t0 = performance.now();
    const spin = this.policy.spinMs();
    for (let n = 0; spin > 0; n++) {
      if (check()) {
        this.policy.ended(spin, true);
        this.countPoint(label);
        return true;
      }
      if ((n & 7) === 7 && performance.now() - t0 >= spin) break;
    }
    // The wait goes on in block(): it counts this spin in the wait's length.
    this.spunFor = performance.now() - t0;
    this.spinBudget = spin;
    return check();
  }

  block(
    label: number,
    flags: number,
    deadline: number,
    seen: number,
    buf: number,
    index: number,
    op: number,
    value: number,
  ): void {
    this.countWait(label);
    const i = this.i;
    const b = this.b;
    this.v.publishWait(this.actor, label, flags, deadline, seen, buf, index, op, value);
    // STATE last: a waker that changes the word after our last check scans for BLOCKED
    // waiters on it (SchedView.wakeWaitersOn) and must find us.
    Atomics.store(i, b + SCHED_ACTOR.STATE, ActorSchedState.BLOCKED);
    const irq = (flags & WaitFlag.INTERRUPTIBLE) !== 0 ? this.sink : null;
    try {
      this.sleep(
        flags,
        deadline,
        seen,
        op === WaitOp.NEVER ? null : this.v.words[buf]!,
        index,
        op,
        value,
        irq,
      );
    } finally {
      Atomics.store(i, b + SCHED_ACTOR.STATE, ActorSchedState.RUNNING);
    }
    if (irq !== null && irq.pending()) this.takeIrq();
  }

  /** Spins for the policy's budget, then sleeps once on WAKE; returns when the wait may be over. */
  private sleep(
    flags: number,
    deadline: number,
    seen: number,
    words: Int32Array | null,
    index: number,
    op: number,
    value: number,
    irq: InterruptSink | null,
  ): void {
    const i = this.i;
    const b = this.b;
    const over = (): boolean =>
      Atomics.load(i, b + SCHED_ACTOR.WAKE) !== seen ||
      (words !== null && opHolds(Atomics.load(words, index), op, value)) ||
      (irq !== null && irq.pending());
    this.checkAbort();
    const t0 = performance.now() - this.spunFor;
    const spin = (flags & WaitFlag.NO_SPIN) !== 0 ? this.spinBudget : this.policy.spinMs();
    const ts = (flags & WaitFlag.NO_SPIN) !== 0 ? 0 : spin;
    this.spunFor = 0;
    this.spinBudget = 0;
    if (ts > 0) {
      for (let n = 0; ; n++) {
        if (over()) {
          this.policy.ended(spin, true);
          this.pollSlice = FIRST_POLL_MS;
          return;
        }
        if ((n & 7) === 7 && performance.now() - t0 >= ts) break;
      }
    }
    if (over()) {
      this.policy.ended(spin, false);
      return;
    }
    const left = deadline - this.clock.now();
    if (left <= 0) return;
    const polled = (flags & WaitFlag.POLLED) !== 0;
    Atomics.sub(i, SCHED.AWAKE, 1);
    Atomics.store(i, b + SCHED_ACTOR.NAPPING, 1);
    // Woken by SchedView.wake(): WAKE moves before the notify, so a wake that comes after
    // `seen` was read makes this return at once, whether or not it saw NAPPING.
    Atomics.wait(
      i,
      b + SCHED_ACTOR.WAKE,
      seen,
      Math.min(left, polled ? this.pollSlice : WAIT_SLICE_MS),
    );
    Atomics.store(i, b + SCHED_ACTOR.NAPPING, 0);
    Atomics.add(i, SCHED.AWAKE, 1);
    this.stats[this.statBase + STAT.SLEEPS]!++;
    this.policy.ended(spin, false);
    if (polled) this.pollSlice = Math.min(2 * this.pollSlice, WAIT_SLICE_MS);
    this.checkAbort();
  }

  exit(): void {
    this.publishPoints();
    Atomics.store(this.i, this.b + SCHED_ACTOR.STATE, ActorSchedState.EXITED);
    Atomics.sub(this.i, SCHED.AWAKE, 1);
  }

  detach(): void {
    this.publishPoints();
  }

  /** Publishes the point count (stats, and the length of the record) for the host. */
  private publishPoints(): void {
    this.i[this.b + SCHED_ACTOR.POINTS] = this.pointCount;
  }

  /** Throws RunAborted when the host aborts the run or another actor crashed. */
  protected checkAbort(): void {
    throwIfAborted(this.v.control);
  }
}
