import type { RunResult } from '../host/result.js';
import type { Shard } from './shard.js';
import { violationSignature } from './signature.js';

/** One distinct failure of a campaign: a violation signature and where it was first seen. */
export interface DistinctFailure {
  signature: string;
  kind: string;
  /** Runs that found it. */
  runs: number;
  /** The first run (lowest index of the unsharded campaign) that found it, and its seed. */
  firstRun: number;
  firstSeed: number;
  /** The message of its first violation in that run. */
  message: string;
  /** The replay file of that run ('' when none was written). */
  replayFile: string;
}

/** A campaign's first failing run: the lowest run index that failed. */
export interface FirstFailure {
  run: number;
  seed: number;
  kind: string;
  replayFile: string | null;
}

/** What `dmasim campaign --json` prints, and what merge combines. */
export interface CampaignSummary {
  scenario: string;
  mode: string;
  strategy: string | null;
  /** The first seed: run i has seed `seed + i`. */
  seed: number;
  /** Runs of the whole (unsharded) campaign. */
  plannedRuns: number;
  /** This job's slice; null for a whole campaign (or a merge of every shard). */
  shard: Shard | null;
  /** A merge of some shards: which, 1-based (`shard` then names the first, and n). */
  shards?: number[];
  /** Runs that finished (interrupted runs are not counted). */
  runs: number;
  passes: number;
  /** Runs that found violations or crashed: runs = passes + failures. */
  failures: number;
  /** Runs in which an actor crashed (kind `crash` in byKind). */
  crashes: number;
  /** Failing runs by violation kind (a run with two kinds counts under both). */
  byKind: Record<string, number>;
  /** Distinct failures: violation signatures. */
  distinct: number;
  failuresBySignature: DistinctFailure[];
  firstFailure: FirstFailure | null;
  /** Wall ms from the start to the end of the first failing run to finish, and runs done by then. */
  timeToFirstFailureMs: number | null;
  runsToFirstFailure: number | null;
  /** Replay files written: one per run that was first to find a signature. */
  replayFiles: string[];
  /** Replay files that could not be written, and why (the runs stand). */
  replayErrors?: string[];
  runsPerSecond: number;
  durationMs: number;
  workers: number;
  /** Ended by the caller's signal (Ctrl-C) before every run finished. */
  interrupted: boolean;
  /** Ended at its first failing run (--stop-on-first). */
  stoppedEarly: boolean;
  /** 0 no failure, 1 failures, 3 a run crashed. */
  exitCode: 0 | 1 | 3;
  /** The resolved run options and parameters of the first run (its seed is `seed`). */
  options: Record<string, unknown>;
}

/** Counts a campaign's runs as they finish, in any order. */
export class Tally {
  runs = 0;
  passes = 0;
  failures = 0;
  crashes = 0;
  readonly byKind: Record<string, number> = {};
  readonly bySignature = new Map<string, DistinctFailure>();
  first: FirstFailure | null = null;
  timeToFirstFailureMs: number | null = null;
  runsToFirstFailure: number | null = null;
  readonly replayFiles: string[] = [];

  /**
   * Counts a finished run.
   * @param keep writes the run's replay file; called only when the run is the first to
   *   show one of its signatures. @returns the path, or '' when it could not be written
   * @param elapsedMs wall ms since the campaign started
   */
  add(
    run: number,
    r: RunResult,
    elapsedMs: number,
    keep: (r: RunResult) => string,
  ): { failed: boolean } {
    this.runs++;
    const kinds = Object.keys(r.violationCounts).filter((k) => r.violationCounts[k]! > 0);
    if (r.exitCode === 3) kinds.push('crash');
    if (kinds.length === 0) {
      this.passes++;
      return { failed: false };
    }
    this.failures++;
    if (r.exitCode === 3) this.crashes++;
    for (const k of kinds) this.byKind[k] = (this.byKind[k] ?? 0) + 1;
    const sigs = new Map<string, { kind: string; message: string }>();
    for (const v of r.violations) {
      const s = violationSignature(v);
      if (!sigs.has(s)) sigs.set(s, { kind: v.kind, message: v.message });
    }
    if (r.exitCode === 3) {
      const what = r.error ? `${r.error.actor}: ${r.error.message}` : 'an actor crashed';
      sigs.set(`crash:${r.error?.name ?? 'Error'}`, { kind: 'crash', message: what });
    }
    const isNew = [...sigs.keys()].some((s) => {
      const d = this.bySignature.get(s);
      return !d || run < d.firstRun;
    });
    let file = '';
    if (isNew) {
      file = keep(r);
      if (file && !this.replayFiles.includes(file)) this.replayFiles.push(file);
    }
    for (const [s, { kind, message }] of sigs) {
      const d = this.bySignature.get(s);
      if (!d) {
        this.bySignature.set(s, {
          signature: s,
          kind,
          runs: 1,
          firstRun: run,
          firstSeed: r.seed,
          message,
          replayFile: file,
        });
      } else {
        d.runs++;
        if (run < d.firstRun)
          Object.assign(d, { firstRun: run, firstSeed: r.seed, message, replayFile: file });
      }
    }
    if (this.timeToFirstFailureMs === null) {
      this.timeToFirstFailureMs = elapsedMs;
      this.runsToFirstFailure = this.runs;
    }
    if (!this.first || run < this.first.run) {
      const kind = r.violations[0]?.kind ?? (r.exitCode === 3 ? 'crash' : kinds[0]!);
      this.first = { run, seed: r.seed, kind, replayFile: file || null };
    }
    return { failed: true };
  }

  /** The distinct failures, first found first. */
  distinct(): DistinctFailure[] {
    return [...this.bySignature.values()].sort(
      (a, b) => a.firstRun - b.firstRun || (a.signature < b.signature ? -1 : 1),
    );
  }
}
