import { SCHED_VNOW_F64 } from '../shm/sched-struct.js';

// Node's global `performance` is a lazy getter: looking it up costs as much as the clock
// read itself, and events read the clock at every record.
const perf = performance;

/** The run's clock: milliseconds since the run started, one timeline for every thread. */
export interface RunClock {
  now(): number;
}

/**
 * Wall time (free and chaos runs). Each thread's performance.now() has its own origin; the
 * host's start instant, passed as an absolute epoch, maps them onto one line.
 */
export class WallClock implements RunClock {
  private offset: number;

  /** @param epochMs the run's start as performance.timeOrigin + performance.now() on the host */
  constructor(epochMs: number) {
    this.offset = perf.timeOrigin - epochMs;
  }

  /** Moves the origin (the host publishes the real start instant when the run starts). */
  setEpoch(epochMs: number): void {
    this.offset = perf.timeOrigin - epochMs;
  }

  now(): number {
    return this.offset + perf.now();
  }

  /** An epoch for a run starting now. */
  static epochNow(): number {
    return perf.timeOrigin + perf.now();
  }
}

/**
 * Virtual time (controlled runs): SCHED.VNOW, advanced by the scheduler one step per point
 * and jumped to the next deadline when every actor waits. A 5 s timeout costs no wall time.
 */
export class VirtualClock implements RunClock {
  constructor(private readonly f64: Float64Array) {}

  now(): number {
    return this.f64[SCHED_VNOW_F64]!;
  }
}
