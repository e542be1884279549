import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import type { TerminateRaceResult } from '../../src/clients/terminate-race/driver.js';
import type { ClientAssociationResult } from '../../src/clients/client-association/client.js';

afterAll(async () => {
  await shutdownActorPool();
});

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const MODES = ['controlled', 'free'] as const;

describe('terminate-race', () => {
  for (const mode of MODES) {
    it(`no-sync: the callback writes freed state on every run (${mode}, 12 seeds)`, async () => {
      for (const seed of SEEDS) {
        const r = await runScenario('terminate-race', { variant: 'no-sync', mode, seed });
        expect(r.exitCode, `seed ${seed}`).toBe(1);
        expect(r.violationCounts, `seed ${seed}`).toEqual({ 'use-after-free': 1 });
        expect(r.violations[0]!.message).toContain(
          'slab-use-after-free in terminate_race_dma_callback',
        );
        const d = r.results.driver as TerminateRaceResult;
        expect(d).toMatchObject({ callbacksReturnedAtFree: 3, callbacksReturned: 4 });
      }
    });

    it(`sync: every callback returned before kfree, nothing reported (${mode}, 12 seeds)`, async () => {
      for (const seed of SEEDS) {
        const r = await runScenario('terminate-race', { variant: 'sync', mode, seed });
        expect([r.exitCode, r.violations], `seed ${seed}`).toEqual([0, []]);
        const d = r.results.driver as TerminateRaceResult;
        expect(d).toMatchObject({
          callbacksReturnedAtFree: 4,
          completionsAtFree: 4,
          lastStatus: 'DMA_COMPLETE',
        });
      }
    });
  }

  it.each([1, 2, 3])(
    'terminate-sync-in-callback: sleep-in-atomic, and the callback waits for itself (seed %i)',
    async (seed) => {
      const r = await runScenario('terminate-race', {
        variant: 'terminate-sync-in-callback',
        mode: 'controlled',
        seed,
      });
      expect(r.exitCode).toBe(1);
      expect(r.violationCounts).toMatchObject({ 'sleep-in-atomic': 2, deadlock: 1 });
      expect(r.violations.find((v) => v.kind === 'sleep-in-atomic')?.sleeper).toBe(
        'dmaengine_terminate_sync',
      );
    },
  );
});

describe('client-association', () => {
  for (const mode of MODES) {
    it(`clean: the provider saw spi0 at alloc and free took it back (${mode})`, async () => {
      for (const seed of SEEDS.slice(0, 6)) {
        const r = await runScenario('client-association', { mode, seed });
        expect([r.exitCode, r.violations], `seed ${seed}`).toEqual([0, []]);
        expect(r.results.client as ClientAssociationResult).toMatchObject({
          requestError: 0,
          clientAtAlloc: 'spi0',
          usageWhileHeld: 1,
          inFlightAtRelease: 0,
          clientAfterRelease: null,
          usageAfterRelease: 0,
        });
      }
    });

    it(`release-in-flight: reported on every run (${mode})`, async () => {
      for (const seed of SEEDS.slice(0, 6)) {
        const r = await runScenario('client-association', {
          variant: 'release-in-flight',
          mode,
          seed,
        });
        expect(r.exitCode, `seed ${seed}`).toBe(1);
        expect(r.violationCounts).toEqual({ 'release-with-transfers-in-flight': 1 });
        const c = r.results.client as ClientAssociationResult;
        expect(c.inFlightAtRelease).toBeGreaterThanOrEqual(2);
        expect(r.violations[0]).toMatchObject({ chan: 'dma0chan0', client: 'spi0' });
        // Free: an issued transfer may complete between the client's count and the
        // release's; the unissued half cannot. Controlled: nothing runs in between.
        const inFlight = r.violations[0]!.inFlight as number;
        if (mode === 'controlled') expect(inFlight).toBe(c.inFlightAtRelease);
        expect(inFlight).toBeGreaterThanOrEqual(2);
        expect(inFlight).toBeLessThanOrEqual(c.inFlightAtRelease);
      }
    });
  }

  it('a suspended client is refused with -EACCES by a provider run with --client-pm', async () => {
    const r = await runScenario('client-association', { suspended: true, clientPm: true });
    expect(r.exitCode).toBe(0);
    expect(r.results.client as ClientAssociationResult).toMatchObject({
      requestError: -13,
      clientAtAlloc: null,
    });
    const permissive = await runScenario('client-association', { suspended: true });
    expect((permissive.results.client as ClientAssociationResult).requestError).toBe(0);
  });
});
