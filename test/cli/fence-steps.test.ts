import { afterAll, describe, expect, it } from 'vitest';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';
import { fenceChainFenced, fenceChainUnfenced } from '../../src/cli/showcase/fence-steps.js';

afterAll(async () => {
  await shutdownActorPool();
});

describe('fence-chain showcase steps', () => {
  it.each([fenceChainUnfenced, fenceChainFenced])(
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
