import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool, type RunResult } from '../../src/index.js';
import { scenario as teardown } from '../fixtures/teardown-scenario.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

const SEEDS = [1, 2, 3, 4, 5];

function probe(name: string, options: Record<string, unknown> = {}): Promise<RunResult> {
  return runScenario(teardown, {
    probe: name,
    mode: 'controlled',
    seed: 1,
    deadline: 20_000,
    ...options,
  });
}

describe('terminate, synchronize', () => {
  it('returns 0 on vdma and says once per run that terminate_all is deprecated', async () => {
    const r = await probe('errno');
    expect(r.results.probe).toEqual({ async: 0, all: 0, all2: 0, sync: 0 });
    const notices = r.dmesg.filter((l) => l.includes('dmaengine_terminate_all() is deprecated'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('dmaengine_terminate_async() + dmaengine_synchronize()');
    expect(notices[0]).toContain('dmaengine_terminate_sync()');
    expect(r.exitCode).toBe(0);
  });

  it('without device_terminate_all: terminate_async and terminate_sync -EINVAL, terminate_all -ENOSYS', async () => {
    const r = await probe('errno', { provider: 'minidma' });
    expect(r.results.probe).toEqual({ async: -22, all: -38, all2: -38, sync: -22 });
  });

  it.each(SEEDS)('runs no callback for aborted transfers (seed %i)', async (seed) => {
    const r = await probe('aborted', { seed });
    expect(r.results.probe).toEqual({ ret: 0, callbacks: 0 });
    expect(r.violations).toEqual([]);
  });

  it.each(SEEDS)('synchronize returns after the running callback did (seed %i)', async (seed) => {
    const r = await probe('synchronize', { seed, cpus: 2 });
    expect(r.results.probe).toEqual({
      entered: 1,
      returnedAtTerminate: 0,
      returnedAtSynchronize: 1,
    });
    expect(r.violations).toEqual([]);
  });

  it.each(SEEDS)(
    'synchronize waits for a callback that is only scheduled (bh off on its CPU) (seed %i)',
    async (seed) => {
      const r = await probe('synchronize-scheduled', { seed, cpus: 2 });
      expect(r.results.probe).toEqual({
        status: 0,
        returnedAtComplete: 0,
        returnedAtSynchronize: 1,
      });
      expect(r.violations).toEqual([]);
    },
  );
});

describe('use-after-free checker', () => {
  it('reports a callback touching freed kmalloc state, with its alloc and free records', async () => {
    const r = await probe('state-freed');
    expect(r.exitCode).toBe(1);
    expect(r.violationCounts).toEqual({ 'use-after-free': 1 });
    const v = r.violations[0]!;
    expect(v.message).toContain('KASAN: slab-use-after-free in teardown_state_callback');
    expect(v.report).toContain('Allocated by actor 0 (process)');
    expect(v.report).toContain('Freed by actor 0 (process)');
    expect(v).toMatchObject({
      access: 'write',
      object: (r.results.probe as { addr: number }).addr,
    });
  });

  it('reports an engine write into a buffer freed while its transfer was in flight', async () => {
    const r = await probe('engine-write-freed');
    expect(r.exitCode).toBe(1);
    expect(r.violationCounts).toEqual({ 'use-after-free': 1 });
    const v = r.violations[0]!;
    expect(v.message).toContain('in vdma_engine_transfer: write of 8 bytes');
    expect(v.report).toContain('Allocated by actor 0 (process)');
    expect(v.report).toContain('Freed by actor 0 (process)');
    expect(v.report).toMatch(/by dma0 \(engine\)|by dma0/);
  });

  it('reports nothing for valid accesses, by a callback or by the engine', async () => {
    const a = await probe('state-valid');
    expect(a.results.probe).toEqual({ count: 2 });
    const b = await probe('engine-valid');
    expect([a.violations, b.violations, a.exitCode, b.exitCode]).toEqual([[], [], 0, 0]);
  });

  it('lets --kasan=false turn the engine check off', async () => {
    const r = await probe('engine-write-freed', { kasan: false });
    expect(r.violations).toEqual([]);
  });
});

describe('client device', () => {
  it('reaches alloc_chan_resources by name or by mask, is taken back at free, and a suspended one is refused', async () => {
    const r = await probe('client');
    expect(r.results.probe).toEqual({
      byMaskSeen: 'spi0',
      refusedByMask: null,
      seen: 'spi0',
      usageHeld: 1,
      afterRelease: null,
      usageAfter: 0,
      refused: -13,
      eacces: -13,
      freeAfterRefusal: true,
    });
    expect(r.dmesg.some((l) => l.includes('client i2c1 is runtime-suspended: -EACCES'))).toBe(true);
  });

  it.each(SEEDS)('reports a release with transfers in flight (seed %i)', async (seed) => {
    const r = await probe('release-in-flight', { seed });
    expect(r.violationCounts).toEqual({ 'release-with-transfers-in-flight': 1 });
    expect(r.violations[0]).toMatchObject({ chan: 'dma0chan0', client: 'uart3', inFlight: 3 });
    expect(r.violations[0]!.message).toContain('dma_release_channel(dma0chan0) by uart3 with 3');
  });
});
