import { DmasimError } from '../errors.js';
import type { RunResult } from '../host/result.js';
import type { RunControl } from '../host/run.js';
import type { Scenario } from '../scenarios/scenario.js';
import {
  actorNames,
  runCandidate,
  sizeOf,
  type Anchor,
  type Schedule,
  type ScheduleSize,
} from './candidate.js';

/** Why the shrinker stopped trying. */
export type ShrinkStop = 'done' | 'max-runs' | 'deadline';

/**
 * Whether a run failed with `kind` by itself. A run the watchdog ended is not: where the
 * watchdog fires depends on the machine's load, so that run is no function of its schedule.
 */
export function failsWith(r: RunResult, kind: string): boolean {
  if (r.exitCode !== 1 || r.interrupted) return false;
  if (r.violations.some((v) => v.kind === 'deadlock' && v.deadlineMs !== undefined)) return false;
  return (r.violationCounts[kind] ?? 0) > 0;
}

/**
 * Whether `s` may replace `cur`: smaller in (preemptions, decisions, context switches) in
 * that order, or as small in preemptions and decisions with lower options (a scaled-down
 * run); and never bigger than the recorded schedule in preemptions or decisions. Every kept
 * candidate makes progress, so shrinking ends.
 */
function smaller(s: Schedule, cur: Schedule, recorded: ScheduleSize, scaled: boolean): boolean {
  const a = sizeOf(s.result);
  const b = sizeOf(cur.result);
  if (a.preemptions > recorded.preemptions || a.decisions > recorded.decisions) return false;
  if (a.preemptions !== b.preemptions) return a.preemptions < b.preemptions;
  if (a.decisions !== b.decisions) return a.decisions < b.decisions;
  return scaled || a.switches < b.switches;
}

/** What a pass sees of a shrink: the current schedule, and a way to propose a smaller one. */
export interface Shrinking {
  readonly current: Pick<Schedule, 'options' | 'anchors'>;
  /** Whether the budget is spent. */
  spent(): boolean;
  /**
   * Runs a candidate: a subset of the current anchors (with other options: a scaled-down
   * run), and keeps it when it fails the same way and is smaller. @returns whether it was kept
   */
  try(anchors: readonly Anchor[], options?: Record<string, unknown>): Promise<boolean>;
}

/**
 * The state of one shrink: the smallest failing schedule so far, and the budget left
 * (candidate runs and wall time). Passes propose candidates with try().
 */
export class Shrinker implements Shrinking {
  /** Candidates run. */
  runs = 0;
  /** Candidates kept. */
  kept = 0;
  stoppedBy: ShrinkStop = 'done';
  private readonly actorsOf = new Map<string, readonly string[] | null>();
  /** The recorded schedule's size: no kept candidate is bigger. */
  private readonly recorded: ScheduleSize;

  constructor(
    public current: Schedule,
    private readonly scenario: string | Scenario,
    /** The violation kind every kept candidate finds. */
    readonly kind: string,
    /** The real choice at which the recorded run stopped its clients (0: none). */
    private readonly stopAt: number,
    /** Each candidate's watchdog deadline, in ms. */
    private readonly watchdogMs: number,
    private readonly maxRuns: number,
    /** performance.now() at which the shrink ends (Infinity: none). */
    private readonly endsAt: number,
    /** The threads candidates run on. */
    private readonly control: RunControl = {},
  ) {
    this.recorded = sizeOf(current.result);
  }

  /** Whether the budget is spent (and why, in stoppedBy). */
  spent(): boolean {
    if (this.runs >= this.maxRuns) this.stoppedBy = 'max-runs';
    else if (performance.now() >= this.endsAt) this.stoppedBy = 'deadline';
    else return false;
    return true;
  }

  /**
   * Runs a candidate, and keeps it when it fails with the kind and is smaller: the picks the
   * run made become the current schedule's anchors.
   * @param options other options than the current ones (a scaled-down run)
   * @returns whether it was kept
   */
  async try(anchors: readonly Anchor[], options?: Record<string, unknown>): Promise<boolean> {
    if (this.spent()) return false;
    const cur = this.current;
    const actors = options ? this.actors(options) : cur.actors;
    if (!actors) return false;
    this.runs++;
    const left = this.endsAt - performance.now();
    const s = await runCandidate(
      this.scenario,
      options ?? cur.options,
      actors,
      { anchors, actors: cur.actors },
      this.stopAt,
      Math.max(1, Math.min(this.watchdogMs, left)),
      this.control,
    );
    if (
      !s ||
      !failsWith(s.result, this.kind) ||
      !smaller(s, cur, this.recorded, options !== undefined)
    )
      return false;
    this.current = s;
    this.kept++;
    return true;
  }

  /** The actors of a run with `options`; null when the options are refused. */
  private actors(options: Record<string, unknown>): readonly string[] | null {
    const key = JSON.stringify(options);
    if (!this.actorsOf.has(key)) {
      let names: readonly string[] | null;
      try {
        names = actorNames(this.scenario, options);
      } catch (err) {
        // A scaled-down option the scenario refuses: no candidate.
        if (!(err instanceof DmasimError && err.code === 'DMASIM_BAD_OPTION')) throw err;
        names = null;
      }
      this.actorsOf.set(key, names);
    }
    return this.actorsOf.get(key)!;
  }
}
