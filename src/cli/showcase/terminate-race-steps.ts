import type { RunResult } from '../../index.js';
import type { TerminateRaceResult } from '../../clients/terminate-race/driver.js';
import type { ScenarioStep, StepReview } from './step.js';

function driver(r: RunResult): TerminateRaceResult | null {
  return (r.results.driver as TerminateRaceResult | null | undefined) ?? null;
}

/** terminate_async then kfree while the callback runs: KASAN reports the use-after-free. */
export const terminateRaceNoSync: ScenarioStep = {
  kind: 'scenario',
  title: 'terminate-race --variant no-sync: kfree after terminate_async, under a running callback',
  explain:
    "A driver's stop path calls dmaengine_terminate_async(), which cannot wait for a completion " +
    'callback already running on the other CPU, and frees the private data that callback ' +
    'updates. Look for a use-after-free violation with the KASAN block: the access in the ' +
    'callback, and where the object was allocated and freed.',
  scenario: 'terminate-race',
  options: { variant: 'no-sync' },
  review(r): StepReview {
    const uaf = r.violations.filter((v) => v.kind === 'use-after-free');
    const d = driver(r);
    const lines = uaf.slice(0, 1).map((v) => `${v.kind}: ${v.message}`);
    if (d)
      lines.push(
        `callbacks that had returned when priv was freed: ${d.callbacksReturnedAtFree} of ${d.transfers}`,
      );
    const ok = r.exitCode === 1 && uaf.length === 1;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}, ${uaf.length} use-after-free reports`);
    return { lines, ok };
  },
};

/** The fix: dmaengine_synchronize() before kfree. */
export const terminateRaceSync: ScenarioStep = {
  kind: 'scenario',
  title: 'terminate-race --variant sync: dmaengine_synchronize() before kfree (the fix)',
  explain:
    'The same stop path with the fix of commit b36f09c3c441: after terminate_async the driver ' +
    'drops its lock and calls dmaengine_synchronize(), which returns only once the callback ' +
    'has. Look for every callback returned before the free, and no violation.',
  scenario: 'terminate-race',
  options: { variant: 'sync' },
  review(r): StepReview {
    const d = driver(r);
    const lines = d
      ? [
          `callbacks that had returned when priv was freed: ${d.callbacksReturnedAtFree} of ${d.transfers}`,
        ]
      : [];
    lines.push(`${r.violations.length} violations`);
    const ok = r.exitCode === 0 && d !== null && d.callbacksReturnedAtFree === d.transfers;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}`);
    return { lines, ok };
  },
};
