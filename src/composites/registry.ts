import { getScenario } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { CompositeScenario } from './composite.js';
import { safePrepMatrix } from './safe-prep-matrix.js';

/** The built-in composites (matrices of runs, on the host), listed and run like scenarios. */
export const COMPOSITES: readonly CompositeScenario[] = [safePrepMatrix];

/** A composite by name, or undefined. */
export function getComposite(name: string): CompositeScenario | undefined {
  return COMPOSITES.find((c) => c.name === name);
}

/**
 * A composite or a scenario by name.
 * @throws DmasimError DMASIM_UNKNOWN_SCENARIO listing both
 */
export function getScenarioOrComposite(name: string): CompositeScenario | Scenario {
  return (
    getComposite(name) ??
    getScenario(
      name,
      COMPOSITES.map((c) => c.name),
    )
  );
}
