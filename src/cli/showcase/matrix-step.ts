import type { CompositeResult } from '../../index.js';
import { matrixCells } from './matrix-cells.js';
import type { CompositeStep, StepReview } from './step.js';

/** The safe-prep matrix: the old pattern races, and each safe prep version under callbacks. */
export const safePrepMatrixStep: CompositeStep = {
  kind: 'composite',
  title: 'the safe-prep matrix: the config-vs-prep race, and each version of the safe prep API',
  explain:
    'CPUs share a slave channel, each with its own config: with the old pattern (slave_config, ' +
    "then prep) one CPU's config slips in between another's config and prep " +
    '(config-prep-mismatch, data corruption). Each further row is a version of the safe prep ' +
    'API that does both under one lock, with completion callbacks in softirq and in hardirq ' +
    're-entering it: a mutex sleeps in atomic context, spin_lock deadlocks on itself ' +
    '(inconsistent lock state), spin_lock_bh only survives softirq callbacks, while ' +
    'spin_lock_irqsave and a provider implementing device_prep_config_sg stay clean. Every ' +
    'cell runs on the controlled scheduler: the seed, not the machine, decides where the ' +
    'interrupts land, so every cell finds the same thing on every machine.',
  composite: 'safe-prep-matrix',
  options: {},
  review(r: CompositeResult): StepReview {
    const cells = matrixCells(r.json);
    const bad = cells.filter((c) => !c.ok);
    const lines = r.text.trimEnd().split('\n');
    // The text ends with its own verdict; this adds the count and what it means.
    if (r.exitCode === 0) {
      lines.push(
        `${cells.length} of ${cells.length} cells as expected: only spin_lock_irqsave and a ` +
          "provider's device_prep_config_sg",
        'are safe with completion callbacks in both contexts.',
      );
    } else {
      const which = bad.map((c) => `${c.variant}/${c.callbackContext}`).join(', ');
      lines.push(
        `unexpected: ${bad.length} of ${cells.length} cells did not match their expectation` +
          (which === '' ? ` (exit code ${r.exitCode})` : `: ${which}`),
      );
    }
    return { lines, ok: r.exitCode === 0 };
  },
};
