import {
  DmasimError,
  getComposite,
  getScenario,
  scenarioOptionDefs,
  runScenario,
  SCENARIOS,
  RUN_OPTION_DEFS,
} from '../../index.js';
import type { ParamDef } from '../../index.js';
import { indentBlock } from '../layout.js';
import { renderCrash } from '../render.js';
import type { ShowcaseStep, StepReview } from './step.js';

/** How a step's run ended: reviewed, or crashed with a report for stderr. */
export type StepOutcome =
  { crashed: false; review: StepReview } | { crashed: true; report: string };

/** The name a step runs, scenario or composite. */
export function stepTarget(step: ShowcaseStep): string {
  return step.kind === 'scenario' ? step.scenario : step.composite;
}

/** The flags a step's options map to; [] for an unknown name, which runStep reports. */
function paramDefs(step: ShowcaseStep): readonly ParamDef[] {
  if (step.kind === 'composite') return getComposite(step.composite)?.params ?? [];
  if (!SCENARIOS.some((s) => s.name === step.scenario)) return [];
  return [...RUN_OPTION_DEFS, ...scenarioOptionDefs(getScenario(step.scenario))];
}

/** The `dmasim run` command line equivalent to a step's run, to try it by hand. */
export function commandLine(step: ShowcaseStep): string {
  const defs = paramDefs(step);
  const words = ['dmasim', 'run', stepTarget(step)];
  for (const [key, value] of Object.entries(step.options)) {
    const flag = defs.find((d) => d.key === key)?.flag ?? key;
    if (value === true) words.push(`--${flag}`);
    else if (value === false) words.push(`--no-${flag}`);
    else words.push(`--${flag}`, String(value));
  }
  return words.join(' ');
}

async function perform(step: ShowcaseStep): Promise<StepOutcome> {
  if (step.kind === 'scenario') {
    const result = await runScenario(step.scenario, { ...step.options });
    if (result.exitCode === 3) return { crashed: true, report: renderCrash(result) };
    return { crashed: false, review: step.review(result) };
  }
  const composite = getComposite(step.composite);
  if (!composite) {
    throw new DmasimError('DMASIM_UNKNOWN_SCENARIO', `unknown composite '${step.composite}'`);
  }
  const result = await composite.run({ ...step.options });
  if (result.exitCode === 3) {
    const report = [
      `dmasim: internal error: composite ${composite.name} failed (exit 3); its output:`,
      ...indentBlock(result.text, 2),
      '',
    ].join('\n');
    return { crashed: true, report };
  }
  return { crashed: false, review: step.review(result) };
}

/**
 * Runs step `n` and reviews its result.
 * @throws DmasimError DMASIM_INTERNAL when the library refuses the step's fixed options
 */
export async function runStep(step: ShowcaseStep, n: number): Promise<StepOutcome> {
  try {
    return await perform(step);
  } catch (err) {
    // A step's options are fixed in the code: the library refusing them is our bug, not bad input.
    if (
      err instanceof DmasimError &&
      (err.code === 'DMASIM_BAD_OPTION' || err.code === 'DMASIM_UNKNOWN_SCENARIO')
    ) {
      const message = `showcase step ${n} could not start: ${err.message}`;
      throw new DmasimError('DMASIM_INTERNAL', message, { cause: err });
    }
    throw err;
  }
}
