import { defineLayout } from './layout.js';

/**
 * The scheduler's shared state, one buffer per run:
 *
 *   [ SCHED header | PRIO: one word per entity | SCHED_ACTOR block per actor ]
 *
 * An entity is what a strategy chooses: actor a's own code (entity 2a) or, for a CPU,
 * taking its pending interrupts now (entity 2a + 1). In controlled mode exactly one actor
 * holds the token and only the holder writes the header and PRIO, so plain accesses there
 * are ordered by the Atomics of the token handoff. The other words are shared by every mode.
 *
 *   MODE         the run's mode, an index into SCHED_MODES
 *   TOKEN        actor holding the token (controlled); TOKEN_HOST for the host
 *   STEPS        points passed (controlled), every actor counted
 *   CHOICES      decisions where more than one entity could run (PCT's k)
 *   LAST         entity picked last (the one running now)
 *   OUTCOME      Outcome: how a controlled schedule ended
 *   DIVERGED     replay: recorded steps that could not be followed
 *   RNG          the strategy's PRNG state (mulberry32)
 *   ENTITIES     2 x actors
 *   STRATEGY     Strategy id; PCT_DEPTH, PCT_BOUND its parameters
 *   PCT_LOW      the next priority a change point or a yield gives (counts down from 0)
 *   LOGGED       decisions written to the decision log (may exceed its capacity)
 *   FOLLOWED     decisions read from the replayed log
 *   SPINNERS     actors spinning for the token (at most cores - 1)
 *   SWITCHES     handoffs of the token from one actor thread to another
 *   STOP_AT      the real choice at which the schedule stopped the clients (replay of a
 *                free run: its record ended there); 0 when none
 *   VNOW         float64: the virtual run clock in ms (controlled)
 *   DURATION     float64: --duration in ms (controlled: the scheduler starts the stop)
 *   CHANGES      PCT change points (values of CHOICES), ascending, -1 after the last
 *   PREEMPTIONS  real choices where the entity that ran could go on and another was picked
 *   POINT_SEQ    free/chaos: the global order of recorded points
 *   AWAKE        free/chaos: actor threads not asleep in Atomics.wait
 */
export const SCHED = defineLayout(
  [
    'MODE',
    'TOKEN',
    'STEPS',
    'CHOICES',
    'LAST',
    'OUTCOME',
    'DIVERGED',
    'RNG',
    'ENTITIES',
    'STRATEGY',
    'PCT_DEPTH',
    'PCT_BOUND',
    'PCT_LOW',
    'LOGGED',
    'FOLLOWED',
    'SPINNERS',
    'SWITCHES',
    'STOP_AT',
  ],
  {
    VNOW: 2,
    DURATION: 2,
    CHANGES: 16,
    // One word, after the float64s: a word among the names would misalign VNOW.
    PREEMPTIONS: 1,
    // Counters every actor updates in free mode: each on a line of its own.
    PAD_HEADER: 25,
    POINT_SEQ: 1,
    PAD_SEQ: 15,
    AWAKE: 1,
    PAD_AWAKE: 15,
  },
  16,
);

/** Float64 index of SCHED.VNOW and SCHED.DURATION. */
export const SCHED_VNOW_F64 = SCHED.VNOW / 2;
export const SCHED_DURATION_F64 = SCHED.DURATION / 2;

/** Most PCT change points (depth - 1). */
export const MAX_CHANGES = 16;

/** SCHED.TOKEN when the host decides (before the first actor runs, and after the end). */
export const TOKEN_HOST = -1;

/**
 * Per actor, one cache line:
 *   STATE        ActorSchedState
 *   GO           the handoff word this actor waits on: Go (0 while waiting)
 *   SLEEPING     1 while the actor is inside a wait (spinning or asleep): wakers bump WAKE
 *   NAPPING      1 while it is asleep in Atomics.wait on WAKE: wakers also notify
 *   WQ_*         the wait queue word it waits on in wait_event() (buffer, index; -1: none)
 *   WAKE         futex word of every wait: wake_up, an irq, a lock release, a doorbell bump it
 *   SPEC_*       what a blocked actor waits for (see sched/wait-spec.ts), readable by all
 *   POINTS       points this actor passed
 *   RELAX        consecutive cpu_relax() calls (the virtual poll interval doubles)
 *   LABEL        the point label of the actor's current (or last) wait, for reports
 *   DEADLINE     float64: run-clock ms when a blocked actor's wait times out (Infinity: never)
 */
export const SCHED_ACTOR = defineLayout(
  [
    'STATE',
    'GO',
    'SLEEPING',
    'WAKE',
    'SPEC_BUF',
    'SPEC_INDEX',
    'SPEC_OP',
    'SPEC_VALUE',
    'SPEC_FLAGS',
    'SPEC_WAKE',
    'POINTS',
    'RELAX',
    'LABEL',
    'NAPPING',
    'WQ_BUF',
    'WQ_INDEX',
  ],
  { DEADLINE: 2 },
  16,
);

/** Values of SCHED_ACTOR.STATE. */
export const ActorSchedState = {
  /** Holds the token (controlled) or runs (free). */
  RUNNING: 0,
  /** Paused at a point, can run. */
  READY: 1,
  /** Inside a wait; its spec says when it can run. */
  BLOCKED: 2,
  /** Its life in the run ended. */
  EXITED: 3,
} as const;

/** Values of SCHED_ACTOR.GO: what a resumed actor does. */
export const Go = { WAIT: 0, CONTINUE: 1, TAKE_IRQ: 2, ABORT: 3 } as const;

/** Values of SCHED.OUTCOME. */
export const Outcome = { RUNNING: 0, DONE: 1, DEADLOCK: 2 } as const;

/** The modes of a run (SCHED.MODE is the index). */
export const SCHED_MODES = ['free', 'chaos', 'controlled'] as const;
export type SchedModeName = (typeof SCHED_MODES)[number];

/** How a controlled run picks who runs next (SCHED.STRATEGY is the index). */
export const STRATEGIES = ['random', 'pct', 'replay', 'follow', 'shrink'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** How a run is scheduled (part of MachineSpec; structured-clone safe). */
export interface SchedSpec {
  mode: SchedModeName;
  /** Controlled: the strategy, and PCT's depth and step bound (real choices). */
  strategy: StrategyName;
  pctDepth: number;
  pctSteps: number;
  /** Chaos: probability of a delay at a point, and the longest delay in us. */
  chaosProb: number;
  chaosDelayUs: number;
  /** Free and chaos: points recorded per actor for replay (0: none). */
  recordPoints: number;
  /** Cores of this machine: no more actor threads spin than there are. */
  cores: number;
  /** Controlled: --duration in virtual ms (0: none). */
  durationMs: number;
}

/** Word offset of the PRIO array and of actor `a`'s block in a sched buffer. */
export function prioBase(): number {
  return SCHED.WORDS;
}
export function schedActorBase(actors: number, a: number): number {
  // Entities round up to a whole line so that every actor block starts on one.
  const prio = Math.ceil((2 * actors) / 16) * 16;
  return SCHED.WORDS + prio + a * SCHED_ACTOR.WORDS;
}

/** Bytes of the sched buffer of a run with `actors` actors. */
export function schedBytes(actors: number): number {
  return schedActorBase(actors, actors) * 4;
}
