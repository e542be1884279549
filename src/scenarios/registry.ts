import type { Scenario } from './scenario.js';
import { dmatestScenario } from './dmatest.js';
import { memcpyStreamScenario } from './memcpy-stream.js';
import { configRaceScenario } from './config-race.js';
import { pl08xScenario } from './pl08x.js';
import { locktortureScenario } from './locktorture.js';
import { fifoSlaveScenario } from './fifo-slave.js';
import { cyclicAudioScenario } from './cyclic-audio.js';
import { DmasimError } from '../errors.js';
import { terminateRaceScenario } from './terminate-race.js';
import { clientAssociationScenario } from './client-association.js';
import { fenceChainScenario } from './fence-chain.js';
import { bamPipeLockScenario } from './bam-pipe-lock.js';
import { cDriverScenario } from './c-driver.js';

/**
 * The built-in scenarios, in `dmasim list` order. Every actor thread imports this module:
 * it must not import the host (piscina, comlink, rxjs pipelines); composites, which run on
 * the host, live in composites/.
 */
export const SCENARIOS: readonly Scenario[] = [
  dmatestScenario,
  memcpyStreamScenario,
  configRaceScenario,
  pl08xScenario,
  locktortureScenario,
  fifoSlaveScenario,
  terminateRaceScenario,
  clientAssociationScenario,
  cyclicAudioScenario,
  fenceChainScenario,
  bamPipeLockScenario,
  cDriverScenario,
];

/**
 * Looks a scenario up by name.
 * @param others names of what else the caller would have accepted (composites), for the message
 * @throws DmasimError DMASIM_UNKNOWN_SCENARIO listing the known names
 */
export function getScenario(name: string, others: readonly string[] = []): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new DmasimError(
      'DMASIM_UNKNOWN_SCENARIO',
      `unknown scenario '${name}'; known scenarios: ${[...SCENARIOS.map((x) => x.name), ...others].join(', ')}`,
    );
  }
  return s;
}
