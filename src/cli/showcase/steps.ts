import { cleanDmatest, corruptingDmatest } from './dmatest-steps.js';
import { safePrepMatrixStep } from './matrix-step.js';
import type { ShowcaseStep } from './step.js';

/** The showcase's steps, in order. Append new steps here. */
export const SHOWCASE_STEPS: readonly ShowcaseStep[] = [
  cleanDmatest,
  corruptingDmatest,
  safePrepMatrixStep,
];
