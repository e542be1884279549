import { defineLayout } from './layout.js';

/**
 * The run's control words, shared by the host and every actor.
 *
 *   PHASE       SETUP -> RUNNING -> STOPPING -> SHUTDOWN (host writes, actors read)
 *   READY       actors that attached and wait for RUNNING
 *   EVENT_SEQ   global event sequence: the one total order of every event of the run
 *   HOST_*      the host's event-drain doorbell (see events/drain.ts)
 *   CLIENTS_*   client programs started / returned (the host ends the run on equality)
 *   FAILED      set by the first actor that throws, so the others stop at once
 *   EPOCH       float64: performance.timeOrigin + performance.now() on the host at RUNNING
 */
export const CONTROL = defineLayout(
  ['PHASE', 'READY', 'CLIENTS', 'CLIENTS_DONE', 'FAILED'],
  {
    // PAD puts EPOCH on an 8-byte boundary for its Float64Array view.
    PAD: 3,
    EPOCH: 2,
    // Every producer adds to EVENT_SEQ; the host writes its sleep flag at every sleep:
    // each on its own line, away from the other and from the run's state words.
    PAD_SEQ: 8,
    EVENT_SEQ: 1,
    PAD_HOST: 15,
    HOST_SLEEPING: 1,
    HOST_DOORBELL: 1,
  },
  16,
);

/** Float64 index of CONTROL.EPOCH: the run's start instant, written by the host at RUNNING. */
export const CONTROL_EPOCH_F64 = CONTROL.EPOCH / 2;

/** Values of CONTROL.PHASE. */
export const Phase = {
  SETUP: 0,
  RUNNING: 1,
  /** kthread_should_stop(): clients finish their iteration and clean up. */
  STOPPING: 2,
  /** Every actor leaves its loop. */
  SHUTDOWN: 3,
  /** The watchdog gave up: every wait throws RunAborted. */
  ABORTED: 4,
} as const;

/**
 * Per-actor words the watchdog reads: what the actor is doing and what it waits on.
 * STATE is one of ActorState; WAIT_KIND says what it is blocked on (a lock: WAIT_INDEX is
 * the lock id, WAIT_CLASS its class, WAIT_OWNER the CPU that held it when last looked at).
 */
export const ACTOR = defineLayout(
  ['STATE', 'WAIT_KIND', 'WAIT_INDEX', 'WAIT_CLASS', 'WAIT_OWNER'],
  {},
  8,
);

/** Values of ACTOR.STATE. */
export const ActorState = {
  ATTACHED: 0,
  RUNNING: 1,
  WAITING: 2,
  IDLE: 3,
  EXITED: 4,
  CRASHED: 5,
} as const;

/** Values of ACTOR.WAIT_KIND: what a blocked actor waits for. */
export const WaitKind = {
  NONE: 0,
  SPINLOCK: 1,
  MUTEX: 2,
} as const;

/** Per-actor statistics (Float64, written only by their actor, read by the host after join). */
export const STAT = {
  DESCRIPTORS: 0,
  BYTES: 1,
  CALLBACKS: 2,
  EVENTS: 3,
  IRQS: 4,
  TASKLETS: 5,
  /** Times the actor slept in Atomics.wait (each costs a futex wake to end). */
  SLEEPS: 6,
  /** Lock acquisitions that found the lock held. */
  CONTENDED: 7,
  WORDS: 8,
} as const;
