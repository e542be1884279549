/**
 * The stem that names a run's files: `<scenario>-<mode>-seed<seed>` (`config-race-chaos-seed1`),
 * the scenario name made safe for a file name. Replay files and profile folders share it.
 */
export function runStem(scenario: string, mode: string, seed: number): string {
  return `${scenario.replace(/[^A-Za-z0-9_.-]/g, '_')}-${mode}-seed${seed}`;
}
