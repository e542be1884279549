import { cleanDmatest, corruptingDmatest } from './dmatest-steps.js';
import { safePrepMatrixStep } from './matrix-step.js';
import { terminateRaceNoSync, terminateRaceSync } from './terminate-race-steps.js';
import { cyclicAudioBug, cyclicAudioFixed } from './cyclic-steps.js';
import { clientReleaseClean, clientReleaseInFlight } from './client-association-steps.js';
import { fenceChainFenced, fenceChainUnfenced } from './fence-steps.js';
import { bamPipeLockV21, bamUnlockOnEmpty } from './bam-steps.js';
import type { ShowcaseStep } from './step.js';

/** The showcase's steps, in order. Append new steps here. */
export const SHOWCASE_STEPS: readonly ShowcaseStep[] = [
  cleanDmatest,
  corruptingDmatest,
  safePrepMatrixStep,
  terminateRaceNoSync,
  terminateRaceSync,
  cyclicAudioBug,
  cyclicAudioFixed,
  clientReleaseInFlight,
  clientReleaseClean,
  fenceChainUnfenced,
  fenceChainFenced,
  bamUnlockOnEmpty,
  bamPipeLockV21,
];
