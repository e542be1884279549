import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'dmasim-cyclic-'));
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await shutdownActorPool();
});

const cyclicAudio = () => getScenario('cyclic-audio');

describe('dmasim run cyclic-audio (the contract)', () => {
  it('exits 1 with use-after-free for --variant no-terminate-vdesc', () => {
    const r = runCli(work, ['run', 'cyclic-audio', '--variant', 'no-terminate-vdesc', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { violationCounts: Record<string, number> };
    expect(out.violationCounts).toEqual({ 'use-after-free': 1 });
  });

  it('exits 0 for --variant terminate-vdesc with periods, callbacks, coalescedPeriods and xruns', () => {
    const r = runCli(work, ['run', 'cyclic-audio', '--variant', 'terminate-vdesc', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { results: Record<string, number> };
    for (const key of ['periods', 'callbacks', 'coalescedPeriods', 'xruns']) {
      expect(typeof out.results[key]).toBe('number');
    }
    expect(out.results.xruns).toBe(0);
    expect(out.results.callbacks).toBeGreaterThanOrEqual(16);
  });

  it('exits 2 naming the flag for a period the codec cannot take whole', () => {
    const r = runCli(work, ['run', 'cyclic-audio', '--period-bytes', '1000']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--period-bytes');
  });
});

describe('cyclic-audio', () => {
  it.each(Array.from({ length: 10 }, (_, k) => k + 1))(
    'finds the use-after-free of vc->cyclic without vchan_terminate_vdesc (controlled seed %i)',
    async (seed) => {
      const r = await runScenario(cyclicAudio(), {
        variant: 'no-terminate-vdesc',
        seed,
        replayOut: '',
        deadline: 30_000,
      });
      expect(r.violations.map((v) => [v.kind, v.where])).toEqual([
        ['use-after-free', 'vchan_complete'],
      ]);
      expect(r.exitCode).toBe(1);
    },
  );

  it.each([1, 2, 3])('finds it in free mode too (run %i)', async () => {
    const r = await runScenario(cyclicAudio(), {
      variant: 'no-terminate-vdesc',
      mode: 'free',
      replayOut: '',
      deadline: 30_000,
    });
    expect(r.violations.map((v) => v.kind)).toEqual(['use-after-free']);
  });

  it.each(Array.from({ length: 20 }, (_, k) => k + 1))(
    'is clean with vchan_terminate_vdesc, every period played and called back (controlled seed %i)',
    async (seed) => {
      const r = await runScenario(cyclicAudio(), { seed, deadline: 30_000 });
      expect(r.violations).toEqual([]);
      expect(r.results).toMatchObject({ xruns: 0, staleBytes: 0, codecUnderruns: 0 });
      const res = r.results as { callbacks: number; coalescedPeriods: number; periods: number };
      expect(res.callbacks + res.coalescedPeriods).toBeGreaterThanOrEqual(res.periods - 1);
      expect(r.exitCode).toBe(0);
    },
  );

  it('counts xruns, and the codec plays stale bytes, when the application refills too slowly', async () => {
    const r = await runScenario(cyclicAudio(), { consumer: 0.5, seed: 1, deadline: 30_000 });
    const res = r.results as Record<string, number>;
    expect(res.xruns).toBeGreaterThan(0);
    expect(res.staleBytes).toBeGreaterThan(0);
    // An xrun is the application's problem, not a kernel rule broken.
    expect(r.exitCode).toBe(0);
  });
});
