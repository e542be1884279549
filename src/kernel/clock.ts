/**
 * The run's clock: milliseconds since the run started, the same timeline in every thread.
 * Each thread's performance.now() has its own origin; the host's start instant, passed as an
 * absolute epoch, maps them onto one line.
 */
export class RunClock {
  private offset: number;

  /** @param epochMs the run's start as performance.timeOrigin + performance.now() on the host */
  constructor(epochMs: number) {
    this.offset = performance.timeOrigin - epochMs;
  }

  /** Moves the origin (the host publishes the real start instant when the run starts). */
  setEpoch(epochMs: number): void {
    this.offset = performance.timeOrigin - epochMs;
  }

  /** Milliseconds since the run started. */
  now(): number {
    return this.offset + performance.now();
  }

  /** An epoch for a run starting now. */
  static epochNow(): number {
    return performance.timeOrigin + performance.now();
  }
}
