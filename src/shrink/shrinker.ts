import type { RunResult } from '../host/result.js';
import type { RunControl } from '../host/run.js';
import type { Scenario } from '../scenarios/scenario.js';
import { runCandidate, sizeOf, type Schedule } from './candidate.js';

/** Why the shrinker stopped trying. */
export type ShrinkStop = 'done' | 'max-runs' | 'deadline';

/**
 * Whether a run failed with `kind` by itself. A run the watchdog ended is not: where the
 * watchdog fires depends on the machine's load, so that run is no function of its list.
 */
export function failsWith(r: RunResult, kind: string): boolean {
  if (r.exitCode !== 1 || r.interrupted) return false;
  if (r.violations.some((v) => v.kind === 'deadlock' && v.message.startsWith('watchdog:')))
    return false;
  return (r.violationCounts[kind] ?? 0) > 0;
}

/**
 * Whether `s` may replace `cur`: no more preemptions and no more decisions, and smaller in
 * one of them, in context switches, or in its options (a scaled-down run). The schedule
 * never grows, and every kept candidate makes progress, so shrinking ends.
 */
function smaller(s: Schedule, cur: Schedule, scaled: boolean): boolean {
  const a = sizeOf(s.result);
  const b = sizeOf(cur.result);
  if (a.preemptions > b.preemptions || a.decisions > b.decisions) return false;
  return (
    scaled || a.preemptions < b.preemptions || a.decisions < b.decisions || a.switches < b.switches
  );
}

/** What a pass sees of a shrink: the current schedule, and a way to propose a smaller one. */
export interface Shrinking {
  readonly current: Pick<Schedule, 'options' | 'list' | 'preemptAt' | 'forcedAt'>;
  /** Whether the budget is spent. */
  spent(): boolean;
  /**
   * Runs a candidate list (with other options: a scaled-down run), and keeps it when it
   * fails the same way and is smaller. @returns whether it was kept
   */
  try(list: Uint16Array, options?: Record<string, unknown>): Promise<boolean>;
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
  ) {}

  /** Whether the budget is spent (and why, in stoppedBy). */
  spent(): boolean {
    if (this.runs >= this.maxRuns) this.stoppedBy = 'max-runs';
    else if (performance.now() >= this.endsAt) this.stoppedBy = 'deadline';
    else return false;
    return true;
  }

  /**
   * Runs a candidate, and keeps it when it fails with the kind and is smaller: the run's own
   * decisions become the current schedule.
   * @param options other options than the current ones (a scaled-down run)
   * @returns whether it was kept
   */
  async try(list: Uint16Array, options?: Record<string, unknown>): Promise<boolean> {
    if (this.spent()) return false;
    this.runs++;
    const left = this.endsAt - performance.now();
    const s = await runCandidate(
      this.scenario,
      options ?? this.current.options,
      list,
      this.stopAt,
      Math.max(1, Math.min(this.watchdogMs, left)),
      this.control,
      this.current.actors,
    );
    if (!s || !failsWith(s.result, this.kind) || !smaller(s, this.current, options !== undefined))
      return false;
    this.current = s;
    this.kept++;
    return true;
  }
}
