import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { scenario } from '../fixtures/probe-scenario.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  runScenario(scenario, { probe: name, channels: 1, lockdep: true, deadline: 20_000, ...options });

// Where an interrupt lands decides these: they run on the controlled scheduler, so the seed
// decides it, not the machine's load.
const controlled = { mode: 'controlled', seed: 1 };

describe('kernel locks on real CPUs', () => {
  it.each(['spin_lock', 'spin_lock_bh', 'spin_lock_irqsave', 'mutex'])(
    'keeps a slow read-modify-write exact from 2 CPUs under %s (free mode stress)',
    async (lockKind) => {
      const r = await probe('lock-counter', { cpus: 2, lockKind, n: 2000 });
      expect(r.exitCode).toBe(0);
      expect(r.results.probes).toEqual([{ count: 4000 }, { count: 4000 }]);
    },
  );

  it.each(['spin_lock', 'mutex'])(
    'keeps the read-modify-write exact under %s when the schedule preempts inside it',
    async (lockKind) => {
      for (const seed of [1, 2, 3]) {
        const r = await probe('lock-counter', {
          cpus: 2,
          lockKind,
          n: 300,
          mode: 'controlled',
          strategy: 'random',
          seed,
        });
        expect(r.results.probes, `seed ${seed}`).toEqual([{ count: 600 }, { count: 600 }]);
        expect(r.stats.contended, `seed ${seed}`).toBeGreaterThan(0);
      }
    },
  );

  it('defers an interrupt taken in spin_lock_irqsave to the unlock', async () => {
    const r = await probe('irqsave-defers', controlled);
    expect(r.results.probe).toEqual({ during: 0, afterUnlock: 1 });
    expect(r.violationCounts).toEqual({});
  });

  it('lets an interrupt and its callback run inside a plain spin_lock section', async () => {
    const r = await probe('spin-lock-takes-irq', controlled);
    expect(r.results.probe).toEqual({ during: 1, afterUnlock: 1 });
  });
});

describe('lockdep-style validator on real runs', () => {
  it('reports terminate_sync from a callback as sleep-in-atomic, and the exact deadlock it causes', async () => {
    const r = await probe('terminate-sync-in-callback', controlled);
    expect(r.exitCode).toBe(1);
    expect(r.violationCounts).toEqual({ 'sleep-in-atomic': 2, deadlock: 1 });
    const sleepers = r.violations.filter((v) => v.kind === 'sleep-in-atomic').map((v) => v.sleeper);
    expect(sleepers).toEqual(['dmaengine_terminate_sync', 'dmaengine_synchronize']);
    expect(r.violations.find((v) => v.kind === 'sleep-in-atomic')?.report).toMatch(
      /^BUG: sleeping function called from invalid context/,
    );
  });

  it('finds AB-BA across two CPUs even though the two never overlap', async () => {
    const r = await probe('ab-ba', { cpus: 2, ...controlled });
    expect(r.violationCounts).toEqual({ 'circular-locking': 1 });
    expect(r.violations[0]).toMatchObject({
      kind: 'circular-locking',
      chain: ['probe_lock_B', 'probe_lock_A'],
    });
    expect(r.violations[0]!.report).toContain(
      'WARNING: possible circular locking dependency detected',
    );
  });
});
