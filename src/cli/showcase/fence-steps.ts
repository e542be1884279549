import type { RunResult } from '../../index.js';
import { totalViolations } from '../render.js';
import type { ScenarioStep, StepReview } from './step.js';

const ITERATIONS = 16;

function staleOf(r: RunResult): number {
  return typeof r.results.stale === 'number' ? r.results.stale : -1;
}

/** fence-chain without the fence: every chain on the pipelined engine copies stale bytes. */
export const fenceChainUnfenced: ScenarioStep = {
  kind: 'scenario',
  title: 'DMA_PREP_FENCE: a chain A->B, B->C without the fence copies stale bytes',
  explain:
    'Each channel copies A to B, then B to C, as two descriptors issued together. This vdma ' +
    'engine is pipelined: it reads the next descriptor before the current one is written back, ' +
    'unless the current one carries DMA_PREP_FENCE ("subsequent operations depend on the ' +
    'result of this operation"). Without it, C gets the old bytes of B: look for data-corruption.',
  scenario: 'fence-chain',
  options: { variant: 'no-fence', iterations: ITERATIONS },
  review(r): StepReview {
    const stale = staleOf(r);
    const count = r.violationCounts['data-corruption'] ?? 0;
    const lines = [
      `${stale} chain(s) copied stale bytes; ${count} data-corruption violations`,
      ...r.violations.slice(0, 2).map((v) => `  ${v.kind}: ${v.message}`),
    ];
    const ok = r.exitCode === 1 && stale > 0 && count > 0;
    if (!ok) lines.push('unexpected: the unfenced chain did not copy stale bytes');
    return { lines, ok };
  },
};

/** fence-chain with the fence: clean, and its map/unmap pairs satisfy dma-debug. */
export const fenceChainFenced: ScenarioStep = {
  kind: 'scenario',
  title: 'the same chain with DMA_PREP_FENCE on A->B: clean',
  explain:
    'The same run with DMA_PREP_FENCE on the first copy: the engine finishes it before it reads ' +
    'B for the second. The client also maps and unmaps its buffers with the DMA mapping API, ' +
    'so dma-debug checks every call. Look for 0 stale chains and no violation.',
  scenario: 'fence-chain',
  options: { variant: 'fence', iterations: ITERATIONS },
  review(r): StepReview {
    const stale = staleOf(r);
    const total = totalViolations(r);
    const lines = [`${stale} stale chain(s), ${total} violations`];
    const ok = r.exitCode === 0 && stale === 0 && total === 0;
    if (!ok) {
      lines.push('unexpected: the fenced chain was not clean');
      lines.push(...r.violations.slice(0, 3).map((v) => `  ${v.kind}: ${v.message}`));
    }
    return { lines, ok };
  },
};
