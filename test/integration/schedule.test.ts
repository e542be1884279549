import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  replay,
  runScenario,
  shutdownActorPool,
  startRun,
  writeReplayFile,
  type RunResult,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'dmasim-schedule-'));

afterAll(async () => {
  await shutdownActorPool();
  rmSync(dir, { recursive: true, force: true });
});

const controlled = { mode: 'controlled', strategy: 'pct' } as const;

describe('controlled runs are a function of (scenario, options, seed)', () => {
  it.each([
    ['config-race', { api: 'unsafe' }],
    ['config-race', { lock: 'spin_lock', callbackContext: 'hardirq' }],
    ['pl08x-callback-under-lock', {}],
    ['dmatest', { channels: 2, threadsPerChan: 2, iterations: 8, events: 'all' }],
    ['dmatest', { channels: 1, iterations: 4, polled: true, events: 'all' }],
    ['memcpy-stream', { iterations: 64, events: 'all' }],
    ['locktorture', { iterations: 100, lockdep: true, events: 'api' }],
  ] as const)('%s %j: the same seed gives the same eventHash', async (name, options) => {
    const hashes = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const a = await runScenario(name, { ...controlled, ...options, seed });
      const b = await runScenario(name, { ...controlled, ...options, seed });
      expect(b.eventHash, `seed ${seed}`).toBe(a.eventHash);
      expect(b.schedule, `seed ${seed}`).toEqual(a.schedule);
      expect(b.violationCounts).toEqual(a.violationCounts);
      hashes.add(a.eventHash);
    }
    // The seed decides the interleaving: some seeds differ (lock-free runs may not).
    if (name !== 'locktorture') expect(hashes.size).toBeGreaterThan(1);
  });

  it('the random strategy is deterministic too', async () => {
    const o = { mode: 'controlled', strategy: 'random', api: 'unsafe', seed: 5 };
    const a = await runScenario('config-race', o);
    const b = await runScenario('config-race', o);
    expect(b.eventHash).toBe(a.eventHash);
  });
});

/** The first of `seeds` whose controlled pct run finds `kind`, and that run. */
async function firstFinding(
  name: string,
  options: Record<string, unknown>,
  kind: string,
  seeds: number,
): Promise<{ seed: number; result: RunResult } | null> {
  for (let seed = 1; seed <= seeds; seed++) {
    const result = await runScenario(name, { ...controlled, ...options, seed });
    if (result.violationCounts[kind]) return { seed, result };
  }
  return null;
}

describe('pct finds every built-in bug within a few seeds, and its replay file reproduces it', () => {
  it.each([
    ['config-race', { api: 'unsafe' }, 'config-prep-mismatch'],
    ['config-race', { lock: 'mutex' }, 'sleep-in-atomic'],
    ['config-race', { lock: 'spin_lock' }, 'deadlock'],
    ['config-race', { lock: 'spin_lock_bh', callbackContext: 'hardirq' }, 'deadlock'],
    ['pl08x-callback-under-lock', {}, 'recursive-locking'],
  ] as const)('%s %j: %s', async (name, options, kind) => {
    const found = await firstFinding(name, options, kind, 8);
    expect(found, `no seed of 1..8 found ${kind}`).not.toBeNull();
    const { result } = found!;
    expect(result.replay).toBeDefined();
    const file = join(dir, `${name}-${kind}.json`);
    writeReplayFile(file, result.replay!);
    const again = await replay(file);
    expect(again.reproduced).toBe(true);
    expect(again.result.violationCounts[kind]).toBeGreaterThan(0);
    expect(again.result.eventHash).toBe(result.eventHash);
    expect(again.result.schedule.diverged).toBe(0);
  });
});

describe('wait queues', () => {
  it('wake the waiters on every CPU, past the 32nd too', async () => {
    // 36 dmatest threads, each on its own CPU, waiting for its callback with no timeout: a
    // lost wake-up is a deadlock here.
    const r = await runScenario('dmatest', {
      mode: 'controlled',
      channels: 12,
      threadsPerChan: 3,
      iterations: 2,
      timeout: -1,
    });
    expect(r.violationCounts).toEqual({});
    expect(r.exitCode).toBe(0);
    const threads = r.results.threads as { tests: number; failures: number }[];
    expect(threads).toHaveLength(36);
    for (const t of threads) expect(t).toMatchObject({ tests: 2, failures: 0 });
  });
});

describe('virtual time', () => {
  it("makes dma_sync_wait()'s 5 s timeout cost no wall time", async () => {
    const t0 = performance.now();
    // A 10 s transfer: the polled dmatest thread gives up after dma_sync_wait's 5 s.
    const r = await runScenario('dmatest', {
      mode: 'controlled',
      channels: 1,
      polled: true,
      iterations: 1,
      latency: 10_000_000,
    });
    const wall = performance.now() - t0;
    const timeout = r.dmesg.find((l) => l.includes('dma_sync_wait: timeout!'));
    expect(timeout).toMatch(/^\[\s+5\.\d{6}\] dma0: dma_sync_wait: timeout!$/);
    expect(r.schedule.virtualMs).toBeGreaterThanOrEqual(10_000);
    expect(wall).toBeLessThan(5000);
  });
});

describe('--stop-on-first', () => {
  it('ends a run at its first violation, however long it was meant to run', async () => {
    // Ten minutes of racing, unless the first violation ends it.
    const run = startRun('config-race', {
      api: 'unsafe',
      mode: 'chaos',
      seed: 2,
      duration: 600_000,
      deadline: 700_000,
      stopOnFirst: true,
    });
    let first = -1;
    run.violations$.subscribe(() => {
      if (first < 0) first = performance.now();
    });
    const r = await run.result;
    expect(r.exitCode).toBe(1);
    expect(first).toBeGreaterThan(0);
    expect(r.violationCounts.deadlock).toBeUndefined();
    expect(r.replay?.violations.length).toBeGreaterThan(0);
  });
});

describe('replaying a free run', () => {
  it('follows the order of points the free run recorded, under the controlled scheduler', async () => {
    // Free mode: the OS decides whether this run races; a few tries make it near certain.
    let free: RunResult | null = null;
    for (let seed = 1; seed <= 5 && free?.exitCode !== 1; seed++) {
      free = await runScenario('config-race', { api: 'unsafe', mode: 'free', seed, duration: 300 });
    }
    expect(free!.exitCode).toBe(1);
    expect(free!.replay?.points).toHaveLength(3);
    const file = join(dir, 'free.json');
    writeReplayFile(file, free!.replay!);
    const again = await replay(file);
    expect(again.result.mode).toBe('controlled');
    expect(again.result.strategy).toBe('follow');
    // Every recorded point was offered to the schedule; how many could be followed varies.
    expect(again.result.schedule.points).toBeGreaterThan(0);
    expect(again.recorded).toContain('config-prep-mismatch');
    if (!again.result.replay) return;
    // The replay's own file is controlled: it replays the replay exactly.
    const exact = join(dir, 'exact.json');
    writeReplayFile(exact, again.result.replay);
    const third = await replay(exact);
    expect(third.result.eventHash).toBe(again.result.eventHash);
    expect(third.result.schedule.diverged).toBe(0);
  });
});
