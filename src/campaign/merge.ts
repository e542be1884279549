import { DmasimError } from '../errors.js';
import type { CampaignSummary, DistinctFailure } from './summary.js';

/** Fields shards of one campaign must agree on. */
const SAME = ['scenario', 'mode', 'strategy', 'seed', 'plannedRuns'] as const;

/**
 * Combines shard summaries (`--shard i/n --json`) into the summary of the campaign they
 * slice: counts add up, the distinct failures are the union of signatures with the lowest
 * run first, firstFailure is the lowest failing run. With every shard present the result
 * equals the unsharded campaign's in everything but timing and file paths.
 * @param named each summary with the file it came from, for messages
 * @throws DmasimError DMASIM_BAD_OPTION for summaries of different campaigns, an
 *   unsharded summary among shards, or a shard given twice
 */
export function mergeSummaries(
  named: readonly { file: string; summary: CampaignSummary }[],
): CampaignSummary {
  if (named.length === 0) throw new DmasimError('DMASIM_BAD_OPTION', 'merge: no summaries');
  const head = named[0]!;
  const optionsKey = JSON.stringify(withoutSeed(head.summary.options));
  const seen = new Set<number>();
  let count = 0;
  for (const { file, summary: s } of named) {
    for (const f of SAME) {
      if (s[f] !== head.summary[f]) {
        throw new DmasimError(
          'DMASIM_BAD_OPTION',
          `${file}: ${f} is ${JSON.stringify(s[f])}, but ${head.file} has ${JSON.stringify(head.summary[f])}: not shards of one campaign`,
        );
      }
    }
    if (JSON.stringify(withoutSeed(s.options)) !== optionsKey) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${file}: its run options differ from ${head.file}'s: not shards of one campaign`,
      );
    }
    const shards = s.shards ?? (s.shard ? [s.shard.index] : null);
    const n = s.shard?.count;
    if (!shards || n === undefined) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${file}: not a shard (it ran without --shard), so there is nothing to merge it with`,
      );
    }
    if (count !== 0 && n !== count) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `${file}: a shard of ${n}, but ${head.file} is a shard of ${count}`,
      );
    }
    count = n;
    for (const i of shards) {
      if (seen.has(i)) {
        throw new DmasimError('DMASIM_BAD_OPTION', `${file}: shard ${i}/${n} is given twice`);
      }
      seen.add(i);
    }
  }
  const all = named.map((n) => n.summary);
  const byKind: Record<string, number> = {};
  const bySig = new Map<string, DistinctFailure>();
  for (const s of all) {
    for (const [k, v] of Object.entries(s.byKind)) byKind[k] = (byKind[k] ?? 0) + v;
    for (const d of s.failuresBySignature) {
      const had = bySig.get(d.signature);
      if (!had) bySig.set(d.signature, { ...d });
      else {
        const runs = had.runs + d.runs;
        if (d.firstRun < had.firstRun) Object.assign(had, d);
        had.runs = runs;
      }
    }
  }
  const failures = [...bySig.values()].sort(
    (a, b) => a.firstRun - b.firstRun || (a.signature < b.signature ? -1 : 1),
  );
  const firsts = all.map((s) => s.firstFailure).filter((f) => f !== null);
  const firstFailure = firsts.sort((a, b) => a.run - b.run)[0] ?? null;
  const times = all.map((s) => s.timeToFirstFailureMs).filter((t) => t !== null);
  const runs = sum(all, (s) => s.runs);
  const crashes = sum(all, (s) => s.crashes);
  const fails = sum(all, (s) => s.failures);
  const shards = [...seen].sort((a, b) => a - b);
  const complete = shards.length === count;
  return {
    ...head.summary,
    shard: complete ? null : { index: shards[0]!, count },
    ...(complete ? {} : { shards }),
    runs,
    passes: sum(all, (s) => s.passes),
    failures: fails,
    crashes,
    byKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => (a < b ? -1 : 1))),
    distinct: failures.length,
    failuresBySignature: failures,
    firstFailure,
    // Shards ran in parallel on their own machines: the earliest any of them failed.
    timeToFirstFailureMs: times.length > 0 ? Math.min(...times) : null,
    runsToFirstFailure: null,
    replayFiles: [...new Set(all.flatMap((s) => s.replayFiles))],
    ...(all.some((s) => s.replayErrors)
      ? { replayErrors: all.flatMap((s) => s.replayErrors ?? []) }
      : {}),
    // The fleet's rate: shards run side by side.
    runsPerSecond: sum(all, (s) => s.runsPerSecond),
    durationMs: Math.max(...all.map((s) => s.durationMs)),
    workers: sum(all, (s) => s.workers),
    interrupted: all.some((s) => s.interrupted),
    stoppedEarly: all.some((s) => s.stoppedEarly),
    exitCode: crashes > 0 ? 3 : fails > 0 ? 1 : 0,
  };
}

function sum(all: readonly CampaignSummary[], f: (s: CampaignSummary) => number): number {
  return all.reduce((n, s) => n + f(s), 0);
}

function withoutSeed(o: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...o };
  delete rest.seed;
  delete rest.replayOut;
  return rest;
}
