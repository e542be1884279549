import type { RunResult } from '../../index.js';
import type { ClientAssociationResult } from '../../clients/client-association/client.js';
import type { ScenarioStep, StepReview } from './step.js';

function client(r: RunResult): ClientAssociationResult | null {
  return (r.results.client as ClientAssociationResult | null | undefined) ?? null;
}

/** What the provider saw of the client device, from alloc to free_chan_resources. */
function association(c: ClientAssociationResult): string {
  return (
    `provider saw ${c.clientAtAlloc ?? 'no client'} at alloc_chan_resources ` +
    `(usage ${c.usageWhileHeld}); after release: ${c.clientAfterRelease ?? 'none'} ` +
    `(usage ${c.usageAfterRelease})`
  );
}

/** dma_release_channel() with transfers still queued and with the hardware. */
export const clientReleaseInFlight: ScenarioStep = {
  kind: 'scenario',
  title: 'client-association --variant release-in-flight: the channel goes back with work in it',
  explain:
    'A client device (spi0) requests dma0chan0; the provider sees the device at ' +
    'device_alloc_chan_resources and holds a runtime-PM reference on it until ' +
    'device_free_chan_resources. The client then releases the channel with transfers still ' +
    'submitted and issued. Look for release-with-transfers-in-flight naming the channel, the ' +
    'client and how many.',
  scenario: 'client-association',
  options: { variant: 'release-in-flight' },
  review(r): StepReview {
    const found = r.violations.filter((v) => v.kind === 'release-with-transfers-in-flight');
    const c = client(r);
    const lines = found.slice(0, 1).map((v) => `${v.kind}: ${v.message}`);
    if (c) lines.push(association(c));
    const ok = r.exitCode === 1 && found.length === 1;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}, ${found.length} reports`);
    return { lines, ok };
  },
};

/** The fix: dmaengine_terminate_sync() before dma_release_channel(). */
export const clientReleaseClean: ScenarioStep = {
  kind: 'scenario',
  title: 'client-association --variant clean: terminate_sync, then release',
  explain:
    'The same client stops its transfers with dmaengine_terminate_sync() before it releases ' +
    'the channel. Look for no violation, and for the provider giving the client device back ' +
    '(no client, usage 0) after free_chan_resources.',
  scenario: 'client-association',
  options: { variant: 'clean' },
  review(r): StepReview {
    const c = client(r);
    const lines = c ? [association(c)] : [];
    lines.push(`${r.violations.length} violations`);
    const ok =
      r.exitCode === 0 && c !== null && c.clientAfterRelease === null && c.usageAfterRelease === 0;
    if (!ok) lines.push(`unexpected: exit ${r.exitCode}`);
    return { lines, ok };
  },
};
