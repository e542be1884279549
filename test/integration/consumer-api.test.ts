import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { DmaStatus } from '../../src/dmaengine/types.js';
import { scenario } from '../fixtures/probe-scenario.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

type Probe = Record<string, unknown>;
async function probe(name: string, options: Record<string, unknown> = {}) {
  const r = await runScenario(scenario, { probe: name, channels: 1, deadline: 20_000, ...options });
  return { r, p: r.results.probe as Probe };
}

describe('consumer API on a real engine', () => {
  it('moves nothing on submit until issue_pending, then completes', async () => {
    const { r, p } = await probe('submit-no-issue');
    expect(p).toEqual({
      cookie: 2,
      before: { status: DmaStatus.DMA_IN_PROGRESS, moved: 0, callbacks: 0 },
      completed: true,
      after: { status: DmaStatus.DMA_COMPLETE, moved: 256, callbacks: 1 },
    });
    expect(r.exitCode).toBe(0);
  });

  it('completes one issue of 32 descriptors in submission order with increasing cookies', async () => {
    const { r, p } = await probe('in-order');
    const n = 32;
    expect(p.completed).toBe(true);
    expect(p.order).toEqual(Array.from({ length: n }, (_, k) => k));
    expect(p.cookies).toEqual(Array.from({ length: n }, (_, k) => k + 2));
    expect(p.statuses).toEqual(new Array<number>(n).fill(DmaStatus.DMA_COMPLETE));
    expect(p.copied).toBe(true);
    expect(r.stats).toMatchObject({ descriptors: n, bytes: 64 * n, callbacks: n, eventsLost: 0 });
  });

  it('returns what the kernel returns on misuse, reports it and keeps running', async () => {
    const { r, p } = await probe('misuse');
    expect(p).toEqual({
      zeroLength: true,
      first: 2,
      // A second submit re-queues the descriptor with a new cookie, as list_move_tail does.
      second: 3,
      firstStatus: DmaStatus.DMA_IN_PROGRESS,
      // A cookie past `used` is inside no window: the kernel's rule says complete.
      foreignStatus: DmaStatus.DMA_COMPLETE,
      completed: true,
      secondStatus: DmaStatus.DMA_COMPLETE,
      staleSubmit: -22,
      prepAfterRelease: true,
    });
    expect(r.violations.map((v) => [v.kind, v.rule])).toEqual([
      ['api-misuse', 'zero-length'],
      ['api-misuse', 'submit-twice'],
      ['api-misuse', 'status-foreign-cookie'],
      ['api-misuse', 'stale-descriptor'],
      ['api-misuse', 'chan-not-held'],
      ['api-misuse', 'release-refcount'],
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('returns NULL from prep once the descriptor pool is exhausted, and recovers after release', async () => {
    const { r, p } = await probe('exhaust', { descriptors: 40 });
    expect(p).toEqual({ prepared: 40, afterFree: true });
    expect(r.exitCode).toBe(0);
  });

  it.each(['free', 'controlled'])(
    'a %s driver that terminates and re-arms without synchronize never runs the pool dry',
    async (mode) => {
      // vchan_get_all_descriptors() takes desc_terminated too: the next terminate frees
      // what an earlier one parked (all but a descriptor the engine is still copying).
      const { p } = await probe('terminate-rearm', { descriptors: 16, mode });
      expect(p).toEqual({ nulls: 0 });
    },
  );

  it('ends the run with exit code 3, the actor name and its stack when a client throws', async () => {
    const { r } = await probe('throw');
    expect(r.exitCode).toBe(3);
    expect(r.error).toMatchObject({ actor: 'cpu0', name: 'Error', message: 'probe failure' });
    expect(r.error?.stack).toContain('probe-scenario.mjs');
  });
});
