import { followStrategy } from './follow.js';
import { pctStrategy } from './pct.js';
import { randomStrategy } from './random.js';
import { replayStrategy } from './replay.js';
import { shrinkStrategy } from './shrink.js';
import { STRATEGIES, type StrategyName } from '../../shm/sched-struct.js';
import type { Strategy } from './strategy.js';

const IMPLS: Record<StrategyName, Strategy> = {
  random: randomStrategy,
  pct: pctStrategy,
  replay: replayStrategy,
  follow: followStrategy,
  shrink: shrinkStrategy,
};

/** The strategy stored as SCHED.STRATEGY (an index into STRATEGIES). */
export function strategyById(id: number): Strategy {
  return IMPLS[STRATEGIES[id] ?? 'random'];
}
