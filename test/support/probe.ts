import { runScenario, type RunResult, type Scenario } from '../../src/index.js';

/**
 * Runs probe `name` of a probe fixture (one channel) under the controlled scheduler with a
 * fixed seed: no timing enters.
 */
export function runProbe(
  scenario: Scenario,
  name: string,
  options: Record<string, unknown> = {},
): Promise<RunResult> {
  return runScenario(scenario, {
    probe: name,
    channels: 1,
    mode: 'controlled',
    seed: 1,
    deadline: 20_000,
    ...options,
  });
}
