import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  mergeSummaries,
  readReplayFile,
  runCampaign,
  runScenario,
  startRun,
  type CampaignSummary,
  type RunResult,
} from '../../src/index.js';
import { scenario as probe } from '../fixtures/probe-scenario.mjs';

const dir = mkdtempSync(join(tmpdir(), 'dmasim-campaign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** config-race's unsafe API, one client, one iteration: some seeds pass, some fail (controlled). */
const MIXED = { api: 'unsafe', clients: 1, iterations: 1, replayDir: dir } as const;

/** What two summaries of the same seeds must agree on (not timing, not paths). */
function verdict(s: CampaignSummary): unknown {
  return {
    runs: s.runs,
    passes: s.passes,
    failures: s.failures,
    byKind: s.byKind,
    distinct: s.distinct,
    signatures: s.failuresBySignature.map((d) => [d.signature, d.runs, d.firstRun, d.firstSeed]),
    first: s.firstFailure && [s.firstFailure.run, s.firstFailure.seed, s.firstFailure.kind],
    exitCode: s.exitCode,
  };
}

describe('campaign', () => {
  it('counts add up, and every run is the run its seed gives on its own', async () => {
    const seen = new Map<number, RunResult>();
    const s = await runCampaign(
      'config-race',
      { ...MIXED, runs: 24, workers: 2 },
      {
        onRun: (i, r) => seen.set(i, r),
      },
    );
    expect(s.runs).toBe(24);
    expect(s.runs).toBe(s.passes + s.failures);
    expect(s.passes).toBeGreaterThan(0);
    expect(s.failures).toBeGreaterThan(0);
    expect(s.exitCode).toBe(1);
    expect(seen.size).toBe(24);
    // byKind counts failing runs per kind, from the runs themselves.
    const byKind: Record<string, number> = {};
    for (const r of seen.values())
      for (const k of Object.keys(r.violationCounts)) byKind[k] = (byKind[k] ?? 0) + 1;
    expect(s.byKind).toEqual(byKind);
    // A reused thread gives the same run as a fresh one: same seed, same events.
    for (const i of [0, 5, 17]) {
      const alone = await runScenario('config-race', {
        api: 'unsafe',
        clients: 1,
        iterations: 1,
        seed: 1 + i,
      });
      expect(seen.get(i)!.eventHash).toBe(alone.eventHash);
    }
    // One replay file per run that first showed a signature, not one per failing run.
    expect(s.replayFiles.length).toBeLessThanOrEqual(s.distinct);
    expect(s.replayFiles.length).toBeGreaterThan(0);
    for (const f of s.replayFiles) expect(readReplayFile(f).mode).toBe('controlled');
    expect(s.firstFailure?.replayFile).toBeTruthy();
    expect(s.failuresBySignature[0]!.firstSeed).toBe(s.firstFailure!.seed);
  });

  it('runs on the same threads from run to run (no new thread after warm-up)', async () => {
    const threads = new Set<number>();
    await runCampaign(
      probe,
      { probe: 'thread', runs: 12, workers: 1, replayDir: '' },
      {
        onRun: (_i, r) => threads.add((r.results.probe as { threadId: number }).threadId),
      },
    );
    expect(threads.size).toBe(1);
  });

  it('replaces a thread the watchdog had to kill, and the next run goes on', async () => {
    const threads: number[] = [];
    const s = await runCampaign(probe, {
      probe: 'busy-loop',
      channels: 1,
      deadline: 300,
      runs: 2,
      workers: 1,
      replayDir: '',
    });
    expect(s.runs).toBe(2);
    expect(s.byKind).toEqual({ deadlock: 2 });
    const after = await runCampaign(
      probe,
      { probe: 'thread', runs: 3, workers: 1, replayDir: '' },
      {
        onRun: (_i, r) => threads.push((r.results.probe as { threadId: number }).threadId),
      },
    );
    expect(after.passes).toBe(3);
    expect(new Set(threads).size).toBe(1);
  });

  it('shards partition the seeds, and merging every shard gives the unsharded summary', async () => {
    const whole = await runCampaign('config-race', { ...MIXED, runs: 15, workers: 1 });
    const shards: { file: string; summary: CampaignSummary }[] = [];
    for (let i = 1; i <= 3; i++) {
      const summary = await runCampaign('config-race', {
        ...MIXED,
        runs: 15,
        workers: 1,
        shard: `${i}/3`,
      });
      expect(summary.runs).toBe(5);
      shards.push({ file: `shard${i}.json`, summary });
    }
    const merged = mergeSummaries(shards);
    expect(merged.shard).toBeNull();
    expect(verdict(merged)).toEqual(verdict(whole));
    const partial = mergeSummaries(shards.slice(0, 2));
    expect(partial.shards).toEqual([1, 2]);
    expect(partial.runs).toBe(10);
    expect(() => mergeSummaries([shards[0]!, shards[0]!])).toThrow(/given twice/);
    expect(() => mergeSummaries([shards[0]!, { file: 'whole.json', summary: whole }])).toThrow(
      /not a shard/,
    );
    const other = { ...shards[1]!.summary, scenario: 'dmatest' };
    expect(() => mergeSummaries([shards[0]!, { file: 'x.json', summary: other }])).toThrow(
      /not shards of one campaign/,
    );
  });

  it('--stop-on-first ends at the first failing run with its replay file', async () => {
    const s = await runCampaign('config-race', {
      api: 'unsafe',
      runs: 500,
      stopOnFirst: true,
      replayDir: dir,
    });
    expect(s.stoppedEarly).toBe(true);
    expect(s.failures).toBeGreaterThanOrEqual(1);
    expect(s.runs).toBeLessThan(500);
    expect(existsSync(s.firstFailure!.replayFile!)).toBe(true);
    expect(s.exitCode).toBe(1);
  });

  it('an AbortSignal ends the campaign with its summary so far', async () => {
    const stop = new AbortController();
    const s = await runCampaign(
      'config-race',
      { ...MIXED, runs: 100_000, workers: 2 },
      {
        signal: stop.signal,
        // A handshake, not a timer: abort once three runs are in.
        onProgress: (p) => {
          if (p.done >= 3) stop.abort();
        },
      },
    );
    expect(s.interrupted).toBe(true);
    expect(s.runs).toBeGreaterThanOrEqual(3);
    expect(s.runs).toBeLessThan(100_000);
    expect(s.runs).toBe(s.passes + s.failures);
  });

  it('says which replay files could not be written, and the runs still count', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const s = await runCampaign('config-race', {
      ...MIXED,
      runs: 4,
      replayDir: join(blocker, 'sub'),
    });
    expect(s.failures).toBeGreaterThan(0);
    expect(s.replayFiles).toEqual([]);
    expect(s.replayErrors?.[0]).toMatch(/^seed \d+: /);
    expect(s.runs).toBe(4);
  });

  it('refuses bad campaign options before any run, naming the flag', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ runs: 0 }, /--runs/],
      [{ runs: 'many' }, /--runs/],
      [{ shard: '3/2' }, /--shard/],
      [{ workers: 200 }, /--workers/],
      [{ seed: 0xfffffff0, runs: 100 }, /--runs/],
      [{ nosuch: 1 }, /nosuch/],
      [{ trace: 't.json' }, /--trace: a campaign's runs would all write the one file/],
    ];
    for (const [options, re] of bad) {
      await expect(runCampaign('config-race', options)).rejects.toMatchObject({
        code: 'DMASIM_BAD_OPTION',
        message: expect.stringMatching(re) as unknown,
      });
    }
  });
});

describe('startRun with an AbortSignal', () => {
  it('ends the run early and says so', async () => {
    const stop = new AbortController();
    const run = startRun('dmatest', { duration: 60_000 }, { signal: stop.signal });
    // Abort once the run has produced events: it is running.
    const sub = run.events$.subscribe(() => stop.abort());
    const r = await run.result;
    sub.unsubscribe();
    expect(r.interrupted).toBe(true);
    expect(r.durationMs).toBeLessThan(60_000);
  });
});
