import { afterAll, describe, expect, it } from 'vitest';
import { EPROBE_DEFER, shutdownActorPool } from '../../src/index.js';
import { DmaStatus, DmaengineTxResult } from '../../src/dmaengine/types.js';
import { scenario } from '../fixtures/contract-scenario.mjs';
import { runProbe } from '../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

type Probe = Record<string, unknown>;

/** Runs probe `name` (see runProbe()) and hands back its own result beside the run's. */
async function probe(name: string, options: Record<string, unknown> = {}) {
  const r = await runProbe(scenario, name, options);
  return { r, p: r.results.probe as Probe };
}

describe('descriptor callbacks', () => {
  it('invokes callback_result whenever it is set, whichever field was set last', async () => {
    const { r, p } = await probe('callback-result-wins');
    // 200 + param + 10 * result + 1000 * residue: callback_result with {NOERROR, 0}.
    const viaResult = (k: number) => 200 + k + 10 * DmaengineTxResult.DMA_TRANS_NOERROR;
    expect(p).toEqual({ completed: true, ran: [viaResult(0), viaResult(1), 100 + 2] });
    expect(r.exitCode).toBe(0);
  });
});

describe('callback misuse', () => {
  it('reports a callback or param a thread cannot carry at the setter, and runs nothing', async () => {
    const { r, p } = await probe('bad-callback');
    expect(p).toEqual({ status: DmaStatus.DMA_COMPLETE, ran: [] });
    expect(r.violations.map((v) => v.rule)).toEqual([
      'bad-callback',
      'bad-callback',
      'bad-callback-param',
      'bad-callback-param',
      'bad-callback-param',
    ]);
    expect(r.dmesg.filter((l) => l.includes('define it with defineCallback('))).toHaveLength(1);
    expect(r.exitCode).toBe(1);
  });

  it('reports unknown-callback when the CPU running the tasklet lacks the callback', async () => {
    const { r, p } = await probe('unknown-callback', { cpus: 2, irqCpu: 1 });
    expect(p).toEqual({ status: DmaStatus.DMA_COMPLETE, ran: [] });
    expect(r.violations.map((v) => [v.rule, v.actor])).toEqual([['unknown-callback', 'cpu1']]);
    expect(r.exitCode).toBe(1);
  });
});

describe('issue-after-terminate', () => {
  it('is reported once per terminate..synchronize window, by the synchronize, with the issues in it', async () => {
    const { r } = await probe('issue-after-terminate');
    // Its last release has a transfer in flight: that is reported too, by its own kind.
    expect(r.violationCounts['release-with-transfers-in-flight']).toBe(1);
    const misuse = r.violations.filter((v) => v.kind === 'api-misuse');
    expect(misuse.map((v) => [v.rule, v.value])).toEqual([
      ['issue-after-terminate', 5],
      ['issue-after-terminate', 1],
    ]);
  });
});

describe('channel request and release', () => {
  it('may sleep: called in atomic context they trigger might_sleep', async () => {
    const { r, p } = await probe('request-in-atomic', { lockdep: true });
    expect(p).toEqual({ got: true, other: null });
    expect(r.violations.map((v) => [v.kind, v.sleeper])).toEqual([
      ['sleep-in-atomic', 'dma_request_chan'],
      ['sleep-in-atomic', 'dma_request_channel'],
      ['sleep-in-atomic', 'dma_release_channel'],
    ]);
  });

  it('kmalloc(GFP_KERNEL) may sleep: under a spinlock it is sleep-in-atomic, GFP_ATOMIC is not', async () => {
    const { r, p } = await probe('kmalloc-in-atomic', { lockdep: true });
    expect(p).toEqual({ got: true });
    expect(r.violations.map((v) => [v.kind, v.sleeper])).toEqual([['sleep-in-atomic', 'kmalloc']]);
  });

  it('dma_request_chan() returns -EPROBE_DEFER when no channel matches or the one that does is busy', async () => {
    const { r, p } = await probe('request-errors');
    expect(p).toEqual({ unknown: -EPROBE_DEFER, busy: -EPROBE_DEFER });
    expect(r.exitCode).toBe(0);
  });
});

describe('prep wrappers', () => {
  it('return NULL for a NULL chan or a NULL chan->device, as dmaengine.h does', async () => {
    const { r, p } = await probe('prep-null');
    const nulls = [null, null];
    expect(p).toEqual({
      memcpy: nulls,
      slaveSg: nulls,
      slaveSingle: nulls,
      configSg: nulls,
      configSingle: nulls,
      configSgSafe: nulls,
      configSingleSafe: nulls,
    });
    expect(r.exitCode).toBe(0);
  });
});

describe('dma_release_channel refcount warning', () => {
  it('is misuse at every release but a WARN_ONCE: one WARNING block per run, whichever CPU', async () => {
    const { r } = await probe('release-unheld', { cpus: 3 });
    expect(r.violations.map((v) => [v.rule, v.value])).toEqual([
      ['release-refcount', 0],
      ['release-refcount', 0],
      ['release-refcount', 0],
    ]);
    expect(r.dmesg.filter((l) => l.endsWith('] chan reference count 0 != 1'))).toHaveLength(1);
    expect(
      r.dmesg.filter((l) => l.includes('at drivers/dma/dmaengine.c dma_release_channel')),
    ).toHaveLength(1);
  });
});

describe('terminate without synchronize', () => {
  it('re-arming 3000 times after terminate_async() never runs a 16-slot pool dry', async () => {
    const { r, p } = await probe('terminate-rearm', { descriptors: 16, n: 3000 });
    expect(p.nulls).toBe(0);
    // No synchronize, no release: the window never closed, so nothing is reported.
    expect(r.exitCode).toBe(0);
  });
});
