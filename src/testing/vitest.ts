// dmasim/vitest: assertions about a scenario's runs for a test file. Despite the name it
// imports nothing from vitest: the assertions throw plain errors, which any runner reports.
export { expectNoViolations, expectViolation, ScenarioAssertionError } from './expect.js';
export type { ExpectOptions, FoundRun } from './expect.js';
