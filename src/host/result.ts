import { STAT } from '../shm/control-block.js';
import type { Machine } from '../shm/machine.js';
import type { Violation } from '../events/violation.js';
import type { SchedModeName } from '../shm/sched-struct.js';
import type { ReplayFile } from './replay-file.js';

/** Counters of the whole run. */
export interface RunStats {
  /** Descriptors the engines moved. */
  descriptors: number;
  /** Bytes the engines moved. */
  bytes: number;
  /** Completion callbacks invoked. */
  callbacks: number;
  /** Hardware interrupts handled. */
  irqs: number;
  /** Times an actor slept waiting for work (each costs a thread wake-up). */
  sleeps: number;
  /** Kernel lock acquisitions that found the lock held. */
  contended: number;
  /** Events delivered to the stream. */
  events: number;
  /** Events produced but not delivered (always 0 unless an actor was killed). */
  eventsLost: number;
  /**
   * Events delivered as `unknown`: their kind was declared in an actor's thread but not on
   * the host (a module the host did not load). 0 when the host loads what the actors load.
   */
  eventsUnknown: number;
}

/** How the run was scheduled, and how much of it there was. */
export interface ScheduleStats {
  /** Points the actors passed. */
  points: number;
  /** Controlled: decisions where more than one entity could run (PCT's k). */
  choices: number;
  /** Controlled: times the token went from one actor thread to another (context switches). */
  switches: number;
  /**
   * Controlled: real choices where the entity that ran could have gone on and another was
   * picked. A switch because it blocked or exited is no preemption.
   */
  preemptions: number;
  /** Controlled: the virtual run clock at the end, in ms. */
  virtualMs: number | null;
  /** Replay: recorded steps that could not be followed (0: followed exactly). */
  diverged: number;
}

/**
 * One actor's thread in the run: what it cost, so that a slow stretch of the run's
 * timeline can be matched with the thread that was busy, and with its CPU profile.
 */
export interface ActorUsage {
  /** cpu0, dma0, ... as in the events' `actor`. */
  name: string;
  kind: 'cpu' | 'engine' | 'peripheral';
  /**
   * CPU time of the actor's thread from attach to the end of its run, in ms. Null when the
   * thread was killed or the platform has no per-thread figure (it comes from Linux's
   * /proc/thread-self/schedstat on Node 20).
   */
  cpuMs: number | null;
  /** The thread's V8 CPU profile, when the run asked for one (RunControl.cpuProfileDir). */
  profile?: string;
  /** Why that profile is missing. */
  profileError?: string;
}

/** The outcome of a run: what `--json` prints and what runScenario() resolves with. */
export interface RunResult {
  scenario: string;
  seed: number;
  /** free, chaos or controlled. */
  mode: SchedModeName;
  /** Controlled: the strategy that chose (random, pct, replay or follow); else null. */
  strategy: string | null;
  /**
   * Hash of the event sequence without its times (see EventHash): in a controlled run the
   * same seed gives the same hash.
   */
  eventHash: string;
  schedule: ScheduleStats;
  durationMs: number;
  /** 0 no violation, 1 violations, 3 internal error (an actor crashed). */
  exitCode: 0 | 1 | 3;
  stats: RunStats;
  /** The first MAX_VIOLATIONS_PER_KIND of each kind, in the order found. */
  violations: Violation[];
  /** How many violations of each kind were found, all of them. */
  violationCounts: Record<string, number>;
  /** Scenario-specific results (dmatest: `threads`, the per-thread summaries). */
  results: Record<string, unknown>;
  /** Set when an actor crashed: which one, and its error. */
  error?: { actor: string; name: string; code?: string; message: string; stack: string };
  /** The kernel log of every CPU, in time order. */
  dmesg: string[];
  /** Every actor, in spec order: its thread's CPU time and CPU profile. */
  actors: ActorUsage[];
  /** The resolved options and parameters the run used. */
  options: Record<string, unknown>;
  /** A run that found violations: what `dmasim replay` needs to run it again. */
  replay?: ReplayFile;
  /** Where the replay file was written (--replay-out), if it was. */
  replayFile?: string;
  /** Why the replay file could not be written, if it could not (the run stands). */
  replayError?: string;
  /** Set when the caller's AbortSignal ended the run before its end. */
  interrupted?: boolean;
  /** Why --trace or --events-out could not be written whole, if so (the run stands). */
  outputError?: string;
}

/** Violations of one kind kept in a result; the rest are counted in violationCounts. */
export const MAX_VIOLATIONS_PER_KIND = 100;

/** Sums one statistic over every actor. */
export function sumStat(machine: Machine, field: number): number {
  let n = 0;
  for (let a = 0; a < machine.spec.actors.length; a++)
    n += machine.stats[machine.statBase(a) + field]!;
  return n;
}

/** The run's counters (host side, after every actor stopped). */
export function collectStats(
  machine: Machine,
  delivered: number,
  produced: number,
  unknown: number,
): RunStats {
  return {
    descriptors: sumStat(machine, STAT.DESCRIPTORS),
    bytes: sumStat(machine, STAT.BYTES),
    callbacks: sumStat(machine, STAT.CALLBACKS),
    irqs: sumStat(machine, STAT.IRQS),
    sleeps: sumStat(machine, STAT.SLEEPS),
    contended: sumStat(machine, STAT.CONTENDED),
    events: delivered,
    eventsLost: produced - delivered,
    eventsUnknown: unknown,
  };
}

/** A printk timestamp: `[    1.234567]`. */
export function dmesgLine(timeMs: number, line: string): string {
  const us = Math.max(0, Math.round(timeMs * 1000));
  const s = Math.floor(us / 1e6);
  return `[${String(s).padStart(5)}.${String(us % 1e6).padStart(6, '0')}] ${line}`;
}
