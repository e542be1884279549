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

/** runProbe(), and what the probe itself returned (its `probe` result). */
export async function probeResult(
  scenario: Scenario,
  name: string,
  options: Record<string, unknown> = {},
): Promise<{ r: RunResult; p: Record<string, unknown> }> {
  const r = await runProbe(scenario, name, options);
  return { r, p: r.results.probe as Record<string, unknown> };
}
