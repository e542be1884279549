import type { RunResult } from '../../index.js';
import { totalViolations } from '../render.js';
import { dmatestThreads } from './dmatest-summary.js';
import type { ScenarioStep, StepReview } from './step.js';

const CHANNELS = 2;
const THREADS_PER_CHAN = 2;
const ITERATIONS = 200;

function summaryLines(r: RunResult): string[] {
  return dmatestThreads(r.results).map((t) => `dmatest: ${t.line}`);
}

/** A clean dmatest run: every thread passes, no violation. */
export const cleanDmatest: ScenarioStep = {
  kind: 'scenario',
  title: `dmatest on ${CHANNELS} channels x ${THREADS_PER_CHAN} threads: a clean stress run (free mode)`,
  explain:
    "dmatest is the kernel's DMA engine self-test: each thread fills a buffer with a pattern, " +
    'has the engine copy it, and verifies the copy. Here each of ' +
    `${CHANNELS} channels gets ${THREADS_PER_CHAN} threads on their own simulated CPUs, ` +
    `${ITERATIONS} copies each, in free mode: every actor runs truly in parallel and the OS ` +
    'decides the interleaving. Look for one summary line per thread with 0 failures, and 0 violations.',
  scenario: 'dmatest',
  options: { channels: CHANNELS, threadsPerChan: THREADS_PER_CHAN, iterations: ITERATIONS },
  review(r): StepReview {
    const threads = dmatestThreads(r.results);
    const total = totalViolations(r);
    const lines = [...summaryLines(r), `${total} violations`];
    const problems: string[] = [];
    if (threads.length !== CHANNELS * THREADS_PER_CHAN) {
      problems.push(
        `expected ${CHANNELS * THREADS_PER_CHAN} thread summaries, got ${threads.length}`,
      );
    }
    const failed = threads.filter((t) => t.failures > 0 || t.tests !== ITERATIONS);
    if (failed.length > 0) problems.push(`${failed.length} thread(s) did not pass every test`);
    if (total > 0 || r.exitCode !== 0) {
      problems.push(`expected a clean run, got exit code ${r.exitCode}`);
      lines.push(...r.violations.slice(0, 3).map((v) => `${v.kind}: ${v.message}`));
    }
    return {
      lines: [...lines, ...problems.map((p) => `unexpected: ${p}`)],
      ok: problems.length === 0,
    };
  },
};

/** The same run on an engine that corrupts 5% of its copies: verification catches it. */
export const corruptingDmatest: ScenarioStep = {
  kind: 'scenario',
  title: 'the same with a corrupting engine: verification catches it',
  explain:
    'The same run, but now the engine flips a byte in 5% of its copies (--corrupt 0.05), as ' +
    "faulty hardware would. dmatest's verification and the data-corruption checker should " +
    'catch it: look for failures in the summaries and data-corruption violations.',
  scenario: 'dmatest',
  options: { ...cleanDmatest.options, corrupt: 0.05 },
  review(r): StepReview {
    const count = r.violationCounts['data-corruption'] ?? 0;
    const first = r.violations.filter((v) => v.kind === 'data-corruption').slice(0, 3);
    const lines = [
      ...summaryLines(r),
      `${count} data-corruption violations; the first ${first.length}:`,
      ...first.map((v) => `  ${v.message}`),
      `As a plain dmasim run this would exit with code ${r.exitCode}` +
        (r.exitCode === 1 ? ' (violations found).' : ', not 1 as expected.'),
    ];
    const ok = r.exitCode === 1 && count > 0;
    if (count === 0) lines.push('unexpected: no data-corruption violation was found');
    return { lines, ok };
  },
};
