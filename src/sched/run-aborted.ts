import { CONTROL, Phase } from '../shm/control-block.js';

/**
 * Thrown inside an actor to unwind it when the run is aborted (watchdog, or another actor
 * crashed). Not a failure of the actor itself: the actor host reports it as "aborted".
 */
export class RunAborted extends Error {
  override readonly name = 'RunAborted';
  constructor(readonly reason: string) {
    super(`run aborted: ${reason}`);
  }
}

/** Throws RunAborted when the host aborted the run (watchdog) or another actor crashed. */
export function throwIfAborted(control: Int32Array): void {
  const phase = Atomics.load(control, CONTROL.PHASE);
  if (phase >= Phase.ABORTED || Atomics.load(control, CONTROL.FAILED) !== 0) {
    throw new RunAborted(phase >= Phase.ABORTED ? 'watchdog' : 'another actor failed');
  }
}
