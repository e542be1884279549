import type { Scenario } from './scenario.js';
import { dmatestScenario } from './dmatest.js';
import { memcpyStreamScenario } from './memcpy-stream.js';
import { DmasimError } from '../errors.js';

/** The built-in scenarios, in `dmasim list` order. */
export const SCENARIOS: readonly Scenario[] = [dmatestScenario, memcpyStreamScenario];

/**
 * Looks a scenario up by name.
 * @throws DmasimError DMASIM_UNKNOWN_SCENARIO listing the known names
 */
export function getScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new DmasimError(
      'DMASIM_UNKNOWN_SCENARIO',
      `unknown scenario '${name}'; known scenarios: ${SCENARIOS.map((x) => x.name).join(', ')}`,
    );
  }
  return s;
}
