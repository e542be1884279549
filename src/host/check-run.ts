import type { Scenario } from '../scenarios/scenario.js';
import { prepare } from './prepare.js';

/**
 * Checks a run's options and scenario parameters exactly as startRun() does, without
 * starting it: for a caller that hands the run to another process.
 * @throws DmasimError DMASIM_BAD_OPTION / DMASIM_UNKNOWN_SCENARIO
 */
export function checkRun(scenario: string | Scenario, options: Record<string, unknown>): void {
  prepare(scenario, options);
}
