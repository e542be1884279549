import type { Scenario } from './scenario.js';
import { dmatestScenario } from './dmatest.js';
import { memcpyStreamScenario } from './memcpy-stream.js';
import { configRaceScenario } from './config-race.js';
import { pl08xScenario } from './pl08x.js';
import { locktortureScenario } from './locktorture.js';
import { safePrepMatrix } from './safe-prep-matrix.js';
import type { CompositeScenario } from './composite.js';
import { DmasimError } from '../errors.js';

/** The built-in scenarios, in `dmasim list` order. */
export const SCENARIOS: readonly Scenario[] = [
  dmatestScenario,
  memcpyStreamScenario,
  configRaceScenario,
  pl08xScenario,
  locktortureScenario,
];

/** The built-in composites (matrices of runs), listed and run like scenarios. */
export const COMPOSITES: readonly CompositeScenario[] = [safePrepMatrix];

/** A composite by name, or undefined. */
export function getComposite(name: string): CompositeScenario | undefined {
  return COMPOSITES.find((c) => c.name === name);
}

/**
 * Looks a scenario up by name.
 * @throws DmasimError DMASIM_UNKNOWN_SCENARIO listing the known names
 */
export function getScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new DmasimError(
      'DMASIM_UNKNOWN_SCENARIO',
      `unknown scenario '${name}'; known scenarios: ${[...SCENARIOS, ...COMPOSITES].map((x) => x.name).join(', ')}`,
    );
  }
  return s;
}
