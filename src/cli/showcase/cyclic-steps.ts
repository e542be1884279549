import type { RunResult } from '../../index.js';
import type { ScenarioStep, StepReview } from './step.js';

/** The stream's four contract figures, as a line. */
function streamLine(r: RunResult): string {
  const s = r.results;
  return (
    `periods ${String(s.periods)}, callbacks ${String(s.callbacks)}, ` +
    `coalesced periods ${String(s.coalescedPeriods)}, xruns ${String(s.xruns)}`
  );
}

/** cyclic-audio with the driver bug: the tasklet reads the descriptor terminate freed. */
export const cyclicAudioBug: ScenarioStep = {
  kind: 'scenario',
  title: 'cyclic audio: terminate between the period irq and its tasklet (use-after-free)',
  explain:
    'A playback stream runs over a cyclic DMA transfer to a FIFO codec; each period callback ' +
    'plays snd_pcm_period_elapsed. The stream is stopped just after a period interrupt set ' +
    'vc->cyclic and scheduled the tasklet. This driver frees the descriptor in terminate_all ' +
    'without vchan_terminate_vdesc(): look for the KASAN use-after-free in vchan_complete.',
  scenario: 'cyclic-audio',
  options: { variant: 'no-terminate-vdesc' },
  review(r): StepReview {
    const uaf = r.violations.filter((v) => v.kind === 'use-after-free');
    const lines = [streamLine(r), ...uaf.slice(0, 1).map((v) => `use-after-free: ${v.message}`)];
    const ok = r.exitCode === 1 && uaf.length > 0;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}, ${uaf.length} use-after-free`);
    return { lines, ok };
  },
};

/** The fix: terminate parks the descriptor and clears vc->cyclic. */
export const cyclicAudioFixed: ScenarioStep = {
  kind: 'scenario',
  title: 'the same with vchan_terminate_vdesc(): clean',
  explain:
    'The same stream and the same stop, with the fix: terminate_all parks the descriptor on ' +
    'desc_terminated and clears vc->cyclic, so the tasklet finds nothing to call, and ' +
    'dmaengine_synchronize() frees it. Look for every period played and no violation.',
  scenario: 'cyclic-audio',
  options: { variant: 'terminate-vdesc' },
  review(r): StepReview {
    const lines = [streamLine(r), `${r.violations.length} violations`];
    const ok = r.exitCode === 0;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}`);
    return { lines, ok };
  },
};
