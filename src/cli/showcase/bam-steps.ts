import type { RunResult } from '../../index.js';
import { totalViolations } from '../render.js';
import type { ScenarioStep, StepReview } from './step.js';

const EES = 3;
const ITERATIONS = 4;

interface EeFigures {
  name: string;
  bytes: number;
  lockWaitMsP50: number;
  lockHoldMsP50: number;
}

/** One line per EE: what it moved and how long its pipe waited for and held the lock. */
function eeLines(r: RunResult): string[] {
  const ees = (r.results.ees ?? []) as EeFigures[];
  return ees.map(
    (e) =>
      `  ${e.name}: ${e.bytes} bytes, lock wait p50 ${e.lockWaitMsP50.toFixed(1)} ms, ` +
      `hold p50 ${e.lockHoldMsP50.toFixed(1)} ms`,
  );
}

/** v12's UNLOCK on an empty desc_issued, without NWD: the engine is reprogrammed while busy. */
export const bamUnlockOnEmpty: ScenarioStep = {
  kind: 'scenario',
  title: 'BAM pipe locking, v12: UNLOCK once desc_issued is empty',
  explain:
    'Three execution environments (linux, tz, modem) share a crypto engine through a BAM; ' +
    'each brackets its command and data descriptors with LOCK and UNLOCK. v12 queued UNLOCK ' +
    'once desc_issued was empty, and its data had no NWD: the BAM consumes a descriptor when ' +
    'it forwards it, not when the engine is done, so the next EE reprograms the engine while ' +
    'it still hashes. Look for register-write-while-busy (Gerhold on v12).',
  scenario: 'bam-pipe-lock',
  options: { ees: EES, unlockOnEmpty: true, iterations: ITERATIONS },
  review(r): StepReview {
    const busy = r.violationCounts['register-write-while-busy'] ?? 0;
    const lines = [
      `${busy} register-write-while-busy violations`,
      ...r.violations
        .filter((v) => v.kind === 'register-write-while-busy')
        .slice(0, 1)
        .map((v) => `  ${v.message}`),
    ];
    const ok = r.exitCode === 1 && busy > 0;
    if (!ok) lines.push('unexpected: v12 did not reprogram a busy engine');
    return { lines, ok };
  },
};

/** v21 with NWD on the data: clean, and the contention is in the figures. */
export const bamPipeLockV21: ScenarioStep = {
  kind: 'scenario',
  title: 'BAM pipe locking, v21: LOCK and UNLOCK queued together, NWD on the data',
  explain:
    'The same three EEs with v21: LOCK at the head and UNLOCK at the tail of each fresh ' +
    'sequence, and DMA_PREP_FENCE (NWD) on the data, so the BAM waits for the engine before ' +
    'it unlocks. Look for no violation, and for each EE waiting about twice the hold time ' +
    'for the lock: the others hold it meanwhile.',
  scenario: 'bam-pipe-lock',
  options: { ees: EES, iterations: ITERATIONS },
  review(r): StepReview {
    const total = totalViolations(r);
    const lines = [`${total} violations`, ...eeLines(r)];
    const ok = r.exitCode === 0 && total === 0;
    if (!ok) {
      lines.push('unexpected: v21 was not clean');
      lines.push(...r.violations.slice(0, 3).map((v) => `  ${v.kind}: ${v.message}`));
    }
    return { lines, ok };
  },
};
