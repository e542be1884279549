import type { ParamDef } from '../index.js';

/** What the parser needs to know about a scenario or a composite. */
export interface ScenarioSchema {
  name: string;
  params: readonly ParamDef[];
  /** Set for a composite (a matrix of runs): it takes its own params and no run options. */
  kind?: 'composite';
}

/**
 * The schemas the parser matches flags against. Passed in rather than imported so that the
 * parser stays a pure function of its inputs.
 */
export interface Catalog {
  /** Options every scenario run takes (a composite does not). */
  runOptions: readonly ParamDef[];
  /** The own options of the commands that take more than run options. */
  commandOptions: Record<'campaign' | 'shrink' | 'profile', readonly ParamDef[]>;
  /** Names of the known scenarios, then of the composites. */
  scenarioNames: readonly string[];
  /**
   * Looks a scenario or a composite up. For an unknown name it throws an Error whose `code`
   * is DMASIM_UNKNOWN_SCENARIO and whose message lists the known names.
   */
  scenario(name: string): ScenarioSchema;
}

function isUnknownScenario(err: unknown): err is Error {
  return err instanceof Error && (err as { code?: unknown }).code === 'DMASIM_UNKNOWN_SCENARIO';
}

/**
 * The scenario or composite called `name`, or the library's message listing the known ones.
 * @throws whatever else the catalog throws (a broken registry is not bad input)
 */
export function lookUp(catalog: Catalog, name: string): ScenarioSchema | string {
  try {
    return catalog.scenario(name);
  } catch (err) {
    if (isUnknownScenario(err)) return `${err.message} (see dmasim list)`;
    throw err;
  }
}
