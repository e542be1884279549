import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { wrap } from '../layout.js';
import { commandLine, runStep } from '../showcase/run-step.js';
import type { ShowcaseStep } from '../showcase/step.js';

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
    const outcome = await runStep(step, n);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (outcome.crashed) {
      io.err(outcome.report);
      say([`  step ${n} crashed after ${seconds} s; stopping the showcase.`]);
      return EXIT.INTERNAL;
    }
    const { review } = outcome;
    say(review.lines.map((l) => (l === '' ? '' : `  ${l}`)));
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
