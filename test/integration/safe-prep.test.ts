import { afterAll, describe, expect, it } from 'vitest';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';
import type { Violation } from '../../src/index.js';

afterAll(async () => {
  await shutdownActorPool();
});

const race = (options: Record<string, unknown>) =>
  runScenario('config-race', { duration: 400, ...options });
const RUNS = 3;

describe('config-race: the safe prep series, version by version', () => {
  it.each([
    ['softirq', 'softirq'],
    ['hardirq', 'hardirq'],
  ])(
    'finds the config-vs-prep race of the old pattern on every run (callbacks in %s)',
    async (_, ctx) => {
      for (let i = 0; i < RUNS; i++) {
        const r = await race({ api: 'unsafe', callbackContext: ctx, seed: i + 1 });
        expect(r.violationCounts['config-prep-mismatch'], `run ${i}`).toBeGreaterThan(0);
        expect(r.violationCounts['data-corruption'], `run ${i}`).toBeGreaterThan(0);
        const v = r.violations.find((x) => x.kind === 'config-prep-mismatch')!;
        expect(v.intended).not.toEqual(v.applied);
      }
    },
  );

  it('finds sleep-in-atomic with the v3 mutex on every run', async () => {
    for (let i = 0; i < RUNS; i++) {
      const r = await race({ lock: 'mutex', seed: i + 1 });
      expect(r.violationCounts['sleep-in-atomic'], `run ${i}`).toBeGreaterThan(0);
    }
  });

  it.each([
    ['softirq', '{SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W}'],
    ['hardirq', '{HARDIRQ-ON-W} -> {IN-HARDIRQ-W}'],
  ])(
    'finds the v4/v5 spin_lock inconsistent lock state on every run (callbacks in %s)',
    async (ctx, pair) => {
      for (let i = 0; i < RUNS; i++) {
        const r = await race({ lock: 'spin_lock', callbackContext: ctx, seed: i + 1 });
        const v = r.violations.find((x) => x.kind === 'inconsistent-lock-state');
        expect(v, `run ${i}`).toBeDefined();
        expect(v!.report).toContain(`inconsistent ${pair} usage.`);
        expect(v!.lockClass).toBe('&chan->lock');
      }
    },
  );

  it('ends the v4/v5 self-deadlock with a deadlock report naming the CPU and the lock', async () => {
    // Interrupts land inside the spin_lock section often enough that a few runs deadlock.
    let deadlocked: { d: Violation; ms: number } | null = null;
    for (let i = 0; i < 10 && !deadlocked; i++) {
      const t0 = performance.now();
      const r = await race({ lock: 'spin_lock', seed: i + 1, duration: 1000 });
      const d = r.violations.find((x) => x.kind === 'deadlock');
      if (d) deadlocked = { d, ms: performance.now() - t0 };
    }
    expect(deadlocked).not.toBeNull();
    expect(deadlocked!.d.report).toMatch(
      /cpu0 spins on &chan->lock \(lock \d+\), held by cpu0 itself/,
    );
    expect(deadlocked!.ms).toBeLessThan(1000 + 10_000);
  });

  it.each([
    ['irqsave, softirq', { lock: 'irqsave', callbackContext: 'softirq' }],
    ['irqsave, hardirq', { lock: 'irqsave', callbackContext: 'hardirq' }],
    ['spin_lock_bh, softirq', { lock: 'spin_lock_bh', callbackContext: 'softirq' }],
    [
      'provider device_prep_config_sg, softirq',
      { providerAtomic: true, callbackContext: 'softirq' },
    ],
    [
      'provider device_prep_config_sg, hardirq',
      { providerAtomic: true, callbackContext: 'hardirq' },
    ],
  ])('stays clean over many runs: %s', async (_, options) => {
    for (let i = 0; i < RUNS; i++) {
      const r = await race({ ...options, seed: i + 1 });
      expect(r.violationCounts, `run ${i}`).toEqual({});
      expect(r.exitCode).toBe(0);
    }
  });
});

describe('pl08x-callback-under-lock', () => {
  it('finds recursive locking of &vc->lock and ends the self-deadlock, on every run', async () => {
    for (let i = 0; i < RUNS; i++) {
      const r = await runScenario('pl08x-callback-under-lock', { seed: i + 1 });
      expect(r.violationCounts['recursive-locking'], `run ${i}`).toBe(1);
      expect(r.violationCounts.deadlock, `run ${i}`).toBe(1);
      expect(r.violations.find((v) => v.kind === 'recursive-locking')!.report).toContain(
        'lock(&vc->lock);\n  lock(&vc->lock);',
      );
    }
  });

  it('is clean when fixed (callbacks after the lock is dropped)', async () => {
    for (let i = 0; i < RUNS; i++) {
      const r = await runScenario('pl08x-callback-under-lock', { fixed: true, seed: i + 1 });
      expect(r.violationCounts).toEqual({});
    }
  });

  it('has the scenario parameters the contract names', () => {
    expect(getScenario('config-race').params.map((p) => p.flag)).toEqual([
      'api',
      'lock',
      'provider-atomic',
      'clients',
      'len',
    ]);
  });
});
