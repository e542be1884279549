import { CONTROL, Phase } from '../shm/control-block.js';
import {
  ActorSchedState,
  SCHED,
  SCHED_DURATION_F64,
  SCHED_VNOW_F64,
  Outcome,
} from '../shm/sched-struct.js';
import type { SchedView } from './sched-view.js';
import type { Strategy } from './strategies/strategy.js';

/** Virtual time one scheduling step costs: a point stands for about a microsecond of work. */
export const POINT_COST_MS = 0.001;

/** decide() when every actor exited: the schedule is over. */
export const DECIDED_DONE = -1;
/** decide() when actors remain but none can ever run again. */
export const DECIDED_DEADLOCK = -2;

let scratch = new Int32Array(64);

/**
 * One step of a controlled schedule, run by the token holder (or the host before the
 * first actor runs), after it recorded its own state (READY at a point, BLOCKED, EXITED):
 * advance the virtual clock, start the stop phase at --duration, find every entity that can
 * run, and let the strategy choose when there is a choice (counting it as a preemption when
 * the entity that ran could have gone on). When nothing can run the clock
 * jumps to the earliest deadline, as a discrete-event simulation does; with no deadline
 * either, the run is deadlocked, exactly.
 * @returns the entity to run, DECIDED_DONE or DECIDED_DEADLOCK
 */
export function decide(v: SchedView, strategy: Strategy, label: number): number {
  const i = v.i32;
  const f = v.f64;
  i[SCHED.STEPS]!++;
  let now = (f[SCHED_VNOW_F64] = f[SCHED_VNOW_F64]! + POINT_COST_MS);
  if (scratch.length < 2 * v.actors) scratch = new Int32Array(2 * v.actors);
  const enabled = scratch;
  let n = 0;
  for (;;) {
    stopAtDuration(v, now);
    for (let a = 0; a < v.actors; a++) {
      const st = v.state(a);
      if (st === ActorSchedState.EXITED) continue;
      if (st !== ActorSchedState.BLOCKED || v.waitOver(a, now)) enabled[n++] = 2 * a;
      if (v.canTakeIrq(a)) enabled[n++] = 2 * a + 1;
    }
    if (n > 0) break;
    let next = Infinity;
    let live = false;
    for (let a = 0; a < v.actors; a++) {
      if (v.state(a) === ActorSchedState.EXITED) continue;
      live = true;
      next = Math.min(next, v.deadline(a));
    }
    if (!live) {
      i[SCHED.OUTCOME] = Outcome.DONE;
      return DECIDED_DONE;
    }
    if (next === Infinity) {
      i[SCHED.OUTCOME] = Outcome.DEADLOCK;
      return DECIDED_DEADLOCK;
    }
    now = f[SCHED_VNOW_F64] = Math.max(now, next);
  }
  let e: number;
  if (n === 1) e = enabled[0]!;
  else {
    // A replay stops the clients at the choice where the run it replays stopped them.
    if (++i[SCHED.CHOICES]! === i[SCHED.STOP_AT]) stopClients(v);
    e = strategy.pick(v, enabled, n, label);
    v.logDecision(i[SCHED.LOGGED]!++, e);
    // A preemption: the entity that ran could go on, and another was picked.
    const last = i[SCHED.LAST]!;
    if (e !== runOn(last) && canRunOn(enabled, n, last)) i[SCHED.PREEMPTIONS]!++;
  }
  i[SCHED.LAST] = e;
  return e;
}

/**
 * The entity that goes on running after entity `last` ran: its actor's code (an actor that
 * took its interrupts is inside their handler, which its code entity continues). -2 for
 * no entity (the host's first decision).
 */
export function runOn(last: number): number {
  return last & ~1;
}

/**
 * Whether runOn(`last`) is among enabled[0..n): picking another entity then preempts it. A
 * switch because it blocked or exited is no preemption.
 */
export function canRunOn(enabled: Int32Array, n: number, last: number): boolean {
  const run = runOn(last);
  for (let j = 0; j < n; j++) if (enabled[j] === run) return true;
  return false;
}

/** At --duration the schedule itself starts the stop (kthread_stop()), at a fixed step. */
function stopAtDuration(v: SchedView, now: number): void {
  const d = v.f64[SCHED_DURATION_F64]!;
  if (d > 0 && now >= d) stopClients(v);
}

/** kthread_stop() of every client, at this step of the schedule (once). */
export function stopClients(v: SchedView): void {
  // Only RUNNING -> STOPPING: an ABORTED the host set meanwhile stays.
  const was = Atomics.compareExchange(v.control, CONTROL.PHASE, Phase.RUNNING, Phase.STOPPING);
  if (was === Phase.RUNNING) v.wakeAll();
}
