/** Longest single Atomics.wait, so that every sleeper re-checks for an aborted run. */
export const WAIT_SLICE_MS = 50;

/** First sleep of a polled wait (hardware state nobody signals), doubled up to WAIT_SLICE_MS. */
export const FIRST_POLL_MS = 0.05;
