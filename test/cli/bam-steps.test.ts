import { afterAll, describe, expect, it } from 'vitest';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';
import { bamPipeLockV21, bamUnlockOnEmpty } from '../../src/cli/showcase/bam-steps.js';

afterAll(async () => {
  await shutdownActorPool();
});

describe('bam-pipe-lock showcase steps', () => {
  it.each([bamUnlockOnEmpty, bamPipeLockV21])(
    '$title: behaves as the step expects',
    async (step) => {
      const r = await runScenario(getScenario(step.scenario), {
        ...step.options,
        deadline: 30_000,
      });
      const review = step.review(r);
      expect(review.ok, review.lines.join('\n')).toBe(true);
    },
  );
});
