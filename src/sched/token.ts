import { Go, SCHED, SCHED_ACTOR } from '../shm/sched-struct.js';
import type { SchedView } from './sched-view.js';

/**
 * Gives the token to entity `e`'s actor; GO says whether it takes its interrupts. Every
 * plain write of the step (states, strategy, clock) happens before this seq-cst exchange
 * and the taker reads GO with one, so the token carries them over. A GO already set to
 * ABORT stays ABORT.
 */
export function handToken(v: SchedView, e: number): void {
  const i = v.i32;
  const a = e >> 1;
  i[SCHED.TOKEN] = a;
  i[SCHED.SWITCHES]!++;
  const go = v.base[a]! + SCHED_ACTOR.GO;
  Atomics.compareExchange(i, go, Go.WAIT, (e & 1) === 1 ? Go.TAKE_IRQ : Go.CONTINUE);
  Atomics.notify(i, go);
}

/**
 * Ends every actor's waiting: GO = ABORT for those waiting on the token (controlled), and a
 * wake for those sleeping in a wait (free). Each then throws RunAborted at its next check.
 */
export function abortAll(v: SchedView): void {
  const i = v.i32;
  for (let a = 0; a < v.actors; a++) {
    const go = v.base[a]! + SCHED_ACTOR.GO;
    Atomics.store(i, go, Go.ABORT);
    Atomics.notify(i, go);
    Atomics.add(i, v.base[a]! + SCHED_ACTOR.WAKE, 1);
    Atomics.notify(i, v.base[a]! + SCHED_ACTOR.WAKE);
  }
}
