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
