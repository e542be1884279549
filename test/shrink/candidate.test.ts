import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool } from '../../src/index.js';
import { prepare } from '../../src/host/prepare.js';
import { startPrepared } from '../../src/host/run.js';
import { actorNames, runCandidate } from '../../src/shrink/candidate.js';

afterAll(async () => {
  await shutdownActorPool();
});

describe('runCandidate', () => {
  it.each([
    ['config-race', { api: 'unsafe', iterations: 4 }],
    ['config-race', { lock: 'spin_lock_bh', callbackContext: 'hardirq', iterations: 4 }],
    ['dmatest', { channels: 2, threadsPerChan: 2, iterations: 3 }],
  ] as const)(
    '%s %j: the anchors read back from a recorded decision list make the same run again',
    async (scenario, options) => {
      const o = { mode: 'controlled', seed: 3, deadline: 20_000, ...options };
      const p = prepare(scenario, o);
      const recorded = await startPrepared(p).result;
      const list = p.view.log.slice(0, recorded.schedule.choices);
      const actors = actorNames(scenario, o);
      const first = await runCandidate(
        scenario,
        o,
        actors,
        { anchors: [], actors, list },
        0,
        20_000,
      );
      expect(first!.result.eventHash).toBe(recorded.eventHash);
      const again = await runCandidate(scenario, o, actors, first!, 0, 20_000);
      expect(again!.result.eventHash).toBe(recorded.eventHash);
      expect(again!.result.schedule).toEqual(recorded.schedule);
      expect(again!.anchors).toEqual(first!.anchors);
    },
  );
});
