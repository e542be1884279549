// dmasim's public surface: everything the CLI uses, and what a user needs to script runs,
// subscribe to events and write checkers. Named exports only.
export { startRun, runScenario } from './host/run.js';
export type { RunHandle } from './host/run.js';
export type { RunResult, RunStats } from './host/result.js';
export { shutdownActorPool } from './host/pool.js';
export { SCENARIOS, getScenario } from './scenarios/registry.js';
export type { Scenario, ScenarioPlan } from './scenarios/scenario.js';
export type { ParamDef, ParamKind } from './scenarios/param-schema.js';
export { RUN_OPTION_DEFS } from './scenarios/run-options.js';
export type { RunOptions } from './scenarios/run-options.js';
export { EVENT_KINDS, EVENT_LEVELS, EVENT_TABLE } from './events/kinds.js';
export type { EventKind, EventLevel } from './events/kinds.js';
export type { DmaEvent, DmaEventOf, EventBase, EventContext } from './events/event.js';
export type { Violation } from './events/violation.js';
export { dataCorruption } from './events/checkers/data-corruption.js';
export { apiMisuse } from './events/checkers/api-misuse.js';
export { MISUSE_RULES } from './dmaengine/misuse.js';
export type { MisuseRule } from './dmaengine/misuse.js';
export { DmasimError } from './errors.js';
export type { DmasimErrorCode, SerializedError } from './errors.js';
