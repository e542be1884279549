import type { ParamDef } from '../platform/param-schema.js';

/** What a composite returns: an exit code, a JSON object for --json, and text for people. */
export interface CompositeResult {
  exitCode: 0 | 1 | 3;
  json: Record<string, unknown>;
  text: string;
}

/**
 * A named composition of runs (a matrix of variants): runs through `dmasim run <name>`
 * like a scenario, but its result is its own.
 */
export interface CompositeScenario {
  kind: 'composite';
  name: string;
  summary: string;
  params: readonly ParamDef[];
  run(options: Record<string, unknown>): Promise<CompositeResult>;
}
