import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownActorPool } from '../../src/index.js';
import { CDriver } from '../../src/cdriver/driver.js';
import { expectNoViolations, expectViolation } from '../../src/testing/expect.js';

/**
 * The C driver of examples/8250-dma-rx-complete: the 8250's DMA Rx before and after
 * "serial: 8250_dma: Fix DMA Rx completion race" (31352811e13d).
 */
const root = join(import.meta.dirname, '../..');
const DRIVER = join(root, 'examples/8250-dma-rx-complete/driver.c');

/** Builds go to a cache of this file's own; set before anything compiles or starts threads. */
const cache = mkdtempSync(join(tmpdir(), 'dmasim-8250-cc-'));
process.env.DMASIM_CACHE_DIR = cache;
const replayDir = mkdtempSync(join(tmpdir(), 'dmasim-8250-complete-'));

/**
 * A message of one DMA buffer (rx_size 256) and 4 more characters, fast enough that the
 * Rx timeout comes while the completed transfer's callback is still on its way.
 */
const MESSAGE = { bytes: 260, rate: 2048 };

/** The seeds every variant runs: the buggy driver duplicates on the first. */
const sweep = (options: Record<string, unknown>) => ({
  runs: 2,
  deadline: 20_000,
  replayDir,
  options: { source: DRIVER, ...MESSAGE, kcsan: true, ...options },
});

/**
 * Two builds, both --kcsan: its instrumentation checks loads and stores but adds no
 * scheduling point, so a seed runs the schedule of the plain build. A fresh cache makes the
 * first build load LLVM; building here keeps that out of the runs' start-up watchdog.
 */
beforeAll(async () => {
  const driver = new CDriver([DRIVER], root);
  await driver.build(true, []);
  await driver.build(true, ['FIXED']);
}, 60_000);

afterAll(async () => {
  await shutdownActorPool();
  rmSync(replayDir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('8250-dma-rx-complete', () => {
  it('pushes the same DMA buffer twice when the flush and the callback both complete it', async () => {
    const found = await expectViolation('c-driver', 'uart-rx-duplicate', sweep({}));

    expect({ seed: found.seed, violations: found.violationCounts }).toEqual({
      seed: 1,
      violations: { 'uart-rx-duplicate': 1, 'data-race': 1 },
    });
    // rx_size bytes too many: the whole buffer went up twice.
    const dup = found.violations.find((v) => v.kind === 'uart-rx-duplicate')!;
    expect(dup.message).toBe(
      'ttyS0: the UART sent 260 bytes, the tty got 516; first wrong byte at 256',
    );
  });

  it('reports the unlocked completion racing the flush as a data race', async () => {
    const found = await expectViolation('c-driver', 'data-race', sweep({}));

    const race = found.violations.find((v) => v.kind === 'data-race')!;
    expect({ where: race.where, cpu: race.cpu, otherCpu: race.otherCpu }).toEqual({
      where: '__dma_rx_complete',
      cpu: 0,
      otherCpu: 1,
    });
    expect(race.message).toContain('data-race in __dma_rx_complete / serial8250_rx_dma_flush');
  });

  it('with -DFIXED delivers every byte once, in order, with no data race, on the same seeds', async () => {
    await expect(
      expectNoViolations('c-driver', sweep({ define: 'FIXED' })),
    ).resolves.toBeUndefined();
  });

  it('with -DFIXED takes port->lock with irqsave wherever lockdep looks', async () => {
    await expect(
      expectNoViolations('c-driver', sweep({ define: 'FIXED', lockdep: true })),
    ).resolves.toBeUndefined();
  });
});
