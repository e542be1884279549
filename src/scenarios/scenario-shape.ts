import { shapeError, type ShapeRule } from '../platform/module-export.js';
import type { Scenario } from './scenario.js';

/** What each member of a Scenario must be, as the host and the actors use it. */
const SHAPE: readonly ShapeRule<Scenario>[] = [
  ['name', 'a string', (v) => typeof v === 'string'],
  ['params', 'an array of ParamDef', Array.isArray],
  ['defaults', 'an object', (v) => typeof v === 'object' && v !== null],
  ['plan', 'a function', (v) => typeof v === 'function'],
  ['cpuProgram', 'a function', (v) => typeof v === 'function'],
  ['collect', 'a function', (v) => typeof v === 'function'],
  ['checkers', 'an array or a function', (v) => Array.isArray(v) || typeof v === 'function'],
];

/**
 * What is wrong with a value meant as a Scenario, in one phrase, or null if nothing is.
 * @param what how to name the value: `its 'scenario' export`, `the scenario object`
 */
export function scenarioShapeError(value: unknown, what: string): string | null {
  return shapeError(value, what, 'Scenario', SHAPE);
}
