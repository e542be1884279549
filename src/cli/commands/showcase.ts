import { DmasimError, getScenario, runScenario, RUN_OPTION_DEFS } from '../../index.js';
import type { RunResult } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { wrap } from '../layout.js';
import { renderCrash } from '../render.js';
import type { ShowcaseStep } from '../showcase/step.js';

/** The `dmasim run` command line equivalent to a step's run, to try it by hand. */
export function commandLine(step: ShowcaseStep): string {
  const defs = [...RUN_OPTION_DEFS, ...getScenario(step.scenario).params];
  const words = ['dmasim', 'run', step.scenario];
  for (const [key, value] of Object.entries(step.options)) {
    const flag = defs.find((d) => d.key === key)?.flag ?? key;
    if (value === true) words.push(`--${flag}`);
    else if (value === false) words.push(`--no-${flag}`);
    else words.push(`--${flag}`, String(value));
  }
  return words.join(' ');
}

async function runStep(step: ShowcaseStep, n: number): Promise<RunResult> {
  try {
    return await runScenario(step.scenario, { ...step.options });
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

/**
 * `dmasim showcase`: runs the steps in order, explaining each before it starts and reviewing
 * its result after.
 * @returns 0 when every step behaved as expected, 1 when one did not, 3 when an actor crashed
 */
export async function showcaseCommand(
  steps: readonly ShowcaseStep[],
  io: Output,
): Promise<ExitCode> {
  const say = (lines: readonly string[]): void => io.out(lines.map((l) => `${l}\n`).join(''));
  say([`dmasim showcase: ${steps.length} steps.`]);
  let asExpected = 0;
  for (const [i, step] of steps.entries()) {
    const n = i + 1;
    say([
      '',
      `[${n}/${steps.length}] ${step.title}`,
      ...wrap(step.explain, io.width - 2).map((l) => `  ${l}`),
    ]);
    say([`  $ ${commandLine(step)}`]);
    const t0 = performance.now();
    const result = await runStep(step, n);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (result.exitCode === 3) {
      io.err(renderCrash(result));
      say([`  step ${n} crashed after ${seconds} s; stopping the showcase.`]);
      return EXIT.INTERNAL;
    }
    const review = step.review(result);
    say(review.lines.map((l) => `  ${l}`));
    say([`  -> ${review.ok ? 'as expected' : 'NOT as expected'} (${seconds} s)`]);
    if (review.ok) asExpected++;
  }
  const all = asExpected === steps.length;
  say([
    '',
    all
      ? `Showcase finished: all ${steps.length} steps behaved as expected.`
      : `Showcase finished: ${steps.length - asExpected} of ${steps.length} steps did NOT behave as expected.`,
  ]);
  return all ? EXIT.OK : EXIT.VIOLATIONS;
}
