import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import type { RunResult } from '../../src/index.js';
import { expectNoViolations, expectViolation } from '../../src/testing/vitest.js';

/** The example as a user runs it: its TypeScript source, by path (no build step). */
const scenario = join(import.meta.dirname, '../../examples/8250-dma-rx-rearm/scenario.ts');

/** The seeds both variants run: the buggy one fails on most of them. */
const SEEDS = [1, 2, 3, 4];

const replayDir = mkdtempSync(join(tmpdir(), 'dmasim-8250-'));

afterAll(async () => {
  rmSync(replayDir, { recursive: true, force: true });
  await shutdownActorPool();
});

interface Rx {
  sent: number;
  received: number;
  timeouts: number;
  stale: number;
  firstDifference: number;
}

async function runSeeds(fixed: boolean): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const seed of SEEDS) {
    results.push(
      await runScenario(scenario, { seed, fixed, mode: 'controlled', deadline: 20_000 }),
    );
  }
  return results;
}

describe('8250-dma-rx-rearm', () => {
  it('loses received bytes when a stale dma_rx_complete() completes a re-armed transfer', async () => {
    const results = await runSeeds(false);
    const failing = results.filter((r) => r.exitCode === 1);
    expect(failing.length).toBeGreaterThan(0);
    for (const r of failing) {
      const rx = r.results.rx as Rx;
      expect(Object.keys(r.violationCounts)).toEqual(['uart-rx-lost']);
      expect(rx.received).toBeLessThan(rx.sent);
      // The mechanism, not only its effect: a completion found its transfer still running.
      expect(rx.stale).toBeGreaterThan(0);
    }
    expect(results.every((r) => r.exitCode !== 3)).toBe(true);
  });

  it('with --fixed delivers every byte, in order, on the same seeds', async () => {
    const results = await runSeeds(true);
    for (const r of results) {
      expect({ seed: r.seed, exitCode: r.exitCode, violations: r.violationCounts }).toEqual({
        seed: r.seed,
        exitCode: 0,
        violations: {},
      });
      const rx = r.results.rx as Rx;
      expect({ received: rx.received, timeouts: rx.timeouts, diff: rx.firstDifference }).toEqual({
        received: rx.sent,
        timeouts: 6,
        diff: -1,
      });
    }
    // The race still happens with the fix; the fix is that nothing is completed early.
    expect(results.some((r) => (r.results.rx as Rx).stale > 0)).toBe(true);
  });

  it('reads as a test of the driver with the assertions of dmasim/vitest', async () => {
    const sweep = { runs: 3, deadline: 20_000, replayDir };
    const found = await expectViolation(scenario, 'uart-rx-lost', sweep);
    expect(found.replayFile).toBe(join(replayDir, '8250-dma-rx-rearm-controlled-seed1.json'));
    expect(existsSync(found.replayFile!)).toBe(true);
    await expect(
      expectNoViolations(scenario, { ...sweep, options: { fixed: true } }),
    ).resolves.toBeUndefined();
  });
});
