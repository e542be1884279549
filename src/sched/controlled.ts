import { CONTROL, Phase, STAT } from '../shm/control-block.js';
import { ActorSchedState, Go, SCHED, SCHED_ACTOR, TOKEN_HOST } from '../shm/sched-struct.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import { decide } from './decide.js';
import { Point } from './labels.js';
import { handToken } from './token.js';
import { RunAborted } from './run-aborted.js';
import type { VirtualClock } from './run-clock.js';
import type { Scheduler } from './scheduler.js';
import { SchedulerBase } from './scheduler-base.js';
import type { SchedView } from './sched-view.js';
import type { Strategy } from './strategies/strategy.js';
import { WaitFlag, WaitOp } from './wait-spec.js';
import { WAIT_SLICE_MS } from './wait-slices.js';
import { WaitPolicy } from './wait-policy.js';

/** Longest virtual interval between two polls of a busy-wait: 2^10 us, about a ms. */
const MAX_RELAX_SHIFT = 10;

/**
 * Controlled mode: one token, so exactly one actor runs between points. At each point the
 * holder runs decide() and the strategy; when it picks the holder itself the run goes on
 * with no thread switch at all, otherwise the holder hands the token over (a store and a
 * notify) and waits for it to come back. Time is virtual. The run is a function of
 * (scenario, options, seed): no timing of the OS enters any decision.
 */
export class ControlledScheduler extends SchedulerBase implements Scheduler {
  private readonly policy: WaitPolicy;
  /** Run-clock time the last cpu_relax() poll step ended. */
  private lastRelax = -Infinity;

  constructor(
    v: SchedView,
    actor: number,
    private readonly strategy: Strategy,
    readonly clock: VirtualClock,
    private readonly stats: Float64Array,
    private readonly statBase: number,
    private readonly cores: number,
    private readonly pokeHost: () => void,
  ) {
    super(v, actor);
    this.policy = new WaitPolicy(v.i32, Infinity);
  }

  /** The host made every actor READY at actor.start and the first decision: wait our turn. */
  start(): void {
    this.awaitToken();
  }

  point(label: number): void {
    this.checkAbort();
    this.countPoint();
    this.i[this.b + SCHED_ACTOR.LABEL] = label;
    this.i[this.b + SCHED_ACTOR.STATE] = ActorSchedState.READY;
    this.go(decide(this.v, this.strategy, label), label);
  }

  /**
   * A busy-poll step: the poller sleeps for a virtual while (doubling up to about a ms
   * while the poll goes on), so that others run and a 5 s poll costs a few thousand steps.
   */
  relax(): void {
    const i = this.i;
    // A poll that starts a while after the last one is a new poll: its interval starts small.
    const now = this.clock.now();
    if (now - this.lastRelax > 2 * ((1 << i[this.b + SCHED_ACTOR.RELAX]!) / 1000) + 0.01)
      i[this.b + SCHED_ACTOR.RELAX] = 0;
    const shift = i[this.b + SCHED_ACTOR.RELAX]!;
    if (shift < MAX_RELAX_SHIFT) i[this.b + SCHED_ACTOR.RELAX] = shift + 1;
    const seen = this.prepareWait();
    this.block(
      Point.cpu_relax,
      WaitFlag.INTERRUPTIBLE,
      this.clock.now() + (1 << shift) / 1000,
      seen,
      0,
      0,
      WaitOp.NEVER,
      0,
    );
    this.finishWait();
    this.lastRelax = this.clock.now();
  }

  spinUntil(): boolean {
    return false;
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
    this.checkAbort();
    const i = this.i;
    const b = this.b;
    this.countWait(label);
    this.v.publishWait(this.actor, label, flags, deadline, seen, buf, index, op, value);
    i[b + SCHED_ACTOR.STATE] = ActorSchedState.BLOCKED;
    this.go(decide(this.v, this.strategy, label), label);
    if (label !== Point.cpu_relax) i[b + SCHED_ACTOR.RELAX] = 0;
  }

  exit(): void {
    this.i[this.b + SCHED_ACTOR.STATE] = ActorSchedState.EXITED;
    const e = decide(this.v, this.strategy, Point['actor.exit']);
    if (e >= 0) this.switchTo(e, Point['actor.exit']);
    else this.toHost();
  }

