import { bamPipeLockV21, bamUnlockOnEmpty } from '../../src/cli/showcase/bam-steps.js';
import { describeSteps } from '../support/steps.js';

describeSteps('bam-pipe-lock showcase steps', [bamUnlockOnEmpty, bamPipeLockV21]);
