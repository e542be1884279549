import type { SerializedError } from '../errors.js';
import type { MachineBuffers, MachineSpec } from '../shm/machine.js';

/** What the host sends an actor when it attaches it to a run. */
export interface ActorInit {
  spec: MachineSpec;
  buffers: MachineBuffers;
  /** Index of this actor in spec.actors. */
  actor: number;
  scenario: string;
  /** URL of a user scenario module (see Scenario.module). */
  scenarioModule?: string;
  /** Resolved run options and scenario parameters (see scenarios/). */
  options: Record<string, unknown>;
  params: Record<string, unknown>;
  /** Where to write this actor's `<name>.cpuprofile` (RunControl.cpuProfileDir). */
  cpuProfileDir?: string;
}

/** How an actor's run ended. */
export type ActorOutcome =
  | { type: 'ok'; program: unknown }
  | { type: 'aborted'; reason: string }
  | { type: 'crashed'; error: SerializedError };

/** What an actor reports when its run ends. */
export interface ActorReport {
  outcome: ActorOutcome;
  /** The actor's printk lines with their run time in ms. */
  dmesg: { time: number; line: string }[];
  /** What the actor's thread spent, from attach to now (see ActorProfile). */
  usage?: ThreadUsage;
}

/** CPU time of an actor's thread over its run, and its CPU profile if one was asked for. */
export interface ThreadUsage {
  /** In ms; null where the platform has no per-thread figure. */
  cpuMs: number | null;
  /** The .cpuprofile written. */
  profile?: string;
  /** Why the profile is missing although one was asked for. */
  profileError?: string;
}

/**
 * The control API an actor exposes to the host over its MessagePort (comlink). The hot
 * path never uses it: it carries attach, run (which returns when the actor's life in the
 * run ends) and release.
 */
export interface ActorApi {
  /** Builds the machine's views and the actor. Resolves with null or the reason it cannot. */
  attach(init: ActorInit): Promise<SerializedError | null>;
  /** Announces readiness, waits for the start, runs the actor to the end of the run. */
  run(): ActorReport;
  /** Ends the hosting task; the thread returns to the pool. */
  release(): void;
}
