import { afterAll, describe, expect, it } from 'vitest';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';
import type { ScenarioStep } from '../../src/cli/showcase/step.js';

/** Runs each showcase step's scenario as the showcase does and expects its review to pass. */
export function describeSteps(name: string, steps: readonly ScenarioStep[]): void {
  afterAll(async () => {
    await shutdownActorPool();
  });

  describe(name, () => {
    it.each(steps)('$title: behaves as the step expects', async (step) => {
      const r = await runScenario(getScenario(step.scenario), {
        ...step.options,
        deadline: 30_000,
      });
      const review = step.review(r);
      expect(review.ok, review.lines.join('\n')).toBe(true);
    });
  });
}
