import { fenceChainFenced, fenceChainUnfenced } from '../../src/cli/showcase/fence-steps.js';
import { describeSteps } from '../support/steps.js';

describeSteps('fence-chain showcase steps', [fenceChainUnfenced, fenceChainFenced]);