  /** The count is already shared (replay reads it at every choice); nothing to schedule. */
  detach(): void {
    Atomics.store(this.i, this.b + SCHED_ACTOR.STATE, ActorSchedState.EXITED);
  }

  /** Carries out a decision: go on, take our interrupts, or hand over and wait. */
  private go(e: number, label: number): void {
    const me = 2 * this.actor;
    if (e === me) {
      this.i[this.b + SCHED_ACTOR.STATE] = ActorSchedState.RUNNING;
      return;
    }
    if (e === me + 1) {
      this.i[this.b + SCHED_ACTOR.STATE] = ActorSchedState.RUNNING;
      this.takeIrq();
      return;
    }
    // No entity can run (deadlock): the host reports the frozen state, then aborts us.
    if (e < 0) this.toHost();
    else this.switchTo(e, label);
    this.awaitToken();
  }

  /**
   * Hands the token to entity `e`'s actor, recording the context switch first: once the
   * token is handed over the next actor's events follow, and this one must precede them.
   */
  private switchTo(e: number, label: number): void {
    trace(EventCode.sched_switch, e >> 1, e & 1, this.i[this.b + SCHED_ACTOR.STATE], label);
    handToken(this.v, e);
  }

  /** The count is shared at once: replay reads it at every choice. */
  protected countPoint(): void {
    this.i[this.b + SCHED_ACTOR.POINTS]!++;
  }

  private takeIrq(): void {
    this.countPoint();
    this.i[this.b + SCHED_ACTOR.RELAX] = 0;
    this.sink!.take();
  }

  private toHost(): void {
    Atomics.store(this.i, SCHED.TOKEN, TOKEN_HOST);
    this.pokeHost();
  }

  /**
   * Waits until GO is set. Spinning is cheap only while the spinner has a core: at most
   * cores - 1 actors spin (the holder needs one), the rest sleep on GO.
   */
  private awaitToken(): void {
    const i = this.i;
    const go = this.b + SCHED_ACTOR.GO;
    if (Atomics.load(i, go) === Go.WAIT) {
      const t0 = performance.now();
      let spin = 0;
      if (Atomics.add(i, SCHED.SPINNERS, 1) < this.cores - 1) {
        spin = this.policy.spinMs();
        for (let n = 0; Atomics.load(i, go) === Go.WAIT; n++) {
          if ((n & 15) === 15 && performance.now() - t0 >= spin) break;
        }
      }
      Atomics.sub(i, SCHED.SPINNERS, 1);
      const paid = Atomics.load(i, go) !== Go.WAIT;
      while (Atomics.load(i, go) === Go.WAIT) {
        Atomics.wait(i, go, Go.WAIT, WAIT_SLICE_MS);
        this.stats[this.statBase + STAT.SLEEPS]!++;
        if (Atomics.load(this.v.control, CONTROL.PHASE) >= Phase.ABORTED) break;
      }
      this.policy.ended(spin, paid);
    }
    const cmd = Atomics.exchange(i, go, Go.WAIT);
    if (cmd === Go.ABORT || cmd === Go.WAIT) {
      // ABORT stays set: a later wait of this thread (unwinding) must not block again.
      Atomics.store(i, go, Go.ABORT);
      throw new RunAborted(this.abortReason());
    }
    i[this.b + SCHED_ACTOR.STATE] = ActorSchedState.RUNNING;
    if (cmd === Go.TAKE_IRQ) this.takeIrq();
  }

  private checkAbort(): void {
    const c = this.v.control;
    if (
      Atomics.load(c, CONTROL.PHASE) >= Phase.ABORTED ||
      Atomics.load(c, CONTROL.FAILED) !== 0 ||
      Atomics.load(this.i, this.b + SCHED_ACTOR.GO) === Go.ABORT
    ) {
      throw new RunAborted(this.abortReason());
    }
  }

  private abortReason(): string {
    return Atomics.load(this.v.control, CONTROL.FAILED) !== 0 ? 'another actor failed' : 'watchdog';
  }
}
