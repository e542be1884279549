import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { runScenario, shutdownActorPool, type RunResult } from '../../src/index.js';
import type { QceEeResult } from '../../src/clients/qce-bam/client.js';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dmasim-bam-'));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await shutdownActorPool();
});

/** The scenario's results as collect() shapes them. */
interface BamResults {
  ees: Omit<QceEeResult, 'totals'>[];
  totals: { bytes: number; descriptors: number; locks: number; waitMs: number; holdMs: number };
  mismatches: number;
}

const seeds = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** One controlled run of bam-pipe-lock (the scenario's default mode) with a fixed seed. */
function bam(seed: number, params: Record<string, unknown>): Promise<RunResult> {
  return runScenario('bam-pipe-lock', { seed, replayOut: '', deadline: 30_000, ...params });
}

const kinds = (r: RunResult): string[] => Object.keys(r.violationCounts).sort();

describe('dmasim run bam-pipe-lock (the contract)', () => {
  it('exits 1 with register-write-while-busy for --ees 3 --unlock-on-empty', () => {
    const r = runCli(work, ['run', 'bam-pipe-lock', '--ees', '3', '--unlock-on-empty', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { violationCounts: Record<string, number> };
    expect(out.violationCounts['register-write-while-busy']).toBeGreaterThan(0);
  });

  it('exits 0 for --ees 3 with bytes and lock wait p50 / p99 per EE', () => {
    const r = runCli(work, ['run', 'bam-pipe-lock', '--ees', '3', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { violationCounts: object; results: BamResults };
    expect(out.violationCounts).toEqual({});
    expect(out.results.ees).toHaveLength(3);
    for (const ee of out.results.ees) {
      expect(ee).toMatchObject({
        bytes: expect.any(Number) as number,
        lockWaitMsP50: expect.any(Number) as number,
        lockWaitMsP99: expect.any(Number) as number,
      });
      expect(ee.bytes).toBe(8 * 1024);
    }
  });

  it('exits 1 with cookie-window for --ees 2 --cookie-lock-desc', () => {
    const r = runCli(work, ['run', 'bam-pipe-lock', '--ees', '2', '--cookie-lock-desc', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { violationCounts: Record<string, number> };
    expect(Object.keys(out.violationCounts)).toEqual(['cookie-window']);
  });

  it.each([
    [['--ees', '0'], '--ees'],
    [['--ees', '9'], '--ees'],
    [['--len', '0'], '--len'],
  ])('exits 2 naming the flag for %j', (args, flag) => {
    const r = runCli(work, ['run', 'bam-pipe-lock', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(flag);
  });
});

describe('bam-pipe-lock variants', () => {
  it.each(seeds(1, 6))(
    '--unlock-on-empty (v12) writes the engine registers while it is busy (seed %i)',
    async (seed) => {
      const r = await bam(seed, { ees: 3, unlockOnEmpty: true });
      expect(r.exitCode).toBe(1);
      expect(r.violationCounts['register-write-while-busy']).toBeGreaterThan(0);
      expect(r.violationCounts['data-corruption']).toBeGreaterThan(0);
      expect(kinds(r)).toEqual(['data-corruption', 'register-write-while-busy']);
      expect((r.results as unknown as BamResults).mismatches).toBeGreaterThan(0);
    },
  );

  it.each(seeds(1, 6))(
    '--no-nwd lets UNLOCK land before the engine is done (seed %i)',
    async (seed) => {
      const r = await bam(seed, { ees: 3, noNwd: true });
      expect(r.exitCode).toBe(1);
      expect(kinds(r)).toEqual(['data-corruption', 'register-write-while-busy']);
      expect((r.results as unknown as BamResults).mismatches).toBeGreaterThan(0);
    },
  );

  it.each(seeds(1, 6))(
    '--cookie-lock-desc (v19) completes cookies outside the window (seed %i)',
    async (seed) => {
      const r = await bam(seed, { ees: 2, cookieLockDesc: true });
      expect(r.exitCode).toBe(1);
      expect(kinds(r)).toEqual(['cookie-window']);
    },
  );

  it.each(seeds(1, 6))(
    '--attach-enotsupp (v12/v13) fails every request on a BAM without pipe locking (seed %i)',
    async (seed) => {
      const r = await bam(seed, { ees: 2, attachEnotsupp: true });
      expect(r.exitCode).toBe(1);
      expect(r.violationCounts).toEqual({ 'request-failed': 16 });
      const res = r.results as unknown as BamResults;
      expect(res.ees.map((e) => [e.failed, e.requests])).toEqual([
        [8, 0],
        [8, 0],
      ]);
    },
  );
});

describe('bam-pipe-lock, the fixed driver (v21)', () => {
  it.each(seeds(1, 20))('is clean at 3 EEs (seed %i)', async (seed) => {
    const r = await bam(seed, { ees: 3 });
    expect(r.violations).toEqual([]);
    const res = r.results as unknown as BamResults;
    expect(res.mismatches).toBe(0);
    expect(res.ees.map((e) => [e.requests, e.failed, e.locks])).toEqual([
      [8, 0, 8],
      [8, 0, 8],
      [8, 0, 8],
    ]);
    expect(r.exitCode).toBe(0);
  });

  it.each([
    [1, 1],
    [1, 2],
    [1, 3],
    [4, 1],
    [4, 2],
    [4, 3],
  ])('is clean at %i EE(s) (seed %i)', async (ees, seed) => {
    const r = await bam(seed, { ees });
    expect(r.violations).toEqual([]);
    expect((r.results as unknown as BamResults).mismatches).toBe(0);
    expect(r.exitCode).toBe(0);
  });
});

describe('bam-pipe-lock on a BAM without pipe locking (--no-pipe-lock)', () => {
  it.each(seeds(1, 3))('is clean with one EE (seed %i)', async (seed) => {
    const r = await bam(seed, { ees: 1, pipeLock: false });
    expect(r.violations).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it.each(seeds(1, 3))(
    'lets three EEs reprogram the engine under each other (seed %i)',
    async (seed) => {
      const r = await bam(seed, { ees: 3, pipeLock: false });
      expect(r.exitCode).toBe(1);
      expect(r.violationCounts['register-write-while-busy']).toBeGreaterThan(0);
      const res = r.results as unknown as BamResults;
      // No lock bracket: nothing waits for or holds the lock.
      expect(res.totals.locks).toBe(0);
    },
  );
});

describe('bam-pipe-lock figures', () => {
  const sum = (xs: readonly number[]): number => xs.reduce((n, x) => n + x, 0);

  it.each([
    [1, 1024, 8],
    [3, 1024, 8],
    [3, 4096, 5],
    [4, 512, 6],
  ])(
    'per-EE figures add up to the BAM totals (%i EEs, %i B, %i requests)',
    async (ees, len, iterations) => {
      const r = await bam(7, { ees, len, iterations });
      expect(r.exitCode).toBe(0);
      const res = r.results as unknown as BamResults;
      expect(res.ees).toHaveLength(ees);
      const bytes = sum(res.ees.map((e) => e.bytes));
      expect(bytes).toBe(ees * iterations * len);
      expect(res.totals.bytes).toBe(bytes);
      expect(r.stats.bytes).toBe(bytes);
      expect(sum(res.ees.map((e) => e.lockWaitMs))).toBeCloseTo(res.totals.waitMs, 6);
      expect(sum(res.ees.map((e) => e.lockHoldMs))).toBeCloseTo(res.totals.holdMs, 6);
      expect(res.totals.locks).toBe(ees * iterations);
      for (const ee of res.ees) {
        expect(ee.locks).toBe(iterations);
        expect(ee.requests).toBe(iterations);
        expect(ee.lockWaitMsP99).toBeGreaterThanOrEqual(ee.lockWaitMsP50);
        expect(ee.lockHoldMsP99).toBeGreaterThanOrEqual(ee.lockHoldMsP50);
        expect(ee.lockHoldMsP50).toBeGreaterThan(0);
      }
    },
  );

  it('shows no lock wait with one EE', async () => {
    const r = await bam(1, { ees: 1 });
    const res = r.results as unknown as BamResults;
    expect(res.ees[0]).toMatchObject({ lockWaitMsP50: 0, lockWaitMsP99: 0, lockWaitMs: 0 });
    expect(res.totals.waitMs).toBe(0);
  });

  it.each([2, 3, 4])(
    'shows the contention with %i EEs: each waits while the others hold the lock in turn',
    async (ees) => {
      const r = await bam(1, { ees });
      const res = r.results as unknown as BamResults;
      for (const ee of res.ees) {
        expect(ee.lockWaitMsP50).toBeGreaterThan(0);
        expect(ee.lockWaitMsP99).toBeGreaterThanOrEqual(ee.lockWaitMsP50);
        // Round robin on the virtual clock: the ees - 1 others hold it once each.
        expect(ee.lockWaitMsP50 / ee.lockHoldMsP50).toBeCloseTo(ees - 1, 0);
      }
    },
  );
});

describe('bam-pipe-lock at more than 4 EEs', () => {
  // A pipe's byte counter once shared its name with the layout's own BYTES (its size), so
  // from 5 pipes on the engine counted into another pipe's FIFO head.
  it.each([5, 8])('is clean at %i EEs, every EE forwarding its bytes', async (ees) => {
    const r = await bam(1, { ees });
    const res = r.results as unknown as BamResults;
    expect(r.violations).toEqual([]);
    expect(res.ees.map((e) => [e.requests, e.bytes])).toEqual(
      Array.from({ length: ees }, () => [8, 8 * 1024]),
    );
    expect(res.totals.bytes).toBe(ees * 8 * 1024);
    expect(r.exitCode).toBe(0);
  });
});
